"""Fresh encounters for the review-submission run: confirmed, with @scale-writer, unreviewed.

Each wrk run posts one review per id, so each run gets its own new ids. They go to the
long tail of businesses, away from the pages being measured.
"""

from datetime import timedelta

from sqlalchemy import create_engine, insert, select

from config import Config
from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.seed.scale import SMALL, TOP, WRITER


def add_fresh_encounters(url: str, count: int) -> list[int]:
    engine = create_engine(url)
    now = clock.now()
    window = timedelta(seconds=Config.REVIEW_WINDOW_SECONDS)
    with engine.begin() as connection:
        writer = connection.scalar(select(User.id).where(User.handle == WRITER))
        owners = connection.execute(
            select(User.business_id, User.id)
            .join(Business, Business.id == User.business_id)
            .where(User.business_role == "owner", Business.handle.not_in([TOP, SMALL]))
            .order_by(User.business_id.desc())
            .limit(500)
        ).all()
        rows = [
            {
                "business_id": owners[i % len(owners)][0],
                "customer_id": writer,
                "status": "confirmed",
                "origin": "invitation",
                "recorded_by_side": "business",
                "recorded_by_user_id": owners[i % len(owners)][1],
                "occurred_on": now.date(),
                "created_at": now,
                "closes_at": now + window,
                "confirmed_at": now,
            }
            for i in range(count)
        ]
        ids = connection.scalars(
            insert(Encounter).returning(Encounter.id, sort_by_parameter_order=True), rows
        ).all()
    engine.dispose()
    return list(ids)

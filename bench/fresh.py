"""Fresh encounters for the review-submission run: confirmed, with @scale-writer, unreviewed.

Each wrk run posts one review per id, so each run gets its own ids. They go to the long
tail of businesses, away from the pages being measured. A run asks for more than it can
post; the ones left unreviewed are handed out again by the next call, so the encounters
table grows by the reviews posted, not by every id asked for.
"""

from datetime import timedelta

from sqlalchemy import create_engine, exists, insert, select

from config import Config
from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.reviews.models import Review
from rating.seed.scale import SMALL, TOP, WRITER

# A reused encounter's window stays open this long at least: longer than any run.
REUSE_MARGIN = timedelta(days=1)


def add_fresh_encounters(url: str, count: int) -> list[int]:
    """`count` ids of confirmed encounters with @scale-writer and no review yet: left over
    from earlier calls first, the rest made now."""
    engine = create_engine(url)
    now = clock.now()
    with engine.begin() as connection:
        writer = connection.scalar(select(User.id).where(User.handle == WRITER))
        unused = connection.scalars(
            select(Encounter.id)
            .where(
                Encounter.customer_id == writer,
                Encounter.status == "confirmed",
                Encounter.closes_at > now + REUSE_MARGIN,
                ~exists().where(Review.encounter_id == Encounter.id),
            )
            .order_by(Encounter.id)
            .limit(count)
        ).all()
        made = _make(connection, writer, count - len(unused), now) if len(unused) < count else []
    engine.dispose()
    return list(unused) + made


def _make(connection, writer: int, count: int, now) -> list[int]:
    owners = connection.execute(
        select(User.business_id, User.id)
        .join(Business, Business.id == User.business_id)
        .where(User.business_role == "owner", Business.handle.not_in([TOP, SMALL]))
        .order_by(User.business_id.desc())
        .limit(500)
    ).all()
    window = timedelta(seconds=Config.REVIEW_WINDOW_SECONDS)
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
    return connection.scalars(
        insert(Encounter).returning(Encounter.id, sort_by_parameter_order=True), rows
    ).all()

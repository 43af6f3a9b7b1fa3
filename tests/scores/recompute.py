"""The test oracle: every aggregate computed from scratch, straight from the rows."""

from sqlalchemy import select

from rating import clock
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import Review
from rating.scores.models import TIME_TO_REVIEW_BUCKETS
from rating.scores.services import COUNTERS
from rating.thanks.models import Thanks


def _bucket(review, encounter):
    hours = (review.submitted_at - encounter.created_at).total_seconds() / 3600
    for index, limit in enumerate(TIME_TO_REVIEW_BUCKETS, start=1):
        if hours < limit:
            return index
    return len(TIME_TO_REVIEW_BUCKETS) + 1


def recompute(subject_type: str, subject_id: int) -> dict:
    numbers = dict.fromkeys(COUNTERS, 0)
    now = clock.now()
    for encounter in db.session.scalars(select(Encounter)):
        mine = (
            encounter.business_id if subject_type == "business" else encounter.customer_id
        ) == subject_id
        if not mine or encounter.status != "confirmed":
            continue
        revealed = encounter.both_reviewed_at is not None or now >= encounter.closes_at
        reviews = list(
            db.session.scalars(select(Review).where(Review.encounter_id == encounter.id))
        )
        if revealed:
            numbers["closed_count"] += 1
            if any(r.side == subject_type for r in reviews):
                numbers["closed_reviewed"] += 1
        for review in reviews:
            if not revealed or review.visibility != "visible":
                continue
            if review.side != subject_type:  # about the subject
                numbers["review_count"] += 1
                for name, value in review.scores().items():
                    numbers[f"sum_{name}"] += value
                verdict = (
                    review.recommend if review.side == "customer" else review.would_serve_again
                )
                numbers["verdict_yes"] += 1 if verdict else 0
                numbers[f"stars_{min(5, max(1, int(review.overall() + 0.5)))}"] += 1
                if review.reply is not None and review.reply.visibility == "visible":
                    numbers["replied_count"] += 1
            else:  # written by the subject
                numbers["given_count"] += 1
                numbers["given_overall_sum"] += review.overall()
                numbers[f"ttr_{_bucket(review, encounter)}"] += 1
    for thanks in db.session.scalars(select(Thanks)):
        encounter = thanks.encounter
        recipient = (
            ("business", encounter.business_id)
            if thanks.side == "customer"
            else ("customer", encounter.customer_id)
        )
        if (
            recipient == (subject_type, subject_id)
            and thanks.visibility == "visible"
            and encounter.status in ("confirmed", "unconfirmed")
        ):
            numbers["thanks_received"] += 1
    return numbers

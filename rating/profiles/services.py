"""What the public business page, the customer page, the directory and home show."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.errors import Invalid, NotFound
from rating.extensions import db
from rating.formfields import MAX_ID
from rating.profiles.permissions import can_view_customer, met_by_business
from rating.reviews.models import Review
from rating.scores.models import ScoreAggregate
from rating.scores.services import Profile, profile, profiles
from rating.thanks.models import Thanks

SORTS = ("score", "reviews", "recent")
PER_PAGE = 10


def shown_reviews_query(side: str, subject_column, subject_id: int):
    """Revealed, visible reviews written by `side` about one subject (not contested/voided);
    `subject_column` is Review.business_id or Review.customer_id."""
    now = clock.now()
    return (
        select(Review)
        .join(Encounter, Review.encounter_id == Encounter.id)
        .where(
            Review.side == side,
            subject_column == subject_id,
            Review.visibility == "visible",
            Encounter.status.in_(("confirmed", "unconfirmed")),
            Encounter.revealed_by(now),
        )
        .options(
            selectinload(Review.reply),
            selectinload(Review.encounter).selectinload(Encounter.customer),
            selectinload(Review.encounter).selectinload(Encounter.business),
        )
    )


@dataclass
class ReviewPage:
    items: list[Review]
    next_cursor: str | None


def _page(query, cursor: str | None, per_page: int) -> ReviewPage:
    """Newest first, by keyset (submitted_at, id): deep pages cost what the first does."""
    if cursor:
        try:
            stamp, _, last_id = cursor.partition("_")
            when = datetime.fromisoformat(stamp)
            last = int(last_id)
        except ValueError as error:
            raise Invalid("before", _l("This page link is not valid.")) from error
        if when.tzinfo is None or not 0 < last <= MAX_ID:  # links we make are never so
            raise Invalid("before", _l("This page link is not valid."))
        query = query.where(
            or_(Review.submitted_at < when, and_(Review.submitted_at == when, Review.id < last))
        )
    rows = list(
        db.session.scalars(
            query.order_by(Review.submitted_at.desc(), Review.id.desc()).limit(per_page + 1)
        )
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_cursor = f"{rows[-1].submitted_at.isoformat()}_{rows[-1].id}" if more else None
    return ReviewPage(rows, next_cursor)


def next_reveal(since: datetime, party_column=None, party_id: int | None = None) -> datetime | None:
    """When the next review window closes after `since` on a sealed review (of this
    party, given its column Encounter.business_id or Encounter.customer_id; of anyone
    without): until then, what the profile pages show changes only with writes."""
    query = select(Encounter.closes_at).where(
        Encounter.status.in_(("confirmed", "unconfirmed")),
        Encounter.both_reviewed_at.is_(None),
        Encounter.closes_at > since,
        exists().where(Review.encounter_id == Encounter.id),
    )
    if party_column is None:
        # The first one along the closes_at index: with MIN(), PostgreSQL checked every
        # open window for a review before answering (0.4 s at a million encounters,
        # paid by each refresh of the directory and the home page).
        return db.session.scalar(query.order_by(Encounter.closes_at).limit(1))
    # One party's open windows are read once through its own index.
    query = query.with_only_columns(func.min(Encounter.closes_at))
    return db.session.scalar(query.where(party_column == party_id))


def find_business(handle: str) -> Business:
    business = db.session.scalar(select(Business).where(Business.handle == handle))
    if business is None:
        raise NotFound()
    return business


def business_reviews(
    business: Business, cursor: str | None = None, per_page: int = PER_PAGE
) -> ReviewPage:
    return _page(shown_reviews_query("customer", Review.business_id, business.id), cursor, per_page)


def recent_thanks_to_business(business_id: int, limit: int = 5) -> list[Thanks]:
    return list(
        db.session.scalars(
            select(Thanks)
            .join(Encounter, Thanks.encounter_id == Encounter.id)
            .where(
                Thanks.business_id == business_id,
                Thanks.side == "customer",
                Thanks.visibility == "visible",
                Encounter.status.in_(("confirmed", "unconfirmed")),
            )
            .options(selectinload(Thanks.encounter).selectinload(Encounter.customer))
            .order_by(Thanks.created_at.desc(), Thanks.id.desc())
            .limit(limit)
        )
    )


def business_profile(business: Business) -> Profile:
    return profile("business", business.id)


def find_customer_for(viewer, handle: str) -> User:
    """The customer if the viewer may see their etiquette page; NotFound otherwise."""
    query = select(User).where(User.handle == handle, User.kind == "customer")
    met = None
    if viewer.is_authenticated and viewer.kind == "business":  # one query, not two
        query = query.add_columns(met_by_business(viewer.business_id, User.id))
        customer, met = db.session.execute(query).first() or (None, None)
    else:
        customer = db.session.scalar(query)
    if not can_view_customer(viewer, customer, met):
        raise NotFound()
    return customer


def customer_reviews(
    customer: User, cursor: str | None = None, per_page: int = PER_PAGE
) -> ReviewPage:
    return _page(shown_reviews_query("business", Review.customer_id, customer.id), cursor, per_page)


def customer_profile(customer: User) -> Profile:
    return profile("customer", customer.id)


def set_profile_public(customer: User, public: bool) -> None:
    customer.profile_public = bool(public)
    db.session.commit()


@dataclass
class DirectoryEntry:
    business: Business
    profile: Profile


def bayes_order():
    """The overall Bayesian score as SQL, for sorting (same formula as scores.bayes)."""
    cfg = current_app.config
    c, m = cfg["SCORE_PRIOR_WEIGHT"], cfg["SCORE_PRIOR_MEAN"]
    a = ScoreAggregate
    total = (
        a.sum_attention + a.sum_proactivity + a.sum_promises_kept + a.sum_respect + a.sum_honesty
    ) / 5.0
    return (c * m + func.coalesce(total, 0)) / (c + func.coalesce(a.review_count, 0))


def directory(
    q: str = "",
    city: str = "",
    category: str = "",
    sort: str = "score",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[DirectoryEntry], int]:
    """Search businesses by name, filter by city and category; sorted and paginated."""
    if sort not in SORTS:
        raise Invalid("sort", _l("Sort by score, reviews or recent."))
    query = select(Business).outerjoin(
        ScoreAggregate,
        and_(ScoreAggregate.subject_type == "business", ScoreAggregate.subject_id == Business.id),
    )
    if q.strip():
        query = query.where(func.lower(Business.name).contains(q.strip().lower(), autoescape=True))
    if city.strip():
        query = query.where(func.lower(Business.city) == city.strip().lower())
    if category.strip():
        query = query.where(Business.category == category.strip())
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    count = func.coalesce(ScoreAggregate.review_count, 0)
    if sort == "score":
        enough = count >= current_app.config["SCORE_MIN_REVIEWS"]
        query = query.order_by(enough.desc(), bayes_order().desc(), Business.id)
    elif sort == "reviews":
        query = query.order_by(count.desc(), Business.id)
    else:
        query = query.order_by(Business.created_at.desc(), Business.id.desc())
    businesses = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    found = profiles([("business", b.id) for b in businesses])
    return [DirectoryEntry(b, found[("business", b.id)]) for b in businesses], total


def cities() -> list[str]:
    return list(db.session.scalars(select(Business.city).distinct().order_by(Business.city)))


def most_recommended(limit: int = 6) -> list[DirectoryEntry]:
    minimum = current_app.config["SCORE_MIN_REVIEWS"]
    a = ScoreAggregate
    rows = list(
        db.session.scalars(
            select(Business)
            .join(a, and_(a.subject_type == "business", a.subject_id == Business.id))
            .where(a.review_count >= minimum)
            .order_by((a.verdict_yes * 1.0 / a.review_count).desc(), a.review_count.desc())
            .limit(limit)
        )
    )
    found = profiles([("business", b.id) for b in rows])
    return [DirectoryEntry(b, found[("business", b.id)]) for b in rows]


def recent_public_thanks(limit: int = 6) -> list[Thanks]:
    return list(
        db.session.scalars(
            select(Thanks)
            .join(Encounter, Thanks.encounter_id == Encounter.id)
            .where(
                Thanks.side == "customer",
                Thanks.visibility == "visible",
                Encounter.status.in_(("confirmed", "unconfirmed")),
            )
            .options(
                selectinload(Thanks.encounter).selectinload(Encounter.customer),
                selectinload(Thanks.encounter).selectinload(Encounter.business),
            )
            .order_by(Thanks.created_at.desc(), Thanks.id.desc())
            .limit(limit)
        )
    )

"""Sealed two-sided reviews and replies (PRODUCT.md section 3)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.exc import IntegrityError

from rating import clock, pagecache
from rating.accounts.models import User
from rating.database import as_loaded
from rating.encounters.models import Encounter
from rating.encounters.permissions import may_write_on, side_of
from rating.encounters.services import display_name_of_side, encounter_for, require_active
from rating.errors import Conflict, Invalid, NotAllowed, NotFound
from rating.extensions import db
from rating.moderation.holds import hold, release, screen_fields
from rating.notifications.services import notify_side
from rating.reviews.models import Reply, Review, dimensions_of
from rating.scores import ledger

COMMENT_MAX = 2000
NOTE_MAX = 1000
REPLY_MAX = 1000


def verdict_field(side: str) -> str:
    """The yes/no question each side answers."""
    return "would_serve_again" if side == "business" else "recommend"


def _score(values: dict, name: str, problems: dict):
    value = values.get(name)
    if isinstance(value, bool) or value in (None, ""):
        problems[name] = _l("Choose from 1 to 5 stars.")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not 1 <= number <= 5:
        problems[name] = _l("Choose from 1 to 5 stars.")
        return None
    return number


def _yes_no(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    return {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(text)


def _text(values: dict, name: str, limit: int, problems: dict) -> str:
    value = values.get(name) or ""
    if not isinstance(value, str):
        problems[name] = _l("Must be text.")
        return ""
    value = value.strip()
    if len(value) > limit:
        problems[name] = _l("Use at most %(n)d characters.", n=limit)
    return value


def clean_review(side: str, values: dict) -> dict:
    """Check a review's fields for one side. Raises Invalid with every problem found."""
    problems: dict = {}
    clean = {name: _score(values, name, problems) for name in dimensions_of(side)}
    verdict = verdict_field(side)
    clean[verdict] = _yes_no(values.get(verdict))
    if clean[verdict] is None:
        problems[verdict] = _l("Answer yes or no.")
    clean["comment"] = _text(values, "comment", COMMENT_MAX, problems)
    clean["private_note"] = _text(values, "private_note", NOTE_MAX, problems)
    if problems:
        raise Invalid(fields=problems)
    return clean


_OWN_REVIEW = select(Review).where(  # built once
    Review.encounter_id == bindparam("encounter_id"), Review.side == bindparam("side")
)


def own_review(encounter: Encounter, side: str) -> Review | None:
    return db.session.scalar(_OWN_REVIEW, {"encounter_id": encounter.id, "side": side})


def _writable_encounter(actor: User, encounter_id: int) -> tuple[Encounter, str]:
    encounter = encounter_for(actor, encounter_id, lock=True)
    side = side_of(actor, encounter)
    require_active(actor)
    if encounter.status in ("contested", "voided"):
        raise Conflict(_l("This encounter is contested or voided: it cannot be reviewed."))
    if not may_write_on(side, encounter):
        raise NotAllowed(_l("Confirm the encounter before reviewing it."))
    return encounter, side


def submit_review(
    actor: User, encounter_id: int, values: dict, *, expect_new: bool | None = None
) -> tuple[Review, bool]:
    """Create or edit the actor's side's sealed review; returns (review, created).

    `expect_new=True` refuses to touch an existing review (a second review), False refuses
    to create one. When the other side's review is already in, both are revealed now.
    Raises NotFound, NotAllowed, Conflict (second review, revealed, window closed), Invalid.
    """
    encounter, side = _writable_encounter(actor, encounter_id)
    # A new review reads nothing first: the one-per-side constraint refuses a second one,
    # and the insert tells whether the other side's review is in.
    review = None if expect_new else own_review(encounter, side)
    if encounter.both_reviewed_at is not None or (review and encounter.is_revealed()):
        raise Conflict(_l("This review is revealed and locked: it can no longer change."))
    if not encounter.window_open():
        raise Conflict(_l("The review window for this encounter has closed."))
    if review is None and expect_new is False:
        raise NotFound(_l("There is no review to edit."))
    clean = clean_review(side, values)
    held = screen_fields(
        {"comment": (clean["comment"], True), "private_note": (clean["private_note"], False)}
    )
    now = clock.now()
    written = {**clean, "author_user_id": actor.id, "updated_at": now}
    created = review is None
    try:
        if created:
            visibility = "held" if held else "visible"
            written |= {"submitted_at": now, "visibility": visibility}
            review, theirs_is_in = _insert_review(encounter, side, written)
        else:
            _edit_review(review, written, held)
        if held:
            hold("review", review.id, held, actor.id)
        if created and theirs_is_in:
            _reveal(encounter, now)
        elif created:
            _tell_other_side(encounter, side)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not _is_second_review(error):
            raise
        raise Conflict(
            _l("Your side has already reviewed this encounter; edit that review.")
        ) from error
    return review, created


_REVIEWS = Review.__table__
_THEIRS = _REVIEWS.alias("theirs")
# The busiest write of the site: one Core INSERT, built once (it takes half the time of
# the unit of work writing the same object). Its answer says whether the other side's
# review is in: the statement starts after the encounter's lock was taken, so it cannot
# miss one committed by a submission that held the lock before.
_INSERT_REVIEW = insert(_REVIEWS).returning(
    _REVIEWS.c.id,
    exists().where(
        _THEIRS.c.encounter_id == bindparam("their_encounter"),
        _THEIRS.c.side == bindparam("their_side"),
    ),
)


def _insert_review(encounter: Encounter, side: str, values: dict) -> tuple[Review, bool]:
    values |= {
        "encounter_id": encounter.id,
        "business_id": encounter.business_id,
        "customer_id": encounter.customer_id,
        "side": side,
    }
    theirs = {"their_encounter": encounter.id, "their_side": encounter.other_side(side)}
    review_id, theirs_is_in = db.session.execute(_INSERT_REVIEW, values | theirs).one()
    review = as_loaded(Review, {"id": review_id, **values})  # the stored row
    db.session.add(review)
    pagecache.touch_rows(db.session, [review])
    return review, theirs_is_in


def _edit_review(review: Review, values: dict, held: list[str]) -> None:
    for name, value in values.items():
        setattr(review, name, value)
    if review.visibility == "held" and not held:
        release("review", review.id)
    if review.visibility != "hidden":
        review.visibility = "held" if held else "visible"


def _is_second_review(error: IntegrityError) -> bool:
    """The one-review-per-side constraint refused the row (PostgreSQL names the
    constraint, SQLite its columns); any other refusal is not the author's doing."""
    message = str(error.orig)
    return "uq_reviews_one_per_side" in message or "reviews.encounter_id, reviews.side" in message


_REVIEWS_OF = select(Review).where(Review.encounter_id == bindparam("encounter_id"))  # built once


def reviews_by_side(encounter: Encounter) -> dict[str, Review]:
    rows = db.session.scalars(_REVIEWS_OF, {"encounter_id": encounter.id})
    return {review.side: review for review in rows}


def _tell_other_side(encounter: Encounter, side: str) -> None:
    notify_side(
        encounter,
        encounter.other_side(side),
        "review_received",
        who=display_name_of_side(encounter, side),
        closes=encounter.closes_at.date().isoformat(),
    )


def _reveal(encounter: Encounter, now) -> None:
    """The second review is in: both are revealed now and enter the scores."""
    encounter.both_reviewed_at = now
    announce_reveal(encounter, now)
    ledger.refresh_encounter(encounter)


def announce_reveal(encounter: Encounter, now) -> None:
    """Tell both sides their reviews are revealed (once per encounter)."""
    if encounter.reveal_notified_at is not None:
        return
    for side in ("business", "customer"):
        notify_side(
            encounter,
            side,
            "reviews_revealed",
            dedupe=f"revealed:{encounter.id}",
            who=display_name_of_side(encounter, encounter.other_side(side)),
        )
    encounter.reveal_notified_at = now


def withdraw_review(actor: User, encounter_id: int) -> None:
    """Withdraw the actor's side's sealed review. Raises NotFound, NotAllowed, Conflict."""
    encounter = encounter_for(actor, encounter_id, lock=True)
    side = side_of(actor, encounter)
    review = own_review(encounter, side)
    if review is None:
        raise NotFound(_l("There is no review to withdraw."))
    if encounter.is_revealed():
        raise Conflict(_l("This review is revealed and locked: it can no longer change."))
    db.session.delete(review)
    db.session.commit()


@dataclass
class EncounterReviews:
    """What one side may see of an encounter's reviews."""

    side: str
    mine: Review | None
    theirs: Review | None  # only once revealed and visible
    their_state: str  # none, sealed, revealed


def review_state(review: Review | None, encounter: Encounter) -> str:
    if review is None:
        return "none"
    return "revealed" if encounter.is_revealed() else "sealed"


def reviews_for(actor: User, encounter: Encounter) -> EncounterReviews:
    side = side_of(actor, encounter)
    if side is None:
        raise NotFound()
    present = reviews_by_side(encounter)
    mine, their_review = present.get(side), present.get(encounter.other_side(side))
    state = review_state(their_review, encounter)
    theirs = their_review if state == "revealed" and their_review.visibility == "visible" else None
    return EncounterReviews(side, mine, theirs, state)


def _reviewed_side_review(actor: User, review_id: int) -> Review:
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound(_l("This review does not exist."))
    encounter = review.encounter
    side = side_of(actor, encounter)
    visible = encounter.is_revealed() and review.visibility == "visible"
    if not (visible or (side == review.side)):
        raise NotFound(_l("This review does not exist."))
    if side != encounter.other_side(review.side):
        raise NotAllowed(_l("Only the reviewed side can reply to a review."))
    if not visible:
        raise Conflict(_l("You can reply once the review is revealed."))
    require_active(actor)
    return review


def _clean_reply(text: str) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise Invalid("text", _l("Write your reply."))
    if len(text) > REPLY_MAX:
        raise Invalid("text", _l("Use at most %(n)d characters.", n=REPLY_MAX))
    return text


def reply_to_review(actor: User, review_id: int, text: str) -> Reply:
    """Publish the reviewed side's one reply. Raises NotFound, NotAllowed, Conflict, Invalid."""
    review = _reviewed_side_review(actor, review_id)
    text = _clean_reply(text)
    held = screen_fields({"text": (text, True)})
    if review.reply is not None:
        raise Conflict(_l("You have already replied to this review; edit your reply."))
    now = clock.now()
    reply = Reply(review=review, author_user_id=actor.id, text=text, created_at=now, updated_at=now)
    db.session.add(reply)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(_l("You have already replied to this review; edit your reply.")) from error
    if held:
        reply.visibility = "held"
        hold("reply", reply.id, held, actor.id)
    ledger.refresh_reply(review, was_counted_reply=False)
    encounter = review.encounter
    notify_side(
        encounter,
        review.side,
        "reply_received",
        who=display_name_of_side(encounter, encounter.other_side(review.side)),
    )
    db.session.commit()
    return reply


def edit_reply(actor: User, review_id: int, text: str) -> Reply:
    """Change the reviewed side's reply. Raises NotFound, NotAllowed, Conflict, Invalid."""
    review = _reviewed_side_review(actor, review_id)
    text = _clean_reply(text)
    if review.reply is None:
        raise NotFound(_l("There is no reply to edit."))
    held = screen_fields({"text": (text, True)})
    was_counted = review.reply.visibility == "visible"
    if review.reply.visibility == "held" and not held:
        release("reply", review.reply.id)
    if review.reply.visibility != "hidden":
        review.reply.visibility = "held" if held else "visible"
    if held:
        hold("reply", review.reply.id, held, actor.id)
    ledger.refresh_reply(review, was_counted_reply=was_counted)
    review.reply.text = text
    review.reply.updated_at = clock.now()
    db.session.commit()
    return review.reply

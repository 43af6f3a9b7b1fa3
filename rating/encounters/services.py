"""Encounters: invitations, records, confirmation and contest (PRODUCT.md section 2)."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter, Invitation
from rating.encounters.permissions import acting_side, can_answer_record, side_of
from rating.errors import Conflict, Invalid, NotAllowed, NotFound, TooMany
from rating.extensions import db
from rating.moderation.models import ModerationItem
from rating.notifications.services import notify_side
from rating.scores import ledger

REFERENCE_MAX = 80
REASON_MAX = 1000
OLDEST_RECORD_DAYS = 365


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["REVIEW_WINDOW_SECONDS"])


def display_name_of_side(encounter: Encounter, side: str) -> str:
    """How one side is named to the other."""
    if side == "business":
        return encounter.business.name
    return encounter.customer.display_name


def require_active(user) -> None:
    """Hook for sanctions: suspended or banned accounts cannot post (see moderation)."""
    from rating.moderation.sanctions import ensure_can_post

    ensure_can_post(user)


def _clean_reference(reference: str | None) -> str | None:
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise Invalid("reference", _l("Use at most %(n)d characters.", n=REFERENCE_MAX))
    return reference or None


def create_invitation(actor: User, reference: str | None = None) -> Invitation:
    """A single-use invitation code for the actor's business. Raises NotAllowed, Invalid."""
    if acting_side(actor) != "business":
        raise NotAllowed(_l("Only a business can invite customers."))
    require_active(actor)
    now = clock.now()
    invitation = Invitation(
        code=secrets.token_urlsafe(12),
        business_id=actor.business_id,
        created_by_user_id=actor.id,
        reference=_clean_reference(reference),
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_VALID_DAYS"]),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def find_invitation(code: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
    if invitation is None:
        raise NotFound(_l("This invitation code does not exist."))
    return invitation


def invitation_problem(invitation: Invitation) -> str | None:
    if invitation.redeemed_at is not None:
        return _l("This invitation has already been used.")
    if clock.now() >= invitation.expires_at:
        return _l("This invitation has expired. Ask the business for a new one.")
    return None


def redeem_invitation(actor: User, code: str) -> Encounter:
    """Turn an invitation into a confirmed encounter with the actor.

    Raises NotAllowed (not a customer), NotFound (unknown code), Conflict (used or expired).
    """
    if acting_side(actor) != "customer":
        raise NotAllowed(_l("Only a customer can redeem an invitation."))
    require_active(actor)
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.code == code).with_for_update()
    )
    if invitation is None:
        raise NotFound(_l("This invitation code does not exist."))
    problem = invitation_problem(invitation)
    if problem:
        raise Conflict(problem)
    now = clock.now()
    encounter = Encounter(
        business_id=invitation.business_id,
        customer_id=actor.id,
        status="confirmed",
        origin="invitation",
        recorded_by_side="business",
        recorded_by_user_id=invitation.created_by_user_id,
        occurred_on=now.date(),
        reference=invitation.reference,
        created_at=now,
        closes_at=now + _window(),
        confirmed_at=now,
    )
    invitation.redeemed_at = now
    invitation.encounter = encounter
    db.session.add(encounter)
    db.session.flush()
    notify_side(encounter, "business", "invitation_redeemed", who=actor.display_name)
    db.session.commit()
    return encounter


@dataclass
class RecordInput:
    with_handle: str
    occurred_on: date | None
    reference: str | None = None


def _other_party(side: str, handle: str) -> tuple[Business | None, User | None]:
    handle = (handle or "").strip().lower().lstrip("@")
    if side == "customer":
        business = db.session.scalar(select(Business).where(Business.handle == handle))
        if business is None:
            raise Invalid("with", _l("No business has this handle."))
        return business, None
    customer = db.session.scalar(select(User).where(User.handle == handle, User.kind == "customer"))
    if customer is None:
        raise Invalid("with", _l("No customer has this handle."))
    return None, customer


def recorded_today(actor: User) -> int:
    since = clock.now() - timedelta(days=1)
    return db.session.scalar(
        select(func.count(Encounter.id)).where(
            Encounter.recorded_by_user_id == actor.id,
            Encounter.origin == "record",
            Encounter.status == "unconfirmed",
            Encounter.created_at >= since,
        )
    )


def record_encounter(actor: User, data: RecordInput) -> Encounter:
    """Record an encounter with the other side by handle; it stays unconfirmed.

    Raises NotAllowed (admins), Invalid (bad handle, date or reference),
    TooMany (daily cap of unconfirmed records reached).
    """
    side = acting_side(actor)
    if side is None:
        raise NotAllowed(_l("Only customers and businesses record encounters."))
    require_active(actor)
    business, customer = _other_party(side, data.with_handle)
    today = clock.now().date()
    if data.occurred_on is None:
        raise Invalid("occurred_on", _l("Give the date of the encounter."))
    if data.occurred_on > today:
        raise Invalid("occurred_on", _l("The date cannot be in the future."))
    if data.occurred_on < today - timedelta(days=OLDEST_RECORD_DAYS):
        raise Invalid("occurred_on", _l("Encounters older than a year cannot be recorded."))
    reference = _clean_reference(data.reference)
    cap = current_app.config["UNCONFIRMED_RECORDS_PER_DAY"]
    if recorded_today(actor) >= cap:
        raise TooMany(
            _l(
                "You can record at most %(n)d unconfirmed encounters a day. Try again tomorrow.",
                n=cap,
            )
        )
    now = clock.now()
    encounter = Encounter(
        business_id=business.id if business else actor.business_id,
        customer_id=actor.id if side == "customer" else customer.id,
        status="unconfirmed",
        origin="record",
        recorded_by_side=side,
        recorded_by_user_id=actor.id,
        occurred_on=data.occurred_on,
        reference=reference,
        created_at=now,
        closes_at=now + _window(),
    )
    db.session.add(encounter)
    db.session.flush()
    other = encounter.other_side(side)
    notify_side(
        encounter,
        other,
        "encounter_recorded",
        who=display_name_of_side(encounter, side),
        date=data.occurred_on.isoformat(),
    )
    db.session.commit()
    return encounter


# Built once (every review, thanks and answer reads one): SQLAlchemy spends longer
# building a statement and its cache key than sending it.
_ENCOUNTER = select(Encounter).where(Encounter.id == bindparam("encounter_id"))
_LOCKED_ENCOUNTER = _ENCOUNTER.with_for_update()


def encounter_for(actor: User, encounter_id: int, *, lock: bool = False) -> Encounter:
    """The encounter if the actor is one of its sides; NotFound otherwise."""
    query = _LOCKED_ENCOUNTER if lock else _ENCOUNTER
    encounter = db.session.scalar(query, {"encounter_id": encounter_id})
    if encounter is None or side_of(actor, encounter) is None:
        raise NotFound(_l("This encounter does not exist."))
    return encounter


def _answerable(actor: User, encounter_id: int) -> Encounter:
    encounter = encounter_for(actor, encounter_id, lock=True)
    require_active(actor)
    if not can_answer_record(actor, encounter):
        if encounter.status != "unconfirmed":
            raise Conflict(_l("This encounter is no longer waiting for confirmation."))
        raise NotAllowed(_l("You recorded this encounter; the other side confirms it."))
    return encounter


def _tell_recorder(actor: User, encounter: Encounter, kind: str) -> None:
    """Notify the side that recorded the encounter of the other side's answer."""
    notify_side(
        encounter,
        encounter.recorded_by_side,
        kind,
        who=display_name_of_side(encounter, side_of(actor, encounter)),
        date=encounter.occurred_on.isoformat(),
    )


def confirm_encounter(actor: User, encounter_id: int) -> Encounter:
    """The other side confirms a recorded encounter. Raises NotFound, NotAllowed, Conflict."""
    encounter = _answerable(actor, encounter_id)
    encounter.status = "confirmed"
    encounter.confirmed_at = clock.now()
    ledger.refresh_encounter_and_thanks(encounter)
    _tell_recorder(actor, encounter, "encounter_confirmed")
    db.session.commit()
    return encounter


def contest_encounter(actor: User, encounter_id: int, reason: str) -> Encounter:
    """The other side says it never happened; a moderator decides.

    Raises NotFound, NotAllowed, Conflict, Invalid (reason missing or too long).
    """
    encounter = _answerable(actor, encounter_id)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", _l("Say briefly why this encounter did not happen."))
    if len(reason) > REASON_MAX:
        raise Invalid("reason", _l("Use at most %(n)d characters.", n=REASON_MAX))
    encounter.status = "contested"
    encounter.contested_at = clock.now()
    encounter.contest_reason = reason
    ledger.refresh_encounter_and_thanks(encounter)
    db.session.add(
        ModerationItem(
            kind="contested", target_type="encounter", target_id=encounter.id, reasons=reason[:200]
        )
    )
    _tell_recorder(actor, encounter, "encounter_contested")
    db.session.commit()
    return encounter


def invitations_of(business_id: int, limit: int = 20) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.business_id == business_id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(limit)
        )
    )

"""Who is which side of an encounter, and what each side may do."""

from rating.encounters.models import Encounter

OPEN_STATUSES = ("unconfirmed", "confirmed")


def acting_side(user) -> str | None:
    """The side a user acts for: 'customer', 'business' (owner or staff), or None."""
    if not (user and user.is_authenticated):
        return None
    if user.kind == "customer":
        return "customer"
    if user.kind == "business":
        return "business"
    return None


def side_of(user, encounter: Encounter) -> str | None:
    """Which side of this encounter the user is on, or None."""
    side = acting_side(user)
    if side == "customer" and encounter.customer_id == user.id:
        return side
    if side == "business" and encounter.business_id == user.business_id:
        return side
    return None


def can_view_encounter(user, encounter: Encounter) -> bool:
    return side_of(user, encounter) is not None


def can_answer_record(user, encounter: Encounter) -> bool:
    """The side that did not record an unconfirmed encounter confirms or contests it."""
    side = side_of(user, encounter)
    return (
        side is not None
        and encounter.status == "unconfirmed"
        and side != encounter.recorded_by_side
    )


def may_write_on(side: str | None, encounter: Encounter) -> bool:
    """Reviews and thanks: on a confirmed encounter, or an unconfirmed one you recorded."""
    if side is None or encounter.status not in OPEN_STATUSES:
        return False
    return encounter.status == "confirmed" or side == encounter.recorded_by_side


def can_review(user, encounter: Encounter) -> bool:
    return may_write_on(side_of(user, encounter), encounter) and encounter.window_open()

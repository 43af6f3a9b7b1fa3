"""Thanks: one short message per side per encounter, visible at once (PRODUCT.md section 4)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from rating.accounts.models import User
from rating.encounters.permissions import may_write_on, side_of
from rating.encounters.services import display_name_of_side, encounter_for, require_active
from rating.errors import Conflict, Invalid, NotAllowed
from rating.extensions import db
from rating.moderation.holds import hold, screen_fields
from rating.notifications.services import notify_side
from rating.scores import ledger
from rating.thanks.models import Thanks

MESSAGE_MAX = 280


def send_thanks(actor: User, encounter_id: int, message: str) -> Thanks:
    """Send the actor's side's thanks. Raises NotFound, NotAllowed, Conflict, Invalid."""
    encounter = encounter_for(actor, encounter_id, lock=True)
    side = side_of(actor, encounter)
    require_active(actor)
    if not may_write_on(side, encounter):
        if encounter.status in ("contested", "voided"):
            raise Conflict(_l("This encounter is contested or voided."))
        raise NotAllowed(_l("Confirm the encounter before sending thanks."))
    message = message.strip() if isinstance(message, str) else ""
    if not message:
        raise Invalid("message", _l("Write a few words of thanks."))
    if len(message) > MESSAGE_MAX:
        raise Invalid("message", _l("Use at most %(n)d characters.", n=MESSAGE_MAX))
    held = screen_fields({"message": (message, True)})
    if thanks_from(encounter.id, side) is not None:
        raise Conflict(_l("Your side has already thanked them for this encounter."))
    thanks = Thanks(
        encounter_id=encounter.id,
        business_id=encounter.business_id,
        customer_id=encounter.customer_id,
        side=side,
        author_user_id=actor.id,
        message=message,
    )
    thanks.visibility = "held" if held else "visible"
    db.session.add(thanks)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(_l("Your side has already thanked them for this encounter.")) from error
    if held:
        hold("thanks", thanks.id, held, actor.id)
    ledger.refresh_thanks(thanks)
    notify_side(
        encounter,
        encounter.other_side(side),
        "thanks_received",
        who=display_name_of_side(encounter, side),
    )
    db.session.commit()
    return thanks


def thanks_from(encounter_id: int, side: str) -> Thanks | None:
    return db.session.scalar(
        select(Thanks).where(Thanks.encounter_id == encounter_id, Thanks.side == side)
    )

"""Who may see a customer's etiquette page (PRODUCT.md section 6)."""

from sqlalchemy import select

from rating.encounters.models import Encounter
from rating.extensions import db


def can_view_customer(user, customer) -> bool:
    """The customer; members of a business sharing a non-voided encounter; or all if public."""
    if customer is None or customer.kind != "customer" or customer.email is None:
        return False
    if customer.profile_public:
        return True
    if not (user and user.is_authenticated):
        return False
    if user.id == customer.id:
        return True
    if user.kind == "business":
        shared = db.session.scalar(
            select(Encounter.id)
            .where(
                Encounter.customer_id == customer.id,
                Encounter.business_id == user.business_id,
                Encounter.status != "voided",
            )
            .limit(1)
        )
        return shared is not None
    return False

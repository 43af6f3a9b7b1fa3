"""Who may see a customer's etiquette page (PRODUCT.md section 6)."""

from sqlalchemy import exists, select

from rating.encounters.models import Encounter
from rating.extensions import db


def met_by_business(business_id: int, customer_id):
    """SQL: this business shares a non-voided encounter with the customer."""
    return exists().where(
        Encounter.customer_id == customer_id,
        Encounter.business_id == business_id,
        Encounter.status != "voided",
    )


def can_view_customer(user, customer, met: bool | None = None) -> bool:
    """The customer; members of a business sharing a non-voided encounter; or all if public.
    `met`, when the caller already asked `met_by_business` with the customer, saves a query."""
    if customer is None or customer.kind != "customer" or customer.email is None:
        return False
    if customer.profile_public:
        return True
    if not (user and user.is_authenticated):
        return False
    if user.id == customer.id:
        return True
    if user.kind == "business":
        if met is None:
            met = db.session.scalar(select(met_by_business(user.business_id, customer.id)))
        return bool(met)
    return False


def is_own_page(viewer, handle: str) -> bool:
    return bool(viewer.is_authenticated and viewer.kind == "customer" and viewer.handle == handle)


def customer_page_audience(viewer) -> int | None:
    """Viewers who see the same customer pages (the customer aside): a business's members
    (its id), or everyone else (None), who see public pages only."""
    if viewer.is_authenticated and viewer.kind == "business":
        return viewer.business_id
    return None

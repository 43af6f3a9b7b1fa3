"""The world the access matrices run in: one account of each role, and what they act on.

Built by the services, as a user would build it. Several worlds may live side by side in
one database (emails and handles never repeat), so a test can take a fresh one whenever
an earlier request may have changed the one it had.
"""

from rating.accounts.models import User
from rating.encounters.services import create_invitation
from rating.extensions import db
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.models import ModerationItem
from rating.notifications.models import Notification
from rating.privacy.services import delete_account
from rating.thanks.services import send_thanks
from rating.tokens.services import create_token
from tests import builders

# "suspended" and "deleted" are the world's customer: suspended by an admin (signs in and
# reads, may not post, rate, flag or record), or signed in and then deleting their account
# (the session or token they hold must then be worth nothing).
ROLES = (
    "anonymous",
    "customer",
    "stranger",
    "owner",
    "staff",
    "other_business",
    "admin",
    "suspended",
    "deleted",
)
ACCOUNT_OF = {"suspended": "customer", "deleted": "customer"}
SUSPENSION_DAYS = 7


def build_world(app, *, tokens: bool = False, hidden_thanks: bool = False) -> dict:
    """A world: the accounts of ROLES and encounters in each state the routes need.

    `tokens` adds an API token per account; `hidden_thanks` adds the customer's thanks,
    flagged and hidden by the admin (a queue item and an action the customer may appeal).
    """
    with app.app_context():
        owner = builders.make_business()
        staff = builders.make_staff(owner)
        customer = builders.make_customer()
        users = {
            "customer": customer,
            "stranger": builders.make_customer(),
            "owner": owner,
            "staff": staff,
            "other_business": builders.make_business(),
            "admin": builders.make_admin(),
        }
        revealed = builders.make_encounter(owner, customer)
        customer_review = builders.make_review(revealed, customer)
        business_review = builders.make_review(revealed, staff)
        sealed = builders.make_encounter(owner, customer)
        sealed_review = builders.make_review(sealed, customer, comment="Secret until reveal.")
        unconfirmed = builders.make_encounter(owner, customer, status="unconfirmed")
        fresh = builders.make_encounter(owner, customer)
        contested = builders.make_encounter(owner, customer, status="contested")
        world = {
            "emails": {role: user.email for role, user in users.items()},
            "handles": {role: user.handle for role, user in users.items()},
            "user_ids": {role: user.id for role, user in users.items()},
            "business_handle": owner.business.handle,
            "revealed": revealed.id,
            "customer_review": customer_review.id,
            "business_review": business_review.id,
            "sealed": sealed.id,
            "sealed_review": sealed_review.id,
            "unconfirmed": unconfirmed.id,
            "fresh": fresh.id,
            "contested": contested.id,
            "contested_item": _item_about("contested", "encounter", contested.id),
            "code": create_invitation(owner).code,
            "suspended": False,
        }
        if hidden_thanks:
            thanks = send_thanks(customer, revealed.id, "Gracias")
            flag_item(users["stranger"], FlagInput("thanks", thanks.id, "spam"))
            world["item"] = _item_about("flagged", "thanks", thanks.id)
            world["action"] = actions.act(users["admin"], world["item"], "hide", "Spam").id
        if tokens:
            world["tokens"] = {role: create_token(user)[1] for role, user in users.items()}
        world["notification"] = db.session.scalar(
            db.select(Notification.id).where(Notification.user_id == customer.id).limit(1)
        )
        return world


def _item_about(kind: str, target_type: str, target_id: int) -> int:
    return db.session.scalar(
        db.select(ModerationItem.id).where(
            ModerationItem.kind == kind,
            ModerationItem.target_type == target_type,
            ModerationItem.target_id == target_id,
        )
    )


def suspend_customer(app, world: dict) -> None:
    """The stranger flags the customer's review; the admin suspends its author for a week."""
    with app.app_context():
        stranger, admin = (
            db.session.get(User, world["user_ids"][role]) for role in ("stranger", "admin")
        )
        review = world["customer_review"]
        flag_item(stranger, FlagInput("review", review, "abusive"))
        item = _item_about("flagged", "review", review)
        actions.act(admin, item, "suspend", "Insults in a review.", days=SUSPENSION_DAYS)
        world["suspended"] = True


def delete_customer(app, world: dict) -> None:
    """The customer deletes their account (with their password), as on the data page."""
    with app.app_context():
        delete_account(db.session.get(User, world["user_ids"]["customer"]), builders.PASSWORD)

"""Demo data for the moderation queue and fuller profiles (run after the demo encounters)."""

from sqlalchemy import func, select

from rating.accounts import services as accounts
from rating.accounts.models import User
from rating.extensions import db
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.models import ModerationItem
from rating.seed.demo import DEMO_PASSWORD
from rating.seed.demo_encounters import _business_review, _customer_review, _invited, days_ago
from rating.thanks.services import send_thanks

REGULARS = [
    ("Diego M.", "diego-m"),
    ("Kari L.", "kari-l"),
    ("Sofía P.", "sofia-p"),
    ("Marcus T.", "marcus-t"),
]


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _regular(name: str, handle: str) -> User:
    existing = db.session.scalar(select(User).where(User.handle == handle))
    if existing:
        return existing
    return accounts.register(
        accounts.Registration("customer", f"{handle}@example.com", DEMO_PASSWORD, name, handle)
    )


def seed_demo_moderation() -> bool:
    """Fuller profiles, a held review, a flagged thanks and an appeal; once."""
    if db.session.scalar(
        select(func.count(ModerationItem.id)).where(ModerationItem.kind != "contested")
    ):
        return False
    aurora = _user("owner@cafe-aurora.example.com")
    fjord = _user("owner@fjord-bikes.example.com")
    telered = _user("owner@telered.example.com")
    admin = _user("admin@example.com")
    regulars = [_regular(*r) for r in REGULARS]
    comments = [
        "Great coffee and a warm welcome.",
        "They fixed my order without fuss.",
        "Good, a bit slow at lunchtime.",
        "Always kind, even on busy days.",
    ]
    for n, customer in enumerate(regulars):
        with days_ago(40 - n * 8):
            encounter = _invited(aurora, customer, f"Table {n + 10}")
            _customer_review(
                customer, encounter, 5 - n % 2, 4, 5, 5, 4 + n % 2, n != 2, comments[n]
            )
            _business_review(aurora, encounter, 5, 4, 5, 4 - n % 2, True, "")
        with days_ago(30 - n * 6):
            bikes = _invited(fjord, customer, f"Rental {n + 80}")
            _customer_review(customer, bikes, 4, 4 + n % 2, 3 + n % 3, 5, 4, True, "")
            _business_review(fjord, bikes, 4, 5, 5, 4, n != 3, "")

    # A held review: accepted, invisible until a moderator approves it.
    held = _invited(telered, regulars[0], "Ticket 6001")
    _customer_review(
        regulars[0],
        held,
        1,
        1,
        2,
        1,
        2,
        False,
        "The technician was an idiot and left the cable on the floor.",
    )
    # A thanks flagged as spam by a customer.
    install = _invited(telered, regulars[1], "Ticket 6002")
    thanks = send_thanks(regulars[1], install.id, "Thanks for the quick fibre install.")
    flag_item(
        regulars[2], FlagInput("business", telered.business_id, "other", "Their ads are everywhere")
    )
    flag_item(regulars[3], FlagInput("thanks", thanks.id, "spam", "Looks like an advert"))
    # A decision and its appeal.
    hidden_thanks = send_thanks(
        regulars[2],
        _invited(fjord, regulars[2], "Rental 99").id,
        "Best bikes in Oslo, ask for Ingrid!",
    )
    flag_item(regulars[3], FlagInput("thanks", hidden_thanks.id, "personal_data"))
    item = db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.target_type == "thanks", ModerationItem.target_id == hidden_thanks.id
        )
    )
    decision = actions.act(admin, item.id, "hide", "Names a staff member: personal data.")
    actions.appeal(regulars[2], decision.id, "Ingrid asked me to mention her by name.")
    return True

"""Demo encounters in every state, made through the same services users go through."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import func, select

from rating import clock
from rating.accounts.models import User
from rating.encounters import services as encounters
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews import services as reviews
from rating.thanks.services import send_thanks


@contextmanager
def days_ago(days: int):
    """Act as if it were `days` days ago (the one clock moves back, then forward again)."""
    clock.travel(-timedelta(days=days))
    try:
        yield
    finally:
        clock.travel(timedelta(days=days))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _review(user, encounter, **values):
    reviews.submit_review(user, encounter.id, values)


def _customer_review(user, encounter, a, p, k, r, h, recommend, comment):
    _review(
        user,
        encounter,
        attention=a,
        proactivity=p,
        promises_kept=k,
        respect=r,
        honesty=h,
        recommend=recommend,
        comment=comment,
    )


def _business_review(user, encounter, pa, c, r, pr, again, comment, note=""):
    _review(
        user,
        encounter,
        patience=pa,
        clarity=c,
        respect=r,
        problem_reporting=pr,
        would_serve_again=again,
        comment=comment,
        private_note=note,
    )


def _invited(owner, customer, reference=None):
    code = encounters.create_invitation(owner, reference).code
    return encounters.redeem_invitation(customer, code)


def seed_demo_encounters() -> int:
    """Create the demo encounters once; returns how many were created (0 if present)."""
    if db.session.scalar(select(func.count(Encounter.id))):
        return 0
    ana, bjorn, carmen = (_user(f"{n}@example.com") for n in ("ana", "bjorn", "carmen"))
    aurora = _user("owner@cafe-aurora.example.com")
    pablo = _user("staff@cafe-aurora.example.com")
    fjord = _user("owner@fjord-bikes.example.com")
    telered = _user("owner@telered.example.com")

    with days_ago(20):  # revealed, with a reply and thanks both ways
        revealed = _invited(aurora, ana, "Table 4")
        _customer_review(
            ana,
            revealed,
            5,
            4,
            5,
            5,
            5,
            True,
            "Warm welcome, and they brought the cake we had asked about.",
        )
        _business_review(
            pablo,
            revealed,
            5,
            5,
            5,
            4,
            True,
            "Patient and clear; told us kindly the coffee had gone cold.",
            "Thank you for telling us about the coffee machine!",
        )
    reply_to = reviews.reviews_for(aurora, revealed).theirs
    reviews.reply_to_review(aurora, reply_to.id, "Thank you, Ana! See you soon.")
    send_thanks(ana, revealed.id, "¡Gracias por el trato tan amable!")
    send_thanks(pablo, revealed.id, "Thanks for your patience on a busy morning.")

    with days_ago(16):  # the window closed with one review only
        closed = _invited(aurora, carmen)
        _customer_review(
            carmen,
            closed,
            3,
            2,
            3,
            4,
            4,
            False,
            "Good coffee, but we waited a long time for the bill.",
        )

    with days_ago(4):  # sealed on one side
        sealed = _invited(fjord, bjorn, "Repair 1182")
        _customer_review(
            bjorn, sealed, 4, 5, 4, 5, 5, True, "They called me when the spare part arrived."
        )

    with days_ago(9):  # revealed, both sides
        bikes = _invited(fjord, ana, "Rental 77")
        _customer_review(ana, bikes, 4, 3, 4, 5, 4, True, "Good bikes, clear instructions.")
        _business_review(fjord, bikes, 4, 4, 5, 5, True, "Returned the bike on time.")
    send_thanks(fjord, bikes.id, "Takk for at du meldte fra om bremsen!")

    _invited(aurora, bjorn)  # confirmed, nobody has reviewed yet
    today = clock.now().date()
    unconfirmed = encounters.record_encounter(
        carmen, encounters.RecordInput("telered", today - timedelta(days=1), "Ticket 5531")
    )
    _customer_review(
        carmen,
        unconfirmed,
        2,
        2,
        3,
        4,
        3,
        False,
        "The technician came, but nobody followed up on the fault afterwards.",
    )
    contested = encounters.record_encounter(
        telered, encounters.RecordInput("ana-g", today - timedelta(days=2), "Ticket 5540")
    )
    encounters.contest_encounter(ana, contested.id, "I have never been a TeleRed customer.")
    encounters.create_invitation(aurora, "Walk-in")  # an open invitation to try
    return db.session.scalar(select(func.count(Encounter.id)))

"""A small believable data set; running it twice changes nothing."""

from dataclasses import dataclass

from sqlalchemy import select

from rating import clock
from rating.accounts import services
from rating.accounts.models import User
from rating.extensions import db

DEMO_PASSWORD = "reciproca-demo"


@dataclass(frozen=True)
class DemoAccount:
    kind: str
    email: str
    display_name: str
    handle: str
    business: services.BusinessDetails | None = None
    staff_of: str | None = None


ACCOUNTS = [
    DemoAccount("admin", "admin@example.com", "Moderation team", "moderation"),
    DemoAccount("customer", "ana@example.com", "Ana G.", "ana-g"),
    DemoAccount("customer", "bjorn@example.com", "Bjørn H.", "bjorn-h"),
    DemoAccount("customer", "carmen@example.com", "Carmen R.", "carmen-r"),
    DemoAccount(
        "business",
        "owner@cafe-aurora.example.com",
        "Lucía (Café Aurora)",
        "cafe-aurora",
        services.BusinessDetails(
            "Café Aurora", "food", "Madrid", "Neighbourhood café with breakfasts and cakes."
        ),
    ),
    DemoAccount(
        "business",
        "staff@cafe-aurora.example.com",
        "Pablo (Café Aurora)",
        "pablo-aurora",
        staff_of="owner@cafe-aurora.example.com",
    ),
    DemoAccount(
        "business",
        "owner@fjord-bikes.example.com",
        "Ingrid (Fjord Bikes)",
        "fjord-bikes",
        services.BusinessDetails(
            "Fjord Bikes", "repairs", "Oslo", "Bicycle repairs and rentals by the harbour."
        ),
    ),
    DemoAccount(
        "business",
        "owner@telered.example.com",
        "Marta (TeleRed)",
        "telered",
        services.BusinessDetails(
            "TeleRed", "telecom", "Valencia", "Fibre and mobile plans, with a local help desk."
        ),
    ),
]


def _existing(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _create(account: DemoAccount) -> User:
    if account.kind == "admin":
        return services.create_admin(
            account.email, DEMO_PASSWORD, account.display_name, account.handle
        )
    if account.staff_of:
        owner = _existing(account.staff_of)
        return services.add_staff(
            owner, account.email, DEMO_PASSWORD, account.display_name, account.handle
        )
    return services.register(
        services.Registration(
            account.kind,
            account.email,
            DEMO_PASSWORD,
            account.display_name,
            account.handle,
            account.business,
        )
    )


def seed_demo() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; returns each with whether it was new.

    Demo emails are marked verified, so the demo works where verification is required.
    """
    results = []
    for account in ACCOUNTS:
        created = _existing(account.email) is None
        if created:
            user = _create(account)
            user.email_verified_at = clock.now()
            db.session.commit()
        results.append((account, created))
    return results

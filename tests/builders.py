"""Builders for test data, with sensible defaults. Call inside an app context."""

import itertools

from rating.accounts import services

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_customer(**overrides):
    n = _next()
    data = {
        "kind": "customer",
        "email": f"customer{n}@example.com",
        "password": PASSWORD,
        "display_name": f"Customer {n}",
        "handle": f"customer-{n}",
    }
    data.update(overrides)
    return services.register(services.Registration(**data))


def make_business(**overrides):
    """A business; returns its owner account (the business is `.business`)."""
    n = _next()
    details = overrides.pop("business", None) or services.BusinessDetails(
        name=f"Business {n}", category="food", city="Madrid", description="A test business."
    )
    data = {
        "kind": "business",
        "email": f"owner{n}@example.com",
        "password": PASSWORD,
        "display_name": f"Owner {n}",
        "handle": f"business-{n}",
        "business": details,
    }
    data.update(overrides)
    return services.register(services.Registration(**data))


def make_staff(owner, **overrides):
    n = _next()
    data = {
        "email": f"staff{n}@example.com",
        "password": PASSWORD,
        "display_name": f"Staff {n}",
        "handle": f"staff-{n}",
    }
    data.update(overrides)
    return services.add_staff(owner, **data)


def make_admin(**overrides):
    n = _next()
    data = {
        "email": f"admin{n}@example.com",
        "password": PASSWORD,
        "display_name": f"Admin {n}",
        "handle": f"admin-{n}",
    }
    data.update(overrides)
    return services.create_admin(**data)


BUSINESS_SCORES = {
    "patience": 4,
    "clarity": 4,
    "respect": 5,
    "problem_reporting": 3,
    "would_serve_again": True,
}
CUSTOMER_SCORES = {
    "attention": 5,
    "proactivity": 4,
    "promises_kept": 4,
    "respect": 5,
    "honesty": 5,
    "recommend": True,
}


def make_encounter(owner, customer, status="confirmed", recorded_by="business"):
    """An encounter between an owner's business and a customer, in the given status."""
    from rating import clock
    from rating.encounters import services as encounters
    from rating.extensions import db

    if status == "confirmed" and recorded_by == "business":
        invitation = encounters.create_invitation(owner)
        return encounters.redeem_invitation(customer, invitation.code)
    actor, other = (owner, customer) if recorded_by == "business" else (customer, owner)
    handle = customer.handle if recorded_by == "business" else owner.business.handle
    encounter = encounters.record_encounter(
        actor, encounters.RecordInput(handle, clock.now().date(), "ref-1")
    )
    if status == "confirmed":
        encounters.confirm_encounter(other, encounter.id)
    elif status == "contested":
        encounters.contest_encounter(other, encounter.id, "We never met.")
    elif status == "voided":
        encounter.status = "voided"
        db.session.commit()
    return encounter


def make_review(encounter, author, **values):
    """A review by `author` (customer, owner or staff) with default scores for their side."""
    from rating.reviews import services as reviews

    side = "customer" if author.kind == "customer" else "business"
    data = {**(CUSTOMER_SCORES if side == "customer" else BUSINESS_SCORES), **values}
    review, _ = reviews.submit_review(author, encounter.id, data)
    return review

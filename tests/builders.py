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

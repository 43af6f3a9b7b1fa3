import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.businesses.models import Business
from rating.extensions import db

GOOD_CUSTOMER = {
    "kind": "customer",
    "display_name": "Ana G.",
    "handle": "ana-g",
    "email": "ana@example.com",
    "password": "a long sentence here",
}
GOOD_BUSINESS = {
    **GOOD_CUSTOMER,
    "kind": "business",
    "display_name": "Lucía",
    "handle": "cafe-aurora",
    "email": "owner@aurora.example.com",
    "business_name": "Café Aurora",
    "category": "food",
    "city": "Madrid",
    "description": "Breakfasts.",
}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_customer_registers_and_is_signed_in(client, app):
    response = client.post("/register", data=GOOD_CUSTOMER, follow_redirects=True)
    assert response.status_code == 200
    assert "Welcome to Reciproca, Ana G.!" in response.get_data(as_text=True)
    assert "Signed in as Ana G. (@ana-g)" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.kind == "customer"
        assert user.password_hash.startswith("$argon2id$")


def test_business_registers_with_its_owner_account(client, app):
    response = client.post("/register", data=GOOD_BUSINESS)
    assert response.status_code == 302
    with app.app_context():
        business = db.session.scalar(select(Business))
        owner = db.session.scalar(select(User))
        assert (business.name, business.city, business.handle) == (
            "Café Aurora",
            "Madrid",
            "cafe-aurora",
        )
        assert owner.business_id == business.id and owner.business_role == "owner"


def test_email_is_stored_lowercase_and_handle_normalised(client, app):
    data = {**GOOD_CUSTOMER, "email": " Ana@Example.COM ", "handle": "Ana-G"}
    assert client.post("/register", data=data).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.handle) == ("ana@example.com", "ana-g")


BAD_INPUTS = [
    (
        "duplicate email in another case",
        {"email": "ANA@example.com", "handle": "other"},
        "email",
        "An account with this email already exists.",
    ),
    ("short password", {"password": "short"}, "password", "Use at least 10 characters."),
    ("common password", {"password": "1234567890"}, "password", "This password is too common"),
    ("common password in capitals", {"password": "QWERTYUIOP"}, "password", "too common"),
    ("handle with a space", {"handle": "ana g"}, "handle", "Use 3 to 30 characters"),
    ("handle too short", {"handle": "ab"}, "handle", "Use 3 to 30 characters"),
    ("handle with accents", {"handle": "bjørn"}, "handle", "Use 3 to 30 characters"),
    (
        "handle taken",
        {"handle": "taken-one", "email": "x@example.com"},
        "handle",
        "This handle is taken",
    ),
    ("overlong name", {"display_name": "x" * 81}, "display_name", "Use at most 80 characters."),
    ("overlong email", {"email": "a" * 250 + "@example.com"}, "email", "Use at most 254"),
    ("invalid email", {"email": "not-an-email"}, "email", "Enter a valid email address."),
    ("missing name", {"display_name": ""}, "display_name", "This field is required."),
    ("unknown kind", {"kind": "admin"}, "kind", "Not a valid choice"),
]


@pytest.mark.parametrize(
    ("label", "changes", "field", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_registration_is_refused_next_to_the_field(
    client, app, make_customer, label, changes, field, message
):
    make_customer(email="ana@example.com", handle="taken-one")
    before = count(app, User)
    data = {**GOOD_CUSTOMER, "handle": "new-handle", **changes}
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert message in page
    # The input is kept (except the password, which browsers never refill).
    if field not in ("password", "kind") and data[field]:
        assert f'value="{data[field]}"' in page
    assert count(app, User) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"business_name": ""}, "business_name", "This field is required."),
        ({"city": ""}, "city", "This field is required."),
        ({"category": "weapons"}, "category", "Choose a category."),
        ({"description": "d" * 2001}, "description", "Use at most 2000 characters."),
        ({"business_name": "n" * 121}, "business_name", "Use at most 120 characters."),
    ],
)
def test_bad_business_registration_stores_nothing(client, app, changes, field, message):
    response = client.post("/register", data={**GOOD_BUSINESS, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert count(app, User) == 0 and count(app, Business) == 0


def test_business_handle_cannot_reuse_a_customer_handle(client, app, make_customer):
    make_customer(handle="cafe-aurora")
    response = client.post("/register", data=GOOD_BUSINESS)
    assert response.status_code == 422
    assert "This handle is taken" in response.get_data(as_text=True)
    assert count(app, Business) == 0


def test_database_refuses_a_second_email_even_past_the_service(app, make_customer):
    from sqlalchemy.exc import IntegrityError

    make_customer(email="ana@example.com")
    with app.app_context():
        db.session.add(User(kind="customer", email="ana@example.com", display_name="X"))
        with pytest.raises(IntegrityError):
            db.session.commit()

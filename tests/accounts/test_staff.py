from sqlalchemy import select

from rating.accounts.models import User
from rating.extensions import db

NEW_STAFF = {
    "display_name": "Pablo",
    "handle": "pablo",
    "email": "pablo@example.com",
    "password": "a long staff secret",
}


def test_owner_adds_a_staff_member_who_can_sign_in(client, auth, app, make_business):
    owner = make_business()
    auth.login(owner)
    response = client.post("/business/staff", data=NEW_STAFF, follow_redirects=True)
    assert "Pablo can now act for your business." in response.get_data(as_text=True)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.handle == "pablo"))
        assert (staff.kind, staff.business_id, staff.business_role) == (
            "business",
            owner.business_id,
            "staff",
        )
    auth.logout()
    assert auth.login("pablo@example.com", "a long staff secret").status_code == 302


def test_staff_form_refuses_bad_input(client, auth, app, make_business):
    owner = make_business()
    auth.login(owner)
    response = client.post("/business/staff", data={**NEW_STAFF, "email": owner.email})
    assert response.status_code == 422
    assert "An account with this email already exists." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.handle == "pablo")) is None


def test_staff_cannot_add_staff(client, auth, make_business, make_staff):
    owner = make_business()
    staff = make_staff(owner)
    auth.login(staff)
    assert client.get("/business/staff").status_code == 403
    assert client.post("/business/staff", data=NEW_STAFF).status_code == 403


def test_database_allows_one_owner_per_business(app, make_business):
    import pytest
    from sqlalchemy.exc import IntegrityError

    owner = make_business()
    with app.app_context():
        db.session.add(
            User(
                kind="business",
                business_id=owner.business_id,
                business_role="owner",
                email="second@example.com",
                display_name="Second owner",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()

from sqlalchemy import func, select

from rating.accounts.models import User
from rating.extensions import db
from rating.seed.demo import ACCOUNTS, DEMO_PASSWORD


def test_users_create_admin(runner, app, auth):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--kind",
            "admin",
            "--email",
            "Mod@Example.com",
            "--password",
            "a long admin secret",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created admin mod@example.com" in result.output
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "mod@example.com"))
        assert admin.kind == "admin"
    assert auth.login("mod@example.com", "a long admin secret").status_code == 302


def test_users_create_business_needs_a_city(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--kind",
            "business",
            "--email",
            "b@example.com",
            "--password",
            "a long owner secret",
            "--business-name",
            "Bikes",
        ]
    )
    assert result.exit_code == 1
    assert "business.city: This field is required." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_users_create_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--kind",
            "admin",
            "--email",
            "a@example.com",
            "--password",
            "short",
        ]
    )
    assert result.exit_code == 1
    assert "password: Use at least 10 characters." in result.output


def test_seed_demo_is_idempotent_and_every_account_signs_in(runner, app, client, auth):
    first = runner.invoke(args=["seed", "demo"])
    second = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == second.exit_code == 0
    assert DEMO_PASSWORD in first.output
    with app.app_context():
        from rating.seed.demo_moderation import REGULARS

        assert db.session.scalar(select(func.count()).select_from(User)) == len(ACCOUNTS) + len(
            REGULARS
        )
    for account in ACCOUNTS:
        assert account.email in first.output
        assert auth.login(account.email, DEMO_PASSWORD).status_code == 302
        auth.logout()

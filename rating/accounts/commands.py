import click
from flask.cli import AppGroup

from rating.accounts import services
from rating.errors import Invalid

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--kind", type=click.Choice(["admin", "customer", "business"]), required=True)
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--display-name", default=None, help="Public name (default: from the email).")
@click.option("--handle", default=None, help="Handle (default: from the email).")
@click.option("--business-name", default=None)
@click.option("--category", default="other")
@click.option("--city", default=None)
def create_user(kind, email, password, display_name, handle, business_name, category, city):
    """Create an account; admins can only be created here."""
    local = email.split("@")[0].lower()
    handle = handle or "".join(c if c.isalnum() else "-" for c in local)[:30]
    display_name = display_name or local
    try:
        if kind == "admin":
            user = services.create_admin(email, password, display_name, handle)
        else:
            details = services.BusinessDetails(business_name or "", category, city or "")
            user = services.register(
                services.Registration(kind, email, password, display_name, handle, details)
            )
    except Invalid as error:
        for field, message in error.fields.items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from error
    click.echo(f"Created {user.kind} {user.email} (@{user.handle}).")

import click
from flask.cli import AppGroup

from rating.seed.demo import DEMO_PASSWORD, seed_demo
from rating.seed.demo_encounters import seed_demo_encounters

seed_cli = AppGroup("seed", help="Load data sets.")


@seed_cli.command("demo")
def demo():
    """Load the demo data set (safe to run again)."""
    for account, created in seed_demo():
        state = "created" if created else "exists "
        role = "staff" if account.staff_of else account.kind
        click.echo(f"  {state}  {role:<9} {account.email:<34} @{account.handle}")
    created = seed_demo_encounters()
    click.echo(f"  {created} demo encounters created" if created else "  demo encounters exist")
    click.echo(f"Every demo account signs in with the password: {DEMO_PASSWORD}")

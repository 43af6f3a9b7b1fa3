import time

import click
from flask.cli import AppGroup

from rating.seed import scale as scale_set
from rating.seed.demo import DEMO_PASSWORD, seed_demo
from rating.seed.demo_encounters import seed_demo_encounters
from rating.seed.demo_moderation import seed_demo_moderation

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
    moderation = seed_demo_moderation()
    click.echo("  demo moderation queue filled" if moderation else "  demo moderation queue exists")
    click.echo(f"Every demo account signs in with the password: {DEMO_PASSWORD}")


@seed_cli.command("scale")
@click.option("--businesses", default=scale_set.ScaleSpec.businesses, show_default=True)
@click.option("--customers", default=scale_set.ScaleSpec.customers, show_default=True)
@click.option("--encounters", default=scale_set.ScaleSpec.encounters, show_default=True)
@click.option(
    "--seed", default=scale_set.ScaleSpec.seed, show_default=True, help="Same seed, same data."
)
def scale(businesses, customers, encounters, seed):
    """Load a large synthetic data set (for benchmarks); once per database."""
    spec = scale_set.ScaleSpec(businesses, customers, encounters, seed)
    if spec.problems():
        raise click.UsageError("; ".join(spec.problems()))
    started = time.perf_counter()
    rows = [0]

    def rate(_item) -> str:
        return f"{rows[0] / max(time.perf_counter() - started, 1e-3):,.0f} rows/s"

    total = businesses + customers + encounters
    with click.progressbar(
        length=total, label="Seeding", show_eta=True, show_pos=True, item_show_func=rate
    ) as bar:

        def progress(done: int, written: int) -> None:
            rows[0] = written
            bar.update(done)

        try:
            report = scale_set.generate(spec, progress=progress)
        except scale_set.AlreadySeeded as error:
            raise click.ClickException(str(error)) from error
    click.echo(
        f"  {report.total_rows:,} rows in {report.seconds:.1f} s "
        f"({report.total_rows / report.seconds:,.0f} rows/s):"
    )
    for table, count in report.rows.items():
        click.echo(f"    {table:<11} {count:>10,}")
    click.echo("  " + ", ".join(f"{name} {secs:.1f} s" for name, secs in report.phases.items()))
    aggregates = scale_set.rebuild_aggregates()
    click.echo(f"  aggregates: {aggregates}")
    if aggregates.startswith("rebuilt"):
        click.echo(f"  vacuum: {scale_set.vacuum()}")
    elapsed = time.perf_counter() - started
    click.echo(f"  total {elapsed:.1f} s ({report.total_rows / elapsed:,.0f} rows/s)")
    click.echo(f"Every scale account signs in with the password: {scale_set.SCALE_PASSWORD}")
    for email, what in scale_set.known_accounts(report):
        click.echo(f"  {email:<28} {what}")

import click

from rating.reviews.reveal import reveal_due


@click.command("reveal-due")
def reveal_due_command():
    """Send due reveal notifications and reminders (safe to run from cron at any interval)."""
    report = reveal_due()
    click.echo(f"Reveal notices for {report.revealed} encounters; {report.reminders} reminders.")

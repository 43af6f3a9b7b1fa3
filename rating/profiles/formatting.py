"""Numbers as people read them, in their language."""

from datetime import timedelta

from flask_babel import format_decimal, format_percent, format_timedelta
from flask_babel import gettext as _


def percent(value: float | None) -> str:
    return "—" if value is None else format_percent(value, format="#,##0%")


def score(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, format="0.0")


def within(hours: int | None) -> str:
    """The median time to review, as 'within 2 days'."""
    if hours is None:
        return "—"
    return _("within %(time)s", time=format_timedelta(timedelta(hours=hours), threshold=1.5))

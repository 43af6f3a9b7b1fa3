"""Words for encounter states, shown to people."""

from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l

from rating import clock

STATUS = {
    "unconfirmed": _l("unconfirmed"),
    "confirmed": _l("confirmed"),
    "contested": _l("contested"),
    "voided": _l("voided"),
}
REVIEW_STATE = {
    "none": _l("not written"),
    "sealed": _l("sealed"),
    "revealed": _l("revealed"),
}


def status_label(status: str) -> str:
    return str(STATUS.get(status, status))


def review_state_label(state: str) -> str:
    return str(REVIEW_STATE.get(state, state))


def time_left(deadline) -> str:
    """'3 days' until the deadline, or '' when it has passed."""
    remaining = deadline - clock.now()
    if remaining.total_seconds() <= 0:
        return ""
    return format_timedelta(remaining, threshold=1.5)

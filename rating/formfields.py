"""Validators with the house messages, translated."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length

REQUIRED = _l("This field is required.")


def required(message=REQUIRED) -> DataRequired:
    return DataRequired(message)


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))

"""Validators with the house messages, translated."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

REQUIRED = _l("This field is required.")
NOT_UNICODE = _l("Must be text without NUL characters.")

# The largest id an integer column holds on every database (PostgreSQL's `integer`), and
# the deepest page a list serves: beyond, the database fails with an overflow.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def is_storable(value: str) -> bool:
    """Text a database can store: no NUL (PostgreSQL refuses it) and no lone surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: no database can store them
        return False
    return True


def required(message=REQUIRED) -> DataRequired:
    return DataRequired(message)


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


class WholeNumberRange(NumberRange):
    """NumberRange for whole numbers of any size. WTForms' own compares through a float,
    which fails (OverflowError, a server error) on a number like 10**400."""

    def __call__(self, form, field):
        data = field.data
        if isinstance(data, int) and not self.min <= data <= self.max:
            raise ValidationError(self.message)
        super().__call__(form, field)


def whole_number(low: int, high: int, message) -> WholeNumberRange:
    return WholeNumberRange(min=low, max=high, message=message)

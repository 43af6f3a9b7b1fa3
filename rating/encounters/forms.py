from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from rating.formfields import at_most, required
from rating.forms import Form


class InvitationForm(Form):
    reference = StringField(
        _l("Reference (optional)"),
        description=_l("A ticket or order number, to recognise the encounter later."),
        validators=[Optional(), at_most(80)],
    )


class RecordForm(Form):
    with_handle = StringField(
        _l("Their handle"),
        description=_l("The handle of the business or customer you met, e.g. cafe-aurora."),
        validators=[required(), at_most(31)],
    )
    occurred_on = DateField(
        _l("Date of the encounter"),
        validators=[DataRequired(_l("Give a valid date."))],
    )
    reference = StringField(
        _l("Reference (optional)"),
        description=_l("A ticket or order number."),
        validators=[Optional(), at_most(80)],
    )


class ContestForm(Form):
    reason = TextAreaField(
        _l("Why did this encounter not happen?"),
        validators=[at_most(1000)],
    )


class ConfirmForm(Form):
    """Only the CSRF token."""


class RedeemForm(Form):
    """Only the CSRF token."""

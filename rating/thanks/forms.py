from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Optional

from rating.formfields import at_most
from rating.forms import Form


class ThanksForm(Form):
    message = TextAreaField(
        _l("Your thanks"),
        description=_l("Up to 280 characters, visible at once on their profile."),
        validators=[Optional(), at_most(280)],
    )

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from rating.businesses.categories import category_choices
from rating.formfields import at_most, required
from rating.forms import Form


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class RegisterForm(Form):
    kind = RadioField(
        _l("I am"),
        choices=options([("customer", _l("a customer")), ("business", _l("a business"))]),
        default="customer",
        validators=[required()],
    )
    display_name = StringField(
        _l("Public name"),
        description=_l('Shown to others, for example "Ana G.".'),
        validators=[required(), at_most(80)],
    )
    handle = StringField(
        _l("Handle"),
        description=_l("3 to 30 characters: lowercase letters, digits and hyphens."),
        validators=[required(), at_most(30)],
    )
    email = EmailField(
        _l("Email"),
        description=_l("Private: never shown to anyone else."),
        validators=[required(), at_most(254)],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters, not a common password."),
        validators=[required(), at_most(256)],
    )
    business_name = StringField(_l("Business name"), validators=[Optional(), at_most(120)])
    category = SelectField(
        _l("Category"),
        choices=options([("", _l("Choose…")), *category_choices()]),
        validate_choice=False,
    )
    city = StringField(_l("City"), validators=[Optional(), at_most(80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), at_most(2000)])


class SignInForm(Form):
    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Password"), validators=[required(), at_most(256)])


class SettingsForm(Form):
    display_name = StringField(_l("Public name"), validators=[required(), at_most(80)])
    language = SelectField(
        _l("Language"),
        choices=options([("", _l("Same as my browser")), ("en", "English"), ("es", "Español")]),
        validate_choice=False,
    )


class PasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[required(), at_most(256)])
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters, not a common password."),
        validators=[required(), at_most(256)],
    )


class StaffForm(Form):
    display_name = StringField(_l("Public name"), validators=[required(), at_most(80)])
    handle = StringField(
        _l("Handle"),
        description=_l("3 to 30 characters: lowercase letters, digits and hyphens."),
        validators=[required(), at_most(30)],
    )
    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(
        _l("First password"),
        description=_l("At least 10 characters; they can change it in their settings."),
        validators=[required(), at_most(256)],
    )


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[required(), at_most(254)])


class ResetPasswordForm(Form):
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters, not a common password."),
        validators=[required(), at_most(256)],
    )

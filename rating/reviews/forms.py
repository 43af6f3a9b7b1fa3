import functools

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Optional

from rating.formfields import at_most
from rating.forms import Form
from rating.reviews.labels import LEVELS, VERDICTS, dimension_help, dimension_label
from rating.reviews.models import dimensions_of
from rating.reviews.services import verdict_field


def _level_label(n: int) -> str:
    return f"{n} — {LEVELS[n]}"


# Lazy: each reader gets the words in their own language, from one form class per side.
LEVEL_CHOICES = [SelectChoice(str(n), LazyString(_level_label, n)) for n in LEVELS]


YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class BaseReviewForm(Form):
    # "new" when the author had no review yet: a second review is refused, not merged.
    mode = HiddenField(default="new")
    comment = TextAreaField(
        _l("Comment (optional, public once revealed)"),
        validators=[Optional(), at_most(2000)],
    )
    private_note = TextAreaField(
        _l("Private note (optional)"),
        description=_l("Seen only by them, once revealed; never public and never scored."),
        validators=[Optional(), at_most(1000)],
    )


@functools.cache
def review_form_class(side: str) -> type[Form]:
    """A form with the star questions of one side (validated by the service)."""
    fields = {
        name: RadioField(
            dimension_label(side, name),
            description=dimension_help(side, name),
            choices=LEVEL_CHOICES,
            validate_choice=False,
        )
        for name in dimensions_of(side)
    }
    fields[verdict_field(side)] = RadioField(VERDICTS[side], choices=YES_NO, validate_choice=False)
    return type(f"{side.title()}ReviewForm", (BaseReviewForm,), fields)


def review_form_for(side: str, review=None, formdata=None) -> Form:
    form_class = review_form_class(side)
    if formdata is not None:
        return form_class(formdata=formdata)
    form = form_class(formdata=None)
    if review is not None:
        form.mode.data = "edit"
        for name in dimensions_of(side):
            getattr(form, name).data = str(getattr(review, name))
        verdict = verdict_field(side)
        getattr(form, verdict).data = "yes" if getattr(review, verdict) else "no"
        form.comment.data = review.comment
        form.private_note.data = review.private_note
    return form


def review_values(formdata, side: str) -> dict:
    """The fields of one side's review, as posted."""
    names = [*dimensions_of(side), verdict_field(side), "comment", "private_note"]
    return {name: formdata.get(name) for name in names}


class ReplyForm(Form):
    mode = HiddenField(default="new")
    text = TextAreaField(_l("Your reply"), validators=[Optional(), at_most(1000)])


class WithdrawForm(Form):
    """Only the CSRF token."""

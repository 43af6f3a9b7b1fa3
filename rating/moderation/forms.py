from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Optional

from rating.formfields import at_most, whole_number
from rating.forms import Form

REASONS = [
    ("abusive", _l("Abusive or disrespectful")),
    ("personal_data", _l("Shares personal data")),
    ("fake", _l("Fake: this encounter did not happen")),
    ("spam", _l("Spam or advertising")),
    ("other", _l("Something else")),
]
ACTION_LABELS = {
    "approve": _l("Approve (visible again)"),
    "hide": _l("Hide"),
    "warn": _l("Warn the author"),
    "suspend": _l("Suspend the author"),
    "ban": _l("Ban the author"),
    "reinstate": _l("Reinstate the author"),
    "void": _l("Void the encounter"),
    "confirm": _l("Confirm the encounter"),
}


class FlagForm(Form):
    target_type = HiddenField()
    target_id = HiddenField()
    reason = SelectField(
        _l("Reason"), choices=[SelectChoice(v, lbl) for v, lbl in REASONS], validate_choice=False
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), at_most(1000)])


class ActionForm(Form):
    action = SelectField(_l("Action"), validate_choice=False)
    reason = TextAreaField(_l("Reason (told to the author)"), validators=[at_most(2000)])
    days = IntegerField(
        _l("Days (for a suspension)"),
        validators=[Optional(), whole_number(1, 365, _l("Suspend for 1 to 365 days."))],
    )


class AppealForm(Form):
    text = TextAreaField(_l("Why should the decision change?"), validators=[at_most(2000)])


ITEM_KINDS = {
    "held": _l("Held text"),
    "flagged": _l("Flagged"),
    "contested": _l("Contested encounter"),
    "appeal": _l("Appeal"),
}


def item_kind_label(kind: str) -> str:
    return str(ITEM_KINDS.get(kind, kind))


# Every code the moderation pages show (reasons, actions, states, what an item is), in
# the admin's language. Anything else (a word the screening held) is shown as it is.
CODE_LABELS = {
    **dict(REASONS),
    **ACTION_LABELS,
    "auto_hide": _l("Hidden by flags"),
    "hold": _l("Held by screening"),
    "open": _l("open"),
    "closed": _l("closed"),
    "visible": _l("visible"),
    "held": _l("held"),
    "hidden": _l("hidden"),
    "review": _l("review"),
    "reply": _l("reply"),
    "thanks": _l("thanks"),
    "business": _l("business description"),
    "encounter": _l("encounter"),
    "action": _l("moderation decision"),
    "flag threshold reached": _l("flag threshold reached"),  # the reason of an auto_hide
}


def moderation_label(code: str | None) -> str:
    return str(CODE_LABELS.get(code, code or ""))


def moderation_labels(codes: str | None) -> str:
    """An item's comma-separated reasons, each worded."""
    return ", ".join(moderation_label(c) for c in (codes or "").split(", ") if c)

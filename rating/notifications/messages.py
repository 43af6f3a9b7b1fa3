"""The text of each kind of notification, translated when shown (never review content)."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "encounter_recorded": _l(
        "%(who)s recorded an encounter with you on %(date)s. Confirm it, or say it never happened."
    ),
    "invitation_redeemed": _l("%(who)s redeemed your invitation: the encounter is confirmed."),
    "encounter_confirmed": _l("%(who)s confirmed the encounter of %(date)s."),
    "encounter_contested": _l(
        "%(who)s says the encounter of %(date)s never happened. A moderator will decide."
    ),
    "review_received": _l(
        "%(who)s submitted their review. It stays sealed until you submit yours or the "
        "window closes on %(closes)s."
    ),
    "reviews_revealed": _l("The reviews of your encounter with %(who)s are revealed."),
    "reply_received": _l("%(who)s replied to your review."),
    "thanks_received": _l("%(who)s sent you thanks."),
    "reminder_day3": _l(
        "You have not reviewed your encounter with %(who)s yet. The window closes on "
        "%(closes)s; an honest review, whatever it says, helps both sides."
    ),
    "reminder_closing": _l(
        "Two days left to review your encounter with %(who)s (until %(closes)s). An honest "
        "review, whatever it says, helps both sides."
    ),
    "item_held": _l(
        "Your %(item)s was received. It may contain words that hurt, so a moderator will "
        "check it before others can see it."
    ),
    "item_hidden": _l("Your %(item)s was hidden. Reason: %(reason)s. You may appeal once."),
    "item_restored": _l("Your %(item)s is visible again after a moderator's review."),
    "account_warn": _l("A moderator warned you. Reason: %(reason)s. You may appeal once."),
    "account_suspend": _l(
        "Your account is suspended for %(days)s days: you can read but not post. "
        "Reason: %(reason)s. You may appeal once."
    ),
    "account_ban": _l(
        "Your account is banned: you can read but not post. Reason: %(reason)s. "
        "You may appeal once."
    ),
    "account_reinstated": _l("A moderator lifted the restrictions on your account."),
    "appeal_decided": _l("Your appeal was decided: %(outcome)s. %(reason)s"),
    "encounter_voided_by_moderator": _l(
        "A moderator voided the encounter of %(date)s. Reason: %(reason)s"
    ),
    "encounter_confirmed_by_moderator": _l("A moderator confirmed the encounter of %(date)s."),
}

KIND_WORDS = {
    "review": _l("review"),
    "reply": _l("reply"),
    "thanks": _l("thanks"),
    "business": _l("business description"),
}
OUTCOMES = {"granted": _l("granted"), "rejected": _l("rejected")}
# Reasons the app itself gives, stored as a code and worded in the reader's language;
# a moderator's reason is their own text and shown as written.
REASONS = {"flagged": _l("several people flagged it; a moderator will review it")}


def describe(notification) -> str:
    text = TEXTS.get(notification.kind)
    if text is None:
        return notification.kind
    params = {
        "who": "",
        "date": "",
        "closes": "",
        "item": "",
        "reason": "",
        "days": "",
        "outcome": "",
        **notification.params,
    }
    params["item"] = str(KIND_WORDS.get(params["item"], params["item"]))
    params["outcome"] = str(OUTCOMES.get(params["outcome"], params["outcome"]))
    params["reason"] = str(REASONS.get(params["reason"], params["reason"]))
    return str(text) % params


def appealable_action(notification) -> int | None:
    """The moderation action a notification reports, when its user may appeal it."""
    value = notification.params.get("action")
    return int(value) if value and str(value).isdigit() else None

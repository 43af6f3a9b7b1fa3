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
}


def describe(notification) -> str:
    text = TEXTS.get(notification.kind)
    if text is None:
        return notification.kind
    params = {"who": "", "date": "", "closes": "", **notification.params}
    return str(text) % params

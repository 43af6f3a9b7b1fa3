"""The fixed list of business categories, with translatable labels."""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "food": _l("Cafés and restaurants"),
    "retail": _l("Shops"),
    "repairs": _l("Repairs and workshops"),
    "health": _l("Health and care"),
    "beauty": _l("Hair and beauty"),
    "transport": _l("Transport and travel"),
    "telecom": _l("Telecoms and internet"),
    "home": _l("Home services"),
    "public": _l("Public services"),
    "other": _l("Other"),
}


def category_choices() -> list[tuple[str, str]]:
    return list(CATEGORIES.items())


def category_label(code: str) -> str:
    return str(CATEGORIES.get(code, code))

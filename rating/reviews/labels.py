"""What each dimension and star level means, shown on the form so "3" means the same to all."""

from flask_babel import lazy_gettext as _l

LEVELS = {
    1: _l("poor"),
    2: _l("fair"),
    3: _l("good"),
    4: _l("very good"),
    5: _l("excellent"),
}

# (written by side, dimension) -> (label, what it means)
DIMENSIONS = {
    ("business", "patience"): (
        _l("Patience"),
        _l("Stayed calm and gave us time, even when something went wrong."),
    ),
    ("business", "clarity"): (
        _l("Clarity"),
        _l("Asked clearly and gave the details we needed."),
    ),
    ("business", "respect"): (
        _l("Respect"),
        _l("Was courteous: no shouting, capitals or aggression."),
    ),
    ("business", "problem_reporting"): (
        _l("Reporting problems"),
        _l("Told us about failures so that we could fix them."),
    ),
    ("customer", "attention"): (
        _l("Attention"),
        _l("Listened and paid attention to what I needed."),
    ),
    ("customer", "proactivity"): (
        _l("Initiative"),
        _l("Followed up and took the initiative without being asked."),
    ),
    ("customer", "promises_kept"): (
        _l("Promises kept"),
        _l("Did what they said, when they said."),
    ),
    ("customer", "respect"): (
        _l("Respect"),
        _l("Treated me courteously and fairly, like everyone else."),
    ),
    ("customer", "honesty"): (
        _l("Honesty"),
        _l("Was open and honest, also about problems."),
    ),
}

VERDICTS = {
    "business": _l("Would you be glad to serve this customer again?"),
    "customer": _l("Would you recommend this business?"),
}
VERDICT_SHORT = {
    "business": _l("Would serve again"),
    "customer": _l("Recommends"),
}


def dimension_label(side: str, name: str) -> str:
    return DIMENSIONS[(side, name)][0]


def dimension_help(side: str, name: str) -> str:
    return DIMENSIONS[(side, name)][1]


def dimension_namer(subject_type: str):
    """Labels for the dimensions a profile is scored on (written by the other side)."""
    writer = "customer" if subject_type == "business" else "business"
    return lambda name: dimension_label(writer, name)

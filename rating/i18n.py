"""Language choice: the user's setting, else the session's, else Accept-Language."""

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from rating.api.errors import is_api_path


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    if not has_request_context():  # command line: English
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.language:
        return user.language
    chosen = session.get("language")
    if chosen in supported():
        return chosen
    return request.accept_languages.best_match(supported()) or "en"


def choose_language_first() -> None:
    """Choose the reader's language as a page request starts (Flask-Babel keeps it for the
    request). Chosen later, after a commit has expired the signed-in user's row (a flash
    message after a form is saved), it would cost a query to read that row again. The
    API chooses later: its user comes from the token, once its own checks have run."""
    if not is_api_path(request.path):
        get_locale()


def install_template_gettext(app) -> None:
    """Templates translate through `request_translations()` (after Flask-Babel's set-up,
    which installs callables that look the translations up again for every string)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def request_translations():
    """Flask-Babel's translations for the request's language, kept beside its choice of
    language so that a page's dozens of strings look them up once, not each time (7 µs
    each). A change of language in the request (`force_locale` for an email, `refresh`)
    replaces the locale object it is kept with, and so the translations."""
    state = g.get("_flask_babel") if g else None  # Flask-Babel's own per-request state
    if state is None:
        return get_translations()
    kept = getattr(state, "reciproca_translations", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    translations = get_translations()  # chooses the language first if it is not yet
    state.reciproca_translations = (state.babel_locale, translations)
    return translations

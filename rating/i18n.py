"""Language choice: the user's setting, else the session's, else Accept-Language."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
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

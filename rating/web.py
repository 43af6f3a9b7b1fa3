"""Small helpers shared by the HTML views."""

from contextlib import suppress
from urllib.parse import urlsplit

from flask import abort, current_app, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.routing import IntegerConverter

from rating.api.errors import error_response, is_api_path
from rating.errors import Invalid
from rating.extensions import db, login_manager
from rating.formfields import MAX_ID, MAX_PAGE, NOT_UNICODE, is_storable


class RowIdConverter(IntegerConverter):
    """`<int:...>` in a route: a number beyond any row id does not match (404), so no
    database is asked about it (SQLite and PostgreSQL would fail with an overflow)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def show_invalid(form, error: Invalid, aliases: dict[str, str] | None = None) -> None:
    """Attach a service's field problems to the matching form fields."""
    aliases = aliases or {}
    for name, message in error.fields.items():
        field = getattr(form, aliases.get(name, name), None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def safe_next(target: str | None, default: str) -> str:
    """Only follow redirects within this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def guard_page_request() -> None:
    """Checks every request to the website passes before its view (the API has its own,
    in api/guard.py). Forms come form-encoded: a JSON body, which Flask-WTF would read
    as form data of any shape, is refused (400). A form or query value no database can
    store (NUL, which PostgreSQL refuses) is refused with 422 saying why; a path naming
    nothing storable is a 404. A path that names no page stays a 404 (or 405)."""
    if request.routing_exception is not None or is_api_path(request.path):
        return
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and not is_storable(value):
            abort(404)
    sources = [request.args]
    if request.method != "GET":
        if request.is_json:
            abort(400)
        sources.append(request.form)
    for source in sources:
        for key, values in source.lists():
            # a multipart part without a name has the key None
            if not all(is_storable(text or "") for text in (key, *values)):
                raise Invalid(None, NOT_UNICODE)


def page_number() -> int:
    """The `page` of the query string, from 1 to MAX_PAGE: a larger number would make an
    OFFSET beyond what the database accepts (an overflow, a server error)."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


def require(allowed: bool, visible: bool = True) -> None:
    """Abort with 404 when the user may not see the thing, 403 when they may not act."""
    if not visible:
        abort(404)
    if not allowed:
        abort(403)


UNAVAILABLE = _l("The service is briefly unavailable. Please try again in a moment.")
UNAVAILABLE_RETRY_SECONDS = 5


def database_unavailable(error):
    """503 "try again" when the database cannot be reached: down, restarting, or every
    pooled connection busy. The request's transaction died with it, so nothing was half
    saved; the next requests reconnect by themselves (rating/database.py, ping_after_idle).

    The page is drawn as for a signed-out visitor, since loading the user needs the
    database; the session itself is kept, so the user is still signed in afterwards.
    """
    # The driver's message only: the statement and its parameters stay out of the log.
    reason = str(getattr(error, "orig", None) or error).strip()
    current_app.logger.warning("Database unavailable: %s", reason.partition("\n")[0])
    with suppress(SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # what Flask-Login's current_user reads
    if is_api_path(request.path):
        response = error_response(503, UNAVAILABLE, code="unavailable")
    else:
        page = render_template("errors/error.html", code=503, message=UNAVAILABLE)
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


def register_database_errors(app) -> None:
    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(unavailable, database_unavailable)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs before it.
    app.teardown_appcontext(end_session_even_if_the_database_left)


def end_session_even_if_the_database_left(_error=None) -> None:
    """End the request's session. When the database went away after the answer was
    ready (a restart), the closing ROLLBACK fails: the connection is dropped instead of
    turning a finished answer into a 500; nothing was left to save."""
    try:
        db.session.close()
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        current_app.logger.warning("Database gone while ending a request: %s", reason)
        db.session().invalidate()  # the scoped session itself: drop, do not roll back

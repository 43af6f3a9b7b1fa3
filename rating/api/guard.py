"""Checks every API request passes before its view: size, content type, storable text."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from rating.api.errors import ApiError
from rating.api.schemas.common import is_storable

NOT_JSON = _l("Send the body as JSON, with the header Content-Type: application/json.")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _has_body() -> bool:
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    return bool(request.content_length) or chunked


def guard_request() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        raise RequestEntityTooLarge()
    if request.method in BODY_METHODS and _has_body() and not request.is_json:
        raise ApiError(400, NOT_JSON, code="not_json")
    # A path segment no database can store (NUL, lone surrogates) names nothing.
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and not is_storable(value):
            raise NotFound()

"""One error shape everywhere under /api/v1:
{"error": {"code": "...", "message": "...", "fields": {"name": "problem"}}}.
"""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, MethodNotAllowed, default_exceptions
from werkzeug.routing import RequestRedirect

from rating.errors import DomainError, Invalid, TooMany
from rating.extensions import db

PREFIX = "/api/v1"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("You are not allowed to do that."),
    404: _l("This does not exist."),
    405: _l("This method is not available here."),
    409: _l("This conflicts with the current state."),
    413: _l("What you sent is too large."),
    422: _l("Some of what you sent is not valid."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Nothing you sent was half-saved."),
}
BAD_JSON = _l("The body is not valid JSON.")
# RFC 6750: a 401 names the scheme it expects.
WWW_AUTHENTICATE = 'Bearer realm="reciproca"'


class ApiError(Exception):
    """A refusal raised by the API layer itself (token, content type, rate limit)."""

    def __init__(self, status: int, message=None, *, code=None, fields=None, headers=None):
        super().__init__(str(message or MESSAGES.get(status, "")))
        self.status = status
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(status: int, message=None, *, code=None, fields=None, headers=None):
    body = {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": str(message or MESSAGES.get(status, MESSAGES[400])),
            "fields": {name: str(problem) for name, problem in (fields or {}).items()},
        }
    }
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten(messages, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as {"business.name": "first problem"}."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten(value, name or "body"))
    elif isinstance(messages, list | tuple) and messages:
        if all(isinstance(item, str) for item in messages):
            flat[prefix or "body"] = messages[0]
        else:
            for item in messages:
                flat.update(flatten(item, prefix))
    elif messages:
        flat[prefix or "body"] = str(messages)
    return flat


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    data = getattr(error, "data", None) or {}
    fields, message, headers = {}, None, {}
    if "messages" in data:  # webargs: request arguments that did not validate
        locations = data["messages"]
        if status == 400:
            message = BAD_JSON
        else:
            for problems in locations.values():
                fields.update(flatten(problems))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if status == 429 and error.get_headers():
        headers.update({k: v for k, v in error.get_headers() if k.lower() == "retry-after"})
    return error_response(status, message, fields=fields, headers=headers)


def handle_domain_error(error: DomainError):
    db.session.rollback()
    if isinstance(error, Invalid):  # the problems are in `fields`, each by its name
        return error_response(422, fields=error.fields)
    code = "quota_exceeded" if isinstance(error, TooMany) else None
    return error_response(error.status, error.message or None, code=code)


def handle_api_error(error: ApiError):
    db.session.rollback()
    return error_response(
        error.status, error.message, code=error.code, fields=error.fields, headers=error.headers
    )


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def routing_errors():
    """Unknown paths and methods under /api/v1 answer in the API's shape, not as HTML.

    They match no blueprint, so the blueprint's error handlers never see them.
    """
    error = request.routing_exception
    if error is None or isinstance(error, RequestRedirect) or not is_api_path(request.path):
        return None
    return handle_http_exception(error)


def register_error_handlers(blueprint) -> None:
    # Flask looks handlers up by status code before class, app-wide codes included: the
    # API registers every code so that the HTML error pages never answer under /api/v1.
    for code in default_exceptions:
        blueprint.register_error_handler(code, handle_http_exception)
    blueprint.register_error_handler(HTTPException, handle_http_exception)
    blueprint.register_error_handler(DomainError, handle_domain_error)
    blueprint.register_error_handler(ApiError, handle_api_error)
    blueprint.before_app_request(routing_errors)

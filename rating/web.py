"""Small helpers shared by the HTML views."""

from urllib.parse import urlsplit

from flask import abort

from rating.errors import Invalid


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


def require(allowed: bool, visible: bool = True) -> None:
    """Abort with 404 when the user may not see the thing, 403 when they may not act."""
    if not visible:
        abort(404)
    if not allowed:
        abort(403)

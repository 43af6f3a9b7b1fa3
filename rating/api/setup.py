"""Assembles the API: one `api` blueprint at /api/v1 holding a blueprint per resource."""

from flask import Flask

from rating.api import auth, limits
from rating.api.blueprint import ApiBlueprint
from rating.api.document import make_api
from rating.api.errors import PREFIX, register_error_handlers
from rating.api.guard import guard_request
from rating.api.reference import bp as reference_bp
from rating.api.views import (
    accounts,
    encounters,
    meta,
    moderation,
    notifications,
    privacy,
    profiles,
    reviews,
    thanks,
)
from rating.extensions import csrf

RESOURCES = (
    accounts.bp,
    privacy.bp,
    profiles.bp,
    encounters.bp,
    reviews.bp,
    thanks.bp,
    notifications.bp,
    moderation.bp,
    meta.bp,
)

bp = ApiBlueprint("api", __name__, url_prefix=PREFIX, description="Reciproca JSON API v1.")
for resource in RESOURCES:
    bp.register_blueprint(resource)
register_error_handlers(bp)
bp.before_request(guard_request)
bp.before_request(auth.load_token_user)
bp.before_request(limits.check_request_limit)
bp.after_request(limits.add_rate_headers)


def register_api(app: Flask) -> None:
    """Register /api/v1, its OpenAPI document, and the /api/docs page."""
    api = make_api(app)
    api.register_blueprint(bp)
    csrf.exempt(bp)
    for resource in RESOURCES:
        csrf.exempt(resource)
        api.spec.tag({"name": resource.name, "description": resource.description})
    app.register_blueprint(reference_bp)

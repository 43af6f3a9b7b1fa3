"""POST /accounts, POST /tokens, DELETE /tokens/current, GET /me."""

from flask import g
from flask_babel import lazy_gettext as _l

from rating.accounts import services as accounts
from rating.accounts import verification
from rating.api import limits
from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.errors import ApiError
from rating.api.schemas.accounts import (
    AccountSchema,
    RegistrationInput,
    TokenRequest,
    TokenSchema,
)
from rating.tokens import services as tokens

bp = ApiBlueprint("accounts", __name__, description="Accounts and API tokens.")

WRONG_CREDENTIALS = _l("Wrong email or password.")

REGISTRATION_EXAMPLE = {
    "kind": "business",
    "email": "owner@cafe-aurora.example",
    "password": "a long and unusual passphrase",
    "display_name": "Marta R.",
    "handle": "cafe-aurora",
    "business": {
        "name": "Café Aurora",
        "category": "food",
        "city": "Madrid",
        "description": "Coffee and breakfast since 1998.",
    },
}


@bp.route("/accounts", methods=["POST"])
@limits.per_address("REGISTER_RATE_LIMIT")
@bp.arguments(RegistrationInput, example=REGISTRATION_EXAMPLE)
@bp.response(201, AccountSchema)
@bp.refusals(400, 413, 422, 429)
def register(data):
    """Create an account

    A customer, or a business with its owner account (`business` required). Then
    exchange the email and password for a token with `POST /tokens`.
    """
    details = data.get("business")
    user = accounts.register(
        accounts.Registration(
            kind=data["kind"],
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            handle=data["handle"],
            business=accounts.BusinessDetails(**details) if details else None,
        )
    )
    verification.send_verification_email(user)  # a failure is logged; the web resends
    return user


@bp.route("/tokens", methods=["POST"])
@limits.per_address("SIGN_IN_RATE_LIMIT")
@bp.arguments(TokenRequest, example={"email": "ana@example.com", "password": "my passphrase"})
@bp.response(
    201,
    TokenSchema,
    example={"token": "rcp_3q2-Yl…", "expires_at": "2025-04-13T10:00:00+00:00"},
    headers={"Cache-Control": {"schema": {"type": "string"}, "description": "no-store"}},
)
@bp.refusals(400, 401, 413, 422, 429)
def create_token(data):
    """Get an API token

    Exchange an email and password for a bearer token. The token is shown once and
    only its hash is stored; it expires at `expires_at`. Attempts are limited per
    address and per account (429).
    """
    limits.per_account("SIGN_IN_ACCOUNT_RATE_LIMIT", data["email"])
    user = accounts.authenticate(data["email"], data["password"])
    if user is None:
        raise ApiError(401, WRONG_CREDENTIALS, code="invalid_credentials")
    token, raw = tokens.create_token(user)
    return {"token": raw, "expires_at": token.expires_at}, {"Cache-Control": "no-store"}


@bp.route("/tokens/current", methods=["DELETE"])
@bp.signed_in
@bp.response(204)
@bp.refusals(429)
def revoke_token():
    """Revoke the token used

    The token sent with this request stops working at once.
    """
    tokens.revoke_token(g.api_token)


@bp.route("/me", methods=["GET"])
@bp.signed_in
@bp.response(200, AccountSchema)
@bp.refusals(429)
def me():
    """Your own account"""
    return api_user()

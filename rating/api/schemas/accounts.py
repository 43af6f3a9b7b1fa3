"""Accounts and tokens."""

from marshmallow import Schema, fields

from rating.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from rating.accounts.services import HANDLE_RE, LIMITS
from rating.api.schemas.common import Input, text
from rating.businesses.categories import CATEGORIES

KINDS = ["customer", "business"]


class BusinessInput(Input):
    name = text(required=True, metadata={"maxLength": LIMITS["name"], "example": "Café Aurora"})
    category = text(required=True, metadata={"enum": list(CATEGORIES), "example": "food"})
    city = text(required=True, metadata={"maxLength": LIMITS["city"], "example": "Madrid"})
    description = text(metadata={"maxLength": LIMITS["description"]})


class RegistrationInput(Input):
    kind = text(required=True, metadata={"enum": KINDS})
    email = text(required=True, metadata={"format": "email", "maxLength": LIMITS["email"]})
    password = text(
        required=True,
        metadata={
            "minLength": MIN_LENGTH,
            "maxLength": MAX_LENGTH,
            "description": "Not one of the most common passwords.",
        },
    )
    display_name = text(required=True, metadata={"maxLength": LIMITS["display_name"]})
    handle = text(
        required=True,
        metadata={"pattern": f"^{HANDLE_RE.pattern}$", "description": "Unique, public."},
    )
    business = fields.Nested(
        BusinessInput, metadata={"description": "Required when `kind` is `business`."}
    )


class BusinessSchema(Schema):
    handle = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(required=True)
    city = fields.String(required=True)
    description = fields.String(required=True)


class AccountSchema(Schema):
    """Your own account (your email is shown to you alone)."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": ["customer", "business", "admin"]})
    email = fields.String(required=True)
    display_name = fields.String(required=True)
    handle = fields.String(required=True, allow_none=True)
    language = fields.String(required=True, allow_none=True)
    business_role = fields.String(
        required=True, allow_none=True, metadata={"enum": ["owner", "staff", None]}
    )
    business = fields.Nested(BusinessSchema, required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    suspended_until = fields.DateTime(required=True, allow_none=True)
    banned_at = fields.DateTime(required=True, allow_none=True)


class TokenRequest(Input):
    email = text(required=True)
    password = text(required=True)


class TokenSchema(Schema):
    token = fields.String(
        required=True, metadata={"description": "Shown once; send it as a Bearer token."}
    )
    expires_at = fields.DateTime(required=True)

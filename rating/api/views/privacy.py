"""Data rights: download everything about you; delete your account (PRODUCT.md section 8)."""

from flask import jsonify

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import Input, text
from rating.privacy import services

bp = ApiBlueprint("privacy", __name__, description="Your data: export and account deletion.")

EXPORT_SCHEMA = {
    "type": "object",
    "description": "Account, encounters, reviews written and received, thanks, flags, "
    "notifications, strikes and appeals.",
    "additionalProperties": True,
}


class DeletionInput(Input):
    password = text(required=True, metadata={"description": "Your current password."})


@bp.route("/me/export", methods=["GET"])
@bp.signed_in
@bp.response(200, EXPORT_SCHEMA, description="Everything stored about you.")
@bp.refusals(429)
def export():
    """Download all data about you"""
    return jsonify(services.export_user_data(api_user()))


@bp.route("/me", methods=["DELETE"])
@bp.signed_in
@bp.arguments(DeletionInput)
@bp.response(204)
@bp.refusals(400, 413, 422, 429)
def delete_account(data):
    """Delete your account

    Erases your personal data (email, names, password, tokens). Reviews you wrote stay,
    signed "former customer" or "former business"; reviews about you as a customer
    disappear. This token stops working.
    """
    services.delete_account(api_user(), data["password"])

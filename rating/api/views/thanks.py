"""Thanks: one short message per side per encounter, visible at once."""

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import ID
from rating.api.schemas.encounters import ThanksInput, ThanksSchema
from rating.thanks.services import send_thanks

bp = ApiBlueprint("thanks", __name__, description="Thanks between the two sides.")


@bp.route(f"/encounters/<{ID}:encounter_id>/thanks", methods=["POST"])
@bp.signed_in
@bp.arguments(ThanksInput, example={"message": "Gracias, excellent work!"})
@bp.response(201, ThanksSchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def thank(data, encounter_id):
    """Thank the other side (once per encounter)"""
    return send_thanks(api_user(), encounter_id, data["message"])

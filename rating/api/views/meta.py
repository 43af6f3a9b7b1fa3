"""GET /api/v1/openapi.json: the document, itself part of the API."""

from flask import jsonify

from rating.api.blueprint import ApiBlueprint
from rating.api.document import openapi_document

bp = ApiBlueprint("meta", __name__, description="The OpenAPI document of this API.")


@bp.route("/openapi.json", methods=["GET"])
@bp.response(200, {"type": "object"}, description="The OpenAPI 3 document.")
@bp.refusals(429)
def openapi():
    """This OpenAPI 3 document"""
    return jsonify(openapi_document())

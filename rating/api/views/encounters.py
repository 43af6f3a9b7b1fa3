"""Invitations and encounters: record, list, show, confirm, contest."""

from flask import url_for

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import ID, page_of
from rating.api.schemas.encounters import (
    ContestInput,
    EncounterListArgs,
    EncounterPage,
    EncounterSchema,
    InvitationInput,
    InvitationSchema,
    RecordInput,
)
from rating.encounters import services
from rating.encounters.dashboard import encounters_query, load_encounters, rows_for
from rating.extensions import db

bp = ApiBlueprint("encounters", __name__, description="Invitations and encounters.")


def row(encounter):
    """The encounter with the review states as the API user's side sees them."""
    return rows_for(api_user(), [encounter])[0]


@bp.route("/invitations", methods=["POST"])
@bp.signed_in
@bp.arguments(InvitationInput, required=False, example={"reference": "order 1042"})
@bp.response(201, InvitationSchema)
@bp.refusals(400, 403, 413, 422, 429)
def create_invitation(data):
    """Invite a customer (business)

    A single-use code; the customer who redeems it gets a confirmed encounter.
    """
    invitation = services.create_invitation(api_user(), data.get("reference"))
    url = url_for("encounters.redeem", code=invitation.code, _external=True)
    return {"code": invitation.code, "url": url, "expires_at": invitation.expires_at}


@bp.route("/invitations/<code>/redeem", methods=["POST"])
@bp.signed_in
@bp.response(201, EncounterSchema)
@bp.refusals(403, 404, 409, 429)
def redeem_invitation(code):
    """Redeem an invitation (customer)

    Creates a confirmed encounter with the business that made the invitation.
    """
    return row(services.redeem_invitation(api_user(), code))


@bp.route("/encounters", methods=["GET"])
@bp.signed_in
@bp.arguments(EncounterListArgs, location="query")
@bp.response(200, EncounterPage)
@bp.refusals(422, 429)
def list_encounters(args):
    """Your encounters

    Newest first. `my_review` and `their_review` say `none`, `sealed` or `revealed`:
    a sealed review of the other side shows as a state only, never its content.
    """
    user = api_user()
    query = encounters_query(user, args.get("status"))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    page, per_page = args["page"], args["per_page"]
    encounters = load_encounters(query, per_page, (page - 1) * per_page)
    return page_of(rows_for(user, encounters), args, total)


@bp.route("/encounters", methods=["POST"])
@bp.signed_in
@bp.arguments(
    RecordInput,
    example={"with": "cafe-aurora", "occurred_on": "2025-03-14", "reference": "ticket 88"},
)
@bp.response(201, EncounterSchema)
@bp.refusals(400, 403, 413, 422, 429)
def record_encounter(data):
    """Record an encounter

    With the other side, by handle. It stays `unconfirmed` until they confirm it; you
    may review it at once. A daily cap of unconfirmed records answers 429.
    """
    record = services.RecordInput(data["with_handle"], data["occurred_on"], data.get("reference"))
    return row(services.record_encounter(api_user(), record))


@bp.route(f"/encounters/<{ID}:encounter_id>", methods=["GET"])
@bp.signed_in
@bp.response(200, EncounterSchema)
@bp.refusals(404, 429)
def show_encounter(encounter_id):
    """One encounter (its two sides only)"""
    return row(services.encounter_for(api_user(), encounter_id))


@bp.route(f"/encounters/<{ID}:encounter_id>/confirm", methods=["POST"])
@bp.signed_in
@bp.response(200, EncounterSchema)
@bp.refusals(403, 404, 409, 429)
def confirm_encounter(encounter_id):
    """Confirm an encounter the other side recorded"""
    return row(services.confirm_encounter(api_user(), encounter_id))


@bp.route(f"/encounters/<{ID}:encounter_id>/contest", methods=["POST"])
@bp.signed_in
@bp.arguments(ContestInput, example={"reason": "We have never been to this shop."})
@bp.response(200, EncounterSchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def contest_encounter(data, encounter_id):
    """Contest an encounter the other side recorded

    Say it never happened; a moderator decides.
    """
    return row(services.contest_encounter(api_user(), encounter_id, data["reason"]))

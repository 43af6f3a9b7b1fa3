"""Sealed reviews of an encounter, and replies once they are revealed."""

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import ID
from rating.api.schemas.reviews import (
    EncounterReviewsSchema,
    ReplyInput,
    ReplySchema,
    ReviewInput,
    ReviewSchema,
)
from rating.encounters.services import encounter_for
from rating.reviews import services
from rating.reviews.models import Review

bp = ApiBlueprint("reviews", __name__, description="Sealed two-sided reviews and replies.")

CUSTOMER_EXAMPLE = {
    "attention": 5,
    "proactivity": 4,
    "promises_kept": 4,
    "respect": 5,
    "honesty": 5,
    "recommend": True,
    "comment": "They called back the next day, as promised.",
    "private_note": "Thanks for the patience with my order.",
}


def review_data(review: Review, state: str, reply_visible_to_me: bool) -> dict:
    """What a side of the encounter sees of a review it may see."""
    data = {
        "id": review.id,
        "encounter_id": review.encounter_id,
        "side": review.side,
        "state": state,
        "visibility": review.visibility,
        **review.scores(),
        services.verdict_field(review.side): getattr(review, services.verdict_field(review.side)),
        "comment": review.comment,
        "private_note": review.private_note,
        "submitted_at": review.submitted_at,
        "updated_at": review.updated_at,
        "reply": None,
    }
    reply = review.reply
    if reply is not None and (reply_visible_to_me or reply.visibility == "visible"):
        data["reply"] = reply
    return data


@bp.route(f"/encounters/<{ID}:encounter_id>/review", methods=["PUT"])
@bp.signed_in
@bp.arguments(ReviewInput, example=CUSTOMER_EXAMPLE)
@bp.response(200, ReviewSchema, description="Your sealed review, changed.")
@bp.alt_response(201, schema=ReviewSchema, description="Your review, created.", success=True)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def put_review(data, encounter_id):
    """Write or edit your side's review

    It stays sealed (visible to you alone) until both sides have reviewed or the
    window closes (`closes_at`); then both are revealed together and locked.
    """
    review, created = services.submit_review(api_user(), encounter_id, data)
    state = services.review_state(review, review.encounter)
    return review_data(review, state, reply_visible_to_me=False), 201 if created else 200


@bp.route(f"/encounters/<{ID}:encounter_id>/review", methods=["DELETE"])
@bp.signed_in
@bp.response(204)
@bp.refusals(404, 409, 429)
def withdraw_review(encounter_id):
    """Withdraw your sealed review"""
    services.withdraw_review(api_user(), encounter_id)


@bp.route(f"/encounters/<{ID}:encounter_id>/reviews", methods=["GET"])
@bp.signed_in
@bp.response(200, EncounterReviewsSchema)
@bp.refusals(404, 429)
def encounter_reviews(encounter_id):
    """The reviews of an encounter

    Your own review always; the other side's only once revealed. Before that,
    `their_state` says whether they have submitted one (`sealed`), nothing more.
    """
    user = api_user()
    encounter = encounter_for(user, encounter_id)
    seen = services.reviews_for(user, encounter)
    mine, theirs = seen.mine, seen.theirs
    return {
        "side": seen.side,
        "my_state": services.review_state(mine, encounter),
        "their_state": seen.their_state,
        "mine": review_data(mine, services.review_state(mine, encounter), False) if mine else None,
        "theirs": review_data(theirs, seen.their_state, True) if theirs else None,
    }


@bp.route(f"/reviews/<{ID}:review_id>/reply", methods=["POST"])
@bp.signed_in
@bp.arguments(ReplyInput, example={"text": "Thank you, see you soon."})
@bp.response(201, ReplySchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def reply(data, review_id):
    """Reply to a revealed review of your side (once)"""
    return services.reply_to_review(api_user(), review_id, data["text"])


@bp.route(f"/reviews/<{ID}:review_id>/reply", methods=["PUT"])
@bp.signed_in
@bp.arguments(ReplyInput, example={"text": "Thank you again, see you soon."})
@bp.response(200, ReplySchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def edit_reply(data, review_id):
    """Edit your reply"""
    return services.edit_reply(api_user(), review_id, data["text"])

"""Sealed reviews and replies. Field names are those of PRODUCT.md section 3."""

from marshmallow import Schema, fields

from rating.api.schemas.common import Input, boolean, integer, text
from rating.api.schemas.encounters import REVIEW_STATES, SIDES
from rating.reviews.models import BUSINESS_DIMENSIONS, CUSTOMER_DIMENSIONS
from rating.reviews.services import COMMENT_MAX, NOTE_MAX, REPLY_MAX

STARS = {"minimum": 1, "maximum": 5}
BY_BUSINESS = "Business reviewing the customer."
BY_CUSTOMER = "Customer reviewing the business."


def _dimension(name: str):
    sides = [
        label
        for label, dimensions in (
            (BY_BUSINESS, BUSINESS_DIMENSIONS),
            (BY_CUSTOMER, CUSTOMER_DIMENSIONS),
        )
        if name in dimensions
    ]
    return integer(
        metadata={**STARS, "description": " ".join(sides) + " 1 (poor) to 5 (excellent)."}
    )


class ReviewInput(Input):
    """Send the fields of your side: a business rates patience, clarity, respect and
    problem_reporting and answers would_serve_again; a customer rates attention,
    proactivity, promises_kept, respect and honesty and answers recommend."""

    patience = _dimension("patience")
    clarity = _dimension("clarity")
    respect = _dimension("respect")
    problem_reporting = _dimension("problem_reporting")
    would_serve_again = boolean(metadata={"description": BY_BUSINESS})
    attention = _dimension("attention")
    proactivity = _dimension("proactivity")
    promises_kept = _dimension("promises_kept")
    honesty = _dimension("honesty")
    recommend = boolean(metadata={"description": BY_CUSTOMER})
    comment = text(metadata={"maxLength": COMMENT_MAX, "description": "Public once revealed."})
    private_note = text(
        metadata={"maxLength": NOTE_MAX, "description": "Seen only by them, once revealed."}
    )


class ReplyInput(Input):
    text = text(required=True, metadata={"maxLength": REPLY_MAX})


class ReplySchema(Schema):
    id = fields.Integer(required=True)
    review_id = fields.Integer(required=True)
    text = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ReviewScores(Schema):
    """The scores of a review, out: only those of its side are present."""

    patience = fields.Integer(metadata=STARS)
    clarity = fields.Integer(metadata=STARS)
    respect = fields.Integer(metadata=STARS)
    problem_reporting = fields.Integer(metadata=STARS)
    would_serve_again = fields.Boolean()
    attention = fields.Integer(metadata=STARS)
    proactivity = fields.Integer(metadata=STARS)
    promises_kept = fields.Integer(metadata=STARS)
    honesty = fields.Integer(metadata=STARS)
    recommend = fields.Boolean()


class ReviewSchema(ReviewScores):
    """A review. Only the dimensions and the yes/no question of its side are present."""

    id = fields.Integer(required=True)
    encounter_id = fields.Integer(required=True)
    side = fields.String(required=True, metadata={"enum": SIDES, "description": "Written by."})
    state = fields.String(required=True, metadata={"enum": ["sealed", "revealed"]})
    visibility = fields.String(required=True, metadata={"enum": ["visible", "held", "hidden"]})
    comment = fields.String(required=True)
    private_note = fields.String(
        metadata={"description": "Only for the author and the reviewed side."}
    )
    submitted_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    reply = fields.Nested(ReplySchema, required=True, allow_none=True)


class EncounterReviewsSchema(Schema):
    """Your review always; theirs only once revealed (before that, only its state)."""

    side = fields.String(required=True, metadata={"enum": SIDES, "description": "Your side."})
    my_state = fields.String(required=True, metadata={"enum": REVIEW_STATES})
    their_state = fields.String(required=True, metadata={"enum": REVIEW_STATES})
    mine = fields.Nested(ReviewSchema, required=True, allow_none=True)
    theirs = fields.Nested(ReviewSchema, required=True, allow_none=True)

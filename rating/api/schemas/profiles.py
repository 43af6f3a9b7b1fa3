"""The directory and profiles: scores, rates, and revealed reviews (PRODUCT.md section 5)."""

from marshmallow import Schema, fields, validate

from rating.api.schemas.common import PageArgs, page_schema, text
from rating.api.schemas.reviews import ReviewScores
from rating.businesses.categories import CATEGORIES
from rating.profiles.services import SORTS
from rating.reviews.models import BUSINESS_DIMENSIONS, CUSTOMER_DIMENSIONS

RATE = {"minimum": 0, "maximum": 1, "description": "A share from 0 to 1; null without data."}
SCORE = {"minimum": 1, "maximum": 5}


class DirectoryArgs(PageArgs):
    q = text(metadata={"description": "Words in the business name.", "maxLength": 80})
    city = text(metadata={"maxLength": 80})
    category = fields.String(
        validate=validate.OneOf(list(CATEGORIES)), metadata={"enum": list(CATEGORIES)}
    )
    sort = fields.String(
        load_default="score", validate=validate.OneOf(SORTS), metadata={"enum": list(SORTS)}
    )


def _scores_schema(name: str, dimensions) -> type[Schema]:
    """Per dimension and `overall` (null below the minimum count), and `count`."""
    attrs = {
        dimension: fields.Float(required=True, allow_none=True, metadata=SCORE)
        for dimension in dimensions
    }
    attrs["overall"] = fields.Float(required=True, allow_none=True, metadata=SCORE)
    attrs["count"] = fields.Integer(
        required=True, metadata={"description": "Counted reviews (confirmed, visible)."}
    )
    return type(name, (Schema,), attrs)


BusinessScores = _scores_schema("BusinessScores", CUSTOMER_DIMENSIONS)
CustomerScores = _scores_schema("CustomerScores", BUSINESS_DIMENSIONS)


class TrendMonth(Schema):
    month = fields.String(required=True, metadata={"example": "2025-03"})
    reviews = fields.Integer(required=True)
    average = fields.Float(required=True)


class Figures(Schema):
    """What both kinds of profile show besides the scores."""

    enough_reviews = fields.Boolean(required=True)
    min_reviews = fields.Integer(required=True)
    distribution = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": 'Reviews by overall stars, "1" to "5".'},
    )
    thanks_count = fields.Integer(required=True)
    review_rate = fields.Float(required=True, allow_none=True, metadata=RATE)
    median_time_to_review_hours = fields.Integer(required=True, allow_none=True)
    gives_average = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "How they rate the other side, on average."},
    )
    gives_count = fields.Integer(required=True)
    trend = fields.List(fields.Nested(TrendMonth), metadata={"description": "By month."})


class BusinessProfileSchema(Figures):
    handle = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(required=True)
    city = fields.String(required=True)
    description = fields.String(required=True)
    scores = fields.Nested(BusinessScores, required=True)
    recommend_rate = fields.Float(required=True, allow_none=True, metadata=RATE)
    reply_rate = fields.Float(required=True, allow_none=True, metadata=RATE)


class CustomerProfileSchema(Figures):
    handle = fields.String(required=True)
    display_name = fields.String(required=True)
    scores = fields.Nested(CustomerScores, required=True)
    would_serve_again_rate = fields.Float(required=True, allow_none=True, metadata=RATE)


BusinessPage = page_schema(BusinessProfileSchema, "BusinessPage")


class PublicReply(Schema):
    text = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class PublicReviewSchema(ReviewScores):
    """A revealed, visible review (never the private note)."""

    id = fields.Integer(required=True)
    side = fields.String(required=True, metadata={"enum": ["business", "customer"]})
    author = fields.String(required=True, metadata={"description": "Name of the reviewer."})
    unconfirmed_encounter = fields.Boolean(
        required=True, metadata={"description": "Shown, but not counted in scores."}
    )
    overall = fields.Float(required=True, metadata=SCORE)
    comment = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    reply = fields.Nested(PublicReply, required=True, allow_none=True)


PublicReviewPage = page_schema(PublicReviewSchema, "PublicReviewPage")

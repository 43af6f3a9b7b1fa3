"""Encounters, invitations and thanks."""

from marshmallow import Schema, fields, validate

from rating.api.schemas.common import Input, PageArgs, date, page_schema, text
from rating.encounters.models import STATUSES
from rating.encounters.services import REASON_MAX, REFERENCE_MAX
from rating.thanks.services import MESSAGE_MAX

SIDES = ["business", "customer"]
REVIEW_STATES = ["none", "sealed", "revealed"]


class InvitationInput(Input):
    reference = text(allow_none=True, metadata={"maxLength": REFERENCE_MAX})


class InvitationSchema(Schema):
    code = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "The page to redeem it."})
    expires_at = fields.DateTime(required=True)


class RecordInput(Input):
    with_handle = text(
        required=True,
        data_key="with",
        metadata={"description": "The other side's handle.", "maxLength": 31},
    )
    occurred_on = date(required=True)
    reference = text(allow_none=True, metadata={"maxLength": REFERENCE_MAX})


class ContestInput(Input):
    reason = text(required=True, metadata={"maxLength": REASON_MAX})


class EncounterListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"enum": list(STATUSES)})


class BusinessRef(Schema):
    handle = fields.String(required=True)
    name = fields.String(required=True)


class CustomerRef(Schema):
    handle = fields.String(required=True, allow_none=True)
    display_name = fields.String(required=True)


class EncounterSchema(Schema):
    """One encounter as one of its sides sees it: review states, never review content."""

    id = fields.Integer(required=True, attribute="encounter.id")
    status = fields.String(
        required=True, attribute="encounter.status", metadata={"enum": list(STATUSES)}
    )
    origin = fields.String(
        required=True, attribute="encounter.origin", metadata={"enum": ["invitation", "record"]}
    )
    side = fields.String(required=True, metadata={"enum": SIDES, "description": "Your side."})
    business = fields.Nested(BusinessRef, required=True, attribute="encounter.business")
    customer = fields.Nested(CustomerRef, required=True, attribute="encounter.customer")
    occurred_on = fields.Date(required=True, attribute="encounter.occurred_on")
    reference = fields.String(required=True, allow_none=True, attribute="encounter.reference")
    recorded_by_side = fields.String(
        required=True, attribute="encounter.recorded_by_side", metadata={"enum": SIDES}
    )
    created_at = fields.DateTime(required=True, attribute="encounter.created_at")
    closes_at = fields.DateTime(
        required=True,
        attribute="encounter.closes_at",
        metadata={"description": "When the review window closes and sealed reviews reveal."},
    )
    my_review = fields.String(required=True, metadata={"enum": REVIEW_STATES})
    their_review = fields.String(required=True, metadata={"enum": REVIEW_STATES})
    can_review = fields.Boolean(required=True)
    to_confirm = fields.Boolean(
        required=True, metadata={"description": "You are asked to confirm or contest it."}
    )


EncounterPage = page_schema(EncounterSchema, "EncounterPage")


class ThanksInput(Input):
    message = text(required=True, metadata={"maxLength": MESSAGE_MAX})


class ThanksSchema(Schema):
    id = fields.Integer(required=True)
    encounter_id = fields.Integer(required=True)
    side = fields.String(required=True, metadata={"enum": SIDES})
    message = fields.String(required=True)
    created_at = fields.DateTime(required=True)

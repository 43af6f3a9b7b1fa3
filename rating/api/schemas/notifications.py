"""In-app notifications."""

from marshmallow import Schema, fields

from rating.api.schemas.common import page_schema


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"example": "review_received"})
    text = fields.String(required=True, metadata={"description": "In your language."})
    encounter_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    read = fields.Boolean(required=True)


NotificationPage = page_schema(NotificationSchema, "NotificationPage")

"""Flags and moderation (PRODUCT.md section 7)."""

from marshmallow import Schema, fields, validate

from rating.api.schemas.common import Input, PageArgs, integer, page_schema, text
from rating.formfields import MAX_ID
from rating.moderation.flags import NOTE_MAX
from rating.moderation.models import ACTIONS, FLAG_REASONS, ITEM_KINDS, TARGET_TYPES

AUDIT_ACTIONS = [*ACTIONS, "auto_hide", "hold"]


class FlagInput(Input):
    target_type = text(required=True, metadata={"enum": list(TARGET_TYPES)})
    target_id = integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    reason = text(required=True, metadata={"enum": list(FLAG_REASONS)})
    note = text(metadata={"maxLength": NOTE_MAX})


class FlagSchema(Schema):
    id = fields.Integer(required=True)
    target_type = fields.String(required=True, metadata={"enum": list(TARGET_TYPES)})
    target_id = fields.Integer(required=True)
    reason = fields.String(required=True, metadata={"enum": list(FLAG_REASONS)})
    note = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class QueueItemSchema(Schema):
    """An open item: held text, a flagged item, a contested encounter or an appeal."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": list(ITEM_KINDS)})
    target_type = fields.String(
        required=True,
        metadata={"description": "review, reply, thanks, business, encounter or action."},
    )
    target_id = fields.Integer(required=True)
    reasons = fields.List(fields.String(), required=True)
    flag_count = fields.Integer(required=True)
    flagged_by_subject = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)


QueuePage = page_schema(QueueItemSchema, "QueuePage")


class ActionInput(Input):
    action = text(required=True, metadata={"enum": list(ACTIONS)})
    reason = text(metadata={"description": "Required to hide, warn, suspend, ban or void."})
    days = integer(allow_none=True, metadata={"minimum": 1, "maximum": 365})


class AuditEntrySchema(Schema):
    """One row of the append-only audit log."""

    id = fields.Integer(required=True)
    action = fields.String(required=True, metadata={"enum": AUDIT_ACTIONS})
    actor_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: the system."}
    )
    target_type = fields.String(required=True)
    target_id = fields.Integer(required=True)
    affected_user_id = fields.Integer(required=True, allow_none=True)
    item_id = fields.Integer(required=True, allow_none=True)
    reason = fields.String(required=True)
    days = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


AuditPage = page_schema(AuditEntrySchema, "AuditPage")


class AuditArgs(PageArgs):
    action = fields.String(validate=validate.OneOf(AUDIT_ACTIONS), metadata={"enum": AUDIT_ACTIONS})

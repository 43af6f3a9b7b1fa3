"""Flags (any signed-in user), the moderation queue, actions and audit log (admins)."""

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import ID, PageArgs, page_of
from rating.api.schemas.moderation import (
    ActionInput,
    AuditArgs,
    AuditEntrySchema,
    AuditPage,
    FlagInput,
    FlagSchema,
    QueuePage,
)
from rating.moderation import actions, flags

bp = ApiBlueprint("moderation", __name__, description="Flags and moderation.")


@bp.route("/flags", methods=["POST"])
@bp.signed_in
@bp.arguments(
    FlagInput, example={"target_type": "review", "target_id": 12, "reason": "personal_data"}
)
@bp.response(201, FlagSchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def flag(data):
    """Flag something you can see (once)

    When enough different people have flagged an item it is hidden until a moderator
    looks at it. Flags about yourself count toward hiding only for `personal_data`.
    """
    return flags.flag_item(
        api_user(),
        flags.FlagInput(data["target_type"], data["target_id"], data["reason"], data.get("note")),
    )


@bp.route("/moderation/queue", methods=["GET"])
@bp.signed_in
@bp.arguments(PageArgs, location="query")
@bp.response(200, QueuePage)
@bp.refusals(404, 422, 429)
def queue(args):
    """The moderation queue (admins)

    Open items, those flagged by their own subject first, then oldest first.
    """
    items, total = actions.open_queue(api_user(), args["page"], args["per_page"])
    counts = actions.flag_counts(items)
    shown = [
        {
            "id": item.id,
            "kind": item.kind,
            "target_type": item.target_type,
            "target_id": item.target_id,
            "reasons": [reason for reason in item.reasons.split(", ") if reason],
            "flag_count": counts.get((item.target_type, item.target_id), 0),
            "flagged_by_subject": item.priority > 0,
            "created_at": item.created_at,
        }
        for item in items
    ]
    return page_of(shown, args, total)


@bp.route(f"/moderation/items/<{ID}:item_id>/actions", methods=["POST"])
@bp.signed_in
@bp.arguments(ActionInput, example={"action": "hide", "reason": "Insults the staff."})
@bp.response(201, AuditEntrySchema)
@bp.refusals(400, 403, 404, 409, 413, 422, 429)
def act(data, item_id):
    """Act on a queue item (admins)

    `approve`, `hide`, `warn`, `suspend` (with `days`), `ban` or `reinstate` on held and
    flagged items; `void` or `confirm` on contested encounters; `approve` (grant) or
    `hide` (uphold) on appeals. Every action is written to the audit log.
    """
    return actions.act(
        api_user(), item_id, data["action"], data.get("reason") or "", data.get("days")
    )


@bp.route("/moderation/audit", methods=["GET"])
@bp.signed_in
@bp.arguments(AuditArgs, location="query")
@bp.response(200, AuditPage)
@bp.refusals(404, 422, 429)
def audit(args):
    """The audit log (admins), newest first"""
    rows, total = actions.audit_log(api_user(), args.get("action"), args["page"], args["per_page"])
    return page_of(rows, args, total)

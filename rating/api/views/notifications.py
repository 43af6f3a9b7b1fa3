"""The signed-in user's notifications."""

from rating.api.auth import api_user
from rating.api.blueprint import ApiBlueprint
from rating.api.schemas.common import PageArgs, page_of
from rating.api.schemas.notifications import NotificationPage
from rating.notifications.messages import describe
from rating.notifications.services import notifications_for

bp = ApiBlueprint("notifications", __name__, description="In-app notifications.")


@bp.route("/notifications", methods=["GET"])
@bp.signed_in
@bp.arguments(PageArgs, location="query")
@bp.response(200, NotificationPage)
@bp.refusals(422, 429)
def list_notifications(args):
    """Your notifications, newest first"""
    items, total = notifications_for(api_user(), args["page"], args["per_page"])
    shown = [
        {
            "id": n.id,
            "kind": n.kind,
            "text": describe(n),
            "encounter_id": n.encounter_id,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in items
    ]
    return page_of(shown, args, total)

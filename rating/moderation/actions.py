"""Moderators' actions on queue items; each one is written to the audit log."""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from rating import clock
from rating.accounts.models import User
from rating.accounts.permissions import is_admin
from rating.encounters.models import Encounter
from rating.errors import Conflict, Invalid, NotAllowed, NotFound
from rating.extensions import db
from rating.moderation.flags import flags_of, resolve_flags
from rating.moderation.models import (
    ACTIONS,
    Appeal,
    Flag,
    ModerationAction,
    ModerationItem,
    Strike,
)
from rating.moderation.targets import Target, load_target
from rating.notifications.services import notify, notify_side
from rating.scores import ledger

ALLOWED = {
    "held": {"approve", "hide", "warn", "suspend", "ban", "reinstate"},
    "flagged": {"approve", "hide", "warn", "suspend", "ban", "reinstate"},
    "contested": {"void", "confirm"},
    "appeal": {"approve", "hide"},  # grant the appeal, or uphold the decision
}
CLOSING = {"approve", "hide", "void", "confirm"}
NEEDS_REASON = {"hide", "warn", "suspend", "ban", "void"}
SANCTIONS = {"warn", "suspend", "ban"}


@dataclass
class ItemView:
    item: ModerationItem
    target: Target | None
    encounter: Encounter | None
    flags: list
    appeal: Appeal | None
    appealed_action: ModerationAction | None


def _require_admin(user) -> None:
    if not is_admin(user):
        raise NotFound()


def open_queue(user, page: int = 1, per_page: int = 50):
    """Open items: subject-flagged first, then oldest first. Raises NotFound for non-admins."""
    _require_admin(user)
    query = select(ModerationItem).where(ModerationItem.status == "open")
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.order_by(ModerationItem.priority.desc(), ModerationItem.created_at, ModerationItem.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return items, total


def flag_counts(items) -> dict[tuple[str, int], int]:
    """Unresolved flags on the flagged items of a queue page, by (target type, id)."""
    keys = {(item.target_type, item.target_id) for item in items if item.kind == "flagged"}
    if not keys:
        return {}
    rows = db.session.execute(
        select(Flag.target_type, Flag.target_id, func.count(Flag.id))
        .where(Flag.resolved_at.is_(None), Flag.target_id.in_({i for _, i in keys}))
        .group_by(Flag.target_type, Flag.target_id)
    )
    return {(kind, i): n for kind, i, n in rows if (kind, i) in keys}


def item_view(user, item_id: int) -> ItemView:
    _require_admin(user)
    item = db.session.get(ModerationItem, item_id)
    if item is None:
        raise NotFound()
    target = encounter = appeal = appealed = None
    if item.kind == "contested":
        encounter = db.session.get(Encounter, item.target_id)
    elif item.kind == "appeal":
        appealed = db.session.get(ModerationAction, item.target_id)
        appeal = db.session.scalar(select(Appeal).where(Appeal.action_id == item.target_id))
        target = (
            load_target(appealed.target_type, appealed.target_id)
            if appealed.target_type in ("review", "reply", "thanks", "business")
            else None
        )
    else:
        target = load_target(item.target_type, item.target_id)
    flags = flags_of(item.target_type, item.target_id) if item.kind == "flagged" else []
    return ItemView(item, target, encounter, flags, appeal, appealed)


def _check(admin, view: ItemView, action: str, reason: str, days) -> None:
    if action not in ACTIONS or action not in ALLOWED[view.item.kind]:
        raise Invalid("action", _l("This action does not apply to this item."))
    if view.item.status != "open" and action in CLOSING:
        raise Conflict(_l("This item has already been decided."))
    if action in NEEDS_REASON and not reason:
        raise Invalid("reason", _l("Give the reason: the author is told why."))
    if action == "suspend" and not (isinstance(days, int) and 1 <= days <= 365):
        raise Invalid("days", _l("Suspend for 1 to 365 days."))
    involved = set()
    if view.target is not None:
        involved = view.target.author_ids() | view.target.subject_ids()
    if view.encounter is not None:
        involved |= {view.encounter.customer_id}
        if admin.business_id and admin.business_id == view.encounter.business_id:
            involved.add(admin.id)
    if view.appeal is not None:
        involved.add(view.appeal.user_id)
    if admin.id in involved:
        raise NotAllowed(_l("You cannot act on an item you wrote or that is about you."))


def act(admin, item_id: int, action: str, reason: str = "", days=None) -> ModerationAction:
    """Apply one moderation action and log it. Raises NotFound, NotAllowed, Conflict, Invalid."""
    view = item_view(admin, item_id)
    reason = (reason or "").strip()[:2000]
    _check(admin, view, action, reason, days)
    now = clock.now()
    author_id = _author(view)
    record = ModerationAction(
        actor_id=admin.id,
        action=action,
        target_type=view.item.target_type,
        target_id=view.item.target_id,
        affected_user_id=author_id,
        item_id=view.item.id,
        reason=reason,
        days=days if action == "suspend" else None,
    )
    db.session.add(record)
    db.session.flush()
    {"contested": _decide_encounter, "appeal": _decide_appeal}.get(view.item.kind, _decide_item)(
        view, action, reason, days, record, now
    )
    if action in CLOSING:
        view.item.status = "closed"
        view.item.closed_at = now
    db.session.commit()
    return record


def _author(view: ItemView) -> int | None:
    if view.appeal is not None:
        return view.appeal.user_id
    if view.target is not None:
        return next(iter(sorted(view.target.author_ids())), None)
    return None


def _decide_item(view, action, reason, days, record, now) -> None:
    target = view.target
    author = db.session.get(User, record.affected_user_id) if record.affected_user_id else None
    if action == "approve":
        was_shown = target.visibility == "visible"
        target.set_visibility("visible")
        resolve_flags(target.kind, target.id, now)
        if not was_shown:
            notify(target.author_ids(), "item_restored", item=target.kind)
    elif action == "hide":
        target.set_visibility("hidden")
        resolve_flags(target.kind, target.id, now)
        notify(
            target.author_ids(), "item_hidden", item=target.kind, reason=reason, action=record.id
        )
    elif action in SANCTIONS and author is not None:
        _sanction(author, action, reason, days, record, now)
    elif action == "reinstate" and author is not None:
        author.suspended_until = None
        author.banned_at = None
        notify([author.id], "account_reinstated")


def _sanction(author: User, action, reason, days, record, now) -> None:
    if action == "suspend":
        author.suspended_until = now + timedelta(days=days)
    elif action == "ban":
        author.banned_at = now
    db.session.add(
        Strike(
            user_id=author.id,
            action_id=record.id,
            kind=action,
            reason=reason,
            target_type=record.target_type,
            target_id=record.target_id,
        )
    )
    notify([author.id], f"account_{action}", reason=reason, days=days or "", action=record.id)


def _decide_encounter(view, action, reason, days, record, now) -> None:
    encounter = view.encounter
    if encounter.status != "contested":
        raise Conflict(_l("This encounter is no longer contested."))
    encounter.status = "voided" if action == "void" else "confirmed"
    if action == "confirm":
        encounter.confirmed_at = now
    ledger.refresh_encounter_and_thanks(encounter)
    for side in ("business", "customer"):
        notify_side(
            encounter,
            side,
            f"encounter_{encounter.status}_by_moderator",
            reason=reason,
            date=encounter.occurred_on.isoformat(),
        )


def _decide_appeal(view, action, reason, days, record, now) -> None:
    appeal, original = view.appeal, view.appealed_action
    appeal.decided_at = now
    appeal.outcome = "granted" if action == "approve" else "rejected"
    if action == "approve":
        if original.action in ("hide", "auto_hide") and view.target is not None:
            view.target.set_visibility("visible")
        if original.action in ("suspend", "ban"):
            user = db.session.get(User, appeal.user_id)
            user.suspended_until = None
            user.banned_at = None
    notify([appeal.user_id], "appeal_decided", outcome=appeal.outcome, reason=reason)


APPEAL_WINDOW = timedelta(days=183)


def appealable_action(user, action_id: int) -> ModerationAction:
    """The action if it affected this user (only they may appeal it); NotFound otherwise."""
    action = db.session.get(ModerationAction, action_id)
    if action is None or action.affected_user_id != user.id:
        raise NotFound()
    return action


def appeal(user, action_id: int, text: str) -> Appeal:
    """The affected user appeals one action, once, within six months."""
    action = appealable_action(user, action_id)
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise Invalid("text", _l("Say why the decision should change."))
    if len(text) > 2000:
        raise Invalid("text", _l("Use at most %(n)d characters.", n=2000))
    if clock.now() > action.created_at + APPEAL_WINDOW:
        raise Conflict(_l("The six months to appeal this decision have passed."))
    if db.session.scalar(select(Appeal.id).where(Appeal.action_id == action.id)):
        raise Conflict(_l("You have already appealed this decision."))
    record = Appeal(action_id=action.id, user_id=user.id, text=text)
    db.session.add(record)
    db.session.add(
        ModerationItem(
            kind="appeal", target_type="action", target_id=action.id, reasons=action.action
        )
    )
    db.session.commit()
    return record


def audit_log(user, action: str | None = None, page: int = 1, per_page: int = 50):
    _require_admin(user)
    query = select(ModerationAction)
    if action:
        query = query.where(ModerationAction.action == action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return rows, total

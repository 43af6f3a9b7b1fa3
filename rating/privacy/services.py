"""Data rights (PRODUCT.md section 8): download everything about you; delete your account."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from rating.accounts.models import User
from rating.accounts.passwords import verify_password
from rating.encounters.dashboard import encounters_query
from rating.errors import Invalid
from rating.extensions import db
from rating.moderation.models import Appeal, Flag, Strike
from rating.notifications.messages import describe
from rating.notifications.models import Notification
from rating.reviews.models import Review
from rating.scores import ledger
from rating.thanks.models import Thanks
from rating.tokens.services import delete_tokens


def _iso(value):
    return value.isoformat() if value is not None else None


def _review(review: Review) -> dict:
    data = {
        "id": review.id,
        "encounter_id": review.encounter_id,
        "side": review.side,
        **review.scores(),
        "comment": review.comment,
        "private_note": review.private_note,
        "submitted_at": _iso(review.submitted_at),
        "visibility": review.visibility,
    }
    data["recommend" if review.side == "customer" else "would_serve_again"] = (
        review.recommend if review.side == "customer" else review.would_serve_again
    )
    if review.reply is not None:
        data["reply"] = {"text": review.reply.text, "updated_at": _iso(review.reply.updated_at)}
    return data


def export_user_data(user: User) -> dict:
    """Everything stored about the user, as JSON-ready data (sealed reviews of others excluded)."""
    encounters = list(db.session.scalars(encounters_query(user)))
    side = "customer" if user.kind == "customer" else "business"
    party = (
        (Review.customer_id == user.id, Thanks.customer_id == user.id)
        if side == "customer"
        else (Review.business_id == user.business_id, Thanks.business_id == user.business_id)
    )
    reviews = list(
        db.session.scalars(select(Review).where(party[0]).options(selectinload(Review.reply)))
    )
    by_id = {e.id: e for e in encounters}
    written = [r for r in reviews if r.side == side]
    received = [r for r in reviews if r.side != side and by_id[r.encounter_id].is_revealed()]
    thanks = list(db.session.scalars(select(Thanks).where(party[1])))
    return {
        "account": {
            "id": user.id,
            "kind": user.kind,
            "email": user.email,
            "display_name": user.display_name,
            "handle": user.handle,
            "language": user.language,
            "created_at": _iso(user.created_at),
            "business": {
                "name": user.business.name,
                "handle": user.business.handle,
                "role": user.business_role,
            }
            if user.business
            else None,
            "profile_public": user.profile_public,
        },
        "encounters": [
            {
                "id": e.id,
                "status": e.status,
                "occurred_on": e.occurred_on.isoformat(),
                "reference": e.reference,
                "created_at": _iso(e.created_at),
                "closes_at": _iso(e.closes_at),
            }
            for e in encounters
        ],
        "reviews_written": [_review(r) for r in written],
        "reviews_received": [_review(r) for r in received],
        "thanks_sent": [
            {"encounter_id": t.encounter_id, "message": t.message, "created_at": _iso(t.created_at)}
            for t in thanks
            if t.side == side
        ],
        "thanks_received": [
            {"encounter_id": t.encounter_id, "message": t.message, "created_at": _iso(t.created_at)}
            for t in thanks
            if t.side != side and t.visibility == "visible"
        ],
        "flags": [
            {
                "target_type": f.target_type,
                "target_id": f.target_id,
                "reason": f.reason,
                "note": f.note,
                "created_at": _iso(f.created_at),
            }
            for f in db.session.scalars(select(Flag).where(Flag.user_id == user.id))
        ],
        "notifications": [
            {"text": describe(n), "created_at": _iso(n.created_at), "read": n.read_at is not None}
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
        ],
        "strikes": [
            {"kind": s.kind, "reason": s.reason, "created_at": _iso(s.created_at)}
            for s in db.session.scalars(select(Strike).where(Strike.user_id == user.id))
        ],
        "appeals": [
            {"action_id": a.action_id, "text": a.text, "outcome": a.outcome}
            for a in db.session.scalars(select(Appeal).where(Appeal.user_id == user.id))
        ],
    }


def _erase(user: User, name: str) -> None:
    user.email = None
    user.password_hash = None
    user.handle = None
    user.language = None
    user.display_name = name
    user.profile_public = False
    user.session_version += 1
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    delete_tokens(user)


def _remove_reviews_about(customer: User) -> None:
    """Reviews about a deleted customer disappear: hidden from all, texts erased.

    The rows stay (without text, tied to an erased account) so that the business's own
    figures, such as its review rate, stay true; the scores that used them follow at once.
    """
    about = list(
        db.session.scalars(
            select(Review).where(Review.customer_id == customer.id, Review.side == "business")
        )
    )
    for review in about:
        review.visibility = "hidden"
        review.comment = ""
        review.private_note = ""
        # Folded out while its reply still counts, so the reply leaves the figures with it.
        ledger.refresh_encounter(review.encounter)
        if review.reply is not None:
            review.reply.text = ""
            review.reply.visibility = "hidden"


def delete_account(user: User, password: str) -> None:
    """Erase the account's personal data; authored reviews stay, anonymised. Raises Invalid."""
    if not verify_password(user.password_hash, password or ""):
        raise Invalid("password", _l("This is not your password."))
    if user.kind == "customer":
        _remove_reviews_about(user)
        _erase(user, "Former customer")
    elif user.kind == "business" and user.business_role == "owner":
        business = user.business
        for member in db.session.scalars(select(User).where(User.business_id == business.id)):
            _erase(member, "Former business")
        business.name = "Former business"
        business.description = ""
        business.handle = f"former-{business.id}"
    else:
        _erase(user, "Former member" if user.kind == "business" else "Former moderator")
    db.session.flush()
    db.session.commit()

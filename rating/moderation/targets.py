"""The things that can be moderated: who wrote them, whom they are about, who sees them."""

from dataclasses import dataclass

from sqlalchemy import select

from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.permissions import side_of
from rating.errors import NotFound
from rating.extensions import db
from rating.reviews.models import Reply, Review
from rating.scores import ledger
from rating.thanks.models import Thanks

MODELS = {"review": Review, "reply": Reply, "thanks": Thanks, "business": Business}


@dataclass
class Target:
    kind: str
    obj: object

    @property
    def id(self) -> int:
        return self.obj.id

    def author_ids(self) -> set[int]:
        if self.kind == "business":
            return set(
                db.session.scalars(
                    select(User.id).where(
                        User.business_id == self.obj.id, User.business_role == "owner"
                    )
                )
            )
        return {self.obj.author_user_id}

    def subject_ids(self) -> set[int]:
        """The people the item is about."""
        if self.kind == "business":
            return set(db.session.scalars(select(User.id).where(User.business_id == self.obj.id)))
        encounter = self._encounter()
        # A reply is about the review's author; reviews and thanks about the other side.
        about_side = self.obj.review.side if self.kind == "reply" else _other(self.obj.side)
        if about_side == "customer":
            return {encounter.customer_id}
        return set(
            db.session.scalars(select(User.id).where(User.business_id == encounter.business_id))
        )

    def _encounter(self):
        return self.obj.review.encounter if self.kind == "reply" else self.obj.encounter

    def visible_to(self, user) -> bool:
        """Whether this user can see the item (and so may flag it)."""
        if self.kind == "business":
            return True
        encounter = self._encounter()
        if encounter.status not in ("confirmed", "unconfirmed"):
            return side_of(user, encounter) is not None
        is_side = side_of(user, encounter) is not None
        if self.kind == "thanks":
            return self.obj.visibility == "visible" and (
                is_side or self.obj.side == "customer"
            )  # thanks to a business are public
        review = self.obj.review if self.kind == "reply" else self.obj
        if not encounter.is_revealed():
            return self.kind == "review" and side_of(user, encounter) == review.side
        public = review.side == "customer" or review.encounter.customer.profile_public
        return self.obj.visibility == "visible" and (public or is_side or _shares(user, encounter))

    @property
    def visibility(self) -> str:
        if self.kind == "business":
            return "held" if self.obj.description_held else "visible"
        return self.obj.visibility

    def set_visibility(self, value: str) -> None:
        """Hide, hold or restore, and bring the scores along in the same transaction."""
        if self.kind == "business":
            self.obj.description_held = value != "visible"
            return
        if self.kind == "reply":
            was = self.obj.visibility == "visible"
            self.obj.visibility = value
            ledger.refresh_reply(self.obj.review, was_counted_reply=was)
        elif self.kind == "thanks":
            self.obj.visibility = value
            ledger.refresh_thanks(self.obj)
        else:
            self.obj.visibility = value
            ledger.refresh_encounter(self.obj.encounter)


def _other(side: str) -> str:
    return "customer" if side == "business" else "business"


def _shares(user, encounter) -> bool:
    """A business that met this customer may read reviews about them."""
    from rating.profiles.permissions import can_view_customer

    return can_view_customer(user, encounter.customer)


def load_target(kind: str, target_id) -> Target:
    model = MODELS.get(kind)
    if model is None or not isinstance(target_id, int):
        raise NotFound()
    obj = db.session.get(model, target_id)
    if obj is None:
        raise NotFound()
    return Target(kind, obj)

"""The encounter dashboard: what each side has to do, in a constant number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from rating import clock
from rating.encounters.models import Encounter
from rating.encounters.permissions import acting_side, may_write_on
from rating.extensions import db
from rating.reviews.models import Review

VOIDED_SHOWN_FOR = timedelta(days=90)
PER_PAGE = 50


@dataclass
class EncounterRow:
    encounter: Encounter
    side: str
    other_name: str
    my_review: str  # none, sealed, revealed
    their_review: str  # none, sealed, revealed
    can_review: bool
    to_confirm: bool

    @property
    def closes_at(self) -> datetime:
        return self.encounter.closes_at


@dataclass
class Dashboard:
    to_confirm: list[EncounterRow] = field(default_factory=list)
    to_review: list[EncounterRow] = field(default_factory=list)
    sealed: list[EncounterRow] = field(default_factory=list)
    revealed: list[EncounterRow] = field(default_factory=list)
    other: list[EncounterRow] = field(default_factory=list)
    page: int = 1
    has_older: bool = False

    def is_empty(self) -> bool:
        return not any((self.to_confirm, self.to_review, self.sealed, self.revealed, self.other))

    def changes_at(self, since: datetime) -> datetime | None:
        """When the page would change with the clock alone: the next review window shown
        to close after `since` (the review is no longer possible; a sealed review is
        revealed)."""
        rows = (*self.to_confirm, *self.to_review, *self.sealed, *self.revealed, *self.other)
        return min((row.closes_at for row in rows if row.closes_at > since), default=None)


def party_of(user) -> tuple[str, int] | None:
    """Whose dashboard the user sees: ("customer", their id) or ("business", its id)."""
    side = acting_side(user)
    if side is None:
        return None
    return side, user.business_id if side == "business" else user.id


def encounters_query(user, status: str | None = None):
    """The user's own encounters (as customer, or as any member of a business)."""
    side = acting_side(user)
    if side == "customer":
        query = select(Encounter).where(Encounter.customer_id == user.id)
    elif side == "business":
        query = select(Encounter).where(Encounter.business_id == user.business_id)
    else:
        query = select(Encounter).where(Encounter.id.is_(None))
    if status:
        query = query.where(Encounter.status == status)
    return query


def review_sides(encounter_ids: list[int]) -> dict[int, set[str]]:
    """Which sides have a review in each encounter (states only, never content)."""
    sides: dict[int, set[str]] = {}
    if encounter_ids:
        rows = db.session.execute(
            select(Review.encounter_id, Review.side).where(Review.encounter_id.in_(encounter_ids))
        )
        for encounter_id, side in rows:
            sides.setdefault(encounter_id, set()).add(side)
    return sides


def rows_for(user, encounters: list[Encounter]) -> list[EncounterRow]:
    side = acting_side(user)
    sides = review_sides([e.id for e in encounters])
    rows = []
    for encounter in encounters:
        revealed = encounter.is_revealed()
        present = sides.get(encounter.id, set())
        other = encounter.other_side(side)

        def state(s, present=present, revealed=revealed):
            return "none" if s not in present else ("revealed" if revealed else "sealed")

        rows.append(
            EncounterRow(
                encounter=encounter,
                side=side,
                other_name=encounter.business.name
                if side == "customer"
                else encounter.customer.display_name,
                my_review=state(side),
                their_review=state(other),
                can_review=may_write_on(side, encounter) and clock.now() < encounter.closes_at,
                to_confirm=encounter.status == "unconfirmed" and encounter.recorded_by_side != side,
            )
        )
    return rows


def load_encounters(query, limit: int | None = None, offset: int = 0) -> list[Encounter]:
    query = query.options(
        selectinload(Encounter.business), selectinload(Encounter.customer)
    ).order_by(Encounter.created_at.desc(), Encounter.id.desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def build_dashboard(user, page: int = 1, per_page: int = PER_PAGE) -> Dashboard:
    """One page of the user's encounters, newest first (where the open windows are),
    sorted into what each side has to do."""
    page = max(1, page)
    query = encounters_query(user).where(
        or_(Encounter.status != "voided", Encounter.created_at >= clock.now() - VOIDED_SHOWN_FOR)
    )
    encounters = load_encounters(query, per_page + 1, (page - 1) * per_page)
    dashboard = Dashboard(page=page, has_older=len(encounters) > per_page)
    for row in rows_for(user, encounters[:per_page]):
        status = row.encounter.status
        if row.to_confirm:
            dashboard.to_confirm.append(row)
        elif status in ("contested", "voided"):
            dashboard.other.append(row)
        elif row.my_review == "none" and row.can_review:
            dashboard.to_review.append(row)
        elif row.my_review == "sealed" or (
            row.their_review == "sealed" and row.my_review == "none"
        ):
            dashboard.sealed.append(row)
        elif "revealed" in (row.my_review, row.their_review):
            dashboard.revealed.append(row)
        else:
            dashboard.other.append(row)
    return dashboard

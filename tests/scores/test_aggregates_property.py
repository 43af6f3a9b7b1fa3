"""Random sequences of operations: stored aggregates always equal a recomputation."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rating import clock
from rating.encounters import services as encounters
from rating.encounters.models import Encounter
from rating.errors import DomainError
from rating.extensions import db
from rating.reviews import services as reviews
from rating.reviews.models import Review
from rating.reviews.reveal import reveal_due
from rating.scores import ledger
from rating.scores.services import load_numbers
from rating.thanks.models import Thanks
from rating.thanks.services import send_thanks
from tests import builders
from tests.databases import empty_all_tables
from tests.scores.recompute import recompute

star = st.integers(min_value=1, max_value=5)
pick = st.integers(min_value=0, max_value=10**6)
invite = st.tuples(st.just("invite"), pick, pick)
review = st.tuples(
    st.just("review"), pick, st.booleans(), st.lists(star, min_size=5, max_size=5), st.booleans()
)
# Invitations and reviews come more often, so that sequences reach revealed reviews.
operations = st.one_of(
    invite,
    invite,
    review,
    review,
    review,
    st.tuples(st.just("record"), pick, pick, st.booleans()),
    st.tuples(st.just("confirm"), pick),
    st.tuples(st.just("contest"), pick),
    st.tuples(
        st.just("review"),
        pick,
        st.booleans(),
        st.lists(star, min_size=5, max_size=5),
        st.booleans(),
    ),
    st.tuples(st.just("withdraw"), pick, st.booleans()),
    st.tuples(st.just("reply"), pick),
    st.tuples(st.just("thanks"), pick, st.booleans()),
    st.tuples(st.just("travel"), st.integers(min_value=1, max_value=400)),
    st.tuples(st.just("visibility"), pick, st.sampled_from(["visible", "held", "hidden"])),
    st.tuples(st.just("thanks_visibility"), pick, st.sampled_from(["visible", "hidden"])),
    st.tuples(st.just("void"), pick),
    st.tuples(
        st.just("reveal_due"),
    ),
)


class World:
    def __init__(self):
        self.owners = [builders.make_business(), builders.make_business()]
        self.customers = [builders.make_customer() for _ in range(3)]
        for n in range(3):  # something to review from the first step
            self.invite(n, n)

    def encounter(self, n):
        ids = list(db.session.scalars(select(Encounter.id).order_by(Encounter.id)))
        return db.session.get(Encounter, ids[n % len(ids)]) if ids else None

    def side_user(self, encounter, business_side):
        if business_side:
            return next(o for o in self.owners if o.business_id == encounter.business_id)
        return next(c for c in self.customers if c.id == encounter.customer_id)

    def run(self, op):
        kind, *args = op
        getattr(self, kind)(*args)
        db.session.commit()

    def invite(self, b, c):
        owner = self.owners[b % 2]
        code = encounters.create_invitation(owner).code
        encounters.redeem_invitation(self.customers[c % 3], code)

    def record(self, b, c, by_business):
        owner, customer = self.owners[b % 2], self.customers[c % 3]
        actor, handle = (
            (owner, customer.handle) if by_business else (customer, owner.business.handle)
        )
        encounters.record_encounter(actor, encounters.RecordInput(handle, clock.now().date()))

    def confirm(self, n):
        encounter = self.encounter(n)
        if encounter:
            other = encounter.recorded_by_side != "business"
            encounters.confirm_encounter(self.side_user(encounter, other), encounter.id)

    def contest(self, n):
        encounter = self.encounter(n)
        if encounter:
            other = encounter.recorded_by_side != "business"
            encounters.contest_encounter(self.side_user(encounter, other), encounter.id, "No")

    def review(self, n, business_side, stars, verdict):
        encounter = self.encounter(n)
        if not encounter:
            return
        names = (
            ["patience", "clarity", "respect", "problem_reporting"]
            if business_side
            else ["attention", "proactivity", "promises_kept", "respect", "honesty"]
        )
        values = dict(zip(names, stars, strict=False))
        values["would_serve_again" if business_side else "recommend"] = verdict
        reviews.submit_review(self.side_user(encounter, business_side), encounter.id, values)

    def withdraw(self, n, business_side):
        encounter = self.encounter(n)
        if encounter:
            reviews.withdraw_review(self.side_user(encounter, business_side), encounter.id)

    def reply(self, n):
        review_ids = list(db.session.scalars(select(Review.id).order_by(Review.id)))
        if review_ids:
            review = db.session.get(Review, review_ids[n % len(review_ids)])
            replier = self.side_user(review.encounter, review.side == "customer")
            reviews.reply_to_review(replier, review.id, "Thanks")

    def thanks(self, n, business_side):
        encounter = self.encounter(n)
        if encounter:
            send_thanks(self.side_user(encounter, business_side), encounter.id, "Gracias")

    def travel(self, hours):
        clock.travel(timedelta(hours=hours))

    def visibility(self, n, value):  # what moderation does to a review
        review_ids = list(db.session.scalars(select(Review.id).order_by(Review.id)))
        if review_ids:
            review = db.session.get(Review, review_ids[n % len(review_ids)])
            review.visibility = value
            ledger.refresh_encounter(review.encounter)

    def thanks_visibility(self, n, value):
        ids = list(db.session.scalars(select(Thanks.id).order_by(Thanks.id)))
        if ids:
            thanks = db.session.get(Thanks, ids[n % len(ids)])
            thanks.visibility = value
            ledger.refresh_thanks(thanks)

    def void(self, n):
        encounter = self.encounter(n)
        if encounter:
            encounter.status = "voided"
            ledger.refresh_encounter_and_thanks(encounter)

    def reveal_due(self):
        reveal_due()

    def check(self):
        subjects = [("business", o.business_id) for o in self.owners]
        subjects += [("customer", c.id) for c in self.customers]
        stored, _ = load_numbers(subjects)
        for subject in subjects:
            expected = recompute(*subject)
            assert stored[subject] == pytest.approx(expected), subject


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operations, min_size=8, max_size=25))
def test_aggregates_equal_a_recomputation(app, ops):
    with app.app_context():
        db.session.remove()
        empty_all_tables(db.engine, db.metadata)
        clock.reset()
        world = World()
        for op in ops:
            try:
                world.run(op)
                event(f"done: {op[0]}")
            except DomainError:
                db.session.rollback()
            world.check()

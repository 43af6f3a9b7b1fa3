"""When a cached profile page, the directory or the home page stops being current with
the clock alone: the next review window to close on a sealed review."""

from datetime import timedelta

from rating import clock
from rating.encounters.models import Encounter
from rating.profiles.services import next_reveal
from tests import builders


def test_the_next_reveal_is_the_first_sealed_review_window_to_close(app):
    with app.app_context():
        near, far = builders.make_business(), builders.make_business()
        ana, bea = builders.make_customer(), builders.make_customer()
        unreviewed = builders.make_encounter(near, ana)  # closes first, nothing to reveal
        clock.travel(timedelta(hours=1))
        revealed = builders.make_encounter(near, bea)
        builders.make_review(revealed, bea)
        builders.make_review(revealed, near)  # both sides in: already revealed
        clock.travel(timedelta(hours=1))
        sealed_near = builders.make_encounter(near, ana)
        builders.make_review(sealed_near, ana)
        clock.travel(timedelta(hours=1))
        sealed_far = builders.make_encounter(far, bea)
        builders.make_review(sealed_far, far)
        first, second = sealed_near.closes_at, sealed_far.closes_at
        assert unreviewed.closes_at < revealed.closes_at < first < second

        now = clock.now()
        assert next_reveal(now) == first
        assert next_reveal(first) == second  # strictly after `since`
        assert next_reveal(second) is None
        assert next_reveal(now, Encounter.business_id, far.business_id) == second
        assert next_reveal(now, Encounter.customer_id, ana.id) == first
        assert next_reveal(first, Encounter.customer_id, ana.id) is None

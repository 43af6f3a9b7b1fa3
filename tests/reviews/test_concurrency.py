"""Two people of the same side submitting at the same moment store exactly one review."""

import threading

import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.errors import Conflict
from rating.extensions import db
from rating.reviews import services
from rating.reviews.models import Review
from tests import builders
from tests.builders import BUSINESS_SCORES


@pytest.fixture
def setup(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks and concurrent writers are a PostgreSQL matter")
    with app.app_context():
        owner = builders.make_business()
        staff = builders.make_staff(owner)
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        return owner.id, staff.id, encounter.id


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_submissions_store_exactly_one(app, setup, attempt):
    owner_id, staff_id, encounter_id = setup
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(user_id, patience):
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                services.submit_review(
                    user,
                    encounter_id,
                    {**BUSINESS_SCORES, "patience": patience},
                    expect_new=True,
                )
                outcomes.append("stored")
            except Conflict as error:
                outcomes.append(str(error.message))
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=submit, args=(owner_id, 2)),
        threading.Thread(target=submit, args=(staff_id, 4)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(
        ["stored", "Your side has already reviewed this encounter; edit that review."]
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Review.id))) == 1

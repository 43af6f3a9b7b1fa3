"""Twenty people pressing the same button at the same moment, on PostgreSQL.

Each thread signs in with its own test client, waits at a barrier, then sends the real web
form. Only the rows the rules allow may remain; every other sender gets a clean 409, never
an error page of ours (500) nor an exception; the scores equal a recomputation.
"""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.extensions import db
from rating.moderation.models import Flag, ModerationAction, ModerationItem
from rating.notifications.models import Notification
from rating.reviews.models import Review
from rating.scores.services import load_numbers
from rating.thanks.models import Thanks
from tests import builders
from tests.builders import BUSINESS_SCORES, CUSTOMER_SCORES, PASSWORD
from tests.scores.recompute import recompute

THREADS = 20
REVEALS = 8  # enough to meet the deadlock below every time; each one costs a second


@pytest.fixture
def pg(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "concurrent writers are a PostgreSQL matter: SQLite lets one writer in at a time"
        )


def run_together(app, jobs) -> list:
    """Run each (email, send) in its own thread, all released at once; returns the outcomes.

    An outcome is the response's status code, or the exception a request raised (the test
    app propagates exceptions, so an unhandled error shows here rather than as a 500).
    """
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def work(index, email, send):
        client = app.test_client()
        try:
            signed_in = client.post("/sign-in", data={"email": email, "password": PASSWORD})
            assert signed_in.status_code == 302, email
        finally:
            barrier.wait(timeout=60)
        try:
            response = send(client)
            outcomes[index] = (response.status_code, response.get_data(as_text=True))
        except Exception as error:  # noqa: BLE001 - any exception is what the test reports
            outcomes[index] = error

    threads = [
        threading.Thread(target=work, args=(index, email, send))
        for index, (email, send) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return outcomes


def statuses(outcomes) -> Counter:
    errors = [outcome for outcome in outcomes if not isinstance(outcome, tuple)]
    assert not errors, f"requests failed with exceptions: {errors!r}"
    return Counter(status for status, _ in outcomes)


def refusals(outcomes) -> set[str]:
    return {body for status, body in outcomes if status == 409}


def name_of(email: str) -> str:
    """Public text may not hold an email address: sign it with the address's first part."""
    return email.partition("@")[0]


def email_of(user_id: int) -> str:
    return db.session.get(User, user_id).email


def assert_scores_equal_a_recomputation(subjects) -> None:
    with_pending, _ = load_numbers(subjects)
    for subject in subjects:
        assert with_pending[subject] == pytest.approx(recompute(*subject)), subject


def both_sides(owner_email, staff_emails, customer_email):
    """Twenty senders: the customer in ten tabs, and the owner with nine staff members."""
    return [customer_email] * (THREADS // 2) + [owner_email, *staff_emails]


@pytest.fixture
def encounter(app, pg):
    """A confirmed encounter; the business has nine staff members besides the owner."""
    with app.app_context():
        owner = builders.make_business()
        staff = [builders.make_staff(owner).email for _ in range(THREADS // 2 - 1)]
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        return {
            "id": encounter.id,
            "senders": both_sides(owner.email, staff, customer.email),
            "subjects": [("business", owner.business_id), ("customer", customer.id)],
        }


def review_form(email, customer_email) -> dict:
    scores = CUSTOMER_SCORES if email == customer_email else BUSINESS_SCORES
    data = {name: str(value) for name, value in scores.items() if not isinstance(value, bool)}
    data |= {name: "yes" for name, value in scores.items() if value is True}
    return {**data, "mode": "new", "comment": f"Written by {name_of(email)}"}


def test_one_review_per_side_when_everyone_submits_at_once(app, encounter):
    customer_email = encounter["senders"][0]
    url = f"/encounters/{encounter['id']}/review"

    def sender(email):
        return lambda client: client.post(url, data=review_form(email, customer_email))

    outcomes = run_together(app, [(email, sender(email)) for email in encounter["senders"]])
    assert statuses(outcomes) == {302: 2, 409: THREADS - 2}
    # Late senders find their side's review in, or already revealed by the other side's.
    for body in refusals(outcomes):
        assert (
            "Your side has already reviewed this encounter" in body
            or "This review is revealed and locked" in body
        )
    with app.app_context():
        reviews = list(db.session.scalars(select(Review)))
        assert sorted(review.side for review in reviews) == ["business", "customer"]
        for review in reviews:  # each is one sender's review, whole
            assert review.comment == f"Written by {name_of(email_of(review.author_user_id))}"
            assert all(value is not None for value in review.scores().values())
        assert reviews[0].encounter.both_reviewed_at is not None  # revealed, once
        revealed = db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "reviews_revealed")
        ).all()
        # Once to each member of each side: the customer, the owner and nine staff.
        assert len(revealed) == len(set(revealed)) == 1 + THREADS // 2
        assert_scores_equal_a_recomputation(encounter["subjects"])


def test_one_thanks_per_side_when_everyone_thanks_at_once(app, encounter):
    url = f"/encounters/{encounter['id']}/thanks"

    def sender(email):
        return lambda client: client.post(url, data={"message": f"Thanks from {name_of(email)}"})

    outcomes = run_together(app, [(email, sender(email)) for email in encounter["senders"]])

    assert statuses(outcomes) == {302: 2, 409: THREADS - 2}
    assert all("already thanked them" in body for body in refusals(outcomes))
    with app.app_context():
        thanks = list(db.session.scalars(select(Thanks)))
        assert sorted(item.side for item in thanks) == ["business", "customer"]
        for item in thanks:
            assert item.message == f"Thanks from {name_of(email_of(item.author_user_id))}"
        assert_scores_equal_a_recomputation(encounter["subjects"])


@pytest.fixture
def public_review(app, pg):
    """A revealed customer review on a business page, and twenty readers."""
    with app.app_context():
        owner = builders.make_business()
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        review = builders.make_review(encounter, customer)
        builders.make_review(encounter, owner)
        readers = [builders.make_customer().email for _ in range(THREADS)]
        return {
            "id": review.id,
            "author_id": customer.id,
            "readers": readers,
            "subjects": [("business", owner.business_id), ("customer", customer.id)],
        }


def test_flags_at_once_count_each_person_once_and_hide_once(app, public_review):
    # Hidden at the twentieth person: every reader's flag must count on the way there.
    app.config["FLAG_HIDE_THRESHOLD"] = THREADS
    readers = public_review["readers"]
    data = {"target_type": "review", "target_id": str(public_review["id"]), "reason": "fake"}

    def send(client):
        return client.post("/flags", data=data)

    # Twenty readers flag it, and two of them press the button twice.
    senders = [*readers, readers[0], readers[1]]
    outcomes = run_together(app, [(email, send) for email in senders])

    counted = statuses(outcomes)
    assert counted[302] == THREADS
    # A second press is refused: as a repeat, or, once the review is hidden, as not found
    # (only those who can see an item may flag it).
    assert counted[409] + counted[404] == 2
    assert all("You have already flagged this." in body for body in refusals(outcomes))
    with app.app_context():
        flaggers = db.session.scalars(select(Flag.user_id)).all()
        assert len(flaggers) == len(set(flaggers)) == THREADS
        review = db.session.get(Review, public_review["id"])
        assert review.visibility == "hidden"
        items = db.session.scalars(select(ModerationItem)).all()
        assert [(item.kind, item.target_id, item.reasons) for item in items] == [
            ("flagged", review.id, "fake")
        ]
        hidings = db.session.scalar(
            select(func.count(ModerationAction.id)).where(ModerationAction.action == "auto_hide")
        )
        assert hidings == 1
        told = db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "item_hidden")
        ).all()
        assert told == [public_review["author_id"]]
        # The hidden review no longer counts, and was taken out of the scores exactly once.
        assert_scores_equal_a_recomputation(public_review["subjects"])


def test_reveals_between_the_same_two_profiles_at_once_all_succeed(app, pg):
    """A regular customer: many encounters with one business, each sealed on one side,
    all completed at the same moment (half by the customer, half by the business)."""
    with app.app_context():
        owner = builders.make_business()
        customer = builders.make_customer()
        jobs = []
        for n in range(REVEALS):
            encounter = builders.make_encounter(owner, customer)
            first, second = (customer, owner) if n % 2 else (owner, customer)
            builders.make_review(encounter, first)
            jobs.append((second.email, encounter.id))
        subjects = [("business", owner.business_id), ("customer", customer.id)]

    def sender(email, encounter_id):
        data = review_form(email, customer.email)
        return lambda client: client.post(f"/encounters/{encounter_id}/review", data=data)

    outcomes = run_together(app, [(email, sender(email, id_)) for email, id_ in jobs])

    assert statuses(outcomes) == {302: REVEALS}
    with app.app_context():
        assert_scores_equal_a_recomputation(subjects)

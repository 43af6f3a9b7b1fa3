"""Sealed reviews, reveal, replies, thanks and reveal-due, called on the services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from rating import clock
from rating.errors import Conflict, Invalid, NotAllowed, NotFound
from rating.extensions import db
from rating.notifications.models import Notification
from rating.notifications.services import notify_side
from rating.reviews import services
from rating.reviews.models import Review
from rating.reviews.reveal import reveal_due
from rating.thanks.services import send_thanks
from tests import builders
from tests.builders import BUSINESS_SCORES, CUSTOMER_SCORES


@pytest.fixture
def world(ctx):
    owner = builders.make_business()
    staff = builders.make_staff(owner)
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    return owner, staff, customer, encounter


def kinds(user):
    return [
        n.kind
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def count_reviews():
    return db.session.scalar(select(func.count(Review.id)))


def test_first_review_is_sealed_for_the_other_side(world):
    owner, _, customer, encounter = world
    builders.make_review(encounter, customer)
    seen_by_business = services.reviews_for(owner, encounter)
    assert seen_by_business.their_state == "sealed"
    assert seen_by_business.theirs is None
    assert services.reviews_for(customer, encounter).mine is not None
    assert "review_received" in kinds(owner)


def test_second_review_reveals_both_at_the_same_moment(world):
    owner, staff, customer, encounter = world
    builders.make_review(encounter, customer)
    builders.make_review(encounter, staff)
    for reader in (owner, customer):
        seen = services.reviews_for(reader, encounter)
        assert seen.their_state == "revealed" and seen.theirs is not None
    assert encounter.revealed_at() == encounter.both_reviewed_at
    assert kinds(customer).count("reviews_revealed") == 1
    assert kinds(owner).count("reviews_revealed") == 1


def test_deadline_reveals_without_any_command(world):
    owner, _, customer, encounter = world
    builders.make_review(encounter, customer)
    clock.travel(timedelta(days=14) - timedelta(seconds=1))
    assert services.reviews_for(owner, encounter).their_state == "sealed"
    clock.travel(timedelta(seconds=1))
    seen = services.reviews_for(owner, encounter)
    assert seen.their_state == "revealed" and seen.theirs.attention == 5


def test_edit_and_withdraw_while_sealed(world):
    _, _, customer, encounter = world
    builders.make_review(encounter, customer)
    review, created = services.submit_review(
        customer, encounter.id, {**CUSTOMER_SCORES, "attention": 2, "comment": "Slow."}
    )
    assert not created and (review.attention, review.comment) == (2, "Slow.")
    services.withdraw_review(customer, encounter.id)
    assert count_reviews() == 0


def test_revealed_review_is_locked(world):
    _, staff, customer, encounter = world
    builders.make_review(encounter, customer)
    builders.make_review(encounter, staff)
    with pytest.raises(Conflict, match="locked"):
        services.submit_review(customer, encounter.id, CUSTOMER_SCORES)
    with pytest.raises(Conflict, match="locked"):
        services.withdraw_review(customer, encounter.id)


def test_second_review_of_the_same_side_is_refused(world):
    owner, staff, _, encounter = world
    builders.make_review(encounter, owner)
    with pytest.raises(Conflict, match="already reviewed"):
        services.submit_review(staff, encounter.id, BUSINESS_SCORES, expect_new=True)
    assert count_reviews() == 1


@pytest.mark.parametrize("bad", [0, 6, -1, "5.5", "five", None, True])
def test_scores_must_be_1_to_5(world, bad):
    _, _, customer, encounter = world
    with pytest.raises(Invalid) as error:
        services.submit_review(customer, encounter.id, {**CUSTOMER_SCORES, "honesty": bad})
    assert "honesty" in error.value.fields
    assert count_reviews() == 0


def test_overlong_comment_and_note_are_refused(world):
    _, _, customer, encounter = world
    values = {**CUSTOMER_SCORES, "comment": "x" * 2001, "private_note": "y" * 1001}
    with pytest.raises(Invalid) as error:
        services.submit_review(customer, encounter.id, values)
    assert set(error.value.fields) == {"comment", "private_note"}


def test_stranger_and_admin_cannot_review(world):
    _, _, _, encounter = world
    for outsider in (builders.make_customer(), builders.make_admin(), builders.make_business()):
        with pytest.raises(NotFound):
            services.submit_review(outsider, encounter.id, CUSTOMER_SCORES)


def test_unconfirmed_encounter_reviewable_by_recorder_only(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(
        owner, customer, status="unconfirmed", recorded_by="customer"
    )
    builders.make_review(encounter, customer)
    with pytest.raises(NotAllowed, match="Confirm the encounter"):
        services.submit_review(owner, encounter.id, BUSINESS_SCORES)
    assert count_reviews() == 1


@pytest.mark.parametrize("status", ["contested", "voided"])
def test_contested_or_voided_cannot_be_reviewed(ctx, status):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer, status=status, recorded_by="customer")
    with pytest.raises(Conflict):
        services.submit_review(customer, encounter.id, CUSTOMER_SCORES)


def test_window_closed_refuses_new_reviews(world):
    _, _, customer, encounter = world
    clock.travel(timedelta(days=15))
    with pytest.raises(Conflict, match="closed"):
        services.submit_review(customer, encounter.id, CUSTOMER_SCORES)


def test_reply_rules(world):
    owner, staff, customer, encounter = world
    review = builders.make_review(encounter, customer)
    with pytest.raises(NotFound):  # sealed: the business may not see it yet
        services.reply_to_review(owner, review.id, "Thanks")
    builders.make_review(encounter, staff)
    with pytest.raises(NotAllowed):
        services.reply_to_review(customer, review.id, "Replying to myself")
    reply = services.reply_to_review(staff, review.id, "Thank you, Ana!")
    assert reply.text == "Thank you, Ana!"
    assert "reply_received" in kinds(customer)
    with pytest.raises(Conflict):
        services.reply_to_review(owner, review.id, "Again")
    services.edit_reply(owner, review.id, "Thank you so much!")
    assert review.reply.text == "Thank you so much!"
    with pytest.raises(Invalid):
        services.edit_reply(owner, review.id, "z" * 1001)


def test_thanks_once_per_side(world):
    owner, staff, customer, encounter = world
    thanks = send_thanks(customer, encounter.id, "¡Gracias!")
    assert thanks.message == "¡Gracias!"
    assert "thanks_received" in kinds(owner)
    with pytest.raises(Conflict):
        send_thanks(customer, encounter.id, "Again")
    send_thanks(staff, encounter.id, "Thank you for your patience.")
    with pytest.raises(Invalid):
        send_thanks(owner, encounter.id, "x" * 281)


def test_reveal_due_notifies_once_and_reminds_neutrally(world):
    owner, _, customer, encounter = world
    builders.make_review(encounter, customer)
    clock.travel(timedelta(days=3))
    first = reveal_due()
    assert first.reminders == 2  # owner and staff, who have not reviewed
    assert reveal_due().reminders == 0
    clock.travel(timedelta(days=9))
    assert reveal_due().reminders == 2  # the last reminder, two days before closing
    clock.travel(timedelta(days=2))
    report = reveal_due()
    assert report.revealed == 1
    assert reveal_due().revealed == 0
    assert kinds(customer).count("reviews_revealed") == 1
    assert "reminder_day3" not in kinds(customer)  # the customer had reviewed


def test_only_the_one_review_per_side_rule_reads_as_a_second_review(ctx):
    """A refusal by that constraint is the author's "already reviewed"; any other
    constraint's refusal is a fault, not reported as theirs."""
    owner, customer = builders.make_business(), builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    builders.make_review(encounter, customer)
    refusals = []
    for rows in (
        [Review(encounter_id=encounter.id, business_id=encounter.business_id,
                customer_id=encounter.customer_id, side="customer",
                author_user_id=customer.id, **CUSTOMER_SCORES)],
        [Notification(user_id=customer.id, kind="k", params={}, dedupe_key="same"),
         Notification(user_id=customer.id, kind="k", params={}, dedupe_key="same")],
    ):  # fmt: skip
        db.session.add_all(rows)
        try:
            db.session.flush()
        except IntegrityError as error:
            refusals.append(services._is_second_review(error))
        db.session.rollback()
    assert refusals == [True, False]


def test_notifications_reach_every_member_once_and_never_a_deleted_account(world):
    owner, staff, customer, encounter = world
    builders.make_review(encounter, customer)
    assert kinds(owner)[-1:] == kinds(staff)[-1:] == ["review_received"]
    for _ in range(2):  # a command run twice: the dedupe key lets one through
        notify_side(encounter, "business", "reminder", dedupe=f"test:{encounter.id}")
    assert kinds(owner)[-2:] == kinds(staff)[-2:] == ["review_received", "reminder"]
    customer.email = None  # as an erased account
    assert notify_side(encounter, "customer", "reminder") == 0
    assert notify_side(encounter, "business", "reminder") == 2

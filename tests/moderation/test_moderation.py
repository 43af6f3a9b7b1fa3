"""Screening on submit, flags, the queue, actions, sanctions, audit log and appeals."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from rating import clock
from rating.errors import Conflict, Invalid, NotAllowed, NotFound
from rating.extensions import db
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.models import Appeal, ModerationAction, ModerationItem, Strike
from rating.reviews import services as reviews
from rating.scores.services import profile
from rating.thanks.services import send_thanks
from tests import builders
from tests.builders import CUSTOMER_SCORES


@pytest.fixture
def world(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review = builders.make_review(encounter, customer, comment="Friendly and quick.")
    builders.make_review(encounter, owner)
    return owner, customer, encounter, review


def open_items(kind):
    return list(
        db.session.scalars(
            select(ModerationItem).where(
                ModerationItem.kind == kind, ModerationItem.status == "open"
            )
        )
    )


@pytest.mark.parametrize(
    ("comment", "field_message"),
    [
        ("THIS WAS THE WORST SERVICE EVER", "calmly"),
        ("Nunca más!!! Qué vergüenza", "calmly"),
        ("Call me on +34 612 345 678 to fix it", "phone"),
        ("Skriv til meg på ola@example.no", "email"),
    ],
)
def test_screening_refuses_and_stores_nothing(ctx, comment, field_message):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    with pytest.raises(Invalid) as error:
        reviews.submit_review(customer, encounter.id, {**CUSTOMER_SCORES, "comment": comment})
    assert "comment" in error.value.fields
    assert field_message in str(error.value.fields["comment"]).lower()
    assert db.session.scalar(select(func.count()).select_from(ModerationItem)) == 0


def test_contact_data_allowed_in_a_private_note(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review, _ = reviews.submit_review(
        customer, encounter.id, {**CUSTOMER_SCORES, "private_note": "ana@example.com"}
    )
    assert review.visibility == "visible"


@pytest.mark.parametrize("comment", ["You are an idiot", "Eres un gilipollas", "Du er en idiot"])
def test_abusive_words_are_held_not_deleted(ctx, comment):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review = builders.make_review(encounter, customer, comment=comment)
    builders.make_review(encounter, owner)
    assert review.visibility == "held" and review.comment == comment
    assert reviews.reviews_for(owner, encounter).theirs is None
    assert profile("business", owner.business_id).count == 0
    assert len(open_items("held")) == 1


def test_a_hold_is_in_the_audit_log_as_the_systems_doing(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review = builders.make_review(encounter, customer, comment="You are an idiot")
    [item] = open_items("held")
    [entry] = db.session.scalars(select(ModerationAction)).all()
    assert (entry.action, entry.actor_id) == ("hold", None)
    assert (entry.target_type, entry.target_id, entry.item_id) == ("review", review.id, item.id)
    assert entry.reason == "idiot"  # the words behind it, as the queue shows them
    with pytest.raises(NotFound):  # not a decision: the moderator's on the item is
        actions.appeal(customer, entry.id, "It is not abusive.")


def test_held_text_edited_clean_leaves_the_queue(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review, _ = reviews.submit_review(
        customer, encounter.id, {**CUSTOMER_SCORES, "comment": "You are an idiot"}
    )
    assert review.visibility == "held" and len(open_items("held")) == 1
    reviews.submit_review(
        customer, encounter.id, {**CUSTOMER_SCORES, "comment": "Slow, but polite."}
    )
    assert review.visibility == "visible"
    assert open_items("held") == []  # nothing left for a moderator to decide
    builders.make_review(encounter, owner)
    reply = reviews.reply_to_review(owner, review.id, "You are an idiot")
    assert reply.visibility == "held" and len(open_items("held")) == 1
    reviews.edit_reply(owner, review.id, "Thank you, we will be quicker.")
    assert reply.visibility == "visible" and open_items("held") == []


def test_three_flags_hide_and_approval_restores(world):
    owner, customer, encounter, review = world
    assert profile("business", owner.business_id).count == 1
    flaggers = [builders.make_customer() for _ in range(3)]
    for n, flagger in enumerate(flaggers):
        flag_item(flagger, FlagInput("review", review.id, "fake"))
        assert review.visibility == ("hidden" if n == 2 else "visible")
    assert profile("business", owner.business_id).count == 0
    admin = builders.make_admin()
    (item,) = open_items("flagged")
    actions.act(admin, item.id, "approve")
    assert review.visibility == "visible"
    assert profile("business", owner.business_id).count == 1


def test_second_flag_by_the_same_user_is_refused(world):
    _, _, _, review = world
    flagger = builders.make_customer()
    flag_item(flagger, FlagInput("review", review.id, "spam"))
    with pytest.raises(Conflict):
        flag_item(flagger, FlagInput("review", review.id, "abusive"))


def test_subject_flags_prioritise_but_do_not_hide_except_personal_data(ctx, app):
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    owner = builders.make_business()
    staff = builders.make_staff(owner)
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    review = builders.make_review(encounter, customer)
    builders.make_review(encounter, owner)
    flag_item(owner, FlagInput("review", review.id, "abusive"))
    assert review.visibility == "visible"
    assert open_items("flagged")[0].priority == 1
    flag_item(staff, FlagInput("review", review.id, "personal_data"))
    assert review.visibility == "hidden"


def test_nobody_flags_what_they_cannot_see(world):
    owner, customer, encounter, _ = world
    sealed_encounter = builders.make_encounter(owner, customer)
    sealed = builders.make_review(sealed_encounter, customer)
    with pytest.raises(NotFound):
        flag_item(owner, FlagInput("review", sealed.id, "fake"))
    with pytest.raises(NotFound):
        flag_item(builders.make_customer(), FlagInput("review", sealed.id + 99, "spam"))
    with pytest.raises(Invalid):
        flag_item(builders.make_customer(), FlagInput("business", owner.business_id, "x"))


def test_hide_needs_a_reason_and_notifies_with_it(world):
    _, customer, _, review = world
    flag_item(builders.make_customer(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    admin = builders.make_admin()
    with pytest.raises(Invalid):
        actions.act(admin, item.id, "hide", "")
    actions.act(admin, item.id, "hide", "Insults the staff")
    assert review.visibility == "hidden"
    log = db.session.scalars(select(ModerationAction)).all()
    assert [(a.action, a.actor_id, a.target_id, a.reason) for a in log] == [
        ("hide", admin.id, review.id, "Insults the staff")
    ]


def test_suspension_blocks_posting_and_is_a_strike(world):
    owner, customer, _, review = world
    other = builders.make_encounter(owner, customer)
    flag_item(builders.make_business(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    admin = builders.make_admin()
    actions.act(admin, item.id, "suspend", "Repeated insults", 7)
    assert db.session.scalar(select(Strike.kind).where(Strike.user_id == customer.id)) == "suspend"
    with pytest.raises(NotAllowed, match="suspended"):
        reviews.submit_review(customer, other.id, CUSTOMER_SCORES)
    with pytest.raises(NotAllowed):
        send_thanks(customer, other.id, "thanks")
    with pytest.raises(NotAllowed):
        flag_item(customer, FlagInput("business", owner.business_id, "spam"))
    clock.travel(timedelta(days=7, seconds=1))
    reviews.submit_review(customer, other.id, CUSTOMER_SCORES)


def test_ban_and_reinstate(world):
    owner, customer, _, review = world
    other = builders.make_encounter(owner, customer)
    flag_item(builders.make_customer(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    admin = builders.make_admin()
    actions.act(admin, item.id, "ban", "Threats")
    with pytest.raises(NotAllowed, match="banned"):
        reviews.submit_review(customer, other.id, CUSTOMER_SCORES)
    actions.act(admin, item.id, "reinstate")
    reviews.submit_review(customer, other.id, CUSTOMER_SCORES)


def test_admin_cannot_act_on_an_item_about_themselves(ctx):
    admin = builders.make_admin()
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    thanks = send_thanks(customer, encounter.id, "Gracias")
    flag_item(admin, FlagInput("thanks", thanks.id, "spam"))
    (item,) = open_items("flagged")
    other_admin = builders.make_admin()
    # The flagger may act (not about them); the author of the item may not.
    actions.act(other_admin, item.id, "approve")
    flag_item(builders.make_customer(), FlagInput("thanks", thanks.id, "spam"))
    (item,) = open_items("flagged")
    customer.kind = "admin"  # an admin who wrote the item
    with pytest.raises(NotAllowed):
        actions.act(customer, item.id, "hide", "x")
    db.session.rollback()


def test_contested_encounter_is_voided_or_confirmed(ctx):
    owner = builders.make_business()
    customer = builders.make_customer()
    encounter = builders.make_encounter(owner, customer, status="contested", recorded_by="customer")
    (item,) = open_items("contested")
    admin = builders.make_admin()
    with pytest.raises(Invalid):
        actions.act(admin, item.id, "hide", "x")
    actions.act(admin, item.id, "void", "No proof it happened")
    assert encounter.status == "voided"
    with pytest.raises(Conflict):
        actions.act(admin, item.id, "confirm")


def test_appeal_once_within_six_months(world):
    _, customer, _, review = world
    flag_item(builders.make_customer(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    admin = builders.make_admin()
    decision = actions.act(admin, item.id, "hide", "Rude")
    with pytest.raises(NotFound):
        actions.appeal(builders.make_customer(), decision.id, "Not mine")
    actions.appeal(customer, decision.id, "It was fair criticism.")
    with pytest.raises(Conflict):
        actions.appeal(customer, decision.id, "Again")
    (appeal_item,) = open_items("appeal")
    actions.act(builders.make_admin(), appeal_item.id, "approve", "Fair criticism indeed")
    assert review.visibility == "visible"
    assert db.session.scalar(select(Appeal.outcome)) == "granted"


def test_appeal_window_closes_after_six_months(world):
    _, customer, _, review = world
    flag_item(builders.make_customer(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    decision = actions.act(builders.make_admin(), item.id, "hide", "Rude")
    clock.travel(timedelta(days=184))
    with pytest.raises(Conflict):
        actions.appeal(customer, decision.id, "Late")


def test_audit_log_refuses_update_and_delete_on_postgresql(world, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the trigger is PostgreSQL's")
    _, _, _, review = world
    flag_item(builders.make_customer(), FlagInput("review", review.id, "abusive"))
    (item,) = open_items("flagged")
    actions.act(builders.make_admin(), item.id, "hide", "Rude")
    for statement in (
        "UPDATE moderation_actions SET reason = 'changed'",
        "DELETE FROM moderation_actions",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(ModerationAction.reason)) == "Rude"


def test_business_description_is_screened(ctx):
    from rating.accounts.services import BusinessDetails

    with pytest.raises(Invalid) as error:
        builders.make_business(
            business=BusinessDetails("Loud", "food", "Oslo", "BEST PIZZA IN TOWN CALL US NOW")
        )
    assert "business.description" in error.value.fields
    owner = builders.make_business(
        business=BusinessDetails("Rude", "food", "Oslo", "We serve no idiots here")
    )
    assert owner.business.description_held
    (item,) = open_items("held")
    actions.act(builders.make_admin(), item.id, "approve")
    assert not owner.business.description_held

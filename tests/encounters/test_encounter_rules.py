"""Encounter rules, called directly on the services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rating import clock
from rating.encounters import services
from rating.encounters.models import Encounter
from rating.errors import Conflict, Invalid, NotAllowed, NotFound, TooMany
from rating.extensions import db
from rating.notifications.models import Notification
from tests import builders


@pytest.fixture
def world(ctx):
    owner = builders.make_business(handle="cafe", business=None)
    staff = builders.make_staff(owner)
    customer = builders.make_customer(handle="ana")
    return owner, staff, customer


def notifications_of(user):
    return [
        n.kind
        for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    ]


def test_invitation_redeemed_makes_a_confirmed_encounter(world):
    owner, staff, customer = world
    invitation = services.create_invitation(staff, reference="T-1")
    encounter = services.redeem_invitation(customer, invitation.code)
    assert encounter.status == "confirmed"
    assert (encounter.business_id, encounter.customer_id) == (owner.business_id, customer.id)
    assert encounter.reference == "T-1"
    assert encounter.closes_at - encounter.created_at == timedelta(days=14)
    assert "invitation_redeemed" in notifications_of(owner)
    assert "invitation_redeemed" in notifications_of(staff)


def test_invitation_is_single_use(world):
    owner, _, customer = world
    other = builders.make_customer()
    invitation = services.create_invitation(owner)
    services.redeem_invitation(customer, invitation.code)
    with pytest.raises(Conflict, match="already been used"):
        services.redeem_invitation(other, invitation.code)
    assert db.session.scalar(select(func.count(Encounter.id))) == 1


def test_invitation_expires_after_30_days(world):
    owner, _, customer = world
    invitation = services.create_invitation(owner)
    clock.travel(timedelta(days=30, seconds=1))
    with pytest.raises(Conflict, match="expired"):
        services.redeem_invitation(customer, invitation.code)
    assert db.session.scalar(select(func.count(Encounter.id))) == 0


def test_only_customers_redeem_and_only_businesses_invite(world):
    owner, _, customer = world
    with pytest.raises(NotAllowed):
        services.create_invitation(customer)
    invitation = services.create_invitation(owner)
    with pytest.raises(NotAllowed):
        services.redeem_invitation(owner, invitation.code)
    with pytest.raises(NotFound):
        services.redeem_invitation(customer, "no-such-code")


def test_record_by_handle_is_unconfirmed_and_notifies_the_other_side(world):
    owner, _, customer = world
    today = clock.now().date()
    encounter = services.record_encounter(
        customer, services.RecordInput("@Cafe", today, " order 42 ")
    )
    assert (encounter.status, encounter.recorded_by_side, encounter.reference) == (
        "unconfirmed",
        "customer",
        "order 42",
    )
    assert "encounter_recorded" in notifications_of(owner)


@pytest.mark.parametrize(
    ("handle", "days_ago", "reference", "field"),
    [
        ("nobody", 0, None, "with"),
        ("cafe", -1, None, "occurred_on"),
        ("cafe", 400, None, "occurred_on"),
        ("cafe", 0, "r" * 81, "reference"),
    ],
)
def test_bad_records_are_refused(world, handle, days_ago, reference, field):
    _, _, customer = world
    day = clock.now().date() - timedelta(days=days_ago)
    with pytest.raises(Invalid) as error:
        services.record_encounter(customer, services.RecordInput(handle, day, reference))
    assert field in error.value.fields
    assert db.session.scalar(select(func.count(Encounter.id))) == 0


def test_business_cannot_record_with_another_business(world):
    owner, _, _ = world
    other = builders.make_business()
    with pytest.raises(Invalid):
        services.record_encounter(owner, services.RecordInput(other.handle, clock.now().date()))


def test_daily_cap_on_unconfirmed_records(app, world):
    app.config["UNCONFIRMED_RECORDS_PER_DAY"] = 2
    owner, _, customer = world
    today = clock.now().date()
    for _ in range(2):
        services.record_encounter(customer, services.RecordInput("cafe", today))
    with pytest.raises(TooMany):
        services.record_encounter(customer, services.RecordInput("cafe", today))
    clock.travel(timedelta(days=1, seconds=1))
    services.record_encounter(customer, services.RecordInput("cafe", today))


def test_other_side_confirms_and_recorder_cannot(world):
    owner, staff, customer = world
    encounter = services.record_encounter(owner, services.RecordInput("ana", clock.now().date()))
    with pytest.raises(NotAllowed):
        services.confirm_encounter(staff, encounter.id)  # same side as the recorder
    services.confirm_encounter(customer, encounter.id)
    assert encounter.status == "confirmed"
    with pytest.raises(Conflict):
        services.contest_encounter(customer, encounter.id, "never")


def test_contest_needs_a_reason_and_goes_contested(world):
    owner, _, customer = world
    encounter = services.record_encounter(
        customer, services.RecordInput("cafe", clock.now().date())
    )
    with pytest.raises(Invalid):
        services.contest_encounter(owner, encounter.id, "  ")
    services.contest_encounter(owner, encounter.id, "Never came in.")
    assert (encounter.status, encounter.contest_reason) == ("contested", "Never came in.")
    assert "encounter_contested" in notifications_of(customer)


def test_strangers_get_not_found(world):
    owner, _, customer = world
    stranger = builders.make_customer()
    encounter = builders.make_encounter(owner, customer)
    with pytest.raises(NotFound):
        services.encounter_for(stranger, encounter.id)
    with pytest.raises(NotFound):
        services.confirm_encounter(stranger, encounter.id)


def test_suspended_account_cannot_record(world):
    owner, _, customer = world
    customer.suspended_until = clock.now() + timedelta(days=3)
    db.session.commit()
    with pytest.raises(NotAllowed, match="suspended"):
        services.record_encounter(customer, services.RecordInput("cafe", clock.now().date()))

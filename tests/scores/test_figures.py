"""Every figure of a profile, with exact numbers on small hand-made data."""

from datetime import timedelta

import pytest

from rating import clock
from rating.encounters import services as encounters
from rating.reviews import services as reviews
from rating.scores.services import profile
from rating.thanks.services import send_thanks
from tests import builders


def customer_review(customer, encounter, attention, recommend=True, **others):
    values = {
        "attention": attention,
        "proactivity": 4,
        "promises_kept": 4,
        "respect": 4,
        "honesty": 4,
        "recommend": recommend,
        **others,
    }
    reviews.submit_review(customer, encounter.id, values)


def business_review(owner, encounter, patience=4, again=True):
    reviews.submit_review(
        owner,
        encounter.id,
        {
            "patience": patience,
            "clarity": 4,
            "respect": 4,
            "problem_reporting": 4,
            "would_serve_again": again,
        },
    )


@pytest.fixture
def business(ctx):
    return builders.make_business()


def revealed_reviews(owner, attentions, recommends=None):
    customers = []
    for index, attention in enumerate(attentions):
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        recommend = True if recommends is None else recommends[index]
        customer_review(customer, encounter, attention, recommend)
        business_review(owner, encounter)
        customers.append((customer, encounter))
    return customers


def test_two_reviews_show_no_score_only_the_count(business):
    revealed_reviews(business, [5, 4])
    shown = profile("business", business.business_id)
    assert shown.count == 2
    assert shown.scores is None and shown.overall is None


def test_three_reviews_give_the_bayesian_value(business):
    revealed_reviews(business, [5, 4, 3])
    shown = profile("business", business.business_id)
    assert shown.count == 3
    assert shown.scores["attention"] == pytest.approx((7 * 3.5 + 12) / 10)  # 3.65
    assert shown.scores["honesty"] == pytest.approx((7 * 3.5 + 12) / 10)  # 4,4,4
    assert shown.overall == pytest.approx(3.65)


def test_prior_comes_from_config(app, business):
    app.config.update(SCORE_PRIOR_MEAN=3.0, SCORE_PRIOR_WEIGHT=2, SCORE_MIN_REVIEWS=1)
    revealed_reviews(business, [5])
    assert profile("business", business.business_id).scores["attention"] == pytest.approx(
        (2 * 3.0 + 5) / 3
    )


def test_distribution_recommend_rate_and_reply_rate(business):
    pairs = revealed_reviews(business, [5, 1, 3, 5], recommends=[True, False, True, True])
    # Overall stars: (5+4+4+4+4)/5 = 4.2 → 4; (1+16)/5 = 3.4 → 3; 3.8 → 4; 4.2 → 4.
    customer, encounter = pairs[0]
    review = reviews.reviews_for(business, encounter).theirs
    reviews.reply_to_review(business, review.id, "Thank you!")
    shown = profile("business", business.business_id)
    assert shown.distribution == {1: 0, 2: 0, 3: 1, 4: 3, 5: 0}
    assert shown.verdict_rate == pytest.approx(0.75)
    assert shown.reply_rate == pytest.approx(0.25)


def test_sealed_unconfirmed_and_contested_reviews_do_not_count(business):
    sealed_customer = builders.make_customer()
    sealed = builders.make_encounter(business, sealed_customer)
    customer_review(sealed_customer, sealed, 1)
    recorder = builders.make_customer()
    unconfirmed = builders.make_encounter(
        business, recorder, status="unconfirmed", recorded_by="customer"
    )
    customer_review(recorder, unconfirmed, 1)
    clock.travel(timedelta(days=15))  # the unconfirmed one is revealed but never counts
    shown = profile("business", business.business_id)
    assert shown.count == 1  # only the sealed-then-deadline-revealed confirmed one
    assert shown.raw["sum_attention"] == 1


def test_deadline_reveal_counts_on_the_next_read_without_a_job(business):
    customer = builders.make_customer()
    encounter = builders.make_encounter(business, customer)
    customer_review(customer, encounter, 2)
    assert profile("business", business.business_id).count == 0
    clock.travel(timedelta(days=14))
    shown = profile("business", business.business_id)
    assert shown.count == 1
    assert shown.review_rate == 0.0  # the business did not review in time
    customer_side = profile("customer", customer.id)
    assert customer_side.review_rate == 1.0
    assert customer_side.gives_count == 1
    assert customer_side.gives_average == pytest.approx((2 + 4 * 4) / 5)


def test_review_rate_counts_closed_encounters_only(business):
    revealed_reviews(business, [4])  # closed by both reviews
    open_customer = builders.make_customer()
    builders.make_encounter(business, open_customer)  # open: not counted yet
    assert profile("business", business.business_id).review_rate == 1.0
    clock.travel(timedelta(days=14))
    assert profile("business", business.business_id).review_rate == 0.5


def test_thanks_received_and_how_a_business_rates_customers(business):
    pairs = revealed_reviews(business, [4, 4, 4])
    for customer, encounter in pairs[:2]:
        send_thanks(customer, encounter.id, "Gracias")
    send_thanks(business, pairs[2][1].id, "Thank you for your patience")
    shown = profile("business", business.business_id)
    assert shown.thanks_received == 2
    assert shown.gives_count == 3
    assert shown.gives_average == pytest.approx(4.0)
    assert profile("customer", pairs[2][0].id).thanks_received == 1


def test_median_time_to_review(business):
    customer = builders.make_customer()
    encounter = builders.make_encounter(business, customer)
    clock.travel(timedelta(hours=30))
    customer_review(customer, encounter, 4)
    business_review(business, encounter)
    assert profile("customer", customer.id).median_time_to_review_hours == 48


def test_trend_by_month(business):
    revealed_reviews(business, [5])
    clock.travel(timedelta(days=40))
    revealed_reviews(business, [3])
    trend = profile("business", business.business_id).trend
    assert [count for _, count, _ in trend] == [1, 1]
    assert trend[0][2] == pytest.approx((5 + 16) / 5)


def test_confirming_later_makes_revealed_reviews_count(business):
    customer = builders.make_customer()
    encounter = builders.make_encounter(
        business, customer, status="unconfirmed", recorded_by="business"
    )
    business_review(business, encounter, patience=2)
    clock.travel(timedelta(days=15))
    assert profile("customer", customer.id).count == 0
    encounters.confirm_encounter(customer, encounter.id)
    assert profile("customer", customer.id).count == 1


def test_rebuild_gives_the_same_aggregates(business):
    from rating.scores.rebuild import rebuild_all_aggregates
    from rating.scores.services import load_numbers
    from tests.scores.recompute import recompute

    pairs = revealed_reviews(business, [5, 2, 4])
    send_thanks(pairs[0][0], pairs[0][1].id, "Gracias")
    other = builders.make_customer()
    late = builders.make_encounter(business, other)
    customer_review(other, late, 3)
    clock.travel(timedelta(days=20))  # folded by nobody: pending until the rebuild
    subjects = [("business", business.business_id)] + [("customer", c.id) for c, _ in pairs]
    before, _ = load_numbers(subjects)
    rebuild_all_aggregates()
    after, _ = load_numbers(subjects)
    assert before == after
    for subject in subjects:
        assert after[subject] == pytest.approx(recompute(*subject))

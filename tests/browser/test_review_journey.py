"""Invitation to revealed reviews, reply and thanks: two people, two browsers, one Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {}  # real CSRF


def sign_in(page, base, email, password):
    page.goto(base + "/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()


def rate(page, answers: dict[str, str], verdict: str, comment: str):
    for question, level in answers.items():
        page.get_by_role("group", name=question).get_by_label(level).check()
    page.get_by_role("group", name=verdict).get_by_label("Yes").check()
    page.get_by_label("Comment (optional, public once revealed)").fill(comment)
    page.get_by_role("button", name="Submit sealed review").click()
    expect(page.get_by_text("Review submitted.")).to_be_visible()


def test_invitation_reviews_reveal_reply_and_thanks(
    browser, live_server, make_business, make_customer
):
    from tests.builders import PASSWORD

    owner = make_business(business=None, display_name="Lucía")
    customer = make_customer(display_name="Ana G.")
    business_page = browser.new_context().new_page()
    customer_page = browser.new_context().new_page()
    sign_in(business_page, live_server, owner.email, PASSWORD)
    sign_in(customer_page, live_server, customer.email, PASSWORD)

    business_page.get_by_role("link", name="Invitations").click()
    business_page.get_by_label("Reference (optional)").fill("Table 7")
    business_page.get_by_role("button", name="Create invitation").click()
    link = business_page.get_by_label("Link").input_value()
    assert "/invite/" in link

    customer_page.goto(link)
    customer_page.get_by_role("button", name="Confirm the encounter").click()
    expect(customer_page.get_by_text("confirmed. You can now review it.")).to_be_visible()
    customer_page.get_by_role("link", name="Write your review").click()
    rate(
        customer_page,
        {
            "Attention": "5 — excellent",
            "Initiative": "4 — very good",
            "Promises kept": "5 — excellent",
            "Respect": "5 — excellent",
            "Honesty": "4 — very good",
        },
        "Would you recommend this business?",
        "They remembered my order from last time.",
    )

    # The business knows a review is in, and nothing of what it says.
    business_page.get_by_role("link", name="Encounters").click()
    business_page.get_by_role("link", name="Ana G.").first.click()
    expect(business_page.get_by_text("They have submitted their review.")).to_be_visible()
    expect(business_page.get_by_text("They remembered my order")).to_have_count(0)
    business_page.get_by_role("link", name="Write your review").click()
    rate(
        business_page,
        {
            "Patience": "5 — excellent",
            "Clarity": "4 — very good",
            "Respect": "5 — excellent",
            "Reporting problems": "3 — good",
        },
        "Would you be glad to serve this customer again?",
        "A pleasure to serve.",
    )

    # Both revealed at once: each sees the other's review.
    expect(business_page.get_by_text("They remembered my order from last time.")).to_be_visible()
    customer_page.reload()
    expect(customer_page.get_by_text("A pleasure to serve.")).to_be_visible()

    business_page.get_by_label("Reply publicly (once)").fill("Thank you, Ana!")
    business_page.get_by_role("button", name="Publish reply").click()
    expect(business_page.get_by_text("Your reply is published.")).to_be_visible()
    customer_page.reload()
    expect(customer_page.get_by_text("Thank you, Ana!")).to_be_visible()

    customer_page.get_by_label("Your thanks").fill("¡Gracias, Lucía!")
    customer_page.get_by_role("button", name="Send thanks").click()
    expect(customer_page.get_by_text("Your thanks is sent.")).to_be_visible()
    business_page.reload()
    expect(business_page.get_by_text("¡Gracias, Lucía!")).to_be_visible()
    business_page.screenshot(path="test-results/review-journey-business.png", full_page=True)

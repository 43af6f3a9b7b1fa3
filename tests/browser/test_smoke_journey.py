"""A new customer's first visit, in a real Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {}  # real CSRF, as in production


def test_register_sign_out_sign_in_and_switch_to_spanish(page, live_server, database_url):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Create an account").first.click()

    page.get_by_label("a customer").check()
    page.get_by_label("Public name").fill("Ana G.")
    page.get_by_label("Handle").fill("ana-g")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("a long sentence here")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to Reciproca, Ana G.!")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("a long sentence here")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Ana G. (@ana-g).")).to_be_visible()

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Valoraciones a ambos lados del mostrador"
    )
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    # The choice is kept in the account: a new sign-in comes back in Spanish.
    page.get_by_role("button", name="Cerrar sesión").click()
    page.context.clear_cookies()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("a long sentence here")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.screenshot(path=f"test-results/smoke-journey-{database_url.split(':')[0]}.png")

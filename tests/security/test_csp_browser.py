"""Chromium loads the pages under the Content-Security-Policy without a violation."""

import pytest

from tests.builders import PASSWORD

pytestmark = pytest.mark.browser

# Runs before any page script: records what the policy blocks.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(message.text))
    yield page
    context.close()


def violations(page) -> list[str]:
    reported = page.evaluate("window.__violations")
    in_console = [line for line in page.console_lines if "Content Security Policy" in line]
    return reported + in_console


def test_pages_and_forms_load_without_csp_violations(page, live_server, make_business):
    owner = make_business()
    for path in ("/", "/sign-in", "/register", "/forgot-password", "/how-reviews-work"):
        response = page.goto(live_server + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations(page) == [], path
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/")
    # The invitations page runs our one script (static/js/copy.js).
    for path in ("/invitations", "/settings", "/encounters"):
        page.goto(live_server + path)
        assert violations(page) == [], path


def test_an_inline_script_would_be_blocked_and_reported(page, live_server):
    page.goto(live_server + "/")
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.__inlineRan = true';
          document.body.append(script);
        }"""
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__inlineRan") is None
    assert any(line.startswith("script-src") for line in violations(page))

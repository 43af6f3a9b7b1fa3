"""Spanish is complete: every marked string is translated and no page keeps English text."""

import subprocess
import sys
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from tests import ROOT

# Text that is the same in both languages by nature.
SAME_IN_BOTH = {
    "No",
    "Error 404",
    "Error 404 · Reciproca",
    "Reciproca",
    "English",
    "Español",
    "·",
    ":",
    "@",
    "(C × m + Σx) / (C + n)",
}
TRANSLATED_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            if value and name in TRANSLATED_ATTRIBUTES:
                self.texts.add(value.strip())
        if tag == "meta" and attributes.get("name") == "description":
            self.texts.add(attributes["content"].strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def texts(html: str) -> set[str]:
    collector = TextCollector()
    collector.feed(html)
    return collector.texts


def test_every_marked_string_has_a_spanish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--ignore-dirs",
            ".* __pycache__",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (ROOT / "rating/translations/es/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = [
        str(message_id)
        for message_id in wanted
        if not (
            catalog.get(message_id)
            and catalog.get(message_id).string
            and not catalog.get(message_id).fuzzy
        )
    ]
    assert not missing, f"untranslated in Spanish: {missing}"


PUBLIC_PAGES = ["/", "/how-reviews-work", "/register", "/sign-in", "/no-such-page"]
SIGNED_IN_PAGES = ["/settings", "/business/staff"]


def english_left(client, path):
    english = texts(client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True))
    response = client.get(path, headers={"Accept-Language": "es"})
    spanish_page = response.get_data(as_text=True)
    assert '<html lang="es">' in spanish_page
    same = (texts(spanish_page) & english) - SAME_IN_BOTH
    return sorted(t for t in same if any(c.isalpha() for c in t))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_english_left_in_spanish(client, path):
    assert english_left(client, path) == []


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_have_no_english_left_in_spanish(client, auth, make_business, path):
    owner = make_business(display_name="Lucía", handle="aurora", email="l@example.com")
    auth.login(owner)
    left = english_left(client, path)
    # The owner's own data appears in both languages.
    assert [t for t in left if not any(own in t for own in ("Lucía", "aurora", "l@example"))] == []


def test_form_errors_are_in_spanish(client):
    response = client.post(
        "/register", data={"kind": "customer", "handle": "x"}, headers={"Accept-Language": "es"}
    )
    page = response.get_data(as_text=True)
    assert "This field is required." not in page
    assert "Use 3 to 30 characters" not in page


def test_language_switch_remembers_the_choice(client):
    client.post("/language", data={"language": "es", "next": "/how-reviews-work"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in page


def test_user_setting_beats_the_browser(client, auth, make_customer):
    user = make_customer()
    auth.login(user)
    client.post("/settings", data={"display_name": "Ana", "language": "es"})
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in page


@pytest.fixture
def encounter_world(app):
    from tests import builders

    with app.app_context():
        owner = builders.make_business(display_name="Lucía", handle="aurora", business=None)
        customer = builders.make_customer(display_name="Ana", handle="ana")
        encounter = builders.make_encounter(owner, customer)
        builders.make_review(encounter, customer, comment="Great")
        from rating.encounters.services import create_invitation

        code = create_invitation(owner).code
        from rating.encounters.models import Invitation
        from rating.extensions import db

        codes = tuple(db.session.scalars(db.select(Invitation.code)))
        return {
            "owner": owner.email,
            "customer": customer.email,
            "encounter": encounter.id,
            "code": code,
            "own_data": (
                *codes,
                "Lucía",
                "Ana",
                "aurora",
                "ana",
                "Great",
                "Business ",
                "ref-1",
                "@example.com",
            ),
        }


ENCOUNTER_PAGES = [
    ("customer", "/encounters"),
    ("customer", "/encounters/new"),
    ("customer", "/encounters/{encounter}"),
    ("customer", "/encounters/{encounter}/review"),
    ("customer", "/notifications"),
    ("customer", "/invite/{code}"),
    ("owner", "/invitations"),
    ("owner", "/encounters/{encounter}"),
    ("owner", "/notifications"),
]


@pytest.mark.parametrize(("who", "path"), ENCOUNTER_PAGES)
def test_encounter_pages_have_no_english_left_in_spanish(client, auth, encounter_world, who, path):
    auth.login(encounter_world[who])
    left = english_left(client, path.format(**encounter_world))
    own = encounter_world["own_data"]
    assert [t for t in left if not any(data in t for data in own)] == []


def test_templates_follow_a_change_of_language_within_a_request(app):
    """Templates keep the request's translations (rating.i18n.request_translations), yet
    an email rendered in its recipient's language, and what follows it, are right."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    page = "{{ _('All businesses') }}"
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert render_template_string(page) == "Todas las empresas"
        with force_locale("en"):
            assert render_template_string(page) == "All businesses"
        assert render_template_string(page) == "Todas las empresas"
        app.config["LANGUAGES"] = ("en",)  # a language no longer offered: chosen again
        refresh()
        assert render_template_string(page) == "All businesses"

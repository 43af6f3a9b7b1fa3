"""Stored XSS: known payloads through every free-text field, every page that shows them
loaded in Chromium, and no script runs.

Each payload in xss_payloads.txt goes through each free-text field a user can fill, by
the real web forms (test client POSTs): public names (registration, settings, staff),
business name, city and description, references (invitation and record forms), review
comments and private notes, replies and thanks on both sides, contest reasons, flag
notes, a moderator's reason (told to the author) and appeals. Field f of entity i gets
payload (i + offset of f), so every field holds every payload and a page shows distinct
payloads in distinct fields. A refused payload (NUL, a link, shouting) is fine; the form
then goes again with a plain text and the payload is stored straight into the column, so
that the pages are proven on every payload all the same.

The Content-Security-Policy forbids inline script, so broken escaping would not show as a
dialog: the checks in the browser are structural as well. On every page: no alert,
confirm, prompt or print call, no dialog, no CSP violation, no console error, and no
element or attribute a payload could have made (a tag no template uses, an on* or style
attribute, a script that is not ours, a javascript: or data: link, a foreign svg...). And
each payload must be readable as text in the element that shows its field: escaped, not
interpreted ("{{7*7}}" stays "{{7*7}}").
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters import services as encounter_services
from rating.encounters.models import Encounter, Invitation
from rating.extensions import db
from rating.moderation import actions
from rating.moderation.models import Appeal, Flag, ModerationAction, ModerationItem
from rating.moderation.screening import screen
from rating.profiles import services as profile_services
from rating.reviews.models import Reply, Review
from rating.thanks.models import Thanks
from tests import ROOT, builders

CODE_POINT = re.compile(r"⟨U\+([0-9A-F]{4,6})⟩")


def load_payloads() -> list[str]:
    lines = (Path(__file__).with_name("xss_payloads.txt")).read_text(encoding="utf-8")
    return [
        CODE_POINT.sub(lambda m: chr(int(m.group(1), 16)), line)
        for line in lines.splitlines()
        if line and line != "#" and not line.startswith("# ")
    ]


PAYLOADS = load_payloads()
N = len(PAYLOADS)
# Field -> offset: entity i gets PAYLOADS[(i + offset) % N] in that field.
FIELDS = [
    "owner_name",  # registration form, business owner's public name
    "business_name",
    "city",
    "description",
    "registered_name",  # registration form, customer's public name (changed in settings)
    "customer_name",  # settings form
    "staff_name",  # staff form
    "hub_reference",  # invitation form (hub business)
    "customer_comment",
    "customer_note",
    "business_comment",
    "business_note",
    "business_reply",
    "customer_reply",
    "customer_thanks",
    "business_thanks",
    "invitation_reference",  # invitation form (each business)
    "rated_comment",  # each business's review of the hub customer
    "rating_comment",  # the hub customer's review of each business
    "rated_reply",  # the hub customer's reply to the business's review
    "record_reference",  # record form
    "contest_reason",
    "warn_reason",
    "appeal_text",
    "flag_note",
]
OFFSETS = {name: n for n, name in enumerate(FIELDS)}
PLACEHOLDER = "A calm and plain text."
CUSTOMER_SCORES = {
    "attention": "5",
    "proactivity": "4",
    "promises_kept": "4",
    "respect": "5",
    "honesty": "5",
    "recommend": "yes",
}
BUSINESS_SCORES = {
    "patience": "4",
    "clarity": "4",
    "respect": "5",
    "problem_reporting": "3",
    "would_serve_again": "yes",
}


def pay(name: str, i: int) -> str:
    return PAYLOADS[(i + OFFSETS[name]) % N]


def shown(text: str) -> str:
    """What a reader sees: the HTML parser drops NUL (or makes it U+FFFD), whitespace
    runs read as one space, and the services trim the text."""
    return " ".join(text.replace("\x00", "").replace("\ufffd", "").split())


@pytest.fixture
def app_config():
    # Every customer flags one review (with a payload as note): no threshold hides it.
    return {"WTF_CSRF_ENABLED": False, "FLAG_HIDE_THRESHOLD": 10_000}


def test_payload_list_is_real_and_varied():
    assert N >= 50
    assert len(set(PAYLOADS)) == N
    assert all(p.strip() and len(p) <= 80 for p in PAYLOADS)
    # No payload inside another: finding one on a page means that one was shown.
    assert not [(a, b) for a in PAYLOADS for b in PAYLOADS if a != b and shown(a) in shown(b)]
    kinds = ["<script", "onerror=", "onload=", "<svg", "javascript:", "srcdoc", "{{", "{%", "\x00"]
    assert all(any(kind in p.lower() for p in PAYLOADS) for kind in kinds)
    assert len(FIELDS) < N  # each page shows distinct payloads in distinct fields


# --- Sending the payloads through the forms ------------------------------------------


@dataclass
class Account:
    client: object
    user_id: int
    handle: str
    keep_flashes: bool = False
    flashes_shown: bool = False  # a refused form showed (and so used up) its flashes


@dataclass
class Stored:
    """A payload that must be in a column; `refused` when the form refused it."""

    model: type
    row_id: int
    column: str
    payload: str
    refused: bool = False


def refused_fields(texts: dict) -> set[str]:
    """The fields the app refuses: text no database can hold (NUL: 422 for the whole
    form) and text the screening refuses (links, shouting: 422 for that field)."""
    return {
        name
        for name, (payload, public) in texts.items()
        if "\x00" in payload
        or (public is not None and screen(payload, public=public).outcome == "refuse")
    }


@dataclass
class World:
    """Users, encounters, reviews and moderation, every text a payload, made through the
    web forms (SQLite for the browser test: NUL is one of the payloads, and PostgreSQL
    cannot store it even straight into a column)."""

    app: object
    stored: list[Stored] = field(default_factory=list)
    refusal_pages: list[tuple[str, str]] = field(default_factory=list)

    def scalar(self, statement):
        with self.app.app_context():
            return db.session.scalar(statement)

    def post(self, account: Account, url: str, data: dict):
        response = account.client.post(url, data=data)
        if not account.keep_flashes:
            # Hubs post hundreds of times: their flashed messages would overflow the cookie.
            with account.client.session_transaction() as session:
                session.pop("_flashes", None)
        return response

    def ok(self, account: Account, url: str, data: dict):
        response = self.post(account, url, data)
        assert response.status_code in (302, 303), (url, response.status_code)
        return response

    def send(
        self, account: Account, url: str, data: dict, texts: dict, resend: bool = True
    ) -> tuple[set, object]:
        """POST a form with payloads: `texts` maps a field to (payload, public), public
        being how the screening sees it (None: not screened).

        A refusal is fine: the form then goes again with a plain text in place of each
        refused payload, and the caller stores the payload straight into its column
        (`store`), so that the pages are still proven to show every payload safely.
        """
        response = self.post(account, url, {**data, **{k: p for k, (p, _) in texts.items()}})
        if response.status_code in (302, 303):
            return set(), response
        refused = refused_fields(texts)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and refused, (url, response.status_code, page[-999:])
        account.flashes_shown = True
        self.refusal_pages.append((url, page))
        if not resend:
            return refused, response
        retry = {k: PLACEHOLDER if k in refused else p for k, (p, _) in texts.items()}
        return refused, self.ok(account, url, {**data, **retry})

    def store(self, model, row_id: int, column: str, payload: str, refused: bool) -> None:
        """Expect the payload in this column; store it there first if it was refused."""
        self.stored.append(Stored(model, row_id, column, payload, refused))
        if refused:
            self.store_refused(model, row_id, column, payload)

    def store_refused(self, model, row_id: int, column: str, payload: str) -> None:
        with self.app.app_context():
            db.session.execute(
                update(model).where(model.id == row_id).values({column: payload.strip()})
            )
            db.session.commit()

    def act(self, item: int, action: str, reason: str) -> int:
        """A moderator's action. The audit log is append-only, so a reason the form refuses
        (NUL) goes through the service itself rather than into the logged row afterwards."""
        refused, _ = self.send(
            self.admin,
            f"/moderation/items/{item}/actions",
            {"action": action},
            {"reason": (reason, None)},
            resend=False,
        )
        if refused:
            with self.app.app_context():
                admin = db.session.get(User, self.admin.user_id)
                actions.act(admin, item, action, reason)
        logged = self.scalar(
            select(ModerationAction.id).where(
                ModerationAction.item_id == item, ModerationAction.action == action
            )
        )
        self.stored.append(Stored(ModerationAction, logged, "reason", reason, bool(refused)))
        return logged

    def register(self, kind: str, handle: str, display_name: str, **business) -> Account:
        account = Account(self.app.test_client(), 0, handle, keep_flashes=kind == "business")
        data = {
            "kind": kind,
            "handle": handle,
            "email": f"{handle}@example.com",
            "password": builders.PASSWORD,
            "category": "food",
        }
        texts = {"display_name": (display_name, None)}
        if kind == "business":
            texts |= {
                "business_name": (business["name"], None),
                "city": (business["city"], None),
                "description": (business["description"], True),
            }
        refused, _ = self.send(account, "/register", data, texts)
        with self.app.app_context():
            user_id, business_id = db.session.execute(
                select(User.id, User.business_id).where(User.handle == handle)
            ).one()
        account.user_id = user_id
        self.store(User, user_id, "display_name", display_name, "display_name" in refused)
        if kind == "business":
            for column, name in (("name", "business_name"), ("city", "city")):
                self.store(Business, business_id, column, texts[name][0], name in refused)
            self.store(
                Business,
                business_id,
                "description",
                business["description"],
                "description" in refused,
            )
        return account

    def sign_in_admin(self) -> Account:
        with self.app.app_context():
            admin = builders.make_admin()
            user_id, email, handle = admin.id, admin.email, admin.handle
        client = self.app.test_client()
        response = client.post("/sign-in", data={"email": email, "password": builders.PASSWORD})
        assert response.status_code == 302
        return Account(client, user_id, handle)

    def invite(self, business: Account, customer: Account, reference: str) -> tuple[int, str]:
        refused, response = self.send(
            business, "/invitations", {}, {"reference": (reference, None)}
        )
        code = urlsplit(response.location).query.removeprefix("new=")
        invitation = self.scalar(select(Invitation.id).where(Invitation.code == code))
        self.store(Invitation, invitation, "reference", reference, bool(refused))
        response = self.ok(customer, f"/invite/{code}", {})
        encounter_id = int(response.location.rsplit("/", 1)[1])
        self.store(Encounter, encounter_id, "reference", reference, False)  # copied
        return encounter_id, code

    def review(self, author: Account, encounter_id: int, side: str, comment: str, note: str):
        scores = CUSTOMER_SCORES if side == "customer" else BUSINESS_SCORES
        texts = {"comment": (comment, True), "private_note": (note, False)}
        refused, _ = self.send(
            author, f"/encounters/{encounter_id}/review", {**scores, "mode": "new"}, texts
        )
        review_id = self.scalar(
            select(Review.id).where(Review.encounter_id == encounter_id, Review.side == side)
        )
        self.store(Review, review_id, "comment", comment, "comment" in refused)
        if note:
            self.store(Review, review_id, "private_note", note, "private_note" in refused)
        return review_id

    def reply(self, author: Account, review_id: int, text: str) -> None:
        refused, _ = self.send(
            author, f"/reviews/{review_id}/reply", {"mode": "new"}, {"text": (text, True)}
        )
        reply_id = self.scalar(select(Reply.id).where(Reply.review_id == review_id))
        self.store(Reply, reply_id, "text", text, bool(refused))

    def thank(self, author: Account, encounter_id: int, side: str, message: str) -> None:
        refused, _ = self.send(
            author, f"/encounters/{encounter_id}/thanks", {}, {"message": (message, True)}
        )
        thanks_id = self.scalar(
            select(Thanks.id).where(Thanks.encounter_id == encounter_id, Thanks.side == side)
        )
        self.store(Thanks, thanks_id, "message", message, bool(refused))

    def build(self) -> None:
        """Everything through the web forms, as the users would do it."""
        self.admin = self.sign_in_admin()
        hub = {"name": "Hub Café", "city": "Madrid", "description": "The hub."}
        self.hub = self.register("business", "hub-cafe", "Hub owner", **hub)
        self.hub.keep_flashes = False
        house = {"name": "Staff House", "city": "Oslo", "description": "Many hands."}
        self.staff_house = self.register("business", "staff-house", "Staff owner", **house)
        self.staff_house.keep_flashes = False
        self.kim = self.register("customer", "kim", "Kim K.")
        self.businesses, self.hub_encounters, self.contested, self.appeals = [], [], [], []
        self.codes = []  # of the invitations each business gave the hub customer
        for i in range(N):
            self.build_one(i)
        self.flagged_first = self.scalar(
            select(ModerationItem.id).where(
                ModerationItem.kind == "flagged", ModerationItem.target_id == self.first_review
            )
        )

    def build_one(self, i: int) -> None:
        business = self.register(
            "business",
            f"xss-b{i}",
            pay("owner_name", i),
            name=pay("business_name", i),
            city=pay("city", i),
            description=pay("description", i),
        )
        self.businesses.append(business)
        handle = f"xss-s{i}"
        refused, _ = self.send(
            self.staff_house,
            "/business/staff",
            {"handle": handle, "email": f"{handle}@example.com", "password": builders.PASSWORD},
            {"display_name": (pay("staff_name", i), None)},
        )
        staff_id = self.scalar(select(User.id).where(User.handle == handle))
        self.store(User, staff_id, "display_name", pay("staff_name", i), bool(refused))

        customer = self.register("customer", f"xss-c{i}", pay("registered_name", i))
        self.check_stored([self.stored.pop()])  # before the settings form changes it
        refused, _ = self.send(
            customer,
            "/settings",
            {"language": ""},
            {"display_name": (pay("customer_name", i), None)},
        )
        self.store(User, customer.user_id, "display_name", pay("customer_name", i), bool(refused))

        # The hub business and customer i: reviews, notes, replies and thanks both ways.
        encounter, _ = self.invite(self.hub, customer, pay("hub_reference", i))
        self.hub_encounters.append(encounter)
        comment, note = pay("customer_comment", i), pay("customer_note", i)
        theirs = self.review(customer, encounter, "customer", comment, note)
        comment, note = pay("business_comment", i), pay("business_note", i)
        ours = self.review(self.hub, encounter, "business", comment, note)
        self.reply(self.hub, theirs, pay("business_reply", i))
        self.reply(customer, ours, pay("customer_reply", i))
        self.thank(customer, encounter, "customer", pay("customer_thanks", i))
        self.thank(self.hub, encounter, "business", pay("business_thanks", i))

        # Business i and the hub customer, whose page lists the reviews of businesses.
        met, code = self.invite(business, self.kim, pay("invitation_reference", i))
        self.codes.append(code)
        rated = self.review(business, met, "business", pay("rated_comment", i), "")
        rating = self.review(self.kim, met, "customer", pay("rating_comment", i), "")
        self.reply(self.kim, rated, pay("rated_reply", i))

        # An encounter the hub customer records and business i contests: open in the queue.
        refused, response = self.send(
            self.kim,
            "/encounters/new",
            {"with_handle": business.handle, "occurred_on": date.today().isoformat()},
            {"reference": (pay("record_reference", i), None)},
        )
        record = int(response.location.rsplit("/", 1)[1])
        self.store(Encounter, record, "reference", pay("record_reference", i), bool(refused))
        reason = pay("contest_reason", i)
        refused, _ = self.send(
            business, f"/encounters/{record}/contest", {}, {"reason": (reason, None)}
        )
        item = self.scalar(
            select(ModerationItem.id).where(
                ModerationItem.kind == "contested", ModerationItem.target_id == record
            )
        )
        self.store(Encounter, record, "contest_reason", reason, bool(refused))
        self.store(ModerationItem, item, "reasons", reason, bool(refused))
        self.contested.append(item)

        # Business i flags the hub customer's review of it; the moderator warns the hub
        # customer, who appeals. And every customer flags the first review, with a note.
        flag = {"target_type": "review", "reason": "other", "next": "/"}
        self.ok(business, "/flags", {**flag, "target_id": rating, "note": "Please check."})
        item = self.scalar(
            select(ModerationItem.id).where(
                ModerationItem.kind == "flagged", ModerationItem.target_id == rating
            )
        )
        warning = self.act(item, "warn", pay("warn_reason", i))
        text = pay("appeal_text", i)
        refused, _ = self.send(
            self.kim, f"/moderation/actions/{warning}/appeal", {}, {"text": (text, None)}
        )
        appeal = self.scalar(select(Appeal.id).where(Appeal.action_id == warning))
        self.store(Appeal, appeal, "text", text, bool(refused))
        self.appeals.append(
            self.scalar(
                select(ModerationItem.id).where(
                    ModerationItem.kind == "appeal", ModerationItem.target_id == warning
                )
            )
        )
        if i == 0:
            self.first_review = theirs
        note = pay("flag_note", i)
        refused, _ = self.send(
            customer, "/flags", {**flag, "target_id": self.first_review}, {"note": (note, None)}
        )
        flag_id = self.scalar(
            select(Flag.id).where(
                Flag.user_id == customer.user_id, Flag.target_id == self.first_review
            )
        )
        self.store(Flag, flag_id, "note", note, bool(refused))

    def check_stored(self, items: list[Stored] | None = None) -> None:
        """Every column holds its payload as sent (trimmed, as the services trim text)."""
        by_column: dict[tuple, list[Stored]] = {}
        for item in self.stored if items is None else items:
            by_column.setdefault((item.model, item.column), []).append(item)
        wrong = []
        with self.app.app_context():
            for (model, column), group in by_column.items():
                values = dict(
                    db.session.execute(
                        select(model.id, getattr(model, column)).where(
                            model.id.in_([item.row_id for item in group])
                        )
                    ).all()
                )
                wrong += [
                    (model.__name__, column, item.payload, values[item.row_id])
                    for item in group
                    if values[item.row_id] != item.payload.strip()
                ]
        assert not wrong

    def check_every_field_has_every_payload(self) -> None:
        found = Counter(item.payload for item in self.stored if item.payload in PAYLOADS)
        # One column each, two for references (invitation and encounter) and contests
        # (encounter and queue item); the registration name was checked, then replaced.
        assert found == dict.fromkeys(PAYLOADS, len(FIELDS) + 2), found


# --- What the pages must show ---------------------------------------------------------


@dataclass
class Visit:
    """Pages loaded as one user (None: signed out), and where each payload must show.

    `expect` holds (CSS selector, payload): some element matching the selector shows the
    payload as text (its value for input, option and meta). `follow` names a link to the
    next page of a list, followed until there is none.
    """

    name: str
    account: Account | None
    paths: list[str]
    expect: list[tuple[str, str]]
    follow: str | None = None


def visits(world: World) -> list[Visit]:
    app = world.app
    hub_id = world.scalar(select(Business.id).where(Business.handle == "hub-cafe"))
    with app.app_context():
        home_thanks = [t.message for t in profile_services.recent_public_thanks()]
        hub_thanks = [t.message for t in profile_services.recent_thanks_to_business(hub_id)]
        hub_invitations = [
            inv.reference for inv in encounter_services.invitations_of(hub_id) if inv.reference
        ]
        total_open = db.session.scalar(
            select(db.func.count(ModerationItem.id)).where(ModerationItem.status == "open")
        )
    listed = [*home_thanks, *hub_thanks, *hub_invitations]
    assert home_thanks and hub_thanks and hub_invitations
    assert set(listed) <= {payload.strip() for payload in PAYLOADS}
    every = range(N)
    result = [
        Visit(
            "home",
            None,
            ["/"],
            [("blockquote.thanks", t) for t in home_thanks],
        ),
        Visit(
            "directory",
            None,
            ["/businesses"],
            [(".business-card h2", pay("business_name", i)) for i in every]
            + [(".business-card .muted", pay("city", i)) for i in every]
            + [("#city option", pay("city", i)) for i in every],
            follow="Next page",
        ),
        Visit(
            "hub business page",
            None,
            ["/businesses/hub-cafe"],
            [(".review-head strong", pay("customer_name", i)) for i in every]
            + [(".review-card .comment", pay("customer_comment", i)) for i in every]
            + [(".reply p", pay("business_reply", i)) for i in every]
            + [("blockquote.thanks", t) for t in hub_thanks],
            follow="Older reviews",
        ),
    ]
    for i, business in enumerate(world.businesses):
        result += [
            Visit(
                f"business {i}, as its owner",
                business,
                [f"/businesses/{business.handle}"],
                [
                    ("title", pay("business_name", i)),
                    ("meta[name=description]", pay("business_name", i)),
                    ("meta[name=description]", pay("city", i)),
                    ("meta[property='og:title']", pay("business_name", i)),
                    ("h1", pay("business_name", i)),
                    (".page-head .meta", pay("city", i)),
                    ("p.lead", pay("description", i)),
                    (".review-card .comment", pay("rating_comment", i)),
                ]
                # "Welcome to Reciproca, ...!", unless a refused form showed it already.
                + [(".flash", pay("owner_name", i))] * (not business.flashes_shown),
            ),
            Visit(
                f"settings of business {i}'s owner",
                business,
                ["/settings"],
                [("input#display_name", pay("owner_name", i))],
            ),
            Visit(
                f"invitation from business {i}",
                business,
                [f"/invite/{world.codes[i]}"],
                [("h1", pay("business_name", i))],
            ),
        ]
    mine, theirs = "section[aria-labelledby=mine-title]", "section[aria-labelledby=theirs-title]"
    result += [
        Visit(
            "hub dashboard",
            world.hub,
            ["/encounters"],
            [(".encounter-row strong", pay("customer_name", i)) for i in every]
            + [(".encounter-row .muted", pay("hub_reference", i)) for i in every],
            follow="Older encounters",
        ),
        Visit(
            "hub notifications",
            world.hub,
            ["/notifications"],
            [(".notification p", pay("customer_name", i)) for i in every],
            follow="Older notifications",
        ),
        Visit("hub invitations", world.hub, ["/invitations"], [("td", r) for r in hub_invitations]),
    ]
    for i, encounter in enumerate(world.hub_encounters):
        result.append(
            Visit(
                f"hub encounter {i}",
                world.hub,
                [f"/encounters/{encounter}"],
                [
                    ("title", pay("customer_name", i)),
                    ("h1", pay("customer_name", i)),
                    (".page-head .meta", pay("hub_reference", i)),
                    (f"{mine} .comment", pay("business_comment", i)),
                    (f"{mine} .private-note", pay("business_note", i)),
                    (f"{mine} .reply p", pay("customer_reply", i)),
                    (f"{theirs} .comment", pay("customer_comment", i)),
                    (f"{theirs} .private-note", pay("customer_note", i)),
                    (f"{theirs} .reply p", pay("business_reply", i)),
                    (f"{theirs} textarea", pay("business_reply", i)),
                    ("blockquote.thanks", pay("customer_thanks", i)),
                    ("blockquote.thanks", pay("business_thanks", i)),
                ],
            )
        )
        result.append(
            Visit(
                f"hub's review form, encounter {i}",
                world.hub,
                [f"/encounters/{encounter}/review"],
                [
                    ("title", pay("customer_name", i)),
                    ("h1", pay("customer_name", i)),
                    ("textarea#comment", pay("business_comment", i)),
                    ("textarea#private_note", pay("business_note", i)),
                ],
            )
        )
    result += [
        Visit(
            "staff list",
            world.staff_house,
            ["/business/staff"],
            [("td", pay("staff_name", i)) for i in every],
        ),
        Visit(
            "hub customer's etiquette page",
            world.kim,
            ["/customers/kim"],
            [(".review-head strong", pay("business_name", i)) for i in every]
            + [(".review-card .comment", pay("rated_comment", i)) for i in every]
            + [(".reply p", pay("rated_reply", i)) for i in every],
            follow="Older reviews",
        ),
        Visit(
            "hub customer's dashboard",
            world.kim,
            ["/encounters"],
            [(".encounter-row strong", pay("business_name", i)) for i in every]
            + [(".encounter-row .muted", pay("invitation_reference", i)) for i in every]
            + [(".encounter-row .muted", pay("record_reference", i)) for i in every],
            follow="Older encounters",
        ),
        Visit(
            "hub customer's notifications",
            world.kim,
            ["/notifications"],
            [(".notification p", pay("business_name", i)) for i in every]
            + [(".notification p", pay("warn_reason", i)) for i in every],
            follow="Older notifications",
        ),
        Visit(
            "moderation queue",
            world.admin,
            [f"/moderation?page={n}" for n in range(1, math.ceil(total_open / 50) + 1)],
            [("td", pay("contest_reason", i)) for i in every],
        ),
        Visit(
            "flag notes on the first review",
            world.admin,
            [f"/moderation/items/{world.flagged_first}"],
            [("li", pay("flag_note", i)) for i in every],
        ),
        Visit(
            "audit log",
            world.admin,
            ["/moderation/audit"],
            [("td", pay("warn_reason", i)) for i in every],
            follow="Older",
        ),
    ]
    for i, item in enumerate(world.contested):
        result.append(
            Visit(
                f"contested encounter {i}",
                world.admin,
                [f"/moderation/items/{item}"],
                [
                    (".meta", pay("contest_reason", i)),
                    (".card p", pay("business_name", i)),
                    (".card p", pay("contest_reason", i)),
                ],
            )
        )
    for i, item in enumerate(world.appeals):
        result.append(
            Visit(
                f"appeal {i}",
                world.admin,
                [f"/moderation/items/{item}"],
                [
                    (".card p", pay("appeal_text", i)),
                    (".card p", pay("warn_reason", i)),
                    (".review-card .comment", pay("rating_comment", i)),
                ],
            )
        )
    return result


# --- Chromium ------------------------------------------------------------------------

# Runs before any page script, in every frame: records what would betray a running script.
HOOKS = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  const original = window[name];
  window[name] = function (...args) {
    window.__xss.push(name + '(' + args.join(', ') + ')');
    if (name !== 'print') return original.apply(window, args);
  };
}
document.addEventListener('securitypolicyviolation', (event) => {
  window.__xss.push('CSP ' + event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sample);
});
"""

# Everything on the page a payload could have made; and the text of the given selectors.
INSPECT = """
([allowedTags, selectors]) => {
  const allowed = new Set(allowedTags);
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href',
                                 'poster', 'background', 'codebase']);
  const problems = [];
  const describe = (el) => '<' + el.localName + '> ' + el.outerHTML.slice(0, 120);
  const scripts = document.querySelectorAll('script');
  if (scripts.length > 1) problems.push(scripts.length + ' script elements');
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (!allowed.has(tag)) problems.push('element ' + describe(el));
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') {
        problems.push('attribute ' + name + ' on ' + describe(el));
      }
      if (urlAttributes.has(name) && /^(javascript|data|vbscript):/.test(value)) {
        problems.push('script URL in ' + name + ' on ' + describe(el));
      }
    }
    if (tag === 'script' && el.getAttribute('src') !== '/static/js/copy.js') {
      problems.push('foreign script ' + describe(el));
    }
    if (tag === 'svg' && !['icon', 'chart-svg'].some((c) => el.classList.contains(c))) {
      problems.push('foreign svg ' + describe(el));
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push('meta ' + describe(el));
    if (tag === 'link' && !['stylesheet', 'canonical'].includes(el.getAttribute('rel'))) {
      problems.push('link ' + describe(el));
    }
  }
  const text = (el) => {
    if (['input', 'option'].includes(el.localName)) return el.getAttribute('value') || '';
    if (el.localName === 'meta') return el.getAttribute('content') || '';
    if (el.localName === 'textarea') return el.value;
    return el.textContent;
  };
  const texts = {};
  for (const selector of selectors) {
    texts[selector] = [...document.querySelectorAll(selector)].map(text);
  }
  return {problems, calls: window.__xss, texts};
}
"""

# Tags the app's own pages use: its templates, the tags WTForms renders, the document.
FORM_TAGS = {"html", "head", "body", "input", "textarea", "select", "option", "label", "ul", "li"}


def template_tags() -> list[str]:
    found = set(FORM_TAGS)
    for path in (ROOT / "templates").rglob("*.html"):
        found |= set(re.findall(r"<([a-z][a-z0-9]*)\b", path.read_text(encoding="utf-8")))
    return sorted(found)


class Browser:
    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context()
        self.context.add_init_script(HOOKS)
        self.page = self.context.new_page()
        self.events: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        self.tags = template_tags()
        self.account = "nobody"
        self.loads = 0

    def _dialog(self, dialog) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for an icon the app does not have
        if message.type in ("error", "warning"):
            self.events.append(f"console {message.type}: {message.text}")

    def become(self, account: Account | None) -> None:
        if account is self.account:
            return
        self.context.clear_cookies()
        if account is not None:
            cookie = account.client.get_cookie("session")
            self.context.add_cookies([{"name": "session", "value": cookie.value, "url": self.base}])
        self.account = account

    def load(self, path: str, selectors: list[str]) -> dict:
        response = self.page.goto(self.base + path)
        self.loads += 1
        assert response.status == 200, (path, response.status)
        result = self.page.evaluate(INSPECT, [self.tags, selectors])
        assert not self.events and not result["calls"], (path, self.events, result["calls"])
        assert not result["problems"], (path, result["problems"][:5])
        return result["texts"]

    def visit(self, visit: Visit) -> None:
        self.become(visit.account)
        selectors = sorted({selector for selector, _ in visit.expect})
        texts: dict[str, list[str]] = {selector: [] for selector in selectors}
        paths = list(visit.paths)
        while paths:
            path = paths.pop(0)
            for selector, found in self.load(path, selectors).items():
                texts[selector] += [shown(text) for text in found]
            if visit.follow:
                link = self.page.get_by_role("link", name=visit.follow, exact=True)
                if link.count():
                    paths.append(link.get_attribute("href"))
        missing = [
            (selector, payload)
            for selector, payload in visit.expect
            if not any(shown(payload) in text for text in texts[selector])
        ]
        assert not missing, (visit.name, missing[:5], {s: texts[s][:3] for s, _ in missing[:2]})


class RefusedPageChecker(HTMLParser):
    """The forms re-shown after a refusal hold the payload: no tag or attribute from it."""

    def __init__(self, tags):
        super().__init__()
        self.tags, self.problems = set(tags), []

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            self.problems.append(tag)
        for name, _ in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.problems.append(f"{tag} {name}")
        if tag == "script" and dict(attrs).get("src") != "/static/js/copy.js":
            self.problems.append("script")


def test_every_payload_is_stored_as_sent(app, database_url):
    """On both databases: each payload through a form with a short text (a public name,
    a reference) and the review form (comment and private note, long texts) is stored and
    read back unchanged, or refused (NUL, links, shouting) with nothing stored."""
    world = World(app)
    hub = {"name": "Hub Café", "city": "Madrid", "description": "The hub."}
    business = world.register("business", "hub-cafe", "Hub owner", **hub)
    customer = world.register("customer", "ana", "Ana G.")
    encounter, _ = world.invite(business, customer, "Table 7")
    review = world.review(customer, encounter, "customer", "Quick and kind.", "Thanks!")
    edit = {**CUSTOMER_SCORES, "mode": "edit"}

    def state() -> dict:
        with app.app_context():
            mine = db.session.get(Review, review)
            return {
                "/settings": [db.session.get(User, customer.user_id).display_name],
                "/invitations": [
                    db.session.scalar(select(Invitation.reference).order_by(Invitation.id.desc()))
                ],
                "review": [mine.comment, mine.private_note],
            }

    before = state()
    sent = refused = 0
    for payload in PAYLOADS:
        for account, url, data, texts in (
            (customer, "/settings", {"language": ""}, {"display_name": (payload, None)}),
            (business, "/invitations", {}, {"reference": (payload, None)}),
            (
                customer,
                f"/encounters/{encounter}/review",
                edit,
                {"comment": (payload, True), "private_note": (payload, False)},
            ),
        ):
            response = world.post(account, url, {**data, **{k: p for k, (p, _) in texts.items()}})
            after = state()
            if refused_fields(texts):
                refused += 1
                assert response.status_code == 422, (url, payload, response.status_code)
                assert after == before, (url, payload)  # nothing half-saved
            else:
                sent += 1
                assert response.status_code == 302, (url, payload, response.status_code)
                stored = after.get(url, after["review"])
                assert stored == [payload.strip()] * len(stored), (url, payload, stored)
            before = after
    assert sent > 2 * N and refused >= 5  # NUL in each form; a link and shouting in reviews


@pytest.mark.browser
def test_no_stored_payload_runs_or_changes_a_page(app, database_url, browser_name, request):
    if database_url.startswith("postgresql"):
        pytest.skip(
            "The pages render the strings the database gives back, the same on both: the "
            "round trip is checked on both by test_every_payload_is_stored_as_sent."
        )
    world = World(app)
    world.build()
    world.check_stored()
    world.check_every_field_has_every_payload()
    tags = template_tags()
    assert world.refusal_pages  # NUL, links and shouting are refused: that path is taken
    for url, page in world.refusal_pages:
        checker = RefusedPageChecker(tags)
        checker.feed(page)
        assert not checker.problems, (url, checker.problems)
    chromium = Browser(request.getfixturevalue("browser"), request.getfixturevalue("live_server"))
    try:
        for visit in visits(world):
            chromium.visit(visit)
    finally:
        chromium.context.close()
    assert chromium.loads >= 7 * N

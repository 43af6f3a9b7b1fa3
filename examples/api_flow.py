#!/usr/bin/env python3
"""The whole Reciproca flow through the JSON API, with nothing but the standard library.

    python examples/api_flow.py [BASE_URL]      (default: http://127.0.0.1:5000)

Registers a business and a customer, gets a token for each, has the business invite the
customer, the customer redeem the invitation, both review (sealed until both are in,
then revealed together), and reads the business's profile scores. Exits non-zero, with
the API's error, if any step is refused.
"""

import json
import secrets
import sys
import urllib.error
import urllib.request
from datetime import date

PASSWORD = "a long example passphrase"  # noqa: S105 - the example accounts' password


class ApiError(Exception):
    pass


class Client:
    def __init__(self, base_url: str, token: str | None = None):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the base URL must start with http:// or https://")
        self.base_url = base_url.rstrip("/") + "/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None, expect: int = 200):
        data = json.dumps(body).encode() if body is not None else None
        # Only http(s) URLs reach here (checked in __init__).
        request = urllib.request.Request(self.base_url + path, data=data, method=method)  # noqa: S310 - http(s) only, checked in __init__
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - same URL as above
                status, raw, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers
        is_json = kind.get_content_type() == "application/json"
        payload = json.loads(raw) if raw and is_json else raw.decode(errors="replace")[:200]
        if status != expect:
            raise ApiError(f"{method} {path} answered {status}, not {expect}: {payload}")
        return payload


def step(text: str) -> None:
    print(f"- {text}")


def register(anonymous: Client, kind: str, suffix: str) -> dict:
    account = {
        "kind": kind,
        "email": f"{kind}-{suffix}@example.com",
        "password": PASSWORD,
        "display_name": "Ana G." if kind == "customer" else "Marta R.",
        "handle": f"{kind}-{suffix}",
    }
    if kind == "business":
        account["business"] = {
            "name": f"Café Aurora {suffix}",
            "category": "food",
            "city": "Madrid",
            "description": "Coffee and breakfast.",
        }
    return anonymous.call("POST", "/accounts", account, expect=201)


def sign_in(base_url: str, email: str) -> Client:
    token = Client(base_url).call(
        "POST", "/tokens", {"email": email, "password": PASSWORD}, expect=201
    )
    return Client(base_url, token["token"])


def run(base_url: str) -> dict:
    anonymous = Client(base_url)
    suffix = secrets.token_hex(4)

    business = register(anonymous, "business", suffix)
    customer = register(anonymous, "customer", suffix)
    step(f"registered business @{business['handle']} and customer @{customer['handle']}")

    owner = sign_in(base_url, business["email"])
    ana = sign_in(base_url, customer["email"])
    step("both have a token")

    invitation = owner.call("POST", "/invitations", {"reference": "order 1042"}, expect=201)
    step(f"the business invites: code {invitation['code']}")

    encounter = ana.call("POST", f"/invitations/{invitation['code']}/redeem", expect=201)
    encounter_id = encounter["id"]
    step(f"the customer redeems it: encounter {encounter_id} is {encounter['status']}")

    ana.call(
        "PUT",
        f"/encounters/{encounter_id}/review",
        {
            "attention": 5,
            "proactivity": 4,
            "promises_kept": 5,
            "respect": 5,
            "honesty": 4,
            "recommend": True,
            "comment": "They called back the next day, as promised.",
        },
        expect=201,
    )
    seen = owner.call("GET", f"/encounters/{encounter_id}/reviews")
    if seen["their_state"] != "sealed" or seen["theirs"] is not None:
        raise ApiError(f"the customer's review should be sealed for the business: {seen}")
    step("the customer reviews; the business sees only that a sealed review exists")

    review = owner.call(
        "PUT",
        f"/encounters/{encounter_id}/review",
        {
            "patience": 5,
            "clarity": 4,
            "respect": 5,
            "problem_reporting": 4,
            "would_serve_again": True,
            "comment": "Clear and patient, a pleasure.",
        },
        expect=201,
    )
    step(f"the business reviews; both reviews are now {review['state']}")

    revealed = ana.call("GET", f"/encounters/{encounter_id}/reviews")
    if revealed["theirs"] is None:
        raise ApiError(f"the business's review should be revealed: {revealed}")
    step(f"the customer reads the business's review: {revealed['theirs']['comment']!r}")

    profile = anonymous.call("GET", f"/businesses/{business['handle']}")
    scores = profile["scores"]
    if scores["overall"] is None:
        shown = f"not enough reviews yet ({scores['count']} of {profile['min_reviews']})"
    else:
        shown = f"{scores['overall']:.1f} over {scores['count']} reviews"
    step(f"profile of @{business['handle']}: {shown}")
    return {"encounter": encounter_id, "review_state": review["state"], "profile": profile}


def main(argv: list[str]) -> int:
    base_url = argv[1] if len(argv) > 1 else "http://127.0.0.1:5000"
    if not base_url.startswith(("http://", "https://")):
        print("Give the base URL, e.g. http://127.0.0.1:5000", file=sys.stderr)
        return 2
    print(f"Reciproca API flow against {base_url} on {date.today().isoformat()}")
    try:
        run(base_url)
    except (ApiError, urllib.error.URLError) as error:
        print(f"failed: {error}", file=sys.stderr)
        return 1
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

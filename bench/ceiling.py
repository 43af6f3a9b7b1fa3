"""The ceiling: bare Flask rendering a Jinja page, no database, no extensions.

Served by gunicorn with the app's settings (`gunicorn bench.ceiling:app`), it renders a
page of CEILING_PAGE_BYTES bytes (the size of the business page) from a list of review
cards held in memory: what the framework costs before any of Reciproca's work.
"""

import os

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }} · Reciproca</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body>
<header class="site">
  <nav><a href="/">Reciproca</a> <a href="/businesses">Businesses</a></nav>
</header>
<main>
<h1>{{ title }}</h1>
<p class="summary">{{ reviews|length }} reviews · {{ score }} overall</p>
{% for review in reviews %}
<article class="review-card" id="review-{{ review.id }}">
  <header><strong>{{ review.author }}</strong>
    <time datetime="{{ review.when }}">{{ review.when }}</time></header>
  <ul class="stars">
    {% for name, value in review.scores %}
    <li>{{ name }} <span>{{ value }} / 5</span></li>
    {% endfor %}
  </ul>
  {% if review.comment %}<p>{{ review.comment }}</p>{% endif %}
</article>
{% endfor %}
</main>
<footer><a href="/how-reviews-work">How reviews work</a></footer>
</body>
</html>
"""

COMMENTS = (
    "Friendly staff and quick service.",
    "They called me back as promised, and the price was the one they quoted.",
    "Fine overall, a bit of a wait.",
    "",
)
DIMENSIONS = ("Attention", "Proactivity", "Promises kept", "Respect", "Honesty")


def review_cards(count: int) -> list[dict]:
    return [
        {
            "id": i,
            "author": f"Customer {i} & co.",
            "when": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "scores": [(name, (i + n) % 5 + 1) for n, name in enumerate(DIMENSIONS)],
            "comment": COMMENTS[i % len(COMMENTS)],
        }
        for i in range(count)
    ]


app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})


def _render(count: int) -> str:
    return render_template("page.html", title="Ceiling café", score="4.3", reviews=CARDS[:count])


CARDS = review_cards(2000)
TARGET = int(os.environ.get("CEILING_PAGE_BYTES", "40000"))
with app.test_request_context():
    _base = len(_render(0).encode())
    _per_card = max(1, (len(_render(len(COMMENTS) * 4).encode()) - _base) // (len(COMMENTS) * 4))
COUNT = max(0, min(len(CARDS), round((TARGET - _base) / _per_card)))


@app.get("/")
def page():
    return _render(COUNT)

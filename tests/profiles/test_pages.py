"""What people read on the business page, the directory and home."""

import pytest

from tests import builders
from tests.scores.test_figures import revealed_reviews


@pytest.fixture
def aurora(app):
    with app.app_context():
        owner = builders.make_business(
            handle="aurora",
            business=builders.services.BusinessDetails("Café Aurora", "food", "Madrid", "Cakes"),
        )
        return owner.id


def add_reviews(app, owner, attentions, recommends=None):
    from rating.accounts.models import User
    from rating.extensions import db

    with app.app_context():
        revealed_reviews(db.session.get(User, owner), attentions, recommends)


def test_two_reviews_say_not_enough_yet(app, client, aurora):
    add_reviews(app, aurora, [5, 4])
    page = client.get("/businesses/aurora").get_data(as_text=True)
    assert "Not enough reviews yet" in page
    assert "2 counted reviews so far; a score appears from 3." in page


def test_three_reviews_show_the_bayesian_score_and_rates(app, client, aurora):
    add_reviews(app, aurora, [5, 4, 3], recommends=[True, True, False])
    page = client.get("/businesses/aurora").get_data(as_text=True)
    assert '<span class="value">3.6</span>' in page  # (7·3.5 + 12) / 10 = 3.65 on each
    assert "3 counted reviews" in page
    assert "67%" in page  # recommended by two of three
    assert '<meta property="og:title" content="Café Aurora · Reciproca">' in page
    assert 'id="share-link"' in page


def test_directory_filters_and_sorts(app, client, aurora):
    with app.app_context():
        builders.make_business(
            handle="fjord",
            business=builders.services.BusinessDetails("Fjord Bikes", "repairs", "Oslo", ""),
        )
    add_reviews(app, aurora, [5, 5, 5])
    page = client.get("/businesses?city=oslo").get_data(as_text=True)
    assert "Fjord Bikes" in page and "Café Aurora" not in page
    page = client.get("/businesses?q=aur&sort=score").get_data(as_text=True)
    assert "Café Aurora" in page and "Fjord Bikes" not in page
    ranked = client.get("/businesses?sort=score").get_data(as_text=True)
    assert ranked.index("Café Aurora") < ranked.index("Fjord Bikes")
    assert client.get("/businesses?sort=nonsense&page=-3").status_code == 200


def test_home_shows_most_recommended_and_recent_thanks(app, client, aurora):
    from rating.accounts.models import User
    from rating.extensions import db
    from rating.thanks.services import send_thanks

    with app.app_context():
        pairs = revealed_reviews(db.session.get(User, aurora), [5, 4, 5])
        send_thanks(pairs[0][0], pairs[0][1].id, "Muchas gracias por todo")
    page = client.get("/").get_data(as_text=True)
    assert "Most recommended" in page and "Café Aurora" in page
    assert "Muchas gracias por todo" in page


def test_home_title_is_plain_text(app, client, aurora):
    add_reviews(app, aurora, [5, 4, 5])
    page = client.get("/").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Ratings on both sides of the counter · Reciproca"


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "2024-01-01T00:00:00_5", "2024-01-01_5", "2024-01-01T00:00:00+00:00_" + "9" * 20],
)
def test_an_edited_page_link_is_refused_with_a_message(app, client, aurora, cursor):
    response = client.get(f"/businesses/aurora?before={cursor}")
    assert response.status_code == 422
    assert "This page link is not valid." in response.get_data(as_text=True)

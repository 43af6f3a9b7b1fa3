def test_home_says_what_reciproca_is(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Ratings on both sides of the counter" in response.data


def test_how_reviews_work_shows_the_numbers_in_force(app, client):
    app.config.update(SCORE_PRIOR_WEIGHT=9, SCORE_MIN_REVIEWS=4, REVIEW_WINDOW_SECONDS=10 * 86400)
    page = client.get("/how-reviews-work").get_data(as_text=True)
    assert "(C × m + Σx) / (C + n)" in page
    assert "C = 9 (prior weight), m = 3.5 (prior mean)" in page
    assert "Below 4 counted reviews" in page
    assert "review window of 10 days" in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"This page does not exist." in response.data

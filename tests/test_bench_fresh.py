"""The bench's fresh encounters for review submission: unreviewed ones are handed out again."""

from sqlalchemy import func, select

from bench.fresh import add_fresh_encounters
from bench.pages import REVIEW_FORM
from rating.accounts.models import User
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.services import submit_review
from rating.seed import scale
from tests.test_seed_scale import TINY


def test_unreviewed_fresh_encounters_are_handed_out_again(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        scale.generate(TINY)
        first = add_fresh_encounters(url, 5)
        assert len(set(first)) == 5
        assert add_fresh_encounters(url, 5) == first  # none was reviewed: the same ones

        writer = db.session.scalar(select(User).where(User.handle == scale.WRITER))
        submit_review(writer, first[0], REVIEW_FORM, expect_new=True)
        before = db.session.scalar(select(func.count(Encounter.id)))
        again = add_fresh_encounters(url, 5)
        db.session.rollback()  # see the rows committed by the bench's own connection
        assert first[0] not in again and set(first[1:]) <= set(again)
        assert db.session.scalar(select(func.count(Encounter.id))) == before + 1

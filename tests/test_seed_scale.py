"""`flask seed scale`: deterministic, every state present, rows the schema accepts."""

import re
import statistics
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import Reply, Review
from rating.seed import scale
from rating.thanks.models import Thanks
from tests.databases import empty_all_tables

TINY = scale.ScaleSpec(businesses=20, customers=200, encounters=1000, seed=7)


def fingerprint() -> dict:
    """Everything the seed decides, read back from the database."""

    def grouped(*columns):
        query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
        return [tuple(row) for row in db.session.execute(query)]

    return {
        "encounters": grouped(Encounter.status, Encounter.origin, Encounter.recorded_by_side),
        "reviews": grouped(Review.side, Review.visibility, Review.respect),
        "per_business": [
            tuple(row)
            for row in db.session.execute(
                select(Business.handle, func.count(Encounter.id))
                .join(Encounter, Encounter.business_id == Business.id)
                .group_by(Business.handle)
                .order_by(Business.handle)
            )
        ],
        "replies": grouped(Reply.author_user_id),
        "thanks": grouped(Thanks.side, Thanks.visibility, Thanks.message),
        "first": db.session.scalar(select(func.min(Encounter.created_at))),
        "last": db.session.scalar(select(func.max(Review.submitted_at))),
        "users": grouped(User.kind, User.display_name),
    }


def test_encounters_per_business_are_skewed():
    counts = scale.encounter_counts(scale.ScaleSpec())
    assert sum(counts) == 1_000_000
    top, small, rest = counts[0], counts[1], counts[2:]
    assert top == 65_000 and top > max(rest)
    assert small == scale.SMALL_ENCOUNTERS
    assert 100 <= sum(n >= 1000 for n in rest) <= 300  # a few with thousands
    assert statistics.median(rest) <= 20  # most with a handful
    assert min(rest) >= 1
    tiny = scale.encounter_counts(TINY)
    assert sum(tiny) == TINY.encounters and len(tiny) == TINY.businesses


def test_same_seed_same_data(app):
    now = clock.now()
    with app.app_context():
        first_report = scale.generate(TINY, now=now)
        first = fingerprint()
        db.session.remove()
        empty_all_tables(db.engine, db.metadata)
        second_report = scale.generate(TINY, now=now)
        assert fingerprint() == first
        assert second_report.rows == first_report.rows
        assert first_report.rows["encounters"] == TINY.encounters
        db.session.remove()
        empty_all_tables(db.engine, db.metadata)
        scale.generate(scale.ScaleSpec(20, 200, 1000, seed=8), now=now)
        assert fingerprint() != first


def test_every_state_is_present(app):
    with app.app_context():
        now = clock.now()
        scale.generate(TINY, now=now)
        statuses = set(db.session.scalars(select(Encounter.status).distinct()))
        assert statuses == {"unconfirmed", "confirmed", "contested", "voided"}
        reviewed = select(Encounter).join(Review, Review.encounter_id == Encounter.id)
        revealed = [e.is_revealed() for e in db.session.scalars(reviewed)]
        assert True in revealed and False in revealed  # revealed and sealed reviews
        assert set(db.session.scalars(select(Review.side).distinct())) == {"business", "customer"}
        visibilities = set(db.session.scalars(select(Review.visibility).distinct()))
        assert visibilities == {"visible", "held", "hidden"}
        assert db.session.scalar(select(func.count(Reply.id))) > 0
        assert set(db.session.scalars(select(Thanks.side).distinct())) == {"business", "customer"}
        top = db.session.scalar(select(Business).where(Business.handle == scale.TOP))
        counts = dict(
            db.session.execute(
                select(Encounter.business_id, func.count()).group_by(Encounter.business_id)
            ).all()
        )
        assert counts[top.id] == max(counts.values())


def test_rows_keep_the_rules_the_schema_cannot_check(app):
    with app.app_context():
        now = clock.now()
        window = timedelta(seconds=app.config["REVIEW_WINDOW_SECONDS"])
        scale.generate(TINY, now=now)
        owners = {
            u.business_id: u.id
            for u in db.session.scalars(select(User).where(User.kind == "business"))
        }
        reviews: dict[int, dict[str, Review]] = {}
        for review in db.session.scalars(select(Review)):
            reviews.setdefault(review.encounter_id, {})[review.side] = review
            assert all(1 <= value <= 5 for value in review.scores().values())
        for encounter in db.session.scalars(select(Encounter)):
            mine = reviews.get(encounter.id, {})
            assert encounter.closes_at == encounter.created_at + window
            assert encounter.created_at <= now
            assert (encounter.both_reviewed_at is not None) == (len(mine) == 2)
            assert encounter.recorded_by_user_id == (
                owners[encounter.business_id]
                if encounter.recorded_by_side == "business"
                else encounter.customer_id
            )
            if encounter.status == "unconfirmed":
                assert set(mine) <= {encounter.recorded_by_side}
            for side, review in mine.items():
                assert encounter.created_at <= review.submitted_at < encounter.closes_at
                assert review.submitted_at <= now
                author = (
                    owners[encounter.business_id] if side == "business" else encounter.customer_id
                )
                assert review.author_user_id == author
        for reply in db.session.scalars(select(Reply)):
            review = reply.review
            assert review.encounter.is_revealed() and review.visibility == "visible"
            assert reply.author_user_id != review.author_user_id
            assert reply.created_at >= review.encounter.revealed_at()
        handles = list(db.session.scalars(select(User.handle)))
        assert len(handles) == len(set(handles))
        assert all(re.fullmatch(r"[a-z0-9-]{3,30}", handle) for handle in handles)
        with pytest.raises(scale.AlreadySeeded):
            scale.generate(TINY)


def test_known_accounts_sign_in_and_see_their_encounters(app, client, auth):
    with app.app_context():
        scale.generate(TINY)
    for email in ("top@scale.example.com", "regular@scale.example.com"):
        assert auth.login(email, scale.SCALE_PASSWORD).status_code == 302
        page = client.get("/encounters")
        assert page.status_code == 200
        assert "To review" in page.text or "Revealed" in page.text
        auth.logout()


def test_seed_scale_command(runner, app):
    args = ["seed", "scale", "--businesses", "20", "--customers", "200", "--encounters", "1000"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output and "top@scale.example.com" in result.output
    assert "aggregates: " in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Encounter.id))) == 1000
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "already here" in again.output
    too_small = runner.invoke(args=["seed", "scale", "--businesses", "1"])
    assert too_small.exit_code == 2


def test_rows_arrive_marked_as_the_aggregates_rebuild_marks_them(app):
    """The seed marks counted rows itself, so the rebuild at the end has little to change."""
    with app.app_context():
        scale.generate(TINY)
        if "counted" not in Review.__table__.c:
            pytest.skip("the scores feature keeps no counted flags")

        def flags():
            return {
                "reviews": dict(db.session.execute(select(Review.id, Review.counted)).all()),
                "thanks": dict(db.session.execute(select(Thanks.id, Thanks.counted)).all()),
                "encounters": dict(
                    db.session.execute(select(Encounter.id, Encounter.closure_counted)).all()
                ),
            }

        seeded = flags()
        assert True in seeded["reviews"].values() and False in seeded["reviews"].values()
        assert scale.rebuild_aggregates().startswith("rebuilt")
        db.session.expire_all()
        assert flags() == seeded

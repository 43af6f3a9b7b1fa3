"""`as_loaded`: a row known without a query joins the session as if a query had read it."""

from rating.accounts.models import User
from rating.database import as_loaded
from rating.extensions import db
from tests import builders
from tests.profiles.test_query_counts import counting_queries


def test_a_row_built_as_loaded_writes_only_what_changes_and_reads_what_it_lacks(app):
    with app.app_context():
        ana = builders.make_customer(display_name="Ana")
        user_id, email, handle = ana.id, ana.email, ana.handle
    with app.app_context():
        known = {"id": user_id, "display_name": "Ana", "handle": handle}
        with counting_queries(app) as statements:
            user = as_loaded(User, known)
            db.session.add(user)
            assert db.session.get(User, user_id) is user
            assert not db.session.dirty
            db.session.commit()
        assert statements == []  # joining the session wrote nothing, read nothing

        with counting_queries(app) as statements:
            assert user.email == email  # not given: read when first used
            user.display_name = "Ana M."
            db.session.commit()
        updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
        assert len(updates) == 1
        assert "email" not in updates[0]  # only the changed column is written
    with app.app_context():
        stored = db.session.get(User, user_id)
        assert (stored.display_name, stored.email) == ("Ana M.", email)

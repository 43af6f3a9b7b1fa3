"""`as_loaded`: a row known without a query joins the session as if a query had read it."""

import subprocess
import sys
import textwrap

from rating.accounts.models import User
from rating.database import as_loaded
from rating.extensions import db
from tests import ROOT, builders
from tests.queries import counting_queries


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


def test_a_new_process_can_build_a_row_as_loaded_before_any_query(tmp_path):
    """A new worker's first request may be a signed-in user from the cache: nothing has
    used the models yet in that process."""
    script = textwrap.dedent(f"""
        from config import Testing
        from rating import create_app
        from rating.accounts.models import User
        from rating.database import as_loaded
        from rating.extensions import db

        app = create_app(Testing, SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / "new.db"}")
        with app.app_context():
            user = as_loaded(User, {{"id": 7, "display_name": "Ana"}})
            db.session.add(user)
            print(db.session.get(User, 7) is user, user.display_name)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "Ana"]

"""What a request asks the database, counted; pages compared without their CSRF tokens."""

import re
from contextlib import contextmanager

from sqlalchemy import event

from rating.extensions import db


@contextmanager
def counting_queries(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def without_csrf_tokens(page: str) -> str:
    """A signed-in page signs a new token each second: not part of what is cached."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)

import pytest

from config import Testing
from rating import create_app
from rating.extensions import db
from tests.conftest import fast_commits


@pytest.fixture
def limited_app(app, database_url):
    """Build apps with rate limits on (the shared test app has them off), counting in
    memory, on this test's database. `app` empties the tables afterwards."""
    built = []

    def build(**overrides):
        settings = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": fast_commits(database_url),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "WTF_CSRF_ENABLED": False,
            **overrides,
        }
        new_app = create_app(Testing, **settings)
        built.append(new_app)
        return new_app

    yield build
    for new_app in built:
        with new_app.app_context():
            db.engine.dispose()

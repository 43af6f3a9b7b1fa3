"""App factory for the multi-process tests: `gunicorn 'tests.security.server:build()'`.

Development config plus the JSON settings in RECIPROCA_TEST_SETTINGS; the tables are
created by the server itself, from the models it runs with.
"""

import json
import os

from config import Development
from rating import create_app
from rating.extensions import db


def build():
    app = create_app(Development, **json.loads(os.environ["RECIPROCA_TEST_SETTINGS"]))
    with app.app_context():
        db.create_all()
    return app

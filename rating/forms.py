"""The base of every web form: Flask-WTF's, with WTForms' own messages ("Not a valid
choice"...) in the reader's language from catalogues read once per language.

Flask-WTF reads and parses WTForms' catalogue again for every request that builds a
form (half a millisecond of a review submission); the catalogues never change while the
process runs.
"""

import functools

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@functools.cache
def _catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _catalogue(str(get_locale()))

"""Helpers of the fuzz tests (test_fuzz_forms.py, test_fuzz_api.py).

A snapshot of every row of every table, to prove that a refused request changed nothing,
and a restore, to undo an accepted one before the next example. Plus the odd inputs both
test files send: arbitrary text, NUL and control characters, huge strings, numbers out of
every range, and bytes that are no valid UTF-8.
"""

import math
from collections.abc import Iterable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from rating.extensions import db

# Columns a refused request may legitimately write. Everything else must stay identical.
IGNORED_COLUMNS: dict[tuple[str, str], str] = {
    # A hint for the token's owner, written on any authenticated API call (refused or not)
    # at most once a minute: rating/tokens/services.py, LAST_USED_RESOLUTION.
    ("api_tokens", "last_used_at"): "last use of a token is recorded before the view runs",
}

# A failed sign-in (web form 422, API token request 401) is counted on the account even
# though the answer is a refusal: that counter locks an account after too many failures.
SIGN_IN_COUNTER = frozenset(
    {("users", "failed_sign_ins"), ("users", "failed_sign_ins_since"), ("users", "locked_until")}
)

FUZZ = settings(
    # Repeatable and short: the same examples on every run, a few per route.
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=10,
    # The world is built once per test function, outside @given, and the database is
    # restored after each example, so no function-scoped fixture leaks between examples.
    # Huge strings are sent on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

Rows = dict[str, list[dict]]


class AnyWorld(dict):
    """Answers any key, so that a table's URL arguments can be checked without a world."""

    def __missing__(self, key):
        return AnyWorld() if key.endswith("s") else 1


def snapshot() -> Rows:
    """Every row of every table, every column, by table name, in primary-key order."""
    with db.engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def _same(a, b) -> bool:
    """Equal values of the same type (so 1 is not True, nor 1.0)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def differences(before: Rows, after: Rows, ignored: Iterable[tuple[str, str]] = ()) -> list[str]:
    """What changed between two snapshots, in words; empty when nothing did."""
    ignored = set(ignored)
    found = []
    for table, old_rows in before.items():
        old = {row["id"]: row for row in old_rows}
        new = {row["id"]: row for row in after[table]}
        for row_id in sorted(new.keys() - old.keys()):
            found.append(f"{table}: row {row_id} added")
        for row_id in sorted(old.keys() - new.keys()):
            found.append(f"{table}: row {row_id} removed")
        for row_id in sorted(old.keys() & new.keys()):
            for column, value in old[row_id].items():
                if (table, column) in ignored:
                    continue
                if not _same(value, new[row_id][column]):
                    found.append(
                        f"{table}: row {row_id} {column} {value!r} -> {new[row_id][column]!r}"
                    )
    return found


def refusal_changes(before: Rows, after: Rows, allowed=frozenset()) -> list[str]:
    """Changes a refused request must not make: all but IGNORED_COLUMNS and `allowed`
    ((table, column) pairs a particular refusal may write, each justified where given)."""
    return differences(before, after, set(IGNORED_COLUMNS) | set(allowed))


def restore(rows: Rows) -> None:
    """Put every table back as it was in `rows` (after an accepted request changed it)."""
    db.session.remove()
    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # The audit log's trigger refuses deletes (it is append-only); put it back too.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        # Children emptied first and parents filled first: the foreign keys always hold.
        tables = db.metadata.sorted_tables
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])


class Baseline:
    """The database as a test's world left it: what a refused request changed in it, and
    undoing whatever a request changed, so that every example starts from the same rows."""

    def __init__(self, app):
        self.app = app
        with app.app_context():
            self.rows = snapshot()
        self._now: Rows | None = None

    def refusal_changes(self, allowed=frozenset()) -> list[str]:
        with self.app.app_context():
            self._now = snapshot()
        return refusal_changes(self.rows, self._now, allowed)

    def reset(self) -> None:
        """Put back the rows if the last request changed them (call it even on failure,
        so that Hypothesis shrinks a failing example in the same world)."""
        with self.app.app_context():
            now = self._now if self._now is not None else snapshot()
            self._now = None
            if differences(self.rows, now):
                restore(self.rows)


# ---------------------------------------------------------------------------------------
# Odd inputs
# ---------------------------------------------------------------------------------------

ODD_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 3,
    "\t\r\n\x0b\x0c",
    "\x1b[31m\x7f\x85",
    "\u202eevil\u202c",
    "\ufeffbom",
    "\u200b",
    "😀" * 5,
    "ﬁ ß İ ǅ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00%ff",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "null",
    "NaN",
    "-0",
    "1e309",
]

OUT_OF_RANGE = [
    0,
    -1,
    6,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    10**400,
]

# Hypothesis' text leaves out lone surrogates (no client can encode them); control
# characters and NUL are in.
any_text = st.text(max_size=30)
# Text a person could type: letters, digits, punctuation and spaces of any script.
plain_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=30
)
huge_text = st.builds(
    lambda unit, n: unit * (n // len(unit)),
    st.sampled_from(["a", "é", "😀", "\x00", "ab\x00 ", "<b>"]),
    st.sampled_from([300, 3_000, 100_000]),
)
number_text = st.one_of(
    st.sampled_from(OUT_OF_RANGE).map(str),
    st.integers().map(str),
    st.floats().map(repr),
)
# Odd but short: for query strings and path segments (a real server refuses a URL of
# more than a few kilobytes before the application sees it).
short_odd_text = st.one_of(st.sampled_from(ODD_TEXTS), any_text, number_text)
odd_text = st.one_of(short_odd_text, huge_text)

# Byte strings that are not UTF-8: latin-1 and UTF-16 text, broken sequences, overlongs.
odd_bytes = st.one_of(
    st.sampled_from(
        [
            b"\xff\xfe\xfd",
            b"caf\xe9",
            b"\xc3\x28",
            b"\xc0\xaf",
            b"\xed\xa0\x80",  # an encoded surrogate
            b"\xf4\x90\x80\x80",  # beyond U+10FFFF
            b"\x00\x00",
            "ñandú".encode("utf-16"),
        ]
    ),
    st.binary(max_size=40),
)

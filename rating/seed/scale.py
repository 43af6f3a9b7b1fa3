"""Synthetic data at scale (`flask seed scale`): deterministic from a seed, bulk-inserted.

Businesses get encounters on a Zipf-like curve: @scale-top holds about 6.5% of them
(~50,000 reviews at the default size), a few hundred have thousands, most a handful.
Times spread over two years, denser lately, with a slice inside the review window so
that sealed reviews exist. Every encounter status and review state is present.

Rows are written in one transaction, with PostgreSQL COPY there and SQLAlchemy Core
executemany elsewhere. Ids are assigned here (after any rows already present), so
foreign keys need no round trip. Every generated account shares one password hash.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from flask import current_app
from sqlalchemy import func, select, text

from rating import clock
from rating.accounts.models import User
from rating.accounts.passwords import hash_password
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import Reply, Review
from rating.scores.rebuild import rebuild_all_aggregates
from rating.thanks.models import Thanks

SCALE_PASSWORD = "reciproca-scale"
EMAIL_DOMAIN = "scale.example.com"
TOP, SMALL, REGULAR, WRITER = "scale-top", "scale-small", "scale-regular", "scale-writer"
TOP_SHARE = 0.065  # of all encounters: ~50,000 customer reviews at the default size
SMALL_ENCOUNTERS = 65  # ~50 reviews: the business page's small case
REGULAR_ENCOUNTERS = 200
SPAN = timedelta(days=730)
RECENT_SHARE = 0.03  # created inside the last review window: sealed reviews, to-do lists
CHUNK = 20_000
DAY = 86_400.0
OPEN_FOR_AT_LEAST = 60.0  # seconds from the seed's time to the first window closing


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


# Word lists: small on purpose; combined, they give believable and varied rows.
CITIES = {"Madrid": 20, "Barcelona": 14, "Valencia": 9, "Sevilla": 7, "Bilbao": 5, "Málaga": 5}
CITIES |= {"Oslo": 10, "Bergen": 6, "Trondheim": 4, "Buenos Aires": 8, "Lisboa": 6}
NOUNS = {
    "food": _words("Café | Bar | Bakery | Bistro | Tapas"),
    "retail": _words("Books | Market | Hardware | Florist"),
    "repairs": _words("Bikes | Repairs | Workshop | Phone Fix"),
    "health": _words("Clinic | Pharmacy | Physio | Dental"),
    "beauty": _words("Salon | Barber | Spa"),
    "transport": _words("Taxis | Travel | Movers"),
    "telecom": _words("Fibre | Mobile | Net"),
    "home": _words("Cleaning | Plumbing | Gardens"),
    "public": _words("Library | Citizen Desk"),
    "other": _words("Studio | Agency"),
}
ADJECTIVES = _words(
    "Golden | Blue | Green | Quick | Corner | Harbour | Old Town | Sunny | North | River"
    " | Plaza | Little | Royal | Fjord | Aurora | Central"
)
FIRST_NAMES = _words(
    "Ana | Bjørn | Carmen | Lucía | Ingrid | Pablo | Marta | Sofía | Kari | Javier | Nora"
    " | Diego | Emma | Olav | Elena | Hugo | Lars | Valeria | Mateo | Silje | John | Aisha"
    " | Wei | Fatima | Iñigo | Åse"
)
ASCII = str.maketrans("áéíóúñøåæ", "aeiounoaa")
COMMENTS = {
    ("customer", "good"): _words(
        "Friendly staff and quick service. | They called me back as promised."
        " | Clear prices, no surprises. | Fixed it on the first visit."
        " | They followed up without being asked. | Honest advice, thank you."
    ),
    ("customer", "fair"): _words(
        "Fine overall, a bit of a wait. | Good work, but the bill took a while."
        " | Helpful once I reached the right person."
    ),
    ("customer", "poor"): _words(
        "Nobody followed up after my complaint. | The promised date slipped twice."
        " | Hard to get a clear answer."
    ),
    ("business", "good"): _words(
        "Patient and clear about what was needed. | A pleasure to serve."
        " | Reported the fault with useful details. | Kind and respectful."
    ),
    ("business", "fair"): _words(
        "Changed the order a few times, but kindly. | Came late, said sorry."
    ),
    ("business", "poor"): _words(
        "Raised their voice at the counter. | Told us about the problem late."
    ),
}
REPLIES = {
    "business": _words(
        "Thank you for your kind words! | Thanks for telling us; we talked about it as a team."
        " | Sorry about the wait: we changed our schedule."
    ),
    "customer": _words("Thank you, it was a pleasure. | Fair point, I will be clearer."),
}
THANKS = _words(
    "¡Gracias por todo! | Thanks for your patience. | Tusen takk! | Excellent work, thank you."
    " | Thanks for reporting the problem so clearly."
)
NOTES = _words("Thanks for the tip about the side door. | Next time, ask for Marta at the desk.")
CONTESTS = _words("I have never been a customer there. | This was not me. | We never met them.")


@dataclass(frozen=True)
class ScaleSpec:
    businesses: int = 10_000
    customers: int = 200_000
    encounters: int = 1_000_000
    seed: int = 42

    def problems(self) -> list[str]:
        found = []
        if self.businesses < 2:
            found.append("--businesses must be at least 2")
        if self.customers < 3:
            found.append("--customers must be at least 3")
        if self.encounters < 2 * self.businesses + 100:
            found.append("--encounters must be at least twice --businesses, plus 100")
        return found


@dataclass
class ScaleReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    top_reviews: int = 0
    small_reviews: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class AlreadySeeded(Exception):
    """The scale data set is already in this database."""


def encounter_counts(spec: ScaleSpec) -> list[int]:
    """Encounters per business: [top, small, then a Zipf-like tail], summing to the total."""
    small = min(SMALL_ENCOUNTERS, spec.encounters // 10)
    tail = spec.businesses - 2
    k = max(2.0, spec.businesses / 250)  # flattens the head of the tail
    weights = [(rank + k) ** -1.5 for rank in range(1, tail + 1)]
    total = sum(weights)
    first = weights[0] / total if tail else 0.0
    # @scale-top keeps its share, and stays above the tail's first at any size.
    top = max(round(spec.encounters * TOP_SHARE), int((spec.encounters - small) * first) + 1)
    rest = spec.encounters - top - small
    if tail == 0:
        return [top + rest, small]
    counts = [max(1, int(rest * w / total)) for w in weights]
    # Hand out what rounding left (or take back what the floor of 1 added), biggest first.
    left, i = rest - sum(counts), 0
    step = 1 if left > 0 else -1
    while left:
        if counts[i % tail] + step >= 1:
            counts[i % tail] += step
            left -= step
        i += 1
    return [top, small, *counts]


def _pick(rng: random.Random, weighted: dict[str, int]) -> list[str]:
    return rng.choices(list(weighted), weights=list(weighted.values()))


class _Writer:
    """Appends rows to tables: COPY on PostgreSQL, Core executemany elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.copy = connection.dialect.name == "postgresql"
        self.rows: dict[str, int] = {}

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def next_id(self, table) -> int:
        return (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1

    def write(self, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        self.rows[table.name] = self.rows.get(table.name, 0) + len(rows)
        # Columns added to a model later get their scalar default (e.g. counted=False).
        extra = {
            c.name: c.default.arg
            for c in table.columns
            if c.name not in columns and c.default is not None and c.default.is_scalar
        }
        if not self.copy:
            self.connection.execute(
                table.insert(), [extra | dict(zip(columns, r, strict=True)) for r in rows]
            )
            return
        names = ", ".join((*columns, *extra))
        tail = tuple(extra.values())
        statement = f"COPY {table.name} ({names}) FROM STDIN"  # our own table names
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row + tail)

    def lift_statement_timeout(self) -> None:
        """A bulk load is one long transaction: the app's statement timeout is not for it."""
        if self.copy:
            self.connection.execute(text("SET LOCAL statement_timeout = 0"))

    def suspend_checks(self, tables: list[str]) -> None:
        """PostgreSQL: drop foreign keys and plain indexes of `tables` until `restore_checks`.

        Loading first and building indexes and checking foreign keys once after is several
        times faster than doing both row by row; it all happens inside the one transaction,
        and re-adding a foreign key or unique index checks every row.
        """
        self.suspended: list[str] = []
        if not self.copy:
            return
        names = {"tables": tables}
        foreign_keys = self.connection.execute(text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:tables)"
        ), names).all()  # fmt: skip
        indexes = self.connection.execute(text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(:tables) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        ), names).all()  # fmt: skip
        for table, name, definition in foreign_keys:
            self.connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            self.suspended.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            self.connection.execute(text(f'DROP INDEX "{name}"'))
            self.suspended.insert(0, definition)  # indexes first: they speed up the FK checks

    def restore_checks(self) -> None:
        if self.suspended:
            self.connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for statement in self.suspended:
            self.connection.execute(text(statement))

    def fix_sequences(self) -> None:
        """After explicit ids, PostgreSQL's sequences must continue past them."""
        if self.copy:
            for name in self.rows:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - table names come from our metadata, not input
                        f"(SELECT MAX(id) FROM {name}))"
                    )
                )


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The columns each generator row fills, in order.
USER_COLUMNS = _names(
    "id kind email password_hash display_name handle business_id business_role "
    "session_version created_at"
)
BUSINESS_COLUMNS = _names("id handle name category city description created_at")
ENCOUNTER_COLUMNS = _names(
    "id business_id customer_id status origin recorded_by_side recorded_by_user_id "
    "occurred_on reference created_at closes_at confirmed_at contested_at contest_reason "
    "both_reviewed_at reveal_notified_at"
)
REVIEW_COLUMNS = _names(
    "id encounter_id business_id customer_id side author_user_id patience clarity respect "
    "problem_reporting would_serve_again attention proactivity promises_kept honesty "
    "recommend comment private_note visibility submitted_at updated_at"
)
REPLY_COLUMNS = _names("id review_id author_user_id text visibility created_at updated_at")
THANKS_COLUMNS = _names(
    "id encounter_id business_id customer_id side author_user_id message visibility created_at"
)


STATUSES = (("confirmed", 0.70), ("unconfirmed", 0.88), ("contested", 0.95), ("voided", 1.0))
VISIBILITIES = (("visible", 0.97), ("held", 0.99), ("hidden", 1.0))
QUALITY_LEVELS = range(16, 50)  # a party's usual level, in tenths of a star
POOL = 256


def _threshold(roll: float, table) -> str:
    """The first value whose cumulative share exceeds the roll (cheaper than choices)."""
    for value, upto in table:
        if roll < upto:
            return value
    return table[-1][0]


def _bucket(level: float) -> int:
    return min(max(round(level * 10), QUALITY_LEVELS[0]), QUALITY_LEVELS[-1]) - QUALITY_LEVELS[0]


def _star_pools(rng: random.Random, side: str) -> list[list[tuple[tuple, str]]]:
    """Per quality level, POOL ready-made reviews: (dimension columns, tone).

    Drawing from a pool instead of rolling five dice per review keeps a million reviews
    cheap; the columns follow REVIEW_COLUMNS from patience to recommend.
    """
    pools = []
    for level in QUALITY_LEVELS:
        pool = []
        for _ in range(POOL):
            stars = [min(5, max(1, round(level / 10 + rng.gauss(0, 0.8)))) for _ in range(5)]
            mean = sum(stars[:4] if side == "business" else stars) / (
                4 if side == "business" else 5
            )
            verdict = rng.random() < (0.95 if mean >= 3.5 else 0.15)
            if side == "customer":
                values = (None, None, stars[3], None, None, *stars[:3], stars[4], verdict)
            else:
                values = (*stars[:4], verdict, None, None, None, None, None)
            tone = "good" if mean >= 3.8 else "fair" if mean >= 2.8 else "poor"
            pool.append((values, tone))
        pools.append(pool)
    return pools


class _Generator:
    def __init__(self, spec: ScaleSpec, writer: _Writer, now: datetime, password_hash: str):
        self.spec, self.out, self.now, self.hash = spec, writer, now, password_hash
        self.rng = random.Random(spec.seed)
        self.window = float(current_app.config["REVIEW_WINDOW_SECONDS"])
        tables = {
            m.__tablename__: m.__table__ for m in (User, Business, Encounter, Review, Reply, Thanks)
        }
        self.t = tables
        self.first = {name: writer.next_id(table) for name, table in tables.items()}
        self.ids = dict(self.first)
        self.top_reviews = self.small_reviews = 0
        self.pools = {side: _star_pools(self.rng, side) for side in ("customer", "business")}
        # Accounts have verified their email, where the schema records it.
        self.verified = "email_verified_at" in User.__table__.c
        self.user_columns = USER_COLUMNS + (("email_verified_at",) if self.verified else ())
        # Where the scores feature marks what its aggregates hold, rows arrive marked as its
        # rebuild would mark them (counted: revealed, on a confirmed encounter, visible).
        self.flags = all("counted" in t.c for t in (tables["reviews"], tables["thanks"]))
        self.flags = self.flags and "closure_counted" in tables["encounters"].c
        flag = ("counted",) if self.flags else ()
        self.columns = {
            "encounters": ENCOUNTER_COLUMNS + (("closure_counted",) if self.flags else ()),
            "reviews": REVIEW_COLUMNS + flag,
            "replies": REPLY_COLUMNS,
            "thanks": THANKS_COLUMNS + flag,
        }

    def at(self, ago: float) -> datetime:
        return self.now - timedelta(seconds=ago)

    def take(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name] - 1

    # Accounts and businesses ---------------------------------------------------------------

    def businesses(self) -> None:
        rng, spec = self.rng, self.spec
        self.quality = [_bucket(rng.gauss(3.9, 0.55)) for _ in range(spec.businesses)]
        businesses, owners = [], []
        for b in range(spec.businesses):
            category = rng.choice(list(NOUNS))
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[category])}"
            city = _pick(rng, CITIES)[0]
            handle, email = self.business_handle(b, name)
            if b < 2:
                city, name = "Madrid", f"{name} ({handle})"
            created = self.at(SPAN.total_seconds() + rng.uniform(0, 365) * DAY)
            business_id, owner_id = self.take("businesses"), self.take("users")
            description = f"Synthetic business {b + 1} of the scale data set, seed {spec.seed}."
            businesses.append((business_id, handle, name, category, city, description, created))
            owner = (email, self.hash, f"Owner of {name}", handle, business_id, "owner")
            owners.append((owner_id, "business", *owner, 1, created, *self.verified_at(created)))
        self.out.write(self.t["businesses"], BUSINESS_COLUMNS, businesses)
        self.out.write(self.t["users"], self.user_columns, owners)

    def business_handle(self, b: int, name: str) -> tuple[str, str]:
        if b < 2:
            handle = (TOP, SMALL)[b]
            return handle, f"{handle.removeprefix('scale-')}@{EMAIL_DOMAIN}"
        slug = name.lower().translate(ASCII).replace(" ", "-")
        return f"{slug}-{b}", f"owner-{b}@{EMAIL_DOMAIN}"

    def customers(self) -> None:
        rng, spec = self.rng, self.spec
        self.behaviour = [_bucket(rng.gauss(4.0, 0.5)) for _ in range(spec.customers)]
        rows = []
        for c in range(spec.customers):
            first, initial = rng.choice(FIRST_NAMES), chr(65 + rng.randrange(26))
            if c < 2:
                handle = (REGULAR, WRITER)[c]
                display, email = handle.replace("-", " ").title(), f"{handle[6:]}@{EMAIL_DOMAIN}"
            else:
                handle = f"{first.lower().translate(ASCII)}-{initial.lower()}-{c}"
                display, email = f"{first} {initial}.", f"customer-{c}@{EMAIL_DOMAIN}"
            created = self.at(rng.uniform(0, SPAN.total_seconds() + 180 * DAY))
            person = (email, self.hash, display, handle, None, None, 1, created)
            rows.append((self.take("users"), "customer", *person, *self.verified_at(created)))
            if len(rows) == CHUNK:
                self.out.write(self.t["users"], self.user_columns, rows)
                rows = []
        self.out.write(self.t["users"], self.user_columns, rows)

    def verified_at(self, created: datetime) -> tuple:
        return (created,) if self.verified else ()

    # Who met whom, and when ----------------------------------------------------------------

    def plan(self) -> tuple[list[int], list[int], list[float]]:
        """Business, customer and age (seconds ago, oldest first) of every encounter."""
        rng, spec = self.rng, self.spec
        business_of = [b for b, n in enumerate(encounter_counts(spec)) for _ in range(n)]
        rng.shuffle(business_of)
        # @scale-regular gets a fixed set below, @scale-writer none: the bench makes its own.
        weights = [0.0, 0.0] + [
            min(50.0, rng.paretovariate(2.0)) for _ in range(spec.customers - 2)
        ]
        customer_of = rng.choices(
            range(spec.customers), cum_weights=list(accumulate(weights)), k=spec.encounters
        )
        top = [i for i, b in enumerate(business_of) if b == 0]
        regular = top[: min(25, len(top) // 3)]
        regular += rng.sample(
            range(spec.encounters), min(REGULAR_ENCOUNTERS, spec.encounters // 50)
        )
        for i in regular:
            customer_of[i] = 0
        recent = round(spec.encounters * RECENT_SHARE)
        span = SPAN.total_seconds()
        # Windows close from a minute after the seed on, as on a live site (one every ~40 s
        # at the default size): pages that foresee a close are measured meeting some.
        ages = [rng.uniform(0, self.window - OPEN_FOR_AT_LEAST) for _ in range(recent)]
        older = spec.encounters - recent  # denser lately: the platform grew
        ages += [self.window + span * (1 - rng.random() ** 0.5) for _ in range(older)]
        ages.sort(reverse=True)
        return business_of, customer_of, ages

    def encounters(self, progress: Callable[[int, int], None]) -> None:
        business_of, customer_of, ages = self.plan()
        owner_of = self.first["users"]
        customer_base = owner_of + self.spec.businesses
        for start in range(0, self.spec.encounters, CHUNK):
            batch: dict[str, list] = {"encounters": [], "reviews": [], "replies": [], "thanks": []}
            for i in range(start, min(start + CHUNK, self.spec.encounters)):
                b, c = business_of[i], customer_of[i]
                sides = {"business": owner_of + b, "customer": customer_base + c}
                self.encounter(batch, b, c, sides, ages[i])
            for name, columns in self.columns.items():
                self.out.write(self.t[name], columns, batch[name])
            progress(len(batch["encounters"]), self.out.total)

    def encounter(self, batch, b: int, c: int, sides: dict[str, int], ago: float) -> None:
        random, window = self.rng.random, self.window
        created = self.now - timedelta(seconds=ago)
        roll, status = random(), "confirmed"
        origin = "invitation" if roll < 0.55 else "record"
        recorder = "business" if roll < 0.775 else "customer"
        if origin == "record":
            status = _threshold(random(), STATUSES)
        confirmed = contested = None
        ready = 0.0  # seconds after creation from which the other side may write
        if status == "confirmed":
            if origin == "record":
                ready = random() * min(2 * DAY, 0.3 * window, ago)
            confirmed = created + timedelta(seconds=ready)
        elif status != "unconfirmed":
            contested = created + timedelta(seconds=random() * min(3 * DAY, ago))
        encounter_id = self.take("encounters")
        limit = min(0.95 * window, ago)  # reviews come inside the window and before now
        eagerness = min(1.0, 0.3 + ago / window) * (1.0 if contested is None else 0.6)
        written = {}
        for side, chance in (("customer", 0.85), ("business", 0.62)):
            if (status == "confirmed" or side == recorder) and random() < chance * eagerness:
                start = 0.0 if side == recorder else ready
                written[side] = start + (max(limit, start) - start) * random() ** 2
        both_at = None
        if len(written) == 2:
            both_at = created + timedelta(seconds=max(written.values()))
        closes = created + timedelta(seconds=window)
        revealed_at = both_at or (closes if ago >= window else None)
        notified = revealed_at if written and contested is None else None
        occurred = (created - timedelta(days=int(random() * 4))).date()
        reference = f"Order {encounter_id % 90_000 + 10_000}" if random() < 0.3 else None
        who = (self.first["businesses"] + b, sides["customer"], status, origin, recorder)
        times = (created, closes, confirmed, contested)
        reason = CONTESTS[encounter_id % len(CONTESTS)] if contested else None
        row = (encounter_id, *who, sides[recorder], occurred, reference, *times, reason)
        counted = status == "confirmed" and revealed_at is not None
        batch["encounters"].append((*row, both_at, notified, *self.flag(counted)))
        for side, delay in written.items():
            submitted = created + timedelta(seconds=delay)
            self.review(batch, encounter_id, side, sides, b, c, submitted, revealed_at, counted)
            if side == "customer" and b < 2:
                self.top_reviews += b == 0
                self.small_reviews += b == 1
        if contested is None:
            parties = (self.first["businesses"] + b, sides["customer"])
            self.thanks(batch, encounter_id, parties, sides, status, recorder, created, ago)

    def flag(self, value: bool) -> tuple:
        return (value,) if self.flags else ()

    def review(self, batch, encounter_id, side, sides, b, c, submitted, revealed_at, counted):
        parties = (self.first["businesses"] + b, sides["customer"])
        random = self.rng.random
        bucket = self.quality[b] if side == "customer" else self.behaviour[c]
        pool = self.pools[side][bucket]
        values, tone = pool[int(random() * len(pool))]
        comments = COMMENTS[side, tone]
        comment = comments[int(random() * len(comments))] if random() < 0.6 else ""
        note = NOTES[encounter_id % len(NOTES)] if random() < 0.05 else ""
        visibility = _threshold(random(), VISIBILITIES)
        review_id = self.take("reviews")
        texts = (comment, note, visibility)
        row = (review_id, encounter_id, *parties, side, sides[side], *values, *texts)
        row = (*row, submitted, submitted)
        batch["reviews"].append((*row, *self.flag(counted and visibility == "visible")))
        if revealed_at is None or visibility != "visible":
            return
        if random() < (0.03 if side == "business" else 0.25 if tone == "poor" else 0.1):
            other = "customer" if side == "business" else "business"
            when = min(self.now, revealed_at + timedelta(seconds=random() * 7 * DAY))
            text = REPLIES[other][review_id % len(REPLIES[other])]
            reply = (review_id, sides[other], text, "visible", when, when)
            batch["replies"].append((self.take("replies"), *reply))

    def thanks(self, batch, encounter_id, parties, sides, status, recorder, created, ago) -> None:
        random = self.rng.random
        for side, chance in (("customer", 0.10), ("business", 0.05)):
            if (status == "confirmed" or side == recorder) and random() < chance:
                when = created + timedelta(seconds=random() * min(self.window, ago))
                visibility = "visible" if random() < 0.98 else "held"
                message = THANKS[encounter_id % len(THANKS)]
                thanks = (encounter_id, *parties, side, sides[side], message, visibility, when)
                row = (self.take("thanks"), *thanks, *self.flag(visibility == "visible"))
                batch["thanks"].append(row)


def generate(
    spec: ScaleSpec,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScaleReport:
    """Insert the scale data set in one transaction; returns the rows written per table.

    `progress` is called with the number of businesses, customers or encounters just
    written, and the number of rows written so far.
    Raises AlreadySeeded when @scale-top exists (drop the database to seed again).
    """
    started = time.perf_counter()
    progress = progress or (lambda done, rows: None)
    now = (now or clock.now()).astimezone(UTC)
    password_hash = hash_password(SCALE_PASSWORD)  # once: every generated account shares it
    with db.engine.begin() as connection:
        if connection.scalar(select(Business.id).where(Business.handle == TOP)):
            raise AlreadySeeded(f"@{TOP} exists: the scale data set is already here.")
        writer = _Writer(connection)
        writer.lift_statement_timeout()
        generator = _Generator(spec, writer, now, password_hash)
        writer.suspend_checks(list(generator.t))
        generator.businesses()
        progress(spec.businesses, writer.total)
        generator.customers()
        progress(spec.customers, writer.total)
        generator.encounters(progress)
        loaded = time.perf_counter()
        writer.restore_checks()
        writer.fix_sequences()
    finished = time.perf_counter()
    if writer.copy:  # fresh statistics, or the first queries plan as if the tables were empty
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"ANALYZE {', '.join(writer.rows)}"))
    phases = {"load": loaded - started, "indexes and constraints": finished - loaded}
    phases["analyze"] = time.perf_counter() - finished
    return ScaleReport(
        rows=writer.rows,
        seconds=time.perf_counter() - started,
        phases=phases,
        top_reviews=generator.top_reviews,
        small_reviews=generator.small_reviews,
    )


def rebuild_aggregates() -> str:
    """Build the score aggregates from the rows just written."""
    started = time.perf_counter()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL statement_timeout = 0"))  # until its commit
    rebuild_all_aggregates()
    return f"rebuilt in {time.perf_counter() - started:.1f} s"


def vacuum() -> str:
    """PostgreSQL: VACUUM ANALYZE the seeded tables, after a rebuild's updates left dead rows."""
    if db.engine.dialect.name != "postgresql":
        return "not needed"
    started = time.perf_counter()
    tables = "users, businesses, encounters, reviews, replies, thanks"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SET statement_timeout = 0"))
        connection.execute(text(f"VACUUM (ANALYZE) {tables}"))
        connection.execute(text("RESET statement_timeout"))
    return f"done in {time.perf_counter() - started:.1f} s"


def known_accounts(report: ScaleReport) -> list[tuple[str, str]]:
    """The accounts with a known role, for benchmarks and for trying the data by hand."""
    return [
        (f"top@{EMAIL_DOMAIN}", f"owner of @{TOP} ({report.top_reviews:,} customer reviews)"),
        (f"small@{EMAIL_DOMAIN}", f"owner of @{SMALL} ({report.small_reviews:,} customer reviews)"),
        (f"regular@{EMAIL_DOMAIN}", f"customer @{REGULAR}, met @{TOP} and many others"),
        (f"writer@{EMAIL_DOMAIN}", f"customer @{WRITER}, no encounters (the bench adds them)"),
    ]

"""Configuration read from environment variables (PRODUCT.md section 11)."""

import os
from pathlib import Path

from sqlalchemy.engine import make_url

BASE_DIR = Path(__file__).resolve().parent


def database_url(raw: str | None) -> str:
    """Return a SQLAlchemy URL; plain postgres URLs are routed to psycopg 3."""
    if not raw:
        return f"sqlite:///{BASE_DIR / 'instance' / 'reciproca.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    REDIS_URL = os.environ.get("REDIS_URL")

    REVIEW_WINDOW_SECONDS = env_int("REVIEW_WINDOW_SECONDS", 14 * 24 * 3600)
    SCORE_PRIOR_MEAN = env_float("SCORE_PRIOR_MEAN", 3.5)
    SCORE_PRIOR_WEIGHT = env_float("SCORE_PRIOR_WEIGHT", 7)
    SCORE_MIN_REVIEWS = env_int("SCORE_MIN_REVIEWS", 3)
    FLAG_HIDE_THRESHOLD = env_int("FLAG_HIDE_THRESHOLD", 3)
    INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 30)
    UNCONFIRMED_RECORDS_PER_DAY = env_int("UNCONFIRMED_RECORDS_PER_DAY", 20)

    # Screening of submitted text (PRODUCT.md section 7).
    SCREEN_SHOUT_MIN_LETTERS = env_int("SCREEN_SHOUT_MIN_LETTERS", 12)
    SCREEN_SHOUT_CAPITALS_SHARE = env_float("SCREEN_SHOUT_CAPITALS_SHARE", 0.7)
    SCREEN_SHOUT_WORD_RUN = env_int("SCREEN_SHOUT_WORD_RUN", 4)

    # Rendered profile and directory fragments (rating/pagecache.py), kept at most this
    # long (0: no cache). In Redis, shared by every worker: on by default only with
    # REDIS_URL, since separate workers' memories would not see each other's writes.
    PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 if REDIS_URL else 0)
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1} if REDIS_URL else None
    CACHE_KEY_PREFIX = "reciproca-page:"
    CACHE_THRESHOLD = 5000  # entries kept in memory without Redis

    # Rate limits (Flask-Limiter; rating/security/limits.py), as "N per period" strings.
    # Counted in Redis when REDIS_URL is set (shared by every worker), else in memory.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "reciproca")
    # No X-RateLimit-* headers on web pages: reading the window back costs every limited
    # request a Redis round trip, and browsers make nothing of them. The API sends its own
    # (rating/api/limits.py); a 429 page carries Retry-After.
    RATELIMIT_HEADERS_ENABLED = False
    # Redis down: count in each process's memory until it answers again (checked with a
    # growing back-off), and log rather than fail if even that goes wrong. The app serves on.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")  # per address
    SIGN_IN_ACCOUNT_RATE_LIMIT = os.environ.get("SIGN_IN_ACCOUNT_RATE_LIMIT", "20 per hour")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "20 per hour")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    VERIFICATION_RATE_LIMIT = os.environ.get("VERIFICATION_RATE_LIMIT", "5 per hour")
    # Every POST/PUT/PATCH/DELETE of the web pages, per signed-in user (else per address).
    WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "60 per minute")
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted.
    PROXY_COUNT = env_int("PROXY_COUNT", 0)

    # JSON API: per-token limit, and how long a bearer token lives.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    API_TOKEN_LIFETIME_SECONDS = env_int("API_TOKEN_LIFETIME_SECONDS", 30 * 24 * 3600)

    # Sign-in lock: this many failures for one account within the window lock it for a while.
    SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5)
    SIGN_IN_FAILURE_WINDOW_SECONDS = env_int("SIGN_IN_FAILURE_WINDOW_SECONDS", 15 * 60)
    SIGN_IN_LOCK_SECONDS = env_int("SIGN_IN_LOCK_SECONDS", 15 * 60)

    # Email links (rating/accounts/recovery.py, verification.py).
    PASSWORD_RESET_MAX_AGE = env_int("PASSWORD_RESET_MAX_AGE", 3600)
    EMAIL_VERIFICATION_MAX_AGE = env_int("EMAIL_VERIFICATION_MAX_AGE", 7 * 24 * 3600)
    REQUIRE_EMAIL_VERIFICATION = env_bool("REQUIRE_EMAIL_VERIFICATION", False)

    # Mail (rating/mail): "smtp" sends through MAIL_SERVER, "console" prints the message.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)  # STARTTLS, usually on port 587
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)  # TLS from the start, usually port 465
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Reciproca <no-reply@localhost>")

    # Security headers (rating/security/headers.py). HSTS only where served over HTTPS.
    HSTS_SECONDS = env_int("HSTS_SECONDS", 0)

    # argon2id cost; the defaults are argon2-cffi's recommended profile.
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 4)

    LANGUAGES = ("en", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A pooled connection unused this long is pinged before use (rating/database.py).
    DATABASE_PING_AFTER_IDLE_SECONDS = env_float("DATABASE_PING_AFTER_IDLE_SECONDS", 1.0)
    # PostgreSQL only (see engine_options): pool per process, timeouts in seconds/milliseconds.
    DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 5)
    DATABASE_MAX_OVERFLOW = env_int("DATABASE_MAX_OVERFLOW", 10)
    DATABASE_POOL_TIMEOUT = env_int("DATABASE_POOL_TIMEOUT", 10)
    DATABASE_POOL_RECYCLE = env_int("DATABASE_POOL_RECYCLE", 1800)
    DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30000)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 1024 * 1024


class Development(Config):
    DEBUG = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class Testing(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///:memory:"
    )
    RATELIMIT_ENABLED = False
    # Each test process keeps its own page cache, emptied after every test.
    PAGE_CACHE_SECONDS = 60
    CACHE_TYPE = "SimpleCache"
    CACHE_OPTIONS = None
    REQUIRE_EMAIL_VERIFICATION = False
    MAIL_BACKEND = "console"
    HSTS_SECONDS = 0
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None


class Production(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    REQUIRE_EMAIL_VERIFICATION = env_bool("REQUIRE_EMAIL_VERIFICATION", True)
    # The documented deployment: gunicorn on 127.0.0.1 behind one reverse proxy with TLS.
    PROXY_COUNT = env_int("PROXY_COUNT", 1)

    @staticmethod
    def check() -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production.")


def engine_options(settings) -> dict:
    """SQLAlchemy engine options for the configured database, chosen by its dialect.

    PostgreSQL gets a bounded pool, a connect timeout and a statement timeout; SQLite keeps
    SQLAlchemy's pool (its pragmas are set in rating/database.py). Options given in
    SQLALCHEMY_ENGINE_OPTIONS win, with their `connect_args` merged into these and a libpq
    `options` string appended to ours.
    """
    options: dict = {}
    connect_args: dict = {}
    if make_url(settings["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql":
        options |= {
            "pool_size": settings["DATABASE_POOL_SIZE"],
            "max_overflow": settings["DATABASE_MAX_OVERFLOW"],
            "pool_timeout": settings["DATABASE_POOL_TIMEOUT"],
            "pool_recycle": settings["DATABASE_POOL_RECYCLE"],
        }
        connect_args["connect_timeout"] = settings["DATABASE_CONNECT_TIMEOUT"]
        statement_timeout = settings["DATABASE_STATEMENT_TIMEOUT_MS"]
        if statement_timeout:
            connect_args["options"] = f"-c statement_timeout={statement_timeout}"
    given = dict(settings.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    for key, value in dict(given.pop("connect_args", {})).items():
        if key == "options" and connect_args.get("options"):
            connect_args["options"] += " " + value
        else:
            connect_args[key] = value
    options |= given
    if connect_args:
        options["connect_args"] = connect_args
    return options


CONFIGS = {"development": Development, "testing": Testing, "production": Production}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by APP_ENV (default: development)."""
    name = os.environ.get("APP_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]

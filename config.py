"""Configuration read from environment variables (PRODUCT.md section 11)."""

import os
from pathlib import Path

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

    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "20 per hour")

    # argon2id cost; the defaults are argon2-cffi's recommended profile.
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 4)

    LANGUAGES = ("en", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 1024 * 1024


class Development(Config):
    DEBUG = False


class Testing(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///:memory:"
    )
    RATELIMIT_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None


class Production(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @staticmethod
    def check() -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production.")


CONFIGS = {"development": Development, "testing": Testing, "production": Production}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by APP_ENV (default: development)."""
    name = os.environ.get("APP_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]

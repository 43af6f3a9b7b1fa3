"""Signed, expiring tokens for the links mailed to users (itsdangerous).

Each kind of link has its own salt, so a token made for one purpose is refused by another.
Ages are measured on the application clock (`rating.clock`), which tests can move.
"""

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from rating import clock


class ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=ClockSigner)


def make_token(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: int) -> dict | None:
    """The payload of a genuine token younger than max_age seconds, else None."""
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired, a subclass
        return None
    return payload if isinstance(payload, dict) else None

"""Domain exceptions raised by services and turned into responses by views."""


class DomainError(Exception):
    """Base class; `message` is safe to show to the user."""

    status = 400

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    """Input that breaks a rule; `fields` maps each field name to its problem."""

    status = 422

    def __init__(self, field: str | None = None, message: str = "", *, fields=None):
        self.fields = dict(fields or {})
        if field is not None:
            self.fields[field] = message
        super().__init__(message or next(iter(self.fields.values()), ""))


class TooMany(DomainError):
    """A quota of the product (not a transport rate limit) is used up."""

    status = 429

"""Typed domain errors; each carries a stable code that reaches GraphQL clients."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of errors a client may see. `code` is stable; `field`/`value` locate bad input."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value
        self.details = details or {}

    def extensions(self) -> dict[str, Any]:
        ext: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            ext["field"] = self.field
        if self.value is not None:
            ext["value"] = (
                self.value if isinstance(self.value, (str, int, float, bool)) else str(self.value)
            )
        ext.update(self.details)
        return ext


class NotFound(DomainError):
    code = "NOT_FOUND"


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


class Conflict(DomainError):
    code = "CONFLICT"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Unavailable(DomainError):
    """The database cannot be reached; nothing was written and the request may be retried
    after `retryAfter` seconds."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message, details={"retryAfter": retry_after_s})
        self.retry_after_s = retry_after_s


class Timeout(DomainError):
    """The request ran out of its time budget; its database work was cancelled (a write
    rolled back)."""

    code = "TIMEOUT"


class CommitUnknown(DomainError):
    """The connection was lost while the database committed a write: it may or may not have
    been applied. Unlike SERVICE_UNAVAILABLE this does not say that nothing happened."""

    code = "COMMIT_UNKNOWN"

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message, details={"retryAfter": retry_after_s})
        self.retry_after_s = retry_after_s


class CursorExpired(DomainError):
    """A change-feed cursor older than the feed's retention: the changes after it are gone,
    and the client must resynchronise (read the current state, then follow the feed from
    `changesCursor`)."""

    code = "CURSOR_EXPIRED"

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
    """The database cannot be reached; the request may be retried."""

    code = "SERVICE_UNAVAILABLE"


class Timeout(DomainError):
    """The request ran out of its time budget; its database work was cancelled (a write
    rolled back)."""

    code = "TIMEOUT"

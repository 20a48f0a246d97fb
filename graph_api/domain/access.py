"""Who is asking: the authenticated principal every service call is made on behalf of."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    REP = "REP"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller. `rep_id` ties a rep or manager to their Rep node (account teams)."""

    subject: str
    role: Role
    rep_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


# Development mode without credentials: an admin, announced loudly at start.
DEVELOPMENT_VIEWER = Viewer(subject="development", role=Role.ADMIN)

"""Who is asking and what they may see: the principal and its visible scope.

The rules (README "Security" is the user's version):

- ADMIN sees everything, unmasked.
- A REP's teams are the account teams they are a member of (MEMBER_OF) or manage (MANAGES);
  a MANAGER's are those of every rep below them (MANAGED_BY, any depth) and their own.
- The team-covered parties of those teams: their accounts (COVERS_ACCOUNT), every
  organization below an account (PART_OF: branches, subsidiaries, departments) and every
  person working for one of them (WORKS_FOR).
- Besides these, a viewer sees the parties the viewer's reps cover directly (COVERS), the
  people with a buying role on a team-covered organization or on one of its opportunities,
  and the household (one FAMILY link) of the people whose sensitive fields the viewer sees.
- A confidential party is seen only through the team-covered rule: by its own account
  teams (and their managers), never through coverage, buying roles or family alone.
- Sensitive fields (a person's birth date, phone, email, home address, family links and
  personal holdings) are open for the people who are accounts of the viewer's teams and the
  people the viewer's reps cover directly; for every other visible person they are masked.
- An invisible party does not exist for the viewer: NOT_FOUND when asked by id, absent from
  lists, counts, paths and evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from graph_api.domain import i18n


class Role(StrEnum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    REP = "REP"


i18n.labels(
    Role,
    {
        Role.ADMIN: i18n.Label("Admin", "管理员"),
        Role.MANAGER: i18n.Label("Manager", "销售经理"),
        Role.REP: i18n.Label("Rep", "客户经理"),
    },
)


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
# A request that runs no query (the GraphiQL page) needs no identity: it may see nothing.
NOBODY = Viewer(subject="anonymous", role=Role.REP, rep_id=None)

# The fields of a Person masked unless the viewer sees the person's sensitive details, as
# named in the GraphQL schema (Party.masked lists them).
SENSITIVE_PERSON_FIELDS: tuple[str, ...] = (
    "birthDate",
    "phone",
    "email",
    "wechatId",
    "homeAddress",
    "household",
    "householdHoldings",
    "holdings",
    "beneficiaryOf",
)


@dataclass(frozen=True, slots=True)
class Access:
    """What one viewer may see, computed once per request.

    `visible` and `sensitive` are party ids; None means every party (an admin's access).
    """

    viewer: Viewer
    visible: frozenset[str] | None = None
    sensitive: frozenset[str] | None = None
    teams: frozenset[str] = field(default_factory=frozenset)
    # The viewer's Rep and, for a manager, every rep below them (coverage they may set).
    reps: frozenset[str] = field(default_factory=frozenset)
    # The visible parties that are organizations (their holdings are business data).
    organizations: frozenset[str] = field(default_factory=frozenset)
    # The visible ids once as a list: the Cypher parameter of every query of the request.
    visible_ids: list[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def everything(cls, viewer: Viewer) -> Access:
        return cls(viewer)

    @classmethod
    def scoped(
        cls,
        viewer: Viewer,
        visible: Iterable[str],
        sensitive: Iterable[str],
        teams: Iterable[str] = (),
        reps: Iterable[str] = (),
        organizations: Iterable[str] = (),
    ) -> Access:
        seen = frozenset(visible)
        return cls(
            viewer,
            seen,
            frozenset(sensitive) & seen,
            frozenset(teams),
            frozenset(reps),
            frozenset(organizations) & seen,
            list(seen),
        )

    @property
    def unrestricted(self) -> bool:
        return self.visible is None

    def sees(self, party_id: str) -> bool:
        return self.visible is None or party_id in self.visible

    def sees_sensitive(self, party_id: str) -> bool:
        """Whether the person's sensitive fields are open (organizations have none)."""
        return self.sensitive is None or party_id in self.sensitive

    def visible_list(self) -> list[str] | None:
        """The visible ids as a Cypher parameter (`$visible IS NULL OR x.id IN $visible`)."""
        return self.visible_ids

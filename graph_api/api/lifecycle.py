"""Mutations of the nodes' lifecycle: archive and restore, merge two parties, erase a
person's personal data. Each is one write through `services.writes` (one transaction,
versions, audit, change feed, idempotency keys, the writes' access rules)."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.context import Info
from graph_api.api.mutations import _write
from graph_api.api.view_types import PageInfo
from graph_api.domain import writes as w
from graph_api.domain.errors import InvalidInput
from graph_api.services import lifecycle
from graph_api.services.access import require_admin
from graph_api.services.parties import check_id

MAX_REASON_LENGTH = 500

Id = Annotated[strawberry.ID, strawberry.argument(description="The node's id.")]
Reason = Annotated[
    str,
    strawberry.argument(
        description=f"Why (1..{MAX_REASON_LENGTH} characters): kept on the node and in the audit."
    ),
]
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The version this is based on; a stale one is a CONFLICT naming the current."
    ),
]


@strawberry.type(description="What an archive, restore, merge or erasure did to a node.")
class LifecycleResult:
    kind: w.EntityKind = strawberry.field(description="The node's kind.")
    id: strawberry.ID = strawberry.field(description="The node's id.")
    action: w.AuditAction = strawberry.field(description="What was done.")
    version: int = strawberry.field(description="The node's version after it.")
    at: datetime.datetime = strawberry.field(
        description="When it was done (for a change that changed nothing: when it was done before)."
    )
    archived: bool = strawberry.field(description="Whether the node is archived now.")
    reason: str | None = strawberry.field(description="The reason given, while archived.")
    moved_links: int = strawberry.field(
        description="A merge: links of the merged party moved to the survivor."
    )
    removed_links: int = strawberry.field(
        description=(
            "A merge: links dropped (duplicates folded into the survivor's, links between the "
            "two); an erasure: the person's private links removed."
        )
    )
    fields: list[str] = strawberry.field(
        description=(
            "A merge: the survivor's fields filled from the merged party; an erasure: the "
            "fields erased."
        )
    )

    @staticmethod
    def from_domain(r: w.LifecycleRecord) -> LifecycleResult:
        return LifecycleResult(
            kind=r.kind,
            id=strawberry.ID(r.id),
            action=r.action,
            version=r.version,
            at=r.at,
            archived=r.archived,
            reason=r.reason,
            moved_links=r.moved,
            removed_links=r.removed,
            fields=list(r.fields),
        )


@strawberry.input(description="The versions a merge is based on (each optional).")
class MergeVersionsInput:
    survivor: int | None = strawberry.field(
        default=None, description="The survivor's version; stale: CONFLICT."
    )
    merged: int | None = strawberry.field(
        default=None, description="The merged party's version; stale: CONFLICT."
    )


def _reason(value: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            f"reason must hold 1 to {MAX_REASON_LENGTH} characters, got {len(text)}",
            field="reason",
            value=value[:40],
        )
    return text


def _version(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InvalidInput(
            "expectedVersion must be 1 or more", field="expectedVersion", value=value
        )
    return value


async def _one(info: Info, mutation: str, change: w.Change) -> LifecycleResult:
    (result,) = await _write(info, mutation, [change])
    assert isinstance(result, w.LifecycleRecord)
    return LifecycleResult.from_domain(result)


def _archive(
    kind: w.EntityKind, node_id: str, reason: str, expected_version: int | None
) -> w.Change:
    return w.Change(
        kind,
        w.ChangeAction.ARCHIVE,
        {"id": check_id("id", str(node_id)), "reason": _reason(reason)},
        expected_version=_version(expected_version),
        path="",
    )


def _restore(kind: w.EntityKind, node_id: str, expected_version: int | None) -> w.Change:
    return w.Change(
        kind,
        w.ChangeAction.RESTORE,
        {"id": check_id("id", str(node_id))},
        expected_version=_version(expected_version),
        path="",
    )


_ARCHIVED = (
    " An archived node is gone from every read (view, search, org chart, deciders, paths, "
    "cross-sell, portfolio, access) but keeps its links and audit trail; its id cannot be "
    "taken by a create. Archiving an archived node changes nothing."
)
_WHO = (
    " Parties: an admin, or a rep or manager who sees the party (restore: admins, as an "
    "archived party is in no rep's scope); opportunities and events: as their account; reps, "
    "teams, products and affinity rules: admins."
)


@strawberry.type
class LifecycleMutation:
    @strawberry.mutation(
        description="Archives a person or organization (soft delete, history kept)."
        + _ARCHIVED
        + _WHO
    )
    async def archive_party(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The party's id.")],
        reason: Reason,
        expected_version: ExpectedVersion = None,
    ) -> LifecycleResult:
        change = _archive(w.EntityKind.PERSON, str(id), reason, expected_version)
        return await _one(info, "archiveParty", change)

    @strawberry.mutation(
        description="Restores an archived person or organization, with its links and history."
        + _WHO
    )
    async def restore_party(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The party's id.")],
        expected_version: ExpectedVersion = None,
    ) -> LifecycleResult:
        change = _restore(w.EntityKind.PERSON, str(id), expected_version)
        return await _one(info, "restoreParty", change)

    @strawberry.mutation(description="Archives a node of any archivable kind." + _ARCHIVED + _WHO)
    async def archive(
        self,
        info: Info,
        kind: Annotated[w.ArchivableKind, strawberry.argument(description="The node's kind.")],
        id: Id,
        reason: Reason,
        expected_version: ExpectedVersion = None,
    ) -> LifecycleResult:
        change = _archive(kind.entity, str(id), reason, expected_version)
        return await _one(info, "archive", change)

    @strawberry.mutation(description="Restores an archived node of any archivable kind." + _WHO)
    async def restore(
        self,
        info: Info,
        kind: Annotated[w.ArchivableKind, strawberry.argument(description="The node's kind.")],
        id: Id,
        expected_version: ExpectedVersion = None,
    ) -> LifecycleResult:
        change = _restore(kind.entity, str(id), expected_version)
        return await _one(info, "restore", change)

    @strawberry.mutation(
        description=(
            "Merges two records of one customer: every link of mergedId (jobs, reporting "
            "lines, family, holdings, buying roles, coverage, interactions, audit entries, "
            "history) moves to survivorId; a link the survivor already has is kept once (the "
            "survivor's, with what it lacks from the other, the larger strength, the earlier "
            "since); links between the two are dropped. The survivor's empty fields are "
            "filled from the merged party, whose name joins its aliases. mergedId then "
            "resolves to the survivor (party(id: mergedId) answers it) and cannot be taken "
            "again. Same kind only (person with person, organization with organization), "
            "never a party with itself; a merge that would close a reporting or PART_OF cycle "
            "is refused; nothing is written on any error. Admins, or a rep or manager who "
            "sees both parties (people: with their sensitive data open)."
        )
    )
    async def merge_parties(
        self,
        info: Info,
        survivor_id: Annotated[
            strawberry.ID, strawberry.argument(description="The party that remains.")
        ],
        merged_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The party merged into it (its id becomes an alias)."),
        ],
        expected_versions: Annotated[
            MergeVersionsInput | None,
            strawberry.argument(description="The versions the merge is based on."),
        ] = None,
    ) -> LifecycleResult:
        survivor = check_id("survivorId", str(survivor_id))
        merged = check_id("mergedId", str(merged_id))
        if survivor == merged:
            raise InvalidInput(
                "mergedId must be another party than survivorId",
                field="mergedId",
                value=merged,
                details={"reason": "SELF_LINK"},
            )
        values: dict[str, object] = {"survivorId": survivor, "mergedId": merged}
        if expected_versions is not None:
            for name in ("survivor", "merged"):
                given = getattr(expected_versions, name)
                if given is not None and given < 1:
                    raise InvalidInput(
                        f"expectedVersions.{name} must be 1 or more",
                        field=f"expectedVersions.{name}",
                        value=given,
                    )
                values[f"{name}Version"] = given
        change = w.Change(w.EntityKind.PERSON, w.ChangeAction.MERGE, values, path="")
        return await _one(info, "mergeParties", change)

    @strawberry.mutation(
        description=(
            "Erases a person's personal data on their request (PIPL, GDPR): the name becomes "
            "a placeholder; aliases, gender, birth date, contact data (phone, e-mail, WeChat), "
            "home address, city, occupation and contact preferences are removed; so are the "
            "person's family links, acquaintances and beneficiary links (both ways: the "
            "beneficiaries of their policies too), their policies' references, the subject "
            "and summary of their interactions and the notes of their buying roles, and the "
            "same values in earlier audit entries and changes of the feed. Kept, for the "
            "statistics and the organizations' record: the party (region, tier, grade, "
            "customer since, source), holdings, interactions, jobs, reporting lines, buying "
            "roles, coverage. The audit entry says who, when and why and names the fields, "
            "without their values. Not undone by anything. Admins, or a rep or manager with "
            "the person's sensitive data open to them."
        )
    )
    async def erase_personal_data(
        self,
        info: Info,
        person_id: Annotated[strawberry.ID, strawberry.argument(description="The person's id.")],
        reason: Reason,
        expected_version: ExpectedVersion = None,
    ) -> LifecycleResult:
        change = w.Change(
            w.EntityKind.PERSON,
            w.ChangeAction.ERASE,
            {"id": check_id("personId", str(person_id)), "reason": _reason(reason)},
            expected_version=_version(expected_version),
            path="",
        )
        return await _one(info, "erasePersonalData", change)


@strawberry.type(description="A node archived: what it was, when, by whom and why.")
class ArchivedNode:
    kind: w.ArchivableKind = strawberry.field(description="What the node was.")
    id: strawberry.ID = strawberry.field(description="Its id (restore takes it).")
    label: str | None = strawberry.field(
        description="Its name (a business event's title, an affinity rule's reason)."
    )
    archived_at: datetime.datetime = strawberry.field(description="When it was archived.")
    archived_by: str | None = strawberry.field(description="Who archived it (the key's subject).")
    reason: str | None = strawberry.field(description="The reason given.")
    version: int = strawberry.field(
        description="Its version (expectedVersion of a restore that must not race)."
    )

    @staticmethod
    def from_domain(n: lifecycle.ArchivedNode) -> ArchivedNode:
        return ArchivedNode(
            kind=n.kind,
            id=strawberry.ID(n.id),
            label=n.label,
            archived_at=n.archived_at,
            archived_by=n.archived_by,
            reason=n.reason,
            version=n.version,
        )


@strawberry.type(description="An archived node in a page, with its cursor.")
class ArchivedNodeEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: ArchivedNode = strawberry.field(description="The archived node.")


@strawberry.type(description="Archived nodes, the latest archived first.")
class ArchivedNodeConnection:
    edges: list[ArchivedNodeEdge] = strawberry.field(description="The nodes of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")


@strawberry.type
class LifecycleQuery:
    @strawberry.field(
        description=(
            "The archived nodes (admins only: FORBIDDEN for reps and managers), the latest "
            "archived first, then by id: what restore and restoreParty can bring back. Reads "
            "leave archived nodes out everywhere else."
        )
    )
    async def archived_nodes(
        self,
        info: Info,
        kinds: Annotated[
            list[w.ArchivableKind] | None,
            strawberry.argument(description="Only nodes of these kinds (null: every kind)."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> ArchivedNodeConnection:
        context = info.context
        require_admin(context.viewer, "archived nodes")  # before the scope's query
        page = await lifecycle.archived_nodes(
            await context.reader(), context.viewer, context.settings, kinds, first, after
        )
        return ArchivedNodeConnection(
            edges=[
                ArchivedNodeEdge(cursor=c, node=ArchivedNode.from_domain(n)) for c, n in page.edges
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
        )


__all__ = ["LifecycleMutation", "LifecycleQuery", "LifecycleResult"]

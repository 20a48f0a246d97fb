"""Writes to the graph: each mutation's changes checked, authorized, written and audited in
ONE transaction, so that nothing is written when any check fails.

Every mutation goes through `apply_changes`. For each change, in order, inside the
transaction: lock what it changes, read its current state, check the references it makes
(NOT_FOUND naming the field and value), work out whom it touches (`WriteScope`) and ask
`authorize_write`, check the version (CONFLICT naming the current one: a stale
expectedVersion is refused even when the values equal what is stored), compare with what is
stored (a change that changes nothing is not written, versioned or audited: that is what
makes a retried create idempotent), check the hierarchy (no reporting or PART_OF cycle),
write, and keep an audit entry. The audit entries are written last, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from graph_api.analytics import strength as strength_pairs
from graph_api.bulk.spec import Field
from graph_api.config import get_settings
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS, Access, Role
from graph_api.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from graph_api.domain.signals import follow_up_before, refresh_params, sleeping
from graph_api.domain.writes import (
    ADMIN_ONLY_KINDS,
    SALES_NODE_KINDS,
    ArchivableKind,
    AuditAction,
    Change,
    ChangeAction,
    EntityKind,
    HoldingRecord,
    InteractionRecord,
    LifecycleRecord,
    LinkRecord,
    NodeRecord,
    StrengthChange,
    WriteResult,
    WriteScope,
)
from graph_api.services import feed, idempotency, job_change, strength
from graph_api.services.co_holding import CoHoldingChange
from graph_api.services.idempotency import IdempotencyKey
from graph_api.services.lifecycle import lucene_term
from graph_api.services.tas import recorded_answer
from graph_api.services.write_input import link_key_fields, section_of
from graph_api.store.mapping import (
    party_from_props,
    product_from_props,
    rep_from_props,
    to_date,
    to_datetime,
    to_enum,
)
from graph_api.store.scoped import ScopedStore, ScopedTransaction

# Properties the service keeps itself; never compared, never audited.
BOOKKEEPING = frozenset({"id", "version", "createdAt", "updatedAt"})


# Links and nodes that are a person's family or personal holdings: sensitive (README, Security).
_SENSITIVE_KINDS = frozenset({EntityKind.FAMILY, EntityKind.HOLDING, EntityKind.BENEFICIARY})


def authorize_write(
    access: Access,
    scope: WriteScope,
    new: frozenset[str] = frozenset(),
    fields: Sequence[str] = (),
) -> None:
    """The one place every change passes before it is written, knowing whom it touches.

    The read rules decide the writes (README, Security): admins change anything; reps and
    managers change only parties they see (a party created earlier in the same transaction
    counts as seen: create it with the link that puts it in scope), a party they do not
    see is NOT_FOUND as when reading; family links, personal holdings, beneficiaries and a
    person's sensitive fields only where those are open to them; coverage only for
    themselves and the reps below them, and only a manager or an admin sets it (coverage
    decides what a rep sees). `new`: the parties this transaction is creating.
    """
    if access.unrestricted:
        return
    viewer = access.viewer
    if scope.kind in ADMIN_ONLY_KINDS:
        raise Forbidden(
            f"{viewer.subject} may not change {scope.kind.name.lower()} data: reps, account "
            "teams and their accounts decide what everyone sees, and products and affinity "
            "rules are the catalogue every rep reads; only an admin changes them",
            field="role",
            value=viewer.role.value,
        )
    for pid in sorted(scope.party_ids | scope.account_ids):
        if pid not in new and not access.sees(pid):
            raise NotFound(f"no party with id {pid!r}", field="partyId", value=pid)

    def open_(pid: str) -> bool:
        return pid in new or access.sees_sensitive(pid)

    sensitive_fields = scope.kind is EntityKind.PERSON and set(fields) & set(
        SENSITIVE_PERSON_FIELDS
    )
    holders = scope.party_ids if scope.kind in _SENSITIVE_KINDS else frozenset()
    closed = sorted(p for p in holders if not open_(p) and _is_person_scope(scope, p, access))
    if sensitive_fields:
        closed += [p for p in sorted(scope.party_ids) if not open_(p)]
    if closed:
        raise Forbidden(
            f"{viewer.subject} may not change the family links, personal holdings or "
            f"sensitive fields of {closed[0]!r}: they are masked for them",
            field="partyId",
            value=closed[0],
        )
    if scope.kind is EntityKind.COVERAGE:
        reps = sorted(scope.rep_ids - access.reps)
        if viewer.role is not Role.MANAGER or reps:
            raise Forbidden(
                f"{viewer.subject} may not set coverage"
                + (f" of rep {reps[0]!r}" if reps else "")
                + ": coverage decides what a rep sees; a manager sets it for their reps",
                field="repId",
                value=reps[0] if reps else viewer.rep_id,
            )


def _is_person_scope(scope: WriteScope, party_id: str, access: Access) -> bool:
    """Whether a sensitive change's party counts as a person: family and beneficiary links
    are people's; a holding is personal unless its holder is an organization the viewer
    sees (organizations' holdings are business data, open wherever visible)."""
    if scope.kind is not EntityKind.HOLDING:
        return True
    return party_id not in access.organizations


# ----- the kinds -----


@dataclass(frozen=True, slots=True)
class _NodeModel:
    claim: str  # MERGEs the id (a create), answers version 0 when new
    lock: str  # MATCHes the id (an update)
    put: str
    read: str | None = None  # the result, when it needs more than the node's properties
    label: str | None = None  # PERSON / ORGANIZATION: which kind of party


_NODES: Mapping[EntityKind, _NodeModel] = {
    EntityKind.PERSON: _NodeModel(
        "write.claim_party", "write.lock_party", "write.put_person", label="PERSON"
    ),
    EntityKind.ORGANIZATION: _NodeModel(
        "write.claim_party", "write.lock_party", "write.put_organization", label="ORGANIZATION"
    ),
    EntityKind.HOLDING: _NodeModel(
        "write.claim_holding", "write.lock_holding", "write.put_holding", "write.read_holding"
    ),
    EntityKind.INTERACTION: _NodeModel(
        "write.claim_interaction",
        "write.lock_interaction",
        "write.put_interaction",
        "write.read_interaction",
    ),
    **{
        kind: _NodeModel(f"write.claim_{name}", f"write.lock_{name}", f"write.put_{name}")
        for kind, name in (
            (EntityKind.REP, "rep"),
            (EntityKind.ACCOUNT_TEAM, "team"),
            (EntityKind.PRODUCT, "product"),
            (EntityKind.OPPORTUNITY, "opportunity"),
            (EntityKind.BUSINESS_EVENT, "event"),
            (EntityKind.AFFINITY_RULE, "rule"),
        )
    },
    EntityKind.TAS_ANSWER: _NodeModel(
        "write.claim_tas_answer",
        "write.lock_tas_answer",
        "write.put_tas_answer",
        "write.read_tas_answer",
    ),
}

# Node fields held as links, read back by the claim/lock queries under the same names.
_LINK_FIELDS: Mapping[EntityKind, tuple[str, ...]] = {
    EntityKind.ORGANIZATION: ("parentId",),
    EntityKind.HOLDING: ("partyId", "productId"),
    EntityKind.INTERACTION: ("partyIds", "repIds", "opportunityId"),
    EntityKind.REP: ("managerId",),
    EntityKind.ACCOUNT_TEAM: ("managerId",),
    EntityKind.OPPORTUNITY: ("accountId", "ownerId", "productIds"),
    EntityKind.BUSINESS_EVENT: ("organizationId",),
    EntityKind.AFFINITY_RULE: ("whenProductId", "suggestsProductIds"),
    # partyIds: the account of the answer's opportunity (read only: whom the answer touches).
    EntityKind.TAS_ANSWER: ("opportunityId", "partyIds"),
}

_LINK_QUERY: Mapping[EntityKind, str] = {
    EntityKind.EMPLOYMENT: "employment",
    EntityKind.REPORTING_LINE: "reporting",
    EntityKind.FAMILY: "family",
    EntityKind.BENEFICIARY: "beneficiary",
    EntityKind.BUYING_ROLE: "buying_role",
    EntityKind.INFLUENCE: "influence",
    EntityKind.ACQUAINTANCE: "acquaintance",
    EntityKind.COVERAGE: "coverage",
    EntityKind.TEAM_MEMBER: "team_member",
    EntityKind.TEAM_ACCOUNT: "team_account",
    EntityKind.COMPETITOR_COVERAGE: "competitor_coverage",
    EntityKind.COMPETITOR_OPPORTUNITY: "competitor_opportunity",
}

_PARTY_KINDS = frozenset({"PERSON", "ORGANIZATION"})
_PARTIES = frozenset({EntityKind.PERSON, EntityKind.ORGANIZATION})

# The hierarchies that must stay acyclic, each guarded by its own lock (taken in this order).
_REPORTS_TO = "REPORTS_TO"
_PART_OF = "PART_OF"
_MANAGED_BY = "MANAGED_BY"


def _hierarchy_locks(changes: Iterable[Change]) -> list[str]:
    names: set[str] = set()
    for c in changes:
        if c.kind is EntityKind.REPORTING_LINE and c.action is ChangeAction.SET:
            names.add(_REPORTS_TO)
        if c.action is ChangeAction.JOB_CHANGE and c.values.get("reportsToId") is not None:
            names.add(_REPORTS_TO)
        if c.kind is EntityKind.ORGANIZATION and c.values.get("parentId") is not None:
            names.add(_PART_OF)
        if c.kind is EntityKind.REP and c.values.get("managerId") is not None:
            names.add(_MANAGED_BY)
    return sorted(names)


# ----- values -----


def _native(value: Any) -> Any:
    """A stored value as Python compares it (Neo4j temporals as date/datetime)."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [_native(x) for x in value]
    return value


def _jsonable(value: Any) -> Any:
    value = _native(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(x) for x in value]
    return value


def _same(f: Field | None, before: Any, after: Any) -> bool:
    if f is not None and f.kind == "reflist":
        return sorted(before or []) == sorted(after or [])
    before, after = _native(before), _native(after)
    if isinstance(before, bool) or isinstance(after, bool):
        # True == 1 in Python; a flag and a number are never the same value.
        return type(before) is type(after) and before == after
    return bool(before == after)


def _diff(
    fields: Mapping[str, Field],
    names: Iterable[str],
    current: Mapping[str, Any],
    desired: Mapping[str, Any],
) -> list[str]:
    return [n for n in names if not _same(fields.get(n), current.get(n), desired.get(n))]


def _entity_name(ref: str | None) -> str:
    return (ref or "node").lower()


def _stale(what: str, path: str, current: int | None, expected: int | None) -> Conflict:
    return Conflict(
        f"{what} is at version {current}, not {expected}: read it again and retry",
        field=f"{path}.expectedVersion" if path else "expectedVersion",
        value=expected,
        details={"currentVersion": current},
    )


# ----- one transaction -----


class _Writer:
    """The changes of one transaction attempt (the driver may retry it from the start)."""

    def __init__(
        self, tx: ScopedTransaction, mutation: str, now: datetime, request_id: str
    ) -> None:
        self.tx = tx
        self.access = tx.access
        self.viewer = tx.access.viewer
        # Parties this transaction creates: a later change may link them (access counts
        # them as seen, and the scoped queries get them as `$created`).
        self.created: set[str] = tx.created
        self.mutation = mutation
        self.now = now
        self.today = now.date()  # the day links begin and end (UTC)
        self.request_id = request_id
        self.audit: list[dict[str, Any]] = []
        self.co_holding = CoHoldingChange()
        # Per interaction written: the strengths it changed, the customers it woke.
        self.strength_changes: dict[str, tuple[StrengthChange, ...]] = {}
        self.woken: dict[str, tuple[str, ...]] = {}

    async def _strengths(self, interaction_id: str, pairs: set[strength.Pair]) -> None:
        half_life = get_settings().strength_half_life_days
        params = strength.refresh_params(pairs, half_life)
        rows = await self.tx.run("strength.refresh_pairs", params)
        found = [strength.change_from_record(r) for r in rows]
        now = strength.clock()
        self.strength_changes[interaction_id] = tuple(
            strength.described(c, now) for c in found if c.changed()
        )

    async def _sleeping(self, party_ids: Sequence[str]) -> dict[str, bool]:
        """Whether each party is sleeping now (domain/signals.py), from the stored interactions."""
        settings = get_settings()
        rows = await self.tx.run(
            "strength.last_interactions",
            {"ids": list(party_ids), "before": follow_up_before(self.now.date())},
        )
        return {
            r["id"]: sleeping(
                to_datetime(r["lastAt"]),
                to_date(r["customerSince"]),
                r["grade"],
                self.now.date(),
                settings.sleeping_days,
                settings.sleeping_escalation_days,
            ).sleeping
            for r in rows
        }

    async def apply(self, change: Change) -> WriteResult:
        if change.action is ChangeAction.JOB_CHANGE:
            return await job_change.apply(self, change)
        if change.action in LIFECYCLE_ACTIONS:
            return await self._lifecycle(change)
        if change.kind.is_link:
            return await self._link(change)
        return await self._node(change)

    def _record(
        self,
        scope: WriteScope,
        action: AuditAction,
        key: Mapping[str, Any],
        version: int | None,
        changes: Sequence[tuple[str, Any, Any]],
    ) -> None:
        self.audit.append(
            {
                "props": {
                    "id": uuid.uuid4().hex,
                    "at": self.now,
                    "seq": len(self.audit),
                    "who": self.viewer.subject,
                    "mutation": self.mutation,
                    "requestId": self.request_id,
                    "action": action.value,
                    "entity": scope.kind.name,
                    "key": orjson.dumps(dict(key)).decode(),
                    "version": version,
                    "changes": orjson.dumps(
                        [
                            {"field": f, "before": _jsonable(b), "after": _jsonable(a)}
                            for f, b, a in changes
                        ]
                    ).decode(),
                    "partyIds": sorted(scope.party_ids),
                },
                "partyIds": sorted(scope.party_ids),
            }
        )

    async def flush_audit(self) -> None:
        if self.audit:
            await self.tx.run("write.audit", {"entries": self.audit})
            # The portfolio properties derived from what changed, in the same transaction:
            # a list never shows a party by facts older than its last write.
            touched = {pid for entry in self.audit for pid in entry["partyIds"]}
            if touched:
                await self.tx.run("portfolio.refresh", refresh_params(touched))
            # The same changes, in the same transaction, into the change feed (last: it
            # takes the feed's sequence lock).
            await feed.record(self.tx, [feed.from_audit(e["props"]) for e in self.audit])

    # ----- what the viewer may not see is absent -----

    def _sees(self, party_id: str | None) -> bool:
        return party_id is not None and (party_id in self.created or self.access.sees(party_id))

    def _sees_holding_of(self, holder: str | None) -> bool:
        """A holding is in the viewer's scope as the view shows it: its holder is visible
        and, for a person, the person's sensitive fields are open (personal holdings)."""
        if self.access.unrestricted:
            return True
        if not self._sees(holder):
            return False
        assert holder is not None
        return (
            holder in self.created
            or holder in self.access.organizations
            or self.access.sees_sensitive(holder)
        )

    def _hidden_node(self, kind: EntityKind, node_id: str, current: Mapping[str, Any]) -> bool:
        """Whether a stored node is outside the viewer's scope: a write to it then answers
        as for an unknown id (issue 13.4: no existence, version or field may leak)."""
        if self.access.unrestricted:
            return False
        if kind in _PARTIES:
            return not self._sees(node_id)
        if kind is EntityKind.HOLDING:
            return not self._sees_holding_of(current.get("partyId"))
        if kind is EntityKind.OPPORTUNITY:
            return not self._sees(current.get("accountId"))
        if kind is EntityKind.BUSINESS_EVENT:
            return not self._sees(current.get("organizationId"))
        if kind in SALES_NODE_KINDS:
            return False  # reps, teams, products and rules: every viewer reads them
        return not all(self._sees(p) for p in current.get("partyIds") or ())

    def _shown_path(self, ids: Iterable[str]) -> str:
        """A cycle's path as the viewer may see it: parties outside their scope unnamed."""
        return " -> ".join(i if self._sees(i) else "(not visible)" for i in ids)

    async def _missing_references(
        self, change: Change, fields: Mapping[str, Field], names: Iterable[str]
    ) -> None:
        wanted: dict[str, list[tuple[str, str]]] = {
            "Party": [],
            "Organization": [],
            "Product": [],
            "Rep": [],
            "Opportunity": [],
            "AccountTeam": [],
        }
        for name in names:
            f = fields[name]
            value = change.values.get(name)
            if f.ref is None or value is None:
                continue
            for ref in value if isinstance(value, list) else [value]:
                wanted[f.ref].append((name, ref))
        if not any(wanted.values()):
            return
        params = {kind: [ref for _, ref in refs] for kind, refs in wanted.items()}
        record = await self.tx.run_one("write.existing", params)
        assert record is not None
        for kind, refs in wanted.items():
            found = set(record[kind])
            for name, ref in refs:
                if ref not in found:
                    raise NotFound(
                        f"{change.at(name)}: no {_entity_name(kind)} with id {ref!r}",
                        field=change.at(name),
                        value=ref,
                    )

    # ----- nodes -----

    async def _node(self, change: Change) -> WriteResult:
        kind = change.kind
        model = _NODES[kind]
        section = section_of(kind)
        fields = section.field_map
        node_id: str = change.values["id"]
        creating = change.action is ChangeAction.CREATE
        if creating and kind in _ARCHIVABLE:
            await self._id_not_retired(change, kind, node_id)
        record = await self.tx.run_one(model.claim if creating else model.lock, {"id": node_id})
        props: dict[str, Any] = dict(record["props"]) if record is not None else {}
        # Version 0 only ever exists inside the transaction that claimed a new id; a stored
        # node without a version (written by other means) counts as version 1.
        existed = record is not None and props.get("version") != 0
        version = int(props.get("version") or 1) if existed else 0
        found_kind = record.get("kind") if record is not None else None
        same_kind = model.label is None or found_kind == model.label
        what = f"{kind.name.lower()} {node_id!r}"
        stored_links = {n: record[n] for n in _LINK_FIELDS.get(kind, ())} if record else {}
        hidden = existed and self._hidden_node(kind, node_id, stored_links)
        if hidden or (not creating and not (existed and same_kind)):
            # A create cannot take an id that exists; of one outside the viewer's scope it is
            # told no more than an update of an unknown id (no kind, version or fields).
            raise NotFound(
                f"no {kind.name.lower()} with id {node_id!r}", field=change.at("id"), value=node_id
            )

        current: dict[str, Any] = {}
        if existed and same_kind:
            current = {k: _native(v) for k, v in props.items() if k not in BOOKKEEPING}
            current.update(stored_links)
        given = [n for n in change.values if n != "id"]
        own: dict[str, Any] = {}
        if kind is EntityKind.TAS_ANSWER and not existed:
            # Who answered and when: the viewer and this transaction, never the input.
            own = {"answeredBy": self.viewer.subject, "answeredAt": self.now}
            given += list(own)
        touched = [*given, *sorted(change.cleared - set(given))]
        if (
            "parentId" in touched
            and current.get("parentId")
            and not self._sees(current["parentId"])
        ):
            # Moving an organization away from a parent the viewer does not see would touch
            # that parent: answered as for an unknown organization.
            raise NotFound(
                f"no {kind.name.lower()} with id {node_id!r}", field=change.at("id"), value=node_id
            )
        desired = dict(current)
        for name in given:
            desired[name] = own[name] if name in own else change.values[name]
        for name in change.cleared:
            desired.pop(name, None)

        # References, then access, before anything about the stored node is told.
        await self._missing_references(change, fields, [n for n in given if n not in own])
        if kind is EntityKind.TAS_ANSWER:
            found = await self.tx.run_one(
                "write.opportunity_accounts", {"id": desired["opportunityId"]}
            )
            desired["partyIds"] = list(found["ids"]) if found is not None else []
        scope = _node_scope(change, node_id, current, desired, touched)
        new = self.created | ({node_id} if not existed and kind in _PARTIES else set())
        authorize_write(self.access, scope, frozenset(new), touched)
        if not existed and kind in _PARTIES:
            self.created.add(node_id)

        if existed and not same_kind:
            raise Conflict(
                f"{change.at('id')}: {node_id!r} already exists as {str(found_kind).lower()}",
                field=change.at("id"),
                value=node_id,
            )
        # The version first: a stale expectedVersion is a CONFLICT even when the values
        # happen to equal what is stored, or two clients incrementing from the same read
        # would both be told they succeeded while one increment is lost.
        if existed and not creating and change.expected_version != version:
            raise _stale(what, change.path, version, change.expected_version)
        changed = _diff(fields, touched, current, desired) if existed else given
        if existed and creating and changed:
            raise Conflict(
                f"{what} already exists with other data ({', '.join(changed)}); "
                f"to change it, update it with expectedVersion {version}",
                field=change.at("id"),
                value=node_id,
                details={"currentVersion": version, "fields": changed},
            )
        if existed and not changed:
            if kind in SALES_NODE_KINDS:
                assert record is not None
                return _sales_record(kind, record)
            return await self._node_result(kind, model, node_id, props, found_kind)

        parent_after = desired.get("parentId")
        if kind is EntityKind.ORGANIZATION and "parentId" in changed and parent_after:
            cycle = await self.tx.run_one(
                "write.parent_path", {"id": node_id, "parentId": parent_after}
            )
            if cycle is not None:
                path = self._shown_path([node_id, *cycle["ids"]])
                raise InvalidInput(
                    f"{change.at('parentId')}: would form a cycle: {path}",
                    field=change.at("parentId"),
                    value=parent_after,
                    details={"reason": "CYCLE"},
                )

        manager_after = desired.get("managerId")
        if kind is EntityKind.REP and "managerId" in changed and manager_after:
            cycle = await self.tx.run_one(
                "write.rep_manager_path", {"id": node_id, "managerId": manager_after}
            )
            if cycle is not None:
                path = " -> ".join([node_id, *cycle["ids"]])
                raise InvalidInput(
                    f"{change.at('managerId')}: would form a cycle of managers: {path}",
                    field=change.at("managerId"),
                    value=manager_after,
                    details={"reason": "CYCLE"},
                )

        stored = {n for n, f in fields.items() if f.stored and n != "id"}
        new_props = {n: desired.get(n) for n in changed if n in stored}
        new_version = version + 1
        params: dict[str, Any] = {
            "id": node_id,
            "props": new_props,
            "version": new_version,
            "now": self.now,
        }
        if kind is EntityKind.ORGANIZATION:
            params["parentId"] = parent_after
        elif kind is EntityKind.HOLDING:
            params["partyId"] = desired["partyId"]
            params["productId"] = desired["productId"]
        elif kind is EntityKind.TAS_ANSWER:
            params["opportunityId"] = desired["opportunityId"]
        elif kind is EntityKind.INTERACTION:
            params["partyIds"] = sorted(desired.get("partyIds") or [])
            params["repIds"] = sorted(desired.get("repIds") or [])
            params["opportunityId"] = desired.get("opportunityId")
        elif kind in SALES_NODE_KINDS:
            for name in _LINK_FIELDS.get(kind, ()):
                value = desired.get(name)
                params[name] = sorted(value or []) if fields[name].kind == "reflist" else value
        if kind is EntityKind.HOLDING:
            # The statistics count what each party holds: read before the holding changes.
            await self.co_holding.touch(
                self.tx.run, (current.get("partyId"), desired.get("partyId"))
            )
        if kind is EntityKind.INTERACTION:
            parties = sorted(set(current.get("partyIds") or ()) | set(params["partyIds"]))
            asleep = await self._sleeping(parties)
        written = await self.tx.run_one(model.put, params)
        assert written is not None
        if kind is EntityKind.INTERACTION:
            # The strengths of every pair the interaction made or unmade, and the sleeping
            # signal, recomputed in this transaction: a read after it sees both.
            pairs = strength.pairs_of(current.get("repIds") or (), current.get("partyIds") or ())
            pairs |= strength.pairs_of(params["repIds"], params["partyIds"])
            await self._strengths(node_id, pairs)
            still = await self._sleeping(parties)
            self.woken[node_id] = tuple(p for p in parties if asleep[p] and not still[p])
        self._record(
            scope,
            AuditAction.UPDATE if existed else AuditAction.CREATE,
            {"id": node_id},
            new_version,
            [
                (n, _shown(fields[n], current.get(n)), _shown(fields[n], desired.get(n)))
                for n in changed
            ],
        )
        if kind in SALES_NODE_KINDS:
            return _sales_record(kind, written)
        return await self._node_result(kind, model, node_id, written.get("props"), model.label)

    async def _node_result(
        self,
        kind: EntityKind,
        model: _NodeModel,
        node_id: str,
        props: Mapping[str, Any] | None,
        party_kind: str | None,
    ) -> WriteResult:
        if model.read is None:
            assert props is not None and party_kind is not None
            return party_from_props(props, party_kind)
        record = await self.tx.run_one(model.read, {"id": node_id})
        assert record is not None, f"{kind} {node_id} vanished in its own transaction"
        p = record["props"]
        if kind is EntityKind.TAS_ANSWER:
            return recorded_answer(p, record["opportunityId"])
        if kind is EntityKind.HOLDING:
            holder = record["holder"]
            return HoldingRecord(
                id=p["id"],
                holder=party_from_props(holder["props"], holder["kind"]),
                product=product_from_props(record["product"]),
                since=to_date(p.get("since")),
                amount=None if p.get("amount") is None else float(p["amount"]),
                status=to_enum(m.HoldingStatus, p.get("status")),
                version=int(p.get("version") or 1),
            )
        at = to_datetime(p["at"])
        assert at is not None
        return InteractionRecord(
            id=p["id"],
            kind=to_enum(m.InteractionKind, p.get("kind")),
            at=at,
            direction=to_enum(m.InteractionDirection, p.get("direction")),
            purpose=to_enum(m.InteractionPurpose, p.get("purpose")),
            channel=to_enum(m.Channel, p.get("channel")),
            subject=p.get("subject"),
            summary=p.get("summary"),
            parties=tuple(
                sorted(
                    (party_from_props(x["props"], x["kind"]) for x in record["parties"]),
                    key=lambda x: x.id,
                )
            ),
            reps=tuple(sorted((rep_from_props(r) for r in record["reps"]), key=lambda r: r.id)),
            opportunity_id=record["opportunityId"],
            version=int(p.get("version") or 1),
            strength_changes=self.strength_changes.get(node_id, ()),
            sleeping_cleared=self.woken.get(node_id, ()),
        )

    # ----- links -----

    async def _link(self, change: Change) -> LinkRecord:
        kind = change.kind
        section = section_of(kind)
        fields = section.field_map
        query = _LINK_QUERY[kind]
        ends = link_key_fields(kind, change.values)
        key = {name: change.values[name] for name in ends}
        params = {name: change.values.get(name) for name in section.key}
        record = await self.tx.run_one(f"write.{query}_state", params)
        assert record is not None
        # An end outside the viewer's scope is as absent as an unknown one.
        found = tuple(
            end if end is None or self._sees_end(end, record) else None
            for end in (record["a"], record["b"])
        )
        for name, end in zip(ends, found, strict=True):
            if end is None:
                ref = fields[name].ref
                raise NotFound(
                    f"{change.at(name)}: no {_entity_name(ref)} with id {key[name]!r}",
                    field=change.at(name),
                    value=key[name],
                )
        end_nodes: dict[str, m.Party | v.Rep] = {}
        parties: set[str] = set(record["parties"] or [])
        reps: set[str] = set()
        for name, end in zip(ends, found, strict=True):
            assert end is not None
            if end["kind"] in _PARTY_KINDS:
                end_nodes[name] = party_from_props(end["props"], end["kind"])
                parties.add(key[name])
            elif end["kind"] == "REP":
                end_nodes[name] = rep_from_props(end["props"])
                reps.add(key[name])
        accounts = set(record["accounts"] or [])
        if kind is EntityKind.BUYING_ROLE and "accountId" in key:
            accounts.add(key["accountId"])
        scope = WriteScope(
            kind, change.action, frozenset(parties), frozenset(accounts), frozenset(reps)
        )
        authorize_write(self.access, scope, frozenset(self.created))

        link = dict(record["link"]) if record["link"] is not None else None
        names = [f.name for f in section.fields if f.stored and f.name not in section.key]
        current = (
            {n: _native(link.get(n)) for n in names if link.get(n) is not None} if link else {}
        )
        version = int(link.get("version") or 1) if link is not None else None
        what = f"the {kind.name.lower()} link {_describe(key)}"

        if change.action is ChangeAction.REMOVE:
            if change.expected_version is not None and change.expected_version != version:
                # Also when the link is gone: the caller's version is stale all the same.
                raise _stale(what, change.path, version, change.expected_version)
            if link is None:
                return LinkRecord(kind, key, ends=end_nodes, present=False)
            # A link with history is not lost: its period closes today (a WAS_ link), or
            # on the day a job change gives (`validTo`, checked by services/job_change.py).
            end = change.values.get("validTo") or self.today
            await self.tx.run(f"write.{query}_delete", {**params, "today": end})
            ended: list[tuple[str, Any, Any]] = [
                (n, v, None)
                for n, v in current.items()
                if section.rel_type is None or n not in ("validFrom", "validTo")
            ]
            if section.rel_type is not None:
                ended.append(("validTo", None, end))
            self._record(scope, AuditAction.DELETE, key, None, ended)
            return LinkRecord(kind, key, ends=end_nodes, present=False)

        desired = dict(current)
        for name in names:
            if name in change.values:
                desired[name] = change.values[name]
            elif name in change.cleared:
                desired.pop(name, None)
        touched = [n for n in names if n in change.values or n in change.cleared]
        changed = _diff(fields, touched, current, desired)
        directions: list[tuple[str, Any, Any]] = []
        if kind is EntityKind.FAMILY and link is not None and record["startId"] != key["fromId"]:
            # A parent link read the other way round is another link: the parent changes.
            directions.append(("fromId", record["startId"], key["fromId"]))

        if link is not None and change.expected_version not in (None, version):
            # Before the no-change shortcut, as for nodes: stale is stale, whatever the values.
            raise _stale(what, change.path, version, change.expected_version)
        if link is None:
            if change.expected_version is not None:
                raise Conflict(
                    f"{what} does not exist (removed since it was read?)",
                    field=f"{change.path}.expectedVersion",
                    value=change.expected_version,
                    details={"currentVersion": None},
                )
            if kind is EntityKind.REPORTING_LINE:
                await self._no_reporting_cycle(change, key)
            if section.rel_type is not None and "validFrom" not in desired:
                desired["validFrom"] = self.today  # a link begins the day it is recorded
            if section.rel_type is not None:
                self._after_past_periods(change, record, desired["validFrom"])
            changed = [n for n in names if n in desired]
            new_version = 1
        elif not changed and not directions:
            return LinkRecord(
                kind,
                key,
                current,
                version,
                end_nodes,
                created_at=to_datetime((link or {}).get("createdAt")),
                updated_at=to_datetime((link or {}).get("updatedAt")),
            )
        else:
            if change.expected_version is None:
                fields_changed = [*changed, *(d[0] for d in directions)]
                raise Conflict(
                    f"{what} exists with other data ({', '.join(fields_changed)}); "
                    f"to change it, give expectedVersion {version}",
                    field=f"{change.path}.expectedVersion",
                    details={"currentVersion": version, "fields": fields_changed},
                )
            assert version is not None
            new_version = version + 1

        kept = {k: v for k, v in (link or {}).items() if k not in names}
        closed: dict[str, Any] | None = None
        if link is not None and any(n in section.period_fields for n in changed):
            # A new title, attitude or role: the old period closes today, a new one opens
            # (unless the old one began today: it held on no day, and is simply replaced).
            start = change.values.get("validFrom") or self.today
            began = _native(link.get("validFrom"))
            if began is not None and start < began:
                raise InvalidInput(
                    f"{change.at('validFrom')}: the new period cannot begin ({start}) before "
                    f"the current one ({began})",
                    field=change.at("validFrom"),
                    value=start.isoformat(),
                    details={"reason": "OVERLAPPING_PERIOD"},
                )
            if began is None or began < start:
                closed = {**link, "validTo": start, "updatedAt": self.now}
            desired["validFrom"] = start
            if "validFrom" not in changed and current.get("validFrom") != start:
                changed.append("validFrom")
            kept["createdAt"] = self.now
        new_props = {
            **kept,
            **desired,
            "version": new_version,
            "updatedAt": self.now,
            "createdAt": kept.get("createdAt") or (link or {}).get("createdAt") or self.now,
        }
        written = await self.tx.run_one(
            f"write.{query}_put", {**params, "props": new_props, "closed": closed}
        )
        assert written is not None
        self._record(
            scope,
            AuditAction.CREATE if link is None else AuditAction.UPDATE,
            key,
            new_version,
            [*directions, *((n, current.get(n), desired.get(n)) for n in changed)],
        )
        return LinkRecord(
            kind,
            key,
            desired,
            new_version,
            end_nodes,
            created_at=to_datetime(new_props["createdAt"]),
            updated_at=to_datetime(new_props["updatedAt"]),
        )

    def _after_past_periods(self, change: Change, record: Mapping[str, Any], start: date) -> None:
        """A new period of a key may not begin before its closed periods end (they would
        overlap: the import refuses the same, OVERLAPPING_PERIOD)."""
        ends = [_native(d) for d in record.get("pastEnds") or () if d is not None]
        if ends and start < max(ends):
            raise InvalidInput(
                f"{change.at('validFrom')}: the link's period would begin ({start}) before "
                f"its past period ended ({max(ends)})",
                field=change.at("validFrom"),
                value=start.isoformat(),
                details={"reason": "OVERLAPPING_PERIOD"},
            )

    def _sees_end(self, end: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
        kind = end["kind"]
        if kind in _PARTY_KINDS:
            return self._sees(end["props"]["id"])
        if kind == "HOLDING":  # a beneficiary's policy: `parties` holds its holder
            return self._sees_holding_of((record["parties"] or [None])[0])
        if kind == "OPPORTUNITY":  # a buying role's opportunity: `accounts` its account
            return all(self._sees(a) for a in record["accounts"] or ())
        return True  # our reps

    async def _no_reporting_cycle(self, change: Change, key: Mapping[str, str]) -> None:
        found = await self.tx.run_one(
            "write.reporting_path",
            {"personId": key["personId"], "managerId": key["managerId"]},
        )
        if found is not None:
            path = self._shown_path([key["personId"], *found["ids"]])
            raise InvalidInput(
                f"{change.at('managerId')}: would form a reporting cycle: {path}",
                field=change.at("managerId"),
                value=key["managerId"],
                details={"reason": "CYCLE"},
            )

    # ----- lifecycle: archive, restore, merge, erase -----
    # An archived node has its labels swapped (cypher/lifecycle.cypher): every read names
    # its labels, so it is gone from all of them, its properties and links kept.

    async def _lifecycle(self, change: Change) -> WriteResult:
        if change.action in (ChangeAction.ARCHIVE, ChangeAction.RESTORE):
            return await self._archive(change)
        if change.action is ChangeAction.MERGE:
            return await self._merge(change)
        return await self._erase(change)

    async def _id_not_retired(self, change: Change, kind: EntityKind, node_id: str) -> None:
        """A create may not take the id of an archived node (restore it instead) or of a
        merged party (its id is the survivor's alias)."""
        found = await self.tx.run_one(
            "lifecycle.taken",
            {"id": node_id, "kinds": _id_space(kind), "query": lucene_term(node_id)},
        )
        if found is None:
            return
        if found["merged"]:
            # An alias resolves to its survivor: to a viewer who does not see that one, the
            # id is as taken as any id they cannot see.
            raise Conflict(
                f"{change.at('id')}: {node_id!r} is the id of a party merged into another: "
                "it resolves to that party",
                field=change.at("id"),
                value=node_id,
                details={"reason": "MERGED"},
            )
        raise Conflict(
            f"{change.at('id')}: {node_id!r} is archived ({str(found['kind']).lower()}): "
            "restore it rather than create it again",
            field=change.at("id"),
            value=node_id,
            details={"reason": "ARCHIVED"},
        )

    async def _lifecycle_rows(self, kind: EntityKind, node_id: str) -> list[Mapping[str, Any]]:
        rows = await self.tx.run(
            "lifecycle.state", {"id": node_id, "kind": kind.name, "kinds": _id_space(kind)}
        )
        return [dict(r) for r in rows]

    def _lifecycle_scope(
        self, change: Change, kind: EntityKind, node_id: str, row: Mapping[str, Any]
    ) -> WriteScope:
        """Whom archiving the node touches, checked as its update would be: a party outside
        the viewer's scope (an archived party is outside every rep's) is an unknown id; an
        opportunity or event belongs to its account; the rest is admins' only."""
        parties: set[str] = set()
        if kind in _PARTIES:
            parties.add(node_id)
        elif kind in (EntityKind.OPPORTUNITY, EntityKind.BUSINESS_EVENT):
            parties.update(row["accounts"] or ())
        if not all(self._sees(p) for p in parties):
            raise NotFound(
                f"no {kind.name.lower()} with id {node_id!r}", field=change.at("id"), value=node_id
            )
        scope = WriteScope(kind, change.action, frozenset(parties))
        authorize_write(self.access, scope, frozenset(self.created))
        return scope

    async def _archive(self, change: Change) -> LifecycleRecord:
        restoring = change.action is ChangeAction.RESTORE
        asked: EntityKind = change.kind
        node_id: str = change.values["id"]
        rows = await self._lifecycle_rows(asked, node_id)
        live = [r for r in rows if not r["archived"]]
        archived = [r for r in rows if r["archived"] and not r["merged"]]
        chosen = (archived or live) if restoring else (live or archived)
        if not chosen:
            merged = any(r["merged"] for r in rows)
            raise NotFound(
                f"no {asked.name.lower()} with id {node_id!r}"
                + (" (merged into another party: archive that one)" if merged else ""),
                field=change.at("id"),
                value=node_id,
            )
        row = chosen[0]
        kind = EntityKind[row["kind"]]
        scope = self._lifecycle_scope(change, kind, node_id, row)
        props = dict(row["props"])
        version = int(props.get("version") or 1)
        what = f"{kind.name.lower()} {node_id!r}"
        if change.expected_version is not None and change.expected_version != version:
            raise _stale(what, change.path, version, change.expected_version)
        reason = change.values.get("reason")
        if restoring and live:
            if archived:
                raise Conflict(
                    f"{what} cannot be restored: a new {kind.name.lower()} with its id was "
                    "created (imported) since it was archived",
                    field=change.at("id"),
                    value=node_id,
                    details={"currentVersion": version},
                )
            # Not archived: nothing to restore, nothing written (a retry answers the same).
            return self._lifecycle_record(kind, node_id, change, version, props, archived=False)
        if not restoring and not live:
            # Archived already: nothing written, the archive as it is.
            return self._lifecycle_record(kind, node_id, change, version, props, archived=True)

        node = row["node"]
        stats: list[str] = []
        if kind in _PARTIES:
            stats = [node_id]
        elif kind is EntityKind.PRODUCT:
            found = await self.tx.run_one("lifecycle.product_holders", {"node": node})
            stats = list(found["ids"]) if found is not None else []
        # The statistics count holdings of live parties and products: read before the change.
        await self.co_holding.touch(self.tx.run, stats)
        accounts: list[str] = []
        if kind in _PARTIES and not restoring:
            found = await self.tx.run_one("lifecycle.related_accounts", {"node": node})
            accounts = list(found["ids"]) if found is not None else []
        new_version = version + 1
        if restoring:
            written = await self.tx.run_one(
                "lifecycle.restore", {"node": node, "version": new_version, "now": self.now}
            )
            changes = [
                ("archived", True, False),
                ("archivedReason", props.get("archivedReason"), None),
            ]
        else:
            archive_props = {
                "archivedAt": self.now,
                "archivedBy": self.viewer.subject,
                "archivedReason": reason,
                "archivedKind": kind.name,
                "version": new_version,
                "updatedAt": self.now,
            }
            written = await self.tx.run_one(
                "lifecycle.archive", {"node": node, "props": archive_props}
            )
            changes = [("archived", False, True), ("archivedReason", None, reason)]
            if accounts:
                # The accounts' decision-layer flags no longer count the archived party
                # (a restore refreshes them through its audit entry: `portfolio.refresh`).
                await self.tx.run("portfolio.refresh", refresh_params(accounts))
        assert written is not None
        action = AuditAction.RESTORE if restoring else AuditAction.ARCHIVE
        self._record(scope, action, {"id": node_id}, new_version, changes)
        return self._lifecycle_record(
            kind, node_id, change, new_version, dict(written["props"]), archived=not restoring
        )

    def _lifecycle_record(
        self,
        kind: EntityKind,
        node_id: str,
        change: Change,
        version: int,
        props: Mapping[str, Any],
        *,
        archived: bool,
    ) -> LifecycleRecord:
        at = to_datetime(props.get("archivedAt") if archived else props.get("updatedAt"))
        return LifecycleRecord(
            kind=kind,
            id=node_id,
            action=AuditAction.RESTORE
            if change.action is ChangeAction.RESTORE
            else AuditAction.ARCHIVE,
            version=version,
            at=at or self.now,
            archived=archived,
            reason=props.get("archivedReason") if archived else None,
        )

    async def _merge_party(self, change: Change, name: str) -> Mapping[str, Any]:
        """One of the two parties of a merge, live and locked; NOT_FOUND as for an unknown
        id when it is not, or not in the viewer's scope."""
        party_id: str = change.values[name]
        rows = await self._lifecycle_rows(EntityKind.PERSON, party_id)
        live = [r for r in rows if not r["archived"]]
        if not live or not self._sees(party_id):
            raise NotFound(f"no party with id {party_id!r}", field=change.at(name), value=party_id)
        return live[0]

    async def _merge(self, change: Change) -> LifecycleRecord:
        """Merges the party `mergedId` into `survivorId` (two records of one customer).

        Every link of the merged party (any type, either direction: jobs, reporting lines,
        family, holdings, roles, coverage, interactions, audit entries, history links) moves
        to the survivor. A link the survivor already has (same type, same node at the other
        end; either direction for family and acquaintance) is not doubled: the survivor's is
        kept, with the properties it lacks taken from the merged one's, the larger
        `strength` and the earlier `since` and `createdAt`. Links between the two are
        dropped, and so is the merged organization's parent when the survivor has one. The
        survivor's fields that are empty are filled from the merged party's; the merged
        name joins its aliases. The merged party remains as its id only, an alias that
        resolves to the survivor."""
        survivor_id: str = change.values["survivorId"]
        merged_id: str = change.values["mergedId"]
        for name in _HIERARCHY_OF_MERGES:
            await self.tx.run("write.lock", {"name": name})
        survivor = await self._merge_party(change, "survivorId")
        merged = await self._merge_party(change, "mergedId")
        kind = EntityKind[survivor["kind"]]
        if merged["kind"] != survivor["kind"]:
            raise InvalidInput(
                f"mergedId: {merged_id!r} is {str(merged['kind']).lower()}, "
                f"{survivor_id!r} {str(survivor['kind']).lower()}: only parties of one kind merge",
                field=change.at("mergedId"),
                value=merged_id,
                details={"reason": "KIND_MISMATCH"},
            )
        scope = WriteScope(kind, change.action, frozenset({survivor_id, merged_id}))
        # Merging moves family links, holdings and the sensitive fields of people: asked as
        # a change of those (a rep needs the people's sensitive data open).
        authorize_write(self.access, scope, frozenset(self.created), SENSITIVE_PERSON_FIELDS)
        versions = {}
        for name, row in (("survivor", survivor), ("merged", merged)):
            versions[name] = int(row["props"].get("version") or 1)
            expected = change.values.get(f"{name}Version")
            if expected is not None and expected != versions[name]:
                raise Conflict(
                    f"party {row['props']['id']!r} is at version {versions[name]}, not "
                    f"{expected}: read it again and retry",
                    field=change.at(f"expectedVersions.{name}"),
                    value=expected,
                    details={"currentVersion": versions[name]},
                )

        nodes = {"survivor": survivor["node"], "merged": merged["node"]}
        await self.co_holding.touch(self.tx.run, [survivor_id, merged_id])
        links = await self.tx.run(
            "lifecycle.merge_links",
            {**nodes, "undirected": sorted(_UNDIRECTED), "single": sorted(_SINGLE)},
        )
        updates: dict[str, dict[str, Any]] = {}
        moves: list[dict[str, Any]] = []
        removed = 0
        engaged: set[strength.Pair] = set()
        for link in links:
            props = dict(link["props"])
            if link["type"] == _DERIVED:
                # Earned strength is derived from the interactions, which move: the
                # survivor's pairs are computed again below, not moved or summed here.
                if not link["toSurvivor"]:
                    engaged.add(_engaged_pair(link, survivor_id))
                continue
            if link["toSurvivor"] or link["taken"] is not None:
                removed += 1
                continue
            duplicate = link["duplicate"]
            if duplicate is None:
                moves.append(
                    {
                        "type": link["type"],
                        "outgoing": link["outgoing"],
                        "other": link["other"],
                        "props": props,
                    }
                )
                continue
            removed += 1
            rel = duplicate["rel"]
            kept = updates.get(rel) or dict(duplicate["props"])
            combined = _combined_link(kept, props, self.now)
            if combined != dict(duplicate["props"]):
                updates[rel] = combined
        await self.tx.run(
            "lifecycle.merge_apply",
            {
                **nodes,
                "updates": [{"rel": r, "props": p} for r, p in updates.items()],
                "moves": moves,
            },
        )
        if engaged:
            await self.tx.run(
                "strength.refresh_pairs",
                strength.refresh_params(engaged, get_settings().strength_half_life_days),
            )
        cycles = await self.tx.run_one("lifecycle.merge_cycles", {"survivor": nodes["survivor"]})
        assert cycles is not None
        if cycles["reporting"] or cycles["parent"]:
            what = "reporting" if cycles["reporting"] else "PART_OF"
            raise InvalidInput(
                f"mergedId: merging {merged_id!r} into {survivor_id!r} would form a {what} "
                "cycle (one reports to, or is part of, the other through others)",
                field=change.at("mergedId"),
                value=merged_id,
                details={"reason": "CYCLE"},
            )

        section = section_of(kind)
        stored = [f for f in section.fields if f.stored and f.name not in BOOKKEEPING]
        have = dict(survivor["props"])
        given = dict(merged["props"])
        filled: dict[str, Any] = {}
        for f in stored:
            mine, theirs = have.get(f.name), given.get(f.name)
            if f.name == "mergedIds":
                # The merged id, and those merged into it before, now resolve to the survivor.
                filled[f.name] = list(dict.fromkeys([*(mine or []), merged_id, *(theirs or [])]))
            elif f.name == "aliases":
                names = [*(mine or []), *(theirs or [])]
                if given.get("name") and given.get("name") != have.get("name"):
                    names.append(given["name"])
                union = list(dict.fromkeys(names))
                if union != list(mine or []):
                    filled[f.name] = union
            elif _empty(mine) and not _empty(theirs):
                filled[f.name] = theirs
        new_version = versions["survivor"] + 1
        written = await self.tx.run_one(
            "lifecycle.merge_survivor",
            {
                "survivor": nodes["survivor"],
                "props": filled,
                "version": new_version,
                "now": self.now,
            },
        )
        assert written is not None
        await self.tx.run("lifecycle.drop_merged", {"merged": nodes["merged"]})
        self._record(
            scope,
            AuditAction.MERGE,
            {"id": survivor_id, "mergedId": merged_id},
            new_version,
            [
                ("mergedId", None, merged_id),
                *((n, _shown(section.field_map[n], have.get(n)), v) for n, v in filled.items()),
            ],
        )
        return LifecycleRecord(
            kind=kind,
            id=survivor_id,
            action=AuditAction.MERGE,
            version=new_version,
            at=self.now,
            survivor_id=survivor_id,
            moved=len(moves),
            removed=removed,
            fields=tuple(filled),
        )

    async def _erase(self, change: Change) -> LifecycleRecord:
        """Erases a person's personal data on request (PIPL, GDPR): the personal fields
        (`ERASED_PERSON_FIELDS`; the name becomes `ERASED_NAME`), the private links, the
        free text about them (their interactions' subject and summary, their buying roles'
        notes, their policies' references), and the same values wherever the audit trail
        and the change feed recorded them; recorded idempotent answers naming them go.
        What the statistics count stays (holdings, interactions, jobs, roles, coverage);
        the erasure's own audit entry names the fields and the reason, not the values."""
        person_id: str = change.values["id"]
        rows = await self._lifecycle_rows(EntityKind.PERSON, person_id)
        found = [r for r in rows if not r["merged"]]
        if not found or not self._sees(person_id):
            raise NotFound(
                f"no person with id {person_id!r}", field=change.at("personId"), value=person_id
            )
        row = found[0]
        if row["kind"] != "PERSON":
            raise InvalidInput(
                f"personId: {person_id!r} is an organization: only a person's personal data "
                "is erased",
                field=change.at("personId"),
                value=person_id,
                details={"reason": "KIND_MISMATCH"},
            )
        scope = WriteScope(EntityKind.PERSON, change.action, frozenset({person_id}))
        authorize_write(self.access, scope, frozenset(self.created), SENSITIVE_PERSON_FIELDS)
        props = dict(row["props"])
        version = int(props.get("version") or 1)
        if change.expected_version is not None and change.expected_version != version:
            raise _stale(f"person {person_id!r}", change.path, version, change.expected_version)
        erased = [n for n in ERASED_PERSON_FIELDS if not _empty(props.get(n))]
        if props.get("name") != ERASED_NAME:
            erased.insert(0, "name")
        new_version = version + 1
        written = await self.tx.run_one(
            "lifecycle.erase_person",
            {
                "node": row["node"],
                "private": sorted(_PRIVATE_LINKS),
                "props": {
                    **{n: None for n in ERASED_PERSON_FIELDS},
                    "name": ERASED_NAME,
                    "version": new_version,
                    "updatedAt": self.now,
                    "erasedAt": self.now,
                    "erasedBy": self.viewer.subject,
                },
            },
        )
        assert written is not None
        trail = await self.tx.run_one(
            "lifecycle.erase_trail", {"node": row["node"], "id": person_id}
        )
        assert trail is not None
        blanked = [
            {"node": e["node"], "changes": text}
            for e, kind in (
                *((e, e["entity"]) for e in trail["audit"]),
                *((e, _entity_of_type(e["type"])) for e in trail["feed"]),
            )
            if (text := _blanked(e["changes"], kind, e["key"], person_id)) is not None
        ]
        if blanked:
            await self.tx.run("lifecycle.erase_values", {"rows": blanked})
        await self.tx.run("lifecycle.erase_answers", {"needle": orjson.dumps(person_id).decode()})
        self._record(
            scope,
            AuditAction.ERASE,
            {"id": person_id},
            new_version,
            [
                ("reason", None, change.values.get("reason")),
                *((n, ERASED_VALUE, None) for n in erased),
            ],
        )
        return LifecycleRecord(
            kind=EntityKind.PERSON,
            id=person_id,
            action=AuditAction.ERASE,
            version=new_version,
            at=self.now,
            archived=bool(row["archived"]),
            removed=int(written["removed"]),
            fields=tuple(erased),
        )


LIFECYCLE_ACTIONS = frozenset(
    {ChangeAction.ARCHIVE, ChangeAction.RESTORE, ChangeAction.MERGE, ChangeAction.ERASE}
)
_ARCHIVABLE = frozenset(k.entity for k in ArchivableKind)


# Links read either way (stored from either end): a duplicate of one is one in either
# direction. An organization has one parent.
_UNDIRECTED = frozenset({t for base in ("FAMILY", "KNOWS") for t in (base, f"WAS_{base}")})
_SINGLE = frozenset({"PART_OF"})
_DERIVED = "ENGAGED"  # earned strength: computed from the interactions, never moved


def _engaged_pair(link: Mapping[str, Any], survivor_id: str) -> strength.Pair:
    """The earned-strength pair a merged party's ENGAGED link becomes on the survivor."""
    other = str(link["otherId"])
    if link["otherRep"]:
        return (strength_pairs.REP, other, survivor_id)
    low, high = sorted((other, survivor_id))
    return (strength_pairs.PERSON, low, high)


_HIERARCHY_OF_MERGES = (_PART_OF, _REPORTS_TO)  # the order of _hierarchy_locks (sorted)


# Erasure: what a person keeps (how the bank classifies and counts the customer, nothing
# that identifies or describes them); every other field of the people section is erased, a
# field added to the spec later included.
KEPT_PERSON_FIELDS = frozenset(
    {"id", "region", "tier", "grade", "confidential", "customerSince", "source", "mergedIds"}
)
ERASED_PERSON_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in section_of(EntityKind.PERSON).fields
    if f.stored and f.name not in KEPT_PERSON_FIELDS | BOOKKEEPING and f.name != "name"
)
ERASED_NAME = "[已删除 erased]"
ERASED_VALUE = "[erased]"
# A person's private links (either direction), and the history kept of them.
_PRIVATE_LINKS = frozenset(
    {t for base in ("FAMILY", "KNOWS", "BENEFICIARY_OF") for t in (base, f"WAS_{base}")}
)
# The recorded values that are about the person, per entity of an audit entry or change:
# None: every value (private links); else the fields named.
_PERSONAL_VALUES: Mapping[EntityKind, frozenset[str] | None] = {
    EntityKind.PERSON: frozenset({"name", *ERASED_PERSON_FIELDS}),
    EntityKind.FAMILY: None,
    EntityKind.ACQUAINTANCE: None,
    EntityKind.BENEFICIARY: None,
    EntityKind.INTERACTION: frozenset({"subject", "summary"}),
    EntityKind.BUYING_ROLE: frozenset({"note"}),
    EntityKind.HOLDING: frozenset({"reference"}),
}


def _entity_of_type(section: str | None) -> str | None:
    try:
        return EntityKind(section).name if section is not None else None
    except ValueError:
        return None


def _blanked(text: str | None, entity: str | None, key: str | None, person_id: str) -> str | None:
    """The recorded changes with the person's values replaced by ERASED_VALUE; None when
    nothing in them is the person's."""
    if not text or entity is None or entity not in EntityKind.__members__:
        return None
    kind = EntityKind[entity]
    if kind not in _PERSONAL_VALUES:
        return None
    if kind is EntityKind.PERSON:
        ids = orjson.loads(key) if key else {}
        if person_id not in (ids.get("id"), ids.get("mergedId")):
            return None  # another person's entry filed under this one (a link's)
    fields = _PERSONAL_VALUES[kind]
    changes = orjson.loads(text)
    touched = False
    for c in changes:
        if fields is None or c.get("field") in fields:
            for side in ("before", "after"):
                if c.get(side) is not None and c[side] != ERASED_VALUE:
                    c[side] = ERASED_VALUE
                    touched = True
    return orjson.dumps(changes).decode() if touched else None


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _combined_link(
    kept: Mapping[str, Any], other: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """The survivor's link absorbing the merged party's duplicate: its own values first,
    what it lacks from the other, the larger strength, the earlier since and createdAt."""
    out = dict(kept)
    for name, value in other.items():
        if name in ("version", "updatedAt"):
            continue
        mine = out.get(name)
        if mine is None:
            out[name] = value
        elif name == "strength" and value is not None:
            out[name] = max(mine, value)
        elif name in ("since", "createdAt") and value is not None:
            out[name] = min(_native(mine), _native(value))
    if out != dict(kept):
        out["version"] = int(kept.get("version") or 1) + 1
        out["updatedAt"] = now
    return out


def _id_space(kind: EntityKind) -> list[str]:
    """The kinds whose ids one id may not be taken twice among (parties share one)."""
    return sorted(_PARTY_KINDS) if kind in _PARTIES else [kind.name]


def _node_scope(
    change: Change,
    node_id: str,
    current: Mapping[str, Any],
    desired: Mapping[str, Any],
    touched: Sequence[str],
) -> WriteScope:
    """Whom a node change touches, from what is stored and what is asked."""
    kind = change.kind
    parties: set[str] = set()
    reps: set[str] = set()
    if kind in (EntityKind.PERSON, EntityKind.ORGANIZATION):
        parties.add(node_id)
        if "parentId" in touched:
            parties.update(p for p in (current.get("parentId"), desired.get("parentId")) if p)
    elif kind is EntityKind.HOLDING:
        parties.add(desired["partyId"])
    elif kind in (EntityKind.OPPORTUNITY, EntityKind.BUSINESS_EVENT):
        name = "accountId" if kind is EntityKind.OPPORTUNITY else "organizationId"
        parties.update(p for p in (current.get(name), desired.get(name)) if p)
    elif kind in SALES_NODE_KINDS:
        pass  # admins only (authorize_write); no customer's data changes
    else:
        parties.update(current.get("partyIds") or [])
        parties.update(desired.get("partyIds") or [])
        reps.update(current.get("repIds") or [])
        reps.update(desired.get("repIds") or [])
    return WriteScope(kind, change.action, frozenset(parties), rep_ids=frozenset(reps))


def _sales_record(kind: EntityKind, record: Mapping[str, Any]) -> NodeRecord:
    props = record["props"]
    declared = section_of(kind).field_map
    values = {
        k: _native(v)
        for k, v in props.items()
        if k in declared and k not in BOOKKEEPING and v is not None
    }
    for name in _LINK_FIELDS.get(kind, ()):
        value = record[name]
        if isinstance(value, list):
            value = sorted(value)
        if value is not None and value != []:
            values[name] = value
    return NodeRecord(
        kind=kind,
        id=props["id"],
        values=values,
        version=int(props.get("version") or 1),
        created_at=to_datetime(props.get("createdAt")),
        updated_at=to_datetime(props.get("updatedAt")),
    )


def _shown(f: Field, value: Any) -> Any:
    """A value as the audit shows it: id lists in order."""
    return sorted(value) if f.kind == "reflist" and value else value


def _describe(key: Mapping[str, Any]) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in key.items()) + ")"


async def apply_changes(
    writer: ScopedStore,
    mutation: str,
    changes: Sequence[Change],
    idempotency_key: IdempotencyKey | None = None,
) -> list[WriteResult]:
    """Applies the changes in order in ONE transaction and answers each one's result; the
    first failing check raises and nothing at all is written. With an idempotency key, a
    key already recorded answers its recorded answer and nothing is written again."""
    if not changes:
        raise InvalidInput("changes must not be empty", field="changes", value=0)
    now = datetime.now(UTC)
    request_id = uuid.uuid4().hex
    locks = _hierarchy_locks(changes)

    async def work(tx: ScopedTransaction) -> list[WriteResult]:
        if idempotency_key is not None:
            answered = await idempotency.claim(tx, idempotency_key)
            if answered is not None:
                return answered
        attempt = _Writer(tx, mutation, now, request_id)
        for name in locks:
            await tx.run("write.lock", {"name": name})
        results = [await attempt.apply(change) for change in changes]
        await attempt.co_holding.apply(tx.run, now)
        await attempt.flush_audit()
        if idempotency_key is not None:
            await idempotency.record(tx, idempotency_key, mutation, results, now)
        return results

    return await writer.write_transaction(work)

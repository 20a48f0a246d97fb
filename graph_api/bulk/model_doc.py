"""docs/MODEL.md, generated from the format's declaration (`graph-api model-doc --write`).

The import format, the validation and the stored graph are declared once, in
`graph_api/bulk/spec.py`; this renders that declaration as the model's documentation, so
the document cannot drift from what the importer accepts (a test compares them).
"""

from __future__ import annotations

from enum import Enum

from graph_api.bulk.spec import (
    BOOKKEEPING_FIELDS,
    ENTITY_LABELS,
    FORMAT_NAME,
    FORMAT_VERSION,
    SECTIONS,
    Field,
)
from graph_api.config import PROJECT_ROOT
from graph_api.domain import model as m

MODEL_DOC = PROJECT_ROOT / "docs" / "MODEL.md"

_TYPE_NAMES = {
    "id": "id (text)",
    "str": "text",
    "text": "text",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date (YYYY-MM-DD)",
    "datetime": "date-time (ISO 8601)",
    "enum": "enum",
    "strlist": "list of text",
    "ref": "id of",
    "reflist": "list of ids of",
}

_HEAD_TEMPLATE = """# The relationship graph model

*Generated from `graph_api/bulk/spec.py` by `graph-api model-doc --write` (also run by
`make schema`); a test fails when this file and the code differ. Do not edit by hand.*

One Neo4j property graph holds everything the service knows. Every customer, person or
organization, is one `:Party` node (the unified model: one node per real entity, one id
space), labelled `:Person` or `:Organization` as well. Organizations form the hierarchy
(group, head office, branch, subsidiary, department) through `PART_OF`; people hold jobs
(`WORKS_FOR`, with title and department) and report to each other (`REPORTS_TO`); family
links, policy beneficiaries, buying-centre markers, informal influence, acquaintance, our
reps' coverage, account teams, products and holdings, affinity rules, opportunities,
interactions and business events complete it.

The import/export format (`FORMAT_NAME`, version FORMAT_VERSION) has one section per
entity or link kind below. A JSON document is an object with `"format": "FORMAT_NAME"`,
`"version": FORMAT_VERSION` and one key per section, each a list of row objects; the same
data as CSV is a folder with one `<section>.csv` per section, a header row of field names,
lists `;`-separated and booleans `true`/`false`. Ids are chosen by the source system.
`graph-api import` validates every row against these rules first (a problem names the
file, row, field and value), then writes with batched, idempotent `UNWIND ... MERGE`; a
load that fails half-way says what it wrote and is finished by `graph-api import --resume`
(README, "The import's contract"). `graph-api export` writes the same format back.

Stored on every node written by the import or the write API, besides the fields below:
`version` (integer, goes up by one on each real change; the write API's optimistic
concurrency), and on every node and link the timestamps of "Bookkeeping" below. Not part
of the format: the audit trail (`(:AuditEntry)-[:CONCERNS]->(node)`, see
docs/WRITING.md), the write locks (`:WriteLock`) and the cross-sell co-holding statistics
(`:CoHoldingStats`, `COUNTS`, `CO_HELD`, recomputed after every import, see
docs/CROSS_SELL.md).

History: a link kind marked "with history" below carries a validity period, `validFrom`
(first day) and `validTo` (the day it ended, not included; absent while current). The
current link is stored under its type; a closed period under the parallel type `WAS_<type>`
(`WORKS_FOR` closed is `WAS_WORKS_FOR`), so that every question about the present reads the
current links only, and an as-of question (`asOf: Date`) reads both types and keeps the
links valid that day (`party(id, asOf)` reads the 360° view so; holdings, events and
interactions, which have no period, count from their `since`, `date` or `at`; the fields of
nodes are today's). In a document, rows of the same key may repeat with periods that do
not overlap (a closed and an open one, several closed ones); two periods of the same key
that overlap, or that end the same day, are an error naming both rows. Ending a link
through the API (`remove...`) closes its period (validTo = today) instead of deleting it; a
change of a field that starts a new period (a title, an attitude, a role) closes the old
period and opens a new one from today.
"""
# Not an f-string: the text quotes Cypher words, which the parameterization test looks for.
_HEAD = _HEAD_TEMPLATE.replace("FORMAT_NAME", FORMAT_NAME).replace(
    "FORMAT_VERSION", str(FORMAT_VERSION)
)


def _number(f: Field, value: float) -> str:
    # An integer bound in full (a 64-bit limit in %g would read as a rounded float).
    return str(int(value)) if f.kind == "int" else f"{value:g}"


def _allowed(f: Field) -> str:
    parts: list[str] = []
    if f.enum is not None:
        parts.append(" / ".join(f"`{e.value}`" for e in f.enum))
        if f.aliases:
            parts.append(
                "also read: " + ", ".join(f"`{k}`={v.value}" for k, v in f.aliases.items())
            )
    if f.minimum is not None or f.maximum is not None:
        lo = "" if f.minimum is None else _number(f, f.minimum)
        hi = "" if f.maximum is None else _number(f, f.maximum)
        parts.append(f"{lo}..{hi}")
    if f.max_length is not None:
        parts.append(f"at most {f.max_length} characters")
    return "; ".join(parts)


def _type(f: Field) -> str:
    name = _TYPE_NAMES[f.kind]
    if f.kind in ("ref", "reflist") and f.ref:
        labels = " or ".join(f"`:{label}`" for label in ENTITY_LABELS.get(f.ref, (f.ref,)))
        return f"{name} {labels}"
    return name


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _enum_line(title: str, enum: type[Enum], note: str = "") -> str:
    values = ", ".join(f"`{e.value}`" for e in enum)
    return f"- **{title}**: {values}" + (f". {note}" if note else "")


def render_model_doc() -> str:
    out: list[str] = [_HEAD]
    out.append("## Labels\n")
    out.append("| entity | labels | defined by section |")
    out.append("| --- | --- | --- |")
    for s in SECTIONS:
        if s.kind == "node" and s.entity:
            labels = ", ".join(f"`:{label}`" for label in ENTITY_LABELS[s.entity])
            if s.entity in ("Person", "Organization"):
                labels = f"`:Party`, {labels}"
            out.append(f"| {s.entity} | {labels} | `{s.name}` |")
    out.append("")
    for kind, title in (("node", "Entity sections"), ("link", "Link sections")):
        out.append(f"## {title}\n")
        for s in SECTIONS:
            if s.kind != kind:
                continue
            out.append(f"### `{s.name}`\n")
            out.append(_cell(s.doc) + "\n")
            out.append(f"Graph: `{s.graph}`\n")
            rules: list[str] = []
            if s.kind == "link" and s.rel_type is not None:
                rules.append(
                    "with history: key and period, one open period per key; closed periods "
                    f"stored as `WAS_{s.rel_type}`"
                )
                if s.period_fields:
                    rules.append(
                        "a change of "
                        + ", ".join(f"`{f}`" for f in s.period_fields)
                        + " starts a new period"
                    )
            elif s.kind == "link":
                rules.append("key (one link per key): " + ", ".join(f"`{k}`" for k in s.key))
            if s.symmetric:
                rules.append("undirected: stored once")
            if s.no_self_link:
                rules.append(f"`{s.no_self_link[1]}` must differ from `{s.no_self_link[0]}`")
            if s.acyclic:
                rules.append(
                    f"`{s.acyclic[0]}` -> `{s.acyclic[1]}` must form no cycle, "
                    "together with the links already stored"
                )
            if s.exactly_one_of:
                rules.append("exactly one of " + ", ".join(f"`{f}`" for f in s.exactly_one_of))
            if s.at_least_one_of:
                rules.append("at least one of " + ", ".join(f"`{f}`" for f in s.at_least_one_of))
            if rules:
                out.append("Rules: " + "; ".join(rules) + ".\n")
            out.append("| field | type | required | allowed values | stored | meaning |")
            out.append("| --- | --- | --- | --- | --- | --- |")
            for f in s.fields:
                if f.name == "id":
                    stored = "node key"
                elif f.kind in ("ref", "reflist"):
                    stored = "as a link" + (" and a property" if f.stored else "")
                else:
                    stored = "property"
                out.append(
                    f"| `{f.name}` | {_cell(_type(f))} | {'yes' if f.required else ''} | "
                    f"{_cell(_allowed(f))} | {stored} | {_cell(f.doc)} |"
                )
            out.append("")
    out.append("## Bookkeeping\n")
    out.append(
        "On every node and every link of the sections above, set by the import and the "
        "write API (not columns of the format: export leaves them out), and answered by "
        "the GraphQL API as fields of the same name on every node and link type.\n"
    )
    out.append("| field | type | meaning |")
    out.append("| --- | --- | --- |")
    for f in BOOKKEEPING_FIELDS:
        out.append(f"| `{f.name}` | {_cell(_type(f))} | {_cell(f.doc)} |")
    out.append("")
    out.append("## Enumerations and their meaning\n")
    probabilities = ", ".join(
        f"`{stage.value}` {p:.0%}" for stage, p in m.STAGE_PROBABILITY.items()
    )
    out.extend(
        [
            _enum_line("buying role (决审研咨用)", m.BuyingRole),
            _enum_line("attitude (+ = - X)", m.Attitude),
            _enum_line("influence level", m.InfluenceLevel),
            _enum_line("family kind", m.FamilyKind, "PARENT is read from `fromId`"),
            _enum_line("organization type", m.OrgType),
            _enum_line("tier", m.Tier),
            f"- **opportunity stage and its win probability**: {probabilities}",
            "",
        ]
    )
    return "\n".join(out).rstrip() + "\n"

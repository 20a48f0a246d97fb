"""Validates an import document before anything is written; every problem becomes a report line."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from graph_api.bulk.spec import (
    ENTITY_LABELS,
    NODE_SECTIONS,
    SECTIONS,
    Field,
    Section,
)
from graph_api.domain.model import FamilyKind

# Looks up ids in the database: entity kind -> ids -> {id: entity kind found ("Person", ...)}.
DbLookup = Callable[[str, list[str]], Awaitable[dict[str, str]]]
# Follows an acyclic relation in the database: section name -> ids -> the (from, to) links
# stored from those ids (the links the section's rows add to, or replace).
DbLinks = Callable[[str, list[str]], Awaitable[list[tuple[str, str]]]]


@dataclass(frozen=True, slots=True)
class Problem:
    """One report line: where (file, row), what (field, value) and why."""

    file: str
    row: int  # 1-based data row within the section (CSV: line number minus the header)
    section: str
    field: str | None
    value: Any
    code: str
    message: str

    def line(self) -> str:
        where = f"{self.file}: {self.section} row {self.row}"
        what = f" field {self.field}" if self.field else ""
        value = "" if self.value is None else f" value {self.value!r}"
        return f"{where}{what}{value}: {self.code}: {self.message}"


@dataclass(slots=True)
class Row:
    """A parsed row: its coerced values and where it came from."""

    section: str
    file: str
    number: int
    raw: Mapping[str, Any]
    values: dict[str, Any]
    rejected: bool = False


@dataclass
class Validated:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    duplicates_merged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def good_rows(self, section: str) -> list[Row]:
        return [r for r in self.rows.get(section, []) if not r.rejected]

    def rejected_rows(self) -> list[Row]:
        return [r for rows in self.rows.values() for r in rows if r.rejected]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Bad(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _as_str(value: Any, f: Field) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Bad("BAD_TYPE", f"expected a string, got {type(value).__name__}")
    text = str(value).strip()
    if _CONTROL.search(text):
        raise _Bad("BAD_VALUE", "contains control characters")
    limit = f.max_length
    if limit is not None and len(text) > limit:
        raise _Bad("TOO_LONG", f"longer than {limit} characters ({len(text)})")
    return text


def _as_number(value: Any, f: Field, integer: bool) -> int | float:
    if isinstance(value, bool):
        raise _Bad("BAD_TYPE", "expected a number, got a boolean")
    number: int | float
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip()) if integer else float(value.strip())
        except ValueError:
            raise _Bad("BAD_TYPE", f"not {'an integer' if integer else 'a number'}") from None
    else:
        raise _Bad("BAD_TYPE", f"expected a number, got {type(value).__name__}")
    if isinstance(number, float) and not math.isfinite(number):
        raise _Bad("BAD_VALUE", "not a finite number")
    if integer:
        if isinstance(number, float):
            if not number.is_integer():
                raise _Bad("BAD_TYPE", "not an integer")
            number = int(number)
    else:
        number = float(number)
    if f.minimum is not None and number < f.minimum:
        raise _Bad("OUT_OF_RANGE", f"below the minimum {_bound(f.minimum, integer)}")
    if f.maximum is not None and number > f.maximum:
        raise _Bad("OUT_OF_RANGE", f"above the maximum {_bound(f.maximum, integer)}")
    return number


def _bound(value: float, integer: bool) -> str:
    # An integer bound in full: a 64-bit limit in %g would read as a rounded float.
    return str(int(value)) if integer else f"{value:g}"


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "y"):
            return True
        if text in ("false", "0", "no", "n"):
            return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _Bad("BAD_TYPE", "expected true or false")


def _as_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Bad("BAD_DATE", "expected a date YYYY-MM-DD")


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise _Bad("BAD_DATETIME", "expected an ISO 8601 date-time") from None
        if "T" not in text and " " not in text:
            raise _Bad("BAD_DATETIME", "expected an ISO 8601 date-time, got a date")
    else:
        raise _Bad("BAD_DATETIME", "expected an ISO 8601 date-time")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _enum_values(f: Field) -> frozenset[str]:
    assert f.enum is not None
    return frozenset(e.value for e in f.enum)


def _as_enum(value: Any, f: Field, allowed: frozenset[str] | None = None) -> str:
    assert f.enum is not None
    if not isinstance(value, str):
        raise _Bad("BAD_TYPE", "expected a string")
    text = value.strip()
    if allowed is None:
        allowed = _enum_values(f)
    if text in allowed:
        return text
    upper = text.upper()
    if upper in allowed:
        return upper
    if f.aliases:
        alias = f.aliases.get(text) or f.aliases.get(upper)
        if alias is not None:
            return str(alias.value)
    raise _Bad("UNKNOWN_ENUM", f"not one of {', '.join(sorted(allowed))}")


def _list_item_field(f: Field) -> Field:
    return Field(f.name, "str", max_length=f.max_length or 200)


def _as_list(value: Any, f: Field, item_field: Field | None = None) -> list[str]:
    if isinstance(value, str):
        items: list[Any] = [v for v in value.split(";")]
    elif isinstance(value, list):
        items = value
    else:
        raise _Bad("BAD_TYPE", "expected a list (JSON array or ';'-separated text)")
    if item_field is None:
        item_field = _list_item_field(f)
    out: list[str] = []
    for item in items:
        if _blank(item):
            continue
        text = _as_str(item, item_field)
        if text not in out:
            out.append(text)
    return out


def coerce(f: Field, value: Any) -> Any:
    """The stored value of one field; raises _Bad with a code and message."""
    match f.kind:
        case "id" | "str" | "text" | "ref":
            return _as_str(value, f)
        case "int":
            return _as_number(value, f, integer=True)
        case "float":
            return _as_number(value, f, integer=False)
        case "bool":
            return _as_bool(value)
        case "date":
            return _as_date(value)
        case "datetime":
            return _as_datetime(value)
        case "enum":
            return _as_enum(value, f)
        case "strlist" | "reflist":
            return _as_list(value, f)
    raise AssertionError(f.kind)


# ----- per-field coercers ---------------------------------------------------------------
# `coerce` above is the definition; the coercers below give the same values and the same
# problems, with fast paths for values that are already of the right JSON type (a million
# rows of a generated or exported document are). A coercer returns _MISSING for a blank
# value (None, blank text, empty list), which the row treats as absent.

_MISSING: Any = object()
Coercer = Callable[[Any], Any]


def _str_coercer(f: Field) -> Coercer:
    limit = f.max_length
    search = _CONTROL.search

    def run(value: Any) -> Any:
        if type(value) is str:
            text = value.strip()
            if not text:
                return _MISSING
            # isprintable() is False for every control character (and some other text):
            # only then is the exact check needed.
            if not text.isprintable() and search(text):
                raise _Bad("BAD_VALUE", "contains control characters")
            if limit is not None and len(text) > limit:
                raise _Bad("TOO_LONG", f"longer than {limit} characters ({len(text)})")
            return text
        if value is None:
            return _MISSING
        if isinstance(value, list) and not value:
            return _MISSING
        if _blank(value):
            return _MISSING
        return _as_str(value, f)

    return run


def _number_coercer(f: Field, integer: bool) -> Coercer:
    lo, hi = f.minimum, f.maximum
    exact = int if integer else float

    def run(value: Any) -> Any:
        kind = type(value)
        if kind is exact or (kind is int and not integer):
            number = value if integer else float(value)
            if not integer and not math.isfinite(number):
                raise _Bad("BAD_VALUE", "not a finite number")
            if lo is not None and number < lo:
                raise _Bad("OUT_OF_RANGE", f"below the minimum {_bound(lo, integer)}")
            if hi is not None and number > hi:
                raise _Bad("OUT_OF_RANGE", f"above the maximum {_bound(hi, integer)}")
            return number
        if _blank(value) or (isinstance(value, list) and not value):
            return _MISSING
        return _as_number(value, f, integer)

    return run


def _enum_coercer(f: Field) -> Coercer:
    allowed = _enum_values(f)

    def run(value: Any) -> Any:
        if type(value) is str:
            text = value.strip()
            if text in allowed:
                return text
            if not text:
                return _MISSING
            return _as_enum(value, f, allowed)
        if _blank(value) or (isinstance(value, list) and not value):
            return _MISSING
        return _as_enum(value, f, allowed)

    return run


def _list_coercer(f: Field) -> Coercer:
    item_field = _list_item_field(f)
    item = _str_coercer(item_field)

    def run(value: Any) -> Any:
        if type(value) is list:
            if not value:
                return _MISSING
            out: list[str] = []
            for v in value:
                if type(v) is str:
                    text = item(v)
                    if text is _MISSING:
                        continue
                elif _blank(v):
                    continue
                else:
                    text = _as_str(v, item_field)
                if text not in out:
                    out.append(text)
            return out
        if _blank(value):
            return _MISSING
        return _as_list(value, f, item_field)

    return run


def _generic_coercer(f: Field) -> Coercer:
    def run(value: Any) -> Any:
        if _blank(value) or (isinstance(value, list) and not value):
            return _MISSING
        return coerce(f, value)

    return run


def coercer(f: Field) -> Coercer:
    """The coercer of one field: `coerce`, with _MISSING for a blank value."""
    match f.kind:
        case "id" | "str" | "text" | "ref":
            return _str_coercer(f)
        case "int":
            return _number_coercer(f, integer=True)
        case "float":
            return _number_coercer(f, integer=False)
        case "enum":
            return _enum_coercer(f)
        case "strlist" | "reflist":
            return _list_coercer(f)
    return _generic_coercer(f)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What checking a row of one section needs, computed once per section."""

    section: Section
    names: frozenset[str]
    fields: tuple[tuple[str, bool, Coercer], ...]  # (name, required, coercer)


_PLANS: dict[int, _Plan] = {}


def _plan(section: Section) -> _Plan:
    plan = _PLANS.get(id(section))
    if plan is None or plan.section is not section:
        plan = _Plan(
            section,
            frozenset(f.name for f in section.fields),
            tuple((f.name, f.required, coercer(f)) for f in section.fields),
        )
        _PLANS[id(section)] = plan
    return plan


def _parse_row(
    section: Section, file: str, number: int, raw: Mapping[str, Any]
) -> tuple[Row, list[Problem]]:
    problems: list[Problem] = []

    def bad(fname: str | None, value: Any, code: str, message: str) -> None:
        problems.append(Problem(file, number, section.name, fname, value, code, message))

    values: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        bad(None, None, "BAD_ROW", "a row must be an object")
        return Row(section.name, file, number, {}, {}, rejected=True), problems
    plan = _plan(section)
    if not plan.names.issuperset(raw):
        for key in raw:
            if key not in plan.names:
                bad(str(key), raw[key], "UNKNOWN_FIELD", f"no such field in section {section.name}")
    get = raw.get
    for name, required, run in plan.fields:
        value = get(name)
        if value is None:
            if required:
                bad(name, None, "MISSING_FIELD", "required field is missing")
            continue
        try:
            coerced = run(value)
        except _Bad as exc:
            bad(name, value, exc.code, exc.message)
            continue
        if coerced is _MISSING:
            if required:
                bad(name, None, "MISSING_FIELD", "required field is missing")
            continue
        values[name] = coerced
    if section.exactly_one_of:
        present = [n for n in section.exactly_one_of if n in values]
        if len(present) != 1 and not any(p.field in section.exactly_one_of for p in problems):
            names = " or ".join(section.exactly_one_of)
            bad(
                section.exactly_one_of[0],
                None,
                "EXACTLY_ONE",
                f"give exactly one of {names}"
                + (f" (got {', '.join(present)})" if present else ""),
            )
    if (
        section.at_least_one_of
        and not any(n in values for n in section.at_least_one_of)
        and not any(p.field in section.at_least_one_of for p in problems)
    ):
        bad(
            section.at_least_one_of[0],
            None,
            "MISSING_FIELD",
            f"give at least one of {', '.join(section.at_least_one_of)}",
        )
    if section.rel_type is not None:
        start, end = values.get("validFrom"), values.get("validTo")
        if start is not None and end is not None and end < start:
            bad(
                "validTo",
                end.isoformat(),
                "INVALID_PERIOD",
                f"validTo must not be before validFrom {start.isoformat()}",
            )
    if section.no_self_link:
        a, b = section.no_self_link
        if a in values and values.get(a) == values.get(b):
            bad(b, values[b], "SELF_LINK", f"{b} must differ from {a}")
    if section.name == "family" and values.get("kind") == FamilyKind.CHILD.value:
        # Stored once, as PARENT from the parent to the child (an end may be missing: that
        # row is already reported, and is turned round all the same for a consistent report).
        values["fromId"], values["toId"] = values.get("toId"), values.get("fromId")
        for end in ("fromId", "toId"):
            if values[end] is None:
                del values[end]
        values["kind"] = FamilyKind.PARENT.value
    elif (
        section.symmetric
        # A PARENT link is directed (from the parent): only the other kinds are unordered.
        and values.get("kind") != FamilyKind.PARENT.value
        and "fromId" in values
        and "toId" in values
        and values["fromId"] > values["toId"]
    ):
        values["fromId"], values["toId"] = values["toId"], values["fromId"]
    return Row(section.name, file, number, raw, values, rejected=bool(problems)), problems


# ----- the fast path of a document's rows ---------------------------------------------
# `_parse_row` is the definition. A document of a million parties has millions of rows and
# nearly all are good: `_fast_parser` gives, for a row `_parse_row` would accept without a
# problem, the same values, and None for any other row (or any value it does not handle
# inline), which `_parse_row` then checks and reports. The parser is one generated
# function per section: its fields' checks inline, no call per field for text and enums
# (a call per field was most of the validation's time at 1M parties).

FastParser = Callable[[dict[str, Any]], "dict[str, Any] | None"]
_FAST: dict[int, tuple[Section, FastParser]] = {}


def _fast_text(f: Field, i: int, q: str, env: dict[str, Any]) -> list[str]:
    """The fast parser's lines for a stripped, non-blank text `v` of a date, number, boolean
    or date-time field: the value `coerce` gives, or `return None` where it would raise
    (the row is then checked by `_parse_row`); [] for the other kinds."""
    out: list[str]
    if f.kind == "date":
        env["date_match"], env["date_from"] = _DATE.match, date.fromisoformat
        out = [
            "if not date_match(v):",
            "    return None",
            "try:",
            "    v = date_from(v)",
            "except ValueError:",
            "    return None",
        ]
    elif f.kind in ("int", "float"):
        env["isfinite"] = math.isfinite
        out = [
            "try:",
            f"    v = {f.kind}(v)",
            "except ValueError:",
            "    return None",
        ]
        if f.kind == "float":
            out += ["if not isfinite(v):", "    return None"]
        if f.minimum is not None:
            out += [f"if v < {f.minimum!r}:", "    return None"]
        if f.maximum is not None:
            out += [f"if v > {f.maximum!r}:", "    return None"]
    elif f.kind == "bool":
        out = [
            "t = v.lower()",
            "if t in ('true', '1', 'yes', 'y'):",
            "    v = True",
            "elif t in ('false', '0', 'no', 'n'):",
            "    v = False",
            "else:",
            "    return None",
        ]
    elif f.kind == "datetime":
        env["as_datetime"] = _as_datetime
        out = ["try:", "    v = as_datetime(v)", "except _Bad:", "    return None"]
    elif f.kind in ("strlist", "reflist"):
        # `_as_list` of a text: its ';'-separated items, blank ones left out, once each (a
        # text of blank items gives an empty list, which is stored).
        limit = _list_item_field(f).max_length
        too_long = "" if limit is None else f"len(t) > {limit!r} or "
        out = [
            "items = []",
            "for t in v.split(';'):",
            "    t = t.strip()",
            "    if not t:",
            "        continue",
            f"    if {too_long}(not t.isprintable() and search(t)):",
            "        return None",
            "    if t not in items:",
            "        items.append(t)",
            "v = items",
        ]
    else:
        return []
    return [*out, f"values[{q}] = v"]


def _fast_parser(section: Section) -> FastParser:
    cached = _FAST.get(id(section))
    if cached is not None and cached[0] is section:
        return cached[1]
    env: dict[str, Any] = {"_MISSING": _MISSING, "_Bad": _Bad, "search": _CONTROL.search}
    lines = ["def parse(raw):", "    get = raw.get", "    values = {}"]
    for i, f in enumerate(section.fields):
        q = repr(f.name)
        lines.append(f"    v = get({q})")
        lines.append("    if v is not None:")
        if f.kind in ("id", "str", "text", "ref"):
            too_long = "" if f.max_length is None else f"len(v) > {f.max_length!r} or "
            lines += [
                "        if v.__class__ is not str:",
                "            return None",
                "        v = v.strip()",
                "        if v:",
                f"            if {too_long}(not v.isprintable() and search(v)):",
                "                return None",
                f"            values[{q}] = v",
            ]
            if f.required:
                lines += ["        else:", "            return None"]
        elif f.kind == "enum":
            env[f"allowed{i}"] = _enum_values(f)
            lines += [
                "        if v.__class__ is not str:",
                "            return None",
                "        v = v.strip()",
                f"        if v in allowed{i}:",
                f"            values[{q}] = v",
                "        elif v or " + repr(f.required) + ":",
                "            return None",  # an alias, a lower-case name, or a bad value
            ]
        else:
            env[f"run{i}"] = coercer(f)
            text = _fast_text(f, i, q, env)
            if text:
                # A text (a CSV cell) inline; any other value by the field's coercer.
                lines += ["        if v.__class__ is str:", "            v = v.strip()"]
                lines += ["            if v:"] + ["                " + t for t in text]
                if f.required:
                    lines += ["            else:", "                return None"]
                lines += ["        else:"]
            else:
                lines += ["        if True:"]
            lines += [
                "            try:",
                f"                v = run{i}(v)",
                "            except _Bad:",
                "                return None",
                "            if v is not _MISSING:",
                f"                values[{q}] = v",
            ]
            if f.required:
                lines += ["            else:", "                return None"]
        if f.required:
            lines += ["    else:", "        return None"]
    lines.append("    return values")
    exec(compile("\n".join(lines), f"<fast parser of {section.name}>", "exec"), env)  # noqa: S102
    body: Callable[[dict[str, Any]], dict[str, Any] | None] = env["parse"]
    names = frozenset(f.name for f in section.fields)
    one_of, some_of = section.exactly_one_of, section.at_least_one_of
    history = section.rel_type is not None
    self_link = section.no_self_link
    family = section.name == "family"
    symmetric = section.symmetric

    def parse(raw: dict[str, Any]) -> dict[str, Any] | None:
        if not names.issuperset(raw):
            return None
        values = body(raw)
        if values is None:
            return None
        if one_of and sum(1 for n in one_of if n in values) != 1:
            return None
        if some_of and not any(n in values for n in some_of):
            return None
        if history:
            start, end = values.get("validFrom"), values.get("validTo")
            if start is not None and end is not None and end < start:
                return None
        if self_link:
            a, b = self_link
            if a in values and values.get(a) == values.get(b):
                return None
        if family and values.get("kind") == FamilyKind.CHILD.value:
            values["fromId"], values["toId"] = values.get("toId"), values.get("fromId")
            for end in ("fromId", "toId"):
                if values[end] is None:
                    del values[end]
            values["kind"] = FamilyKind.PARENT.value
        elif (
            symmetric
            and values.get("kind") != FamilyKind.PARENT.value
            and "fromId" in values
            and "toId" in values
            and values["fromId"] > values["toId"]
        ):
            values["fromId"], values["toId"] = values["toId"], values["fromId"]
        return values

    _FAST[id(section)] = (section, parse)
    return parse


def check_row(
    section: Section, raw: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """One row checked by its section's rules, outside any document: the write API validates
    mutation inputs with it, so that an import and a mutation accept and refuse alike.
    `partial` (a patch): a required field that is absent is left as stored, not missing."""
    row, problems = _parse_row(section, "input", 1, raw)
    if partial:
        problems = [p for p in problems if p.code != "MISSING_FIELD" or p.field in raw]
    return row.values, problems


def link_key(section: Section, row: Row) -> tuple[Any, ...]:
    """The pair (and target) a link row is about, whatever its period."""
    if section.symmetric:
        pair = sorted((str(row.values.get("fromId")), str(row.values.get("toId"))))
        return tuple(pair)
    return tuple(row.values.get(k) for k in section.key)


def row_key(section: Section, row: Row) -> tuple[Any, ...]:
    """What names one row: a link with history is named by its key and its period."""
    key = link_key(section, row)
    if section.rel_type is not None:
        return (*key, row.values.get("validFrom"), row.values.get("validTo"))
    return key


def _row_key_function(section: Section) -> Callable[[Row], tuple[Any, ...]]:
    """`row_key` of the section's rows, without a loop over its key fields per row."""
    if section.symmetric:
        return lambda row: row_key(section, row)
    fields = (*section.key, *(("validFrom", "validTo") if section.rel_type is not None else ()))
    if len(fields) == 1:
        (a,) = fields
        return lambda row: (row.values.get(a),)
    if len(fields) == 2:
        a, b = fields
        return lambda row: (row.values.get(a), row.values.get(b))
    if len(fields) == 4:
        a, b, c, d = fields
        return lambda row: (
            row.values.get(a),
            row.values.get(b),
            row.values.get(c),
            row.values.get(d),
        )
    return lambda row: row_key(section, row)


def _overlap(a: Row, b: Row) -> bool:
    """Whether two periods [validFrom, validTo) of the same key clash: they share a day, or
    both are closed on the same day (a closed period is stored under its end day)."""
    a_from, a_to = a.values.get("validFrom"), a.values.get("validTo")
    b_from, b_to = b.values.get("validFrom"), b.values.get("validTo")
    if a_to is not None and a_to == b_to:
        return True
    if a_to is None and b_to is None:
        return True
    a_before_b_ends = b_to is None or a_from is None or a_from < b_to
    b_before_a_ends = a_to is None or b_from is None or b_from < a_to
    return a_before_b_ends and b_before_a_ends


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _period(r: Row) -> str:
    start, end = r.values.get("validFrom"), r.values.get("validTo")
    return f"[{start.isoformat() if start else '...'}, {end.isoformat() if end else 'open'})"


def _check_periods(result: Validated, section: Section, rows: list[Row]) -> None:
    """Rows of the same key whose periods overlap are errors naming both rows."""
    by_key: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in rows:
        if not row.rejected:
            by_key[link_key(section, row)].append(row)
    for key, group in by_key.items():
        if len(group) < 2:
            continue
        for i, row in enumerate(group):
            for first in group[:i]:
                if not _overlap(first, row):
                    continue
                result.problems.append(
                    Problem(
                        row.file,
                        row.number,
                        section.name,
                        "validFrom",
                        _iso(row.values.get("validFrom")),
                        "OVERLAPPING_PERIOD",
                        f"{'/'.join(map(str, key))}: period {_period(row)} overlaps row "
                        f"{first.number}'s {_period(first)}",
                    )
                )
                row.rejected = True
                first.rejected = True


def _same(a: Row, b: Row) -> bool:
    return a.values == b.values


async def validate(
    sources: Iterable[tuple[str, str, Iterable[tuple[int, Mapping[str, Any]]]]],
    db_lookup: DbLookup | None = None,
    db_links: DbLinks | None = None,
) -> Validated:
    """Validates rows given as (section, file, [(row number, raw row)]) triples.

    Checks each field (type, enum, range, length, required), duplicates (identical ones are
    merged; conflicting ones are errors), references (to a row of the document or to a node
    already in the database), self-links and cycles (closed by the document's rows alone or
    together with the links already in the database). Rows with problems are marked rejected;
    rows that reference a rejected row are rejected too, so a partial load stays consistent.
    """
    result = Validated()
    by_section: dict[str, list[Row]] = defaultdict(list)
    known = {s.name: s for s in SECTIONS}
    for section_name, file, rows in sources:
        section = known.get(section_name)
        if section is None:
            result.problems.append(
                Problem(
                    file,
                    0,
                    section_name,
                    None,
                    None,
                    "UNKNOWN_SECTION",
                    f"no section {section_name!r}; known: {', '.join(known)}",
                )
            )
            continue
        fast = _fast_parser(section)
        parsed = by_section[section.name]
        append = parsed.append
        name = section.name
        for number, raw in rows:
            values = fast(raw) if raw.__class__ is dict else None
            if values is not None:
                append(Row(name, file, number, raw, values))
                continue
            row, problems = _parse_row(section, file, number, raw)
            append(row)
            result.problems.extend(problems)

    # Duplicates within a section: identical rows merge, conflicting rows are errors.
    for section in SECTIONS:
        seen: dict[tuple[Any, ...], Row] = {}
        unique: list[Row] = []
        key_of = _row_key_function(section)
        for row in by_section.get(section.name, []):
            if row.rejected:
                unique.append(row)
                continue
            key = key_of(row)
            first = seen.get(key)
            if first is None:
                seen[key] = row
                unique.append(row)
            elif _same(first, row):
                result.duplicates_merged += 1
            else:
                diff = sorted(
                    k
                    for k in set(first.values) | set(row.values)
                    if first.values.get(k) != row.values.get(k)
                )
                fname = diff[0] if diff else section.key[0]
                result.problems.append(
                    Problem(
                        row.file,
                        row.number,
                        section.name,
                        fname,
                        row.values.get(fname),
                        "DUPLICATE_CONFLICT",
                        f"{'/'.join(map(str, link_key(section, row)))} is also row "
                        f"{first.number} with "
                        f"{fname}={first.values.get(fname)!r}",
                    )
                )
                row.rejected = True
                first.rejected = True
                unique.append(row)
        if section.rel_type is not None:
            _check_periods(result, section, unique)
        result.rows[section.name] = unique

    # Ids defined by the document, per entity kind; one id space for Person and Organization.
    defined: dict[str, dict[str, Row]] = defaultdict(dict)
    for section in NODE_SECTIONS:
        assert section.entity is not None
        for row in result.rows.get(section.name, []):
            if "id" in row.values:
                defined[section.entity][row.values["id"]] = row
    for pid, prow in defined["Person"].items():
        orow = defined["Organization"].get(pid)
        if orow is not None:
            for row in (prow, orow):
                result.problems.append(
                    Problem(
                        row.file,
                        row.number,
                        row.section,
                        "id",
                        pid,
                        "DUPLICATE_CONFLICT",
                        "the same id is both a person and an organization",
                    )
                )
                row.rejected = True

    # Ids the document defines that already exist in the database as another kind.
    if db_lookup is not None:
        for entity in ("Person", "Organization"):
            ids = [i for i, r in defined[entity].items() if not r.rejected]
            if not ids:
                continue
            found = await db_lookup("Party", ids)
            for pid, kind in found.items():
                if kind != entity:
                    row = defined[entity][pid]
                    result.problems.append(
                        Problem(
                            row.file,
                            row.number,
                            row.section,
                            "id",
                            pid,
                            "DUPLICATE_CONFLICT",
                            f"already exists in the database as {kind}",
                        )
                    )
                    row.rejected = True

    targets = _targets(defined)
    in_db: dict[str, dict[str, str]] = {}
    asked: dict[str, set[str]] = defaultdict(set)
    await _check_references(result, targets, db_lookup, in_db, asked)
    await _check_cycles(result, db_links)
    # Rejecting rows can orphan rows that referenced them: settle until nothing changes.
    # Only a rejected row of the document can orphan another (every other reference was
    # checked above), so with none there is nothing to settle.
    if any(row.rejected for rows in defined.values() for row in rows.values()):
        await _check_references(result, targets, db_lookup, in_db, asked, cascade=True)
    return result


def _ref_fields(section: Section) -> tuple[tuple[str, str, bool], ...]:
    """The section's reference fields: (name, entity referred to, whether a list)."""
    return tuple((f.name, f.ref, f.kind == "reflist") for f in section.fields if f.ref is not None)


_REF_FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    s.name: _ref_fields(s) for s in SECTIONS
}


def _refs(section: Section, row: Row) -> Iterable[tuple[str, str, str]]:
    """(field, entity, id) of every reference of the row, in field order."""
    values = row.values
    for name, entity, is_list in _REF_FIELDS.get(section.name) or _ref_fields(section):
        value = values.get(name)
        if value is None:
            continue
        if is_list or isinstance(value, list):
            for item in value:
                yield name, entity, item
        else:
            yield name, entity, value


def _targets(defined: Mapping[str, Mapping[str, Row]]) -> dict[str, dict[str, Row]]:
    """The rows of the document by entity kind and id; a Party is a Person or else an
    Organization (the two share one id space)."""
    out = {entity: dict(defined.get(entity, {})) for entity in ENTITY_LABELS}
    out["Party"] = {**defined.get("Organization", {}), **defined.get("Person", {})}
    return out


async def _check_references(
    result: Validated,
    targets: Mapping[str, Mapping[str, Row]],
    db_lookup: DbLookup | None,
    in_db: dict[str, dict[str, str]],
    asked: dict[str, set[str]],
    cascade: bool = False,
) -> None:
    """Rejects rows whose references are neither in the document nor in the database.

    `in_db` (ids found, by entity kind) and `asked` (ids looked up) cache the database's
    answers across calls."""
    # Which referenced ids are not in the document, and must be found in the database
    # (`_refs` inline: one call per reference was most of this function's time at 1M).
    missing: dict[str, set[str]] = defaultdict(set)
    for section in SECTIONS:
        fields = _REF_FIELDS.get(section.name)
        if not fields:
            continue
        for row in result.rows.get(section.name, []):
            if row.rejected:
                continue
            values = row.values
            for name, entity, is_list in fields:
                value = values.get(name)
                if value is None:
                    continue
                table = targets[entity]
                if is_list or isinstance(value, list):
                    for ref in value:
                        if ref not in table:
                            missing[entity].add(ref)
                elif value not in table:
                    missing[entity].add(value)
    for entity, ids in missing.items():
        known = in_db.setdefault(entity, {})
        new = sorted(ids - asked[entity])
        if db_lookup and new:
            known.update(await db_lookup(entity, new))
            asked[entity].update(new)

    changed = True
    while changed:
        changed = False
        for section in SECTIONS:
            fields = _REF_FIELDS.get(section.name)
            if not fields:
                continue
            for row in result.rows.get(section.name, []):
                if row.rejected:
                    continue
                # The common row first, inline: every reference is to a row of the document
                # that is not rejected. Any other row is checked reference by reference below.
                values = row.values
                for _name, entity, is_list in fields:
                    value = values.get(_name)
                    if value is None:
                        continue
                    table = targets[entity]
                    if is_list or isinstance(value, list):
                        if any((t := table.get(ref)) is None or t.rejected for ref in value):
                            break
                    elif (t := table.get(value)) is None or t.rejected:
                        break
                else:
                    continue
                for name, entity, ref in _refs(section, row):
                    target = targets[entity].get(ref)
                    found = in_db.get(entity, {})
                    if target is not None:
                        if target.rejected and ref not in found:
                            result.problems.append(
                                Problem(
                                    row.file,
                                    row.number,
                                    section.name,
                                    name,
                                    ref,
                                    "REJECTED_REFERENCE",
                                    f"refers to {entity} {ref!r} whose row "
                                    f"({target.section} row {target.number}) was rejected",
                                )
                            )
                            row.rejected = True
                            changed = True
                            break
                        continue
                    if ref in found:
                        continue
                    labels = "/".join(ENTITY_LABELS[entity])
                    result.problems.append(
                        Problem(
                            row.file,
                            row.number,
                            section.name,
                            name,
                            ref,
                            "UNKNOWN_REFERENCE",
                            f"no {labels} with this id in the document or the database",
                        )
                    )
                    row.rejected = True
                    changed = True
                    break
        if not cascade:
            break


async def _database_links(
    section: Section,
    edges: dict[str, list[tuple[str, Row | None]]],
    db_links: DbLinks,
) -> None:
    """Adds to `edges` the database's links reachable from the document's: only they can
    close a cycle with a row (a cycle of stored links alone is not this document's doing)."""
    # A node section's reference is single-valued: its row replaces the stored link (the
    # load deletes the old one), so a stored link from a node the document re-links is gone.
    replaced = set(edges) if section.kind == "node" else set()
    seen: set[str] = set()
    frontier = {to for out in edges.values() for to, _row in out}
    while frontier:
        ask = sorted(frontier - seen - replaced)
        seen.update(frontier)
        frontier = set()
        if not ask:
            break
        for a, b in await db_links(section.name, ask):
            if a in replaced:
                continue
            edges[a].append((b, None))
            if b not in seen:
                frontier.add(b)


async def _check_cycles(result: Validated, db_links: DbLinks | None = None) -> None:
    for section in SECTIONS:
        if section.acyclic is None:
            continue
        src, dst = section.acyclic
        # Each link with the row that adds it (None: a link already in the database).
        edges: dict[str, list[tuple[str, Row | None]]] = defaultdict(list)
        for row in result.rows.get(section.name, []):
            # Closed periods are history: only current links can form a cycle.
            if row.values.get("validTo") is not None:
                continue
            if not row.rejected and src in row.values and dst in row.values:
                edges[row.values[src]].append((row.values[dst], row))
        if db_links is not None and edges:
            await _database_links(section, edges, db_links)
        _report_cycles(result, section, dst, edges)


def _report_cycles(
    result: Validated,
    section: Section,
    dst: str,
    edges: Mapping[str, list[tuple[str, Row | None]]],
) -> None:
    """Iterative three-colour DFS; of each cycle, the row that closes it is reported (the
    last row on it when a stored link closes it)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    for start in sorted(edges):
        if colour[start] != WHITE:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        via: list[Row | None] = [None]  # the link that led to path[i]
        colour[start] = GREY
        while stack:
            node, i = stack[-1]
            out = edges.get(node, [])
            if i < len(out):
                stack[-1] = (node, i + 1)
                nxt, row = out[i]
                if row is not None and row.rejected:
                    continue
                if colour[nxt] == GREY:
                    at = path.index(nxt)
                    on_cycle = [*via[at + 1 :], row]
                    blamed = next((r for r in reversed(on_cycle) if r is not None), None)
                    if blamed is None:
                        continue
                    cycle = " -> ".join([*path[at:], nxt])
                    stored = any(r is None for r in on_cycle)
                    result.problems.append(
                        Problem(
                            blamed.file,
                            blamed.number,
                            section.name,
                            dst,
                            blamed.values[dst],
                            "CYCLE",
                            (
                                "forms a cycle with links already in the database: "
                                if stored
                                else "forms a cycle: "
                            )
                            + cycle,
                        )
                    )
                    blamed.rejected = True
                elif colour[nxt] == WHITE:
                    colour[nxt] = GREY
                    stack.append((nxt, 0))
                    path.append(nxt)
                    via.append(row)
            else:
                colour[node] = BLACK
                stack.pop()
                path.pop()
                via.pop()

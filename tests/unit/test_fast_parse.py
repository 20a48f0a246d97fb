"""The CSV reader gives DictReader's rows, and the validator's fast path (`_fast_parser`)
agrees with its definition (`_parse_row`).

For every row of a generated document (both formats), of the demo and of hand-made rows
with each kind of problem or unusual value: where `_parse_row` finds no problem, the fast
path gives the same values (or None: then `_parse_row` runs, which is only slower); where
`_parse_row` finds a problem, the fast path gives None, so the problem is reported. And the
fast path does take the good rows of a generated document (else it would be no faster).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

import orjson

from graph_api.bulk.formats import FormatError, _csv_rows, read_sources
from graph_api.bulk.spec import SECTION_BY_NAME, SECTIONS
from graph_api.bulk.validate import _fast_parser, _parse_row
from graph_api.generate.dataset import write_dataset
from tests.conftest import DEMO

# Rows written by hand, per section: each is an unusual value the fast path must not get
# wrong (accept with other values than _parse_row's, or accept when _parse_row refuses).
_EDGE_ROWS: dict[str, list[dict[str, Any]]] = {
    "people": [
        {"id": " p-1 ", "name": "  张三  "},  # trimmed
        {"id": "p-1", "name": "   "},  # a blank required field
        {"id": "p-1"},  # missing
        {"id": "p-1", "name": "a\x07b"},  # a control character
        {"id": "p-1", "name": "a\u2028b"},  # not printable, no control character: kept
        {"id": "p-1", "name": "x" * 201},  # too long
        {"id": "p-1", "name": "x" * 200, "gender": "female"},  # lower-case enum
        {"id": "p-1", "name": "n", "gender": " FEMALE "},
        {"id": "p-1", "name": "n", "gender": "  "},  # a blank optional enum: absent
        {"id": "p-1", "name": "n", "gender": "NOPE"},
        {"id": "p-1", "name": "n", "grade": "3"},
        {"id": "p-1", "name": "n", "grade": " 3 "},
        {"id": "p-1", "name": "n", "grade": "9"},  # out of range
        {"id": "p-1", "name": "n", "grade": "3.0"},  # not an int (as text)
        {"id": "p-1", "name": "n", "grade": 3.0},  # an integral float: 3
        {"id": "p-1", "name": "n", "grade": True},
        {"id": "p-1", "name": "n", "grade": ""},
        {"id": "p-1", "name": "n", "confidential": "Yes"},
        {"id": "p-1", "name": "n", "confidential": "maybe"},
        {"id": "p-1", "name": "n", "birthDate": "1990-02-30"},
        {"id": "p-1", "name": "n", "birthDate": " 1990-02-03 "},
        {"id": "p-1", "name": "n", "aliases": "a; b;a;;"},
        {"id": "p-1", "name": "n", "aliases": ["a", " a ", "", 5]},
        {"id": "p-1", "name": "n", "aliases": []},
        {"id": "p-1", "name": 12},  # a number as a name
        # Texts of dates, numbers, booleans and lists, which the fast path reads inline.
        {"id": "p-1", "name": "n", "birthDate": "19900203"},  # fromisoformat takes it
        {"id": "p-1", "name": "n", "birthDate": "2021-W01-1"},
        {"id": "p-1", "name": "n", "birthDate": "١٩٩٠-٠٢-٠٣"},  # other digits
        {"id": "p-1", "name": "n", "birthDate": "1990-2-3"},
        {"id": "p-1", "name": "n", "grade": "1_0"},
        {"id": "p-1", "name": "n", "grade": "٣"},
        {"id": "p-1", "name": "n", "grade": "+4"},
        {"id": "p-1", "name": "n", "grade": "0"},
        {"id": "p-1", "name": "n", "grade": "5"},
        {"id": "p-1", "name": "n", "grade": "9" * 5000},  # past int's digit limit
        {"id": "p-1", "name": "n", "confidential": " TRUE "},
        {"id": "p-1", "name": "n", "confidential": "n"},
        {"id": "p-1", "name": "n", "confidential": "2"},
        {"id": "p-1", "name": "n", "aliases": ";;"},  # blank items only: an empty list
        {"id": "p-1", "name": "n", "aliases": " ; x ;"},
        {"id": "p-1", "name": "n", "aliases": "a;b\x01c"},
        {"id": "p-1", "name": "n", "aliases": "a;" + "y" * 201},
        {"id": "p-1", "name": "n", "aliases": "a\u2028b"},
        {"id": "p-1", "name": "n", "shoeSize": "44"},  # an unknown field
    ],
    "organizations": [
        {"id": "o-1", "name": "n", "parentId": "o-1"},  # a self-link
        {"id": "o-1", "name": "n", "shareOfWallet": "0.5", "annualPurchase": "1e6"},
        {"id": "o-1", "name": "n", "shareOfWallet": "1.5"},
        {"id": "o-1", "name": "n", "revenue": "nan"},
        {"id": "o-1", "name": "n", "revenue": "inf"},
        {"id": "o-1", "name": "n", "revenue": "-inf"},
        {"id": "o-1", "name": "n", "revenue": "1e400"},
        {"id": "o-1", "name": "n", "revenue": " 1_000.5 "},
        {"id": "o-1", "name": "n", "revenue": "-1"},
        {"id": "o-1", "name": "n", "shareOfWallet": "1"},
        {"id": "o-1", "name": "n", "shareOfWallet": "1.0000001"},
        {"id": "o-1", "name": "n", "employees": "12.0"},
        {"id": "o-1", "name": "n", "employees": "12", "orgType": "branch"},
    ],
    "family": [
        {"fromId": "p-2", "toId": "p-1", "kind": "SPOUSE"},  # an unordered pair: turned
        {"fromId": "p-2", "toId": "p-1", "kind": "PARENT"},  # directed: kept
        {"fromId": "p-2", "toId": "p-1", "kind": "CHILD"},  # stored as PARENT the other way
        {"fromId": "p-1", "toId": "p-1", "kind": "SPOUSE"},
        {
            "fromId": "p-1",
            "toId": "p-2",
            "kind": "SPOUSE",
            "validFrom": "2020-01-02",
            "validTo": "2020-01-01",
        },  # a period ending before it starts
    ],
    "buyingRoles": [
        {"personId": "p-1", "accountId": "o-1", "role": "决"},  # an alias
        {"personId": "p-1", "accountId": "o-1", "attitude": "+"},
        {"personId": "p-1", "accountId": "o-1", "opportunityId": "op-1", "role": "APPROVER"},
        {"personId": "p-1", "role": "APPROVER"},  # neither account nor opportunity
        {"personId": "p-1", "accountId": "o-1"},  # no role, attitude nor influence
    ],
    "interactions": [
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02T03:04:05Z", "partyIds": "p-1;p-2"},
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02", "partyIds": "p-1"},
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02T03:04:05+08:00", "partyIds": "p-1"},
        {"id": "i-1", "kind": "MEETING", "at": " 2024-01-02 03:04 ", "partyIds": " p-1 ; p-1 "},
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02T25:00", "partyIds": "p-1"},
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02T03:04:05", "partyIds": " "},
        {"id": "i-1", "kind": "MEETING", "at": "2024-01-02T03:04:05", "partyIds": ";"},
    ],
}


def _check(section_name: str, raw: Any) -> bool:
    """Compares both on one row; returns whether the fast path took it."""
    section = SECTION_BY_NAME[section_name]
    row, problems = _parse_row(section, "f", 1, raw)
    fast = _fast_parser(section)(raw) if isinstance(raw, dict) else None
    if problems:
        assert fast is None, (section_name, raw, [p.line() for p in problems])
        return False
    if fast is None:
        return False
    assert fast == row.values, (section_name, raw)
    return True


def test_edge_rows_agree() -> None:
    taken = 0
    for section_name, rows in _EDGE_ROWS.items():
        for raw in rows:
            taken += _check(section_name, dict(raw))
    # Some of them are plainly good (trimmed text, turned pairs, numbers as text).
    assert taken >= 10


def test_generated_and_demo_rows_agree(tmp_path: Path) -> None:
    write_dataset(tmp_path / "csv", 2000, 5, csv_folder=True)
    write_dataset(tmp_path / "doc.json", 300, 7)
    total = taken = 0
    for path in (tmp_path / "csv", tmp_path / "doc.json", DEMO):
        sources, _ = read_sources(path)
        for section_name, _file, rows in sources:
            for _number, raw in rows:
                total += 1
                taken += _check(section_name, raw)
    # Every section has rows, and nearly every row of a generated document is taken.
    generated = {name for name, _f, _r in read_sources(tmp_path / "csv")[0]}
    assert {s.name for s in SECTIONS} <= generated
    assert total > 10_000 and taken > 0.95 * total, (taken, total)


def test_demo_json_rows_agree_whatever_their_types() -> None:
    # The demo's rows with each value turned into text, as a CSV file gives them.
    doc = orjson.loads(DEMO.read_bytes())
    for section in SECTIONS:
        for raw in doc.get(section.name, []):
            text = {
                k: ";".join(map(str, v))
                if isinstance(v, list)
                else str(v).lower()
                if isinstance(v, bool)
                else str(v)
                for k, v in raw.items()
            }
            _check(section.name, text)


def _dict_reader_rows(file: Path) -> list[Any]:
    """The rows as the reader read them before (csv.DictReader), empty cells left out, and
    the line it named when a record could not be read."""
    text = file.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    out: list[Any] = []
    try:
        for row in reader:
            cells = {k: v for k, v in row.items() if k is not None and v != ""}
            out.append((reader.line_num, cells))
    except csv.Error:
        out.append(f"line {reader.line_num + 1}:")
    return out


def _rows(file: Path) -> list[Any]:
    out: list[Any] = []
    try:
        out.extend(_csv_rows(file))
    except FormatError as exc:
        out.append(str(exc).split(" ", 1)[1].split(" not valid", 1)[0])
    return out


def test_csv_rows_are_dict_readers(tmp_path: Path) -> None:
    # Blank lines, short and long rows, a quoted line break, CRLF, a repeated column (its
    # last cell counts, even when empty), an empty file, a header alone; records that
    # cannot be read (a quote left open, text after a closing quote), after blank lines too.
    cases = [
        "a,b,c\n1,2,3\n",
        "a,b,c\n\n\n1,,3\n\n4\n1,2,3,4,5\n",
        "a,a,b\n1,,2\n,1,\n",
        "",
        "a,b\n",
        "\n1,2\n",
        'a,b\r\n1,2\r\n\r\n3,"x\ny"\r\n',
        "a,b\n,\n",
        'id,name\np1,Ann\np2,"Bob\np3,Cy\n',
        'id,name\np1,"Ann"x\np2,Bob\n',
        'id,"na\nme"\n\n\np1,"x"y\n',
        'a,b\n1,2\n\n\n1,"x"y\n',
    ]
    rnd = random.Random(1)
    for _ in range(200):
        lines = ["h1,h2,h1" if rnd.random() < 0.2 else "h1,h2,h3"]
        for _ in range(rnd.randint(0, 6)):
            kinds = ["", "x", '"q\nq"', "y", '"bad"x', '"open']
            cells = [rnd.choice(kinds) for _ in range(rnd.randint(0, 5))]
            lines.append(",".join(cells))
        cases.append("\n".join(lines) + rnd.choice(["", "\n", "\n\n"]))
    for i, text in enumerate(cases):
        file = tmp_path / f"{i}.csv"
        file.write_text(text)
        assert _rows(file) == _dict_reader_rows(file), text

"""Reads and writes import documents: one JSON file with a section per kind, or CSV files."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from graph_api.bulk.spec import FORMAT_NAME, FORMAT_VERSION, SECTION_BY_NAME
from graph_api.bulk.validate import Problem

Source = tuple[str, str, list[tuple[int, Mapping[str, Any]]]]

_META_KEYS = {"format", "version", "meta"}


class FormatError(Exception):
    """The document as a whole cannot be read; the message names the file and why."""


def read_sources(path: Path) -> tuple[list[Source], list[Problem]]:
    """The rows of each section, with where they came from, and document-level problems."""
    if path.is_dir():
        return _read_csv_dir(path)
    if not path.exists():
        raise FormatError(f"{path}: no such file or folder")
    return _read_json(path)


def _read_json(path: Path) -> tuple[list[Source], list[Problem]]:
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FormatError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise FormatError(f"{path}: the document must be a JSON object with one key per section")
    problems: list[Problem] = []
    fmt = doc.get("format")
    if fmt is not None and fmt != FORMAT_NAME:
        problems.append(
            Problem(path.name, 0, "format", "format", fmt, "BAD_FORMAT", f"expected {FORMAT_NAME}")
        )
    version = doc.get("version")
    if version is not None and version != FORMAT_VERSION:
        problems.append(
            Problem(
                path.name,
                0,
                "format",
                "version",
                version,
                "BAD_FORMAT",
                f"this service reads version {FORMAT_VERSION}",
            )
        )
    sources: list[Source] = []
    for key, rows in doc.items():
        if key in _META_KEYS:
            continue
        if key not in SECTION_BY_NAME:
            problems.append(
                Problem(
                    path.name,
                    0,
                    str(key),
                    None,
                    None,
                    "UNKNOWN_SECTION",
                    f"no section {key!r}; known: {', '.join(SECTION_BY_NAME)}",
                )
            )
            continue
        if not isinstance(rows, list):
            problems.append(
                Problem(path.name, 0, key, None, None, "BAD_SECTION", "a section must be a list")
            )
            continue
        sources.append((key, path.name, [(i + 1, r) for i, r in enumerate(rows)]))
    return sources, problems


def _read_csv_dir(path: Path) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    for file in sorted(path.glob("*.csv")):
        section = file.stem
        if section not in SECTION_BY_NAME:
            problems.append(
                Problem(
                    file.name,
                    0,
                    section,
                    None,
                    None,
                    "UNKNOWN_SECTION",
                    f"no section {section!r}; known: {', '.join(SECTION_BY_NAME)}",
                )
            )
            continue
        sources.append((section, file.name, list(_csv_rows(file))))
    if not sources and not problems:
        raise FormatError(f"{path}: no <section>.csv files in this folder")
    return sources, problems


def _csv_rows(file: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"{file.name}: line {line}: not UTF-8 text ({exc.reason})") from exc
    del data
    # strict: a quote left open is an error, not a value running on to the end of the file
    # (or to the next quote) with the rows between swallowed into it.
    # The rows as csv.DictReader gives them (a short row's missing cells None, a long row's
    # extra cells dropped; blank lines skipped), without empty cells; built here from the
    # plain reader's lists, which is a third of DictReader's time at a million rows.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    done = 0
    try:
        header = next(reader, None)
        if header is None:
            return
        width = len(header)
        # A repeated column: the last cell of the name counts, even when empty.
        unique = len(set(header)) == width
        # Where a record that cannot be read is said to start, as before: after the last
        # complete record, or after the first blank line that followed it (DictReader's
        # line_num).
        done = reader.line_num
        after_record = True
        for row in reader:
            if not row:
                if after_record:
                    done, after_record = reader.line_num, False
                continue
            # Line numbers as an editor shows them (the header is line 1).
            line = done = reader.line_num
            after_record = True
            if unique and len(row) == width:
                yield line, {k: v for k, v in zip(header, row, strict=True) if v}
                continue
            cells: dict[str, str | None] = dict(zip(header, row, strict=False))
            for key in header[len(row) :]:
                cells[key] = None
            yield line, {k: v for k, v in cells.items() if v != ""}
    except csv.Error as exc:
        # line_num is the last line of the last complete record: the bad one starts next.
        raise FormatError(
            f"{file.name}: line {done + 1}: not valid CSV ({exc}); is a quoted value left unclosed?"
        ) from exc


# ----- writing --------------------------------------------------------------------------

OutputFormat = Literal["json", "csv"]


def output_format(path: Path, csv_folder: bool | None = None) -> OutputFormat:
    """A PATH ending in .json is a JSON document, anything else a folder of CSV files."""
    if csv_folder is not None:
        return "csv" if csv_folder else "json"
    return "json" if path.suffix.lower() == ".json" else "csv"


def csv_cell(value: Any) -> str:
    """A value as the CSV reader reads it back: lists ';'-separated, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


class DocumentWriter:
    """Writes an import document section by section, rows in the order they are added.

    Rows of each section go to a spool file first, so sections may be filled in any order
    and memory stays flat; `close` assembles the document (every section, in spec order)
    and moves it into place, so a reader never sees half a file.
    """

    def __init__(self, path: Path, meta: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self.meta = dict(meta or {})
        path.parent.mkdir(parents=True, exist_ok=True)
        self._spool = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
        self._files: dict[str, IO[bytes]] = {}
        self._rows: dict[str, int] = dict.fromkeys(SECTION_BY_NAME, 0)

    def add(self, section: str, row: Mapping[str, Any]) -> None:
        fh = self._files.get(section)
        if fh is None:
            fh = self._files[section] = (self._spool / f"{section}.part").open("wb")
        # The separator goes before every row but the first: assembling is then a plain copy.
        fh.write((b",\n" if self._rows[section] else b"\n") + orjson.dumps(row))
        self._rows[section] += 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("wb") as out:
            head: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
            if self.meta:
                head["meta"] = self.meta
            out.write(orjson.dumps(head, option=orjson.OPT_INDENT_2)[:-2])
            for section in SECTION_BY_NAME:
                out.write(b",\n  " + orjson.dumps(section) + b": [")
                if self._rows[section]:
                    with (self._spool / f"{section}.part").open("rb") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
                    out.write(b"\n  ")
                out.write(b"]")
            out.write(b"\n}\n")
        os.replace(tmp, self.path)
        shutil.rmtree(self._spool, ignore_errors=True)

    def abort(self) -> None:
        for fh in self._files.values():
            fh.close()
        shutil.rmtree(self._spool, ignore_errors=True)


class CsvFolderWriter:
    """Writes one <section>.csv per section (every section, with its header), rows as added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self._columns: dict[str, list[str]] = {}
        for name, section in SECTION_BY_NAME.items():
            fh = (path / f"{name}.csv.tmp").open("w", encoding="utf-8", newline="")
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(section.columns)
            self._files[name], self._writers[name] = fh, writer
            self._columns[name] = section.columns

    def add(self, section: str, row: Mapping[str, Any]) -> None:
        self._writers[section].writerow([csv_cell(row.get(c)) for c in self._columns[section]])

    def close(self) -> None:
        for name, fh in self._files.items():
            fh.close()
            os.replace(self.path / f"{name}.csv.tmp", self.path / f"{name}.csv")

    def abort(self) -> None:
        for name, fh in self._files.items():
            fh.close()
            (self.path / f"{name}.csv.tmp").unlink(missing_ok=True)


def open_writer(
    path: Path, fmt: OutputFormat, meta: Mapping[str, Any] | None = None
) -> DocumentWriter | CsvFolderWriter:
    return DocumentWriter(path, meta) if fmt == "json" else CsvFolderWriter(path)

"""Reads import documents: one JSON file with a section per kind, or a folder of CSV files."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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
    with file.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            # Line numbers as an editor shows them (the header is line 1).
            yield reader.line_num, {k: v for k, v in row.items() if k is not None and v != ""}

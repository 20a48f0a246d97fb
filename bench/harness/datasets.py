"""Generated data sets of the benchmark, cached under bench/data/ by size, seed and generator.

`ensure_dataset` runs `graph-api generate` (a folder of CSV files) and writes the key account
beside it. A data set is reused while its key (size, seed, generator version) is unchanged;
the generator version is a hash of the generator's source and of the import format, so a
changed generator regenerates (and the databases holding the old data are reloaded).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.harness import account
from bench.harness.config import DATA_DIR, ROOT, VENV_BIN, size_label

# The generator's package (every step) and the format it writes.
GENERATOR_SOURCES = (
    *sorted((ROOT / "graph_api" / "generate").glob("*.py")),
    ROOT / "graph_api" / "bulk" / "spec.py",
)
COMMAND = "graph-api generate"
META = "dataset.json"


@dataclass(frozen=True)
class Dataset:
    parties: int
    seed: int
    generator: str  # the command that wrote it
    generator_version: str
    path: Path  # what `graph-api import` loads: a document or a folder of CSV files
    account_path: Path  # the 2,000-person key account (bench/harness/account.py)
    generate_seconds: float

    @property
    def key(self) -> str:
        return f"{size_label(self.parties)}-s{self.seed}-{self.generator_version}"

    @property
    def label(self) -> str:
        return size_label(self.parties)


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def generator_version() -> tuple[str, str]:
    """(command, version) of the generator: a hash of its sources, and the account's version."""
    return COMMAND, f"g{_digest(*GENERATOR_SOURCES)}-a{account.VERSION}"


def ensure_dataset(parties: int, seed: int, log: Any = print) -> Dataset:
    command, version = generator_version()
    folder = DATA_DIR / f"{size_label(parties)}-s{seed}-{version}"
    meta_file = folder / META
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        log(f"data set {folder.name}: cached ({meta['generate_seconds']:.0f} s to generate)")
        return Dataset(
            parties,
            seed,
            command,
            version,
            folder / meta["path"],
            folder / "account.json",
            meta["generate_seconds"],
        )
    folder.mkdir(parents=True, exist_ok=True)
    log(f"data set {folder.name}: generating {parties:,} parties with {command} ...")
    t0 = time.perf_counter()
    target = folder / "data"
    subprocess.run(
        [
            str(VENV_BIN / "graph-api"),
            "generate",
            "--parties",
            str(parties),
            "--seed",
            str(seed),
            "--csv",
            str(target),
        ],
        check=True,
        stdout=sys.stderr,
    )
    seconds = time.perf_counter() - t0
    (folder / "account.json").write_bytes(orjson.dumps(account.account_document()))
    meta_file.write_text(
        json.dumps(
            {
                "parties": parties,
                "seed": seed,
                "generator": command,
                "generator_version": version,
                "path": target.name,
                "generate_seconds": seconds,
                "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
            indent=2,
        )
    )
    log(f"data set {folder.name}: generated in {seconds:.1f} s")
    return Dataset(parties, seed, command, version, target, folder / "account.json", seconds)

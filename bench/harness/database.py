"""One local Neo4j per data-set size under .state/bench/, loaded with `graph-api import`.

A loaded database is reused while its content fingerprint (node counts per label and
relationship counts per type) and the data set's key match what was recorded when it was
loaded; otherwise its folder is deleted and the data set imported into an empty database,
which is also how the import rate is measured.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

from bench.harness.config import STATE_DIR, VENV_BIN, BenchConfig
from bench.harness.datasets import Dataset
from bench.harness.processes import run_with_cpu
from graph_api.store.cypher import _parse
from graph_api.store.local_neo4j import LocalNeo4j

QUERIES = _parse(Path(__file__).with_name("bench.cypher"))
LOAD_RECORD = "bench-load.json"
_IMPORTED = re.compile(
    r"imported (?P<rows>\d+) rows from .* in (?P<seconds>[\d.]+)s "
    r"\(validation (?P<validation>[\d.]+)s; [\d,]+ rows/s\): (?P<nodes>\d+) nodes and "
    r"(?P<rels>\d+) relationships created"
)
# `graph-api import --initial` (the bulk importer into an empty local database).
_IMPORTED_INITIAL = re.compile(
    r"imported (?P<rows>\d+) rows from .* in (?P<seconds>[\d.]+)s "
    r"\(validation (?P<validation>[\d.]+)s, files (?P<files>[\d.]+)s, neo4j-admin import "
    r"(?P<tool>[\d.]+)s, start (?P<start>[\d.]+)s, indexes (?P<indexes>[\d.]+)s\): "
    r"(?P<nodes>\d+) nodes and (?P<rels>\d+) relationships created"
)


def q(name: str) -> str:
    return QUERIES[f"bench.{name}"]


@dataclass
class ImportResult:
    path: str
    rows: int
    seconds: float  # as `graph-api import` reports it (validation included)
    validation_seconds: float
    wall_seconds: float  # the whole command: start, validation, writes, statistics refresh
    nodes: int
    relationships: int
    importer_cpu_seconds: float
    loadavg_before: list[float]
    # "transactional" (`graph-api import` into the running Neo4j) or "initial" (`graph-api
    # import --initial`: neo4j-admin's bulk importer into the empty database), with the
    # initial load's steps in seconds (validation, files, neo4j-admin, start, indexes).
    method: str = "transactional"
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class LoadedDatabase:
    dataset: Dataset
    neo4j: LocalNeo4j
    uri: str
    reused: bool
    fingerprint: dict[str, int]
    imports: list[ImportResult] = field(default_factory=list)
    loaded_at: str = ""

    def driver(self) -> Driver:
        return GraphDatabase.driver(self.uri, auth=("neo4j", ""))


def fingerprint(driver: Driver) -> dict[str, int]:
    data = driver.execute_query(q("graph_counts")).records[0]["data"]
    out: dict[str, int] = {}
    for row in data["nodes"]:
        out[f"node:{row.get('label', '*')}"] = int(row["count"])
    for row in data["relationships"]:
        if "startLabel" in row or "endLabel" in row:
            continue
        out[f"rel:{row.get('relationshipType', '*')}"] = int(row["count"])
    return dict(sorted(out.items()))


def _run_import(uri: str, path: Path, log: Any) -> ImportResult:
    loadavg = list(os.getloadavg())
    env = {
        **os.environ,
        "NEO4J_URI": uri,
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": "",
    }
    log(f"  graph-api import {path.name} ...")
    t0 = time.perf_counter()
    done, cpu = run_with_cpu([str(VENV_BIN / "graph-api"), "import", str(path)], env=env)
    wall = time.perf_counter() - t0
    err = done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"graph-api import {path} failed ({done.returncode}):\n{err[-3000:]}")
    match = _IMPORTED.search(err)
    if not match:
        raise RuntimeError(
            f"graph-api import {path}: no summary line in its output:\n{err[-2000:]}"
        )
    result = ImportResult(
        path=str(path),
        rows=int(match["rows"]),
        seconds=float(match["seconds"]),
        validation_seconds=float(match["validation"]),
        wall_seconds=wall,
        nodes=int(match["nodes"]),
        relationships=int(match["rels"]),
        importer_cpu_seconds=cpu,
        loadavg_before=loadavg,
    )
    log(
        f"  imported {result.rows:,} rows in {result.seconds:.1f} s "
        f"({result.rows_per_s:,.0f} rows/s; command {wall:.1f} s)"
    )
    return result


def _run_initial_import(state_dir: Path, path: Path, config: BenchConfig, log: Any) -> ImportResult:
    """`graph-api import --initial`: the data set into the empty local Neo4j of `state_dir`
    (its `neo4j` folder) with the bulk importer, as a first load in production; the command
    starts and stops that Neo4j itself (for the indexes), with the run's memory settings."""
    loadavg = list(os.getloadavg())
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env.update(
        {
            "GRAPH_API_STATE_DIR": str(state_dir),
            "GRAPH_API_LOCAL_NEO4J_HEAP": config.neo4j_heap,
            "GRAPH_API_LOCAL_NEO4J_PAGE_CACHE": config.neo4j_page_cache,
            "GRAPH_API_LOCAL_NEO4J_START_TIMEOUT_S": "600",
        }
    )
    log(f"  graph-api import --initial {path.name} ...")
    t0 = time.perf_counter()
    done, cpu = run_with_cpu(
        [str(VENV_BIN / "graph-api"), "import", "--initial", str(path)], env=env
    )
    wall = time.perf_counter() - t0
    err = done.stderr
    if done.returncode != 0:
        raise RuntimeError(
            f"graph-api import --initial {path} failed ({done.returncode}):\n{err[-3000:]}"
        )
    match = _IMPORTED_INITIAL.search(err)
    if not match:
        raise RuntimeError(
            f"graph-api import --initial {path}: no summary line in its output:\n{err[-2000:]}"
        )
    steps = {k: float(match[k]) for k in ("validation", "files", "tool", "start", "indexes")}
    result = ImportResult(
        path=str(path),
        rows=int(match["rows"]),
        seconds=float(match["seconds"]),
        validation_seconds=float(match["validation"]),
        wall_seconds=wall,
        nodes=int(match["nodes"]),
        relationships=int(match["rels"]),
        importer_cpu_seconds=cpu,
        loadavg_before=loadavg,
        method="initial",
        steps={"neo4j-admin" if k == "tool" else k: v for k, v in steps.items()},
    )
    log(
        f"  imported {result.rows:,} rows in {result.seconds:.1f} s "
        f"({result.rows_per_s:,.0f} rows/s; command {wall:.1f} s; steps {result.steps})"
    )
    return result


def open_database(dataset: Dataset, config: BenchConfig, log: Any = print) -> LoadedDatabase:
    """The size's Neo4j, started, holding exactly `dataset` (imported now if it did not)."""
    folder = STATE_DIR / f"neo4j-{dataset.label}"
    record_file = folder / LOAD_RECORD
    record: dict[str, Any] | None = None
    if record_file.exists() and not config.reimport:
        record = json.loads(record_file.read_text())
        if record.get("dataset_key") != dataset.key:
            log(f"database {folder.name}: holds {record.get('dataset_key')}, not {dataset.key}")
            record = None
    if record is not None and not (folder / "neo4j").is_dir():
        log(f"database {folder.name}: no database folder (an older layout); reloading")
        record = None
    if record is None and folder.exists():
        shutil.rmtree(folder)
    initial: ImportResult | None = None
    if record is None and config.import_method == "initial":
        # A first load, as production does it: the bulk importer into the empty database.
        folder.mkdir(parents=True, exist_ok=True)
        initial = _run_initial_import(folder, dataset.path, config, log)
    local = LocalNeo4j(
        data_dir=folder / "neo4j",
        heap=config.neo4j_heap,
        page_cache=config.neo4j_page_cache,
        start_timeout_s=600,
    )
    log(
        f"database {folder.name}: starting Neo4j (heap {config.neo4j_heap}, "
        f"page cache {config.neo4j_page_cache}) ..."
    )
    uri = local.start()
    try:
        driver = GraphDatabase.driver(uri, auth=("neo4j", ""))
        try:
            if record is not None:
                now = fingerprint(driver)
                if now == record["fingerprint"]:
                    log(f"database {folder.name}: reused (fingerprint matches {dataset.key})")
                    return LoadedDatabase(
                        dataset,
                        local,
                        uri,
                        True,
                        now,
                        [ImportResult(**i) for i in record["imports"]],
                        record["loaded_at"],
                    )
                log(f"database {folder.name}: content changed since it was loaded; reloading")
                driver.close()
                local.stop()
                shutil.rmtree(folder)
                return open_database(dataset, config, log)
            imports = [
                initial or _run_import(uri, dataset.path, log),
                # The key account is added to the loaded database (a transactional import).
                _run_import(uri, dataset.account_path, log),
            ]
            now = fingerprint(driver)
        finally:
            driver.close()
        loaded_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        record_file.write_text(
            json.dumps(
                {
                    "dataset_key": dataset.key,
                    "fingerprint": now,
                    "imports": [i.__dict__ for i in imports],
                    "loaded_at": loaded_at,
                },
                indent=2,
            )
        )
        return LoadedDatabase(dataset, local, uri, False, now, imports, loaded_at)
    except BaseException:
        local.stop()
        raise


def warm_up(db: LoadedDatabase, log: Any = print) -> float:
    """Brings the database into memory before the cells, so that the first cells after a start
    measure what the later ones do (at 1M the first view cells measured twice the median of
    the same requests minutes later): every store file read once (into the OS cache: Lucene's
    full-text files live there, not in Neo4j's page cache), then every node's and every
    relationship's properties and every range index scanned (into the page cache)."""
    t0 = time.perf_counter()
    read = _read_files(db.neo4j.data_dir / "data" / "databases")
    t1 = time.perf_counter()
    with db.driver() as driver:
        driver.execute_query(q("warm_nodes"))
        driver.execute_query(q("warm_relationships"))
        indexes = driver.execute_query(q("range_indexes")).records
        for row in indexes:
            label, prop = _quoted(row["label"]), _quoted(row["property"])
            driver.execute_query(
                f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL RETURN count(*) AS n"
            )
    seconds = time.perf_counter() - t0
    log(
        f"database {db.dataset.label}: warmed in {seconds:.1f} s (store files "
        f"{read / 2**20:,.0f} MiB read in {t1 - t0:.1f} s; then every node's and relationship's "
        f"properties and {len(indexes)} range indexes)"
    )
    return seconds


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _read_files(folder: Path) -> int:
    """Reads every file under `folder` once; returns the bytes read."""
    total = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            with path.open("rb", buffering=0) as f:
                while chunk := f.read(1 << 22):
                    total += len(chunk)
        except OSError:  # a lock file or one Neo4j rotates meanwhile
            continue
    return total

"""The benchmark's knobs, read from the environment (BENCH_*), with the defaults of `make bench`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = ROOT / "bench"
DATA_DIR = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"
STATE_DIR = ROOT / ".state" / "bench"
PEER_DIR = BENCH_DIR / "peer"
VENV_BIN = ROOT / ".venv" / "bin"

_UNITS = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    t = text.strip().lower()
    if not t:
        raise ValueError("empty data-set size")
    factor = _UNITS.get(t[-1], 1)
    number = t[:-1] if t[-1] in _UNITS else t
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise ValueError(f"BENCH_SIZES: {text!r} is not a size like 10k, 100k or 1m") from None
    if value < 1000:
        raise ValueError(f"BENCH_SIZES: {text!r} is below 1000 parties")
    return value


def size_label(parties: int) -> str:
    if parties % 1_000_000 == 0:
        return f"{parties // 1_000_000}M"
    if parties % 1_000 == 0:
        return f"{parties // 1_000}k"
    return str(parties)


def _ints(text: str, name: str) -> tuple[int, ...]:
    try:
        values = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a comma-separated list of numbers") from None
    if not values or any(v < 1 for v in values):
        raise ValueError(f"{name}: {text!r} needs numbers of at least 1")
    return values


IMPORT_METHODS = ("initial", "transactional")


def _choice(text: str, name: str, allowed: tuple[str, ...]) -> str:
    value = text.strip().lower()
    if value not in allowed:
        raise ValueError(f"{name}: {text!r} is not one of {', '.join(allowed)}")
    return value


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class BenchConfig:
    sizes: tuple[int, ...]
    duration_s: float  # measured seconds per cell (operation x size x connections)
    warmup_s: float  # unmeasured seconds before each cell
    connections: tuple[int, ...]  # concurrent HTTP connections, one cell each
    seed: int
    peer: bool
    reimport: bool
    merge: bool  # keep the previous results of the sizes not measured in this run
    operations: tuple[str, ...] | None  # None: all
    neo4j_heap: str
    neo4j_page_cache: str
    workers: int  # the service's worker processes (`serve --workers`)
    import_method: str  # "initial" (`import --initial`) or "transactional"

    @classmethod
    def from_env(cls) -> BenchConfig:
        env = os.environ.get
        sizes = tuple(parse_size(s) for s in env("BENCH_SIZES", "10k,100k,1m").split(","))
        ops = env("BENCH_OPERATIONS", "").strip()
        duration = float(env("BENCH_DURATION", "10"))
        warmup = float(env("BENCH_WARMUP", "2"))
        if duration <= 0 or warmup < 0:
            raise ValueError("BENCH_DURATION must be > 0 and BENCH_WARMUP >= 0 (seconds)")
        return cls(
            sizes=tuple(sorted(set(sizes))),
            duration_s=duration,
            warmup_s=warmup,
            connections=_ints(env("BENCH_CONNECTIONS", "1,8"), "BENCH_CONNECTIONS"),
            seed=int(env("BENCH_SEED", "42")),
            peer=env("BENCH_PEER", "1").strip() not in {"0", "false", "no", "off"},
            reimport=_flag("BENCH_REIMPORT"),
            merge=_flag("BENCH_MERGE"),
            operations=tuple(o.strip() for o in ops.split(",") if o.strip()) or None,
            neo4j_heap=env("BENCH_NEO4J_HEAP", "2g"),
            neo4j_page_cache=env("BENCH_NEO4J_PAGE_CACHE", "4g"),
            # As `graph-api serve` in production: one worker per core.
            workers=_ints(env("BENCH_WORKERS", str(os.cpu_count() or 1)), "BENCH_WORKERS")[0],
            import_method=_choice(env("BENCH_IMPORT", "initial"), "BENCH_IMPORT", IMPORT_METHODS),
        )

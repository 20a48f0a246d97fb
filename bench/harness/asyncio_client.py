"""The alternative load generator, measured once per run to justify wrk: an asyncio httpx
client with N connections, reporting the CPU it needs per request.

    .venv/bin/python -m bench.harness.asyncio_client URL BODIES_FILE CONNECTIONS SECONDS

Prints one line `ASYNCIO_RESULT {"requests": n, "cpu_s": s, "seconds": t}`; the client's
setup (imports, connection pool) is not counted.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx


async def drive(url: str, bodies: list[bytes], connections: int, seconds: float) -> None:
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        await client.post(url, content=bodies[0], headers=headers)
        requests = 0
        t0, cpu0 = time.perf_counter(), time.process_time()
        stop = t0 + seconds

        async def connection(offset: int) -> None:
            nonlocal requests
            i = offset
            while time.perf_counter() < stop:
                response = await client.post(url, content=bodies[i % len(bodies)], headers=headers)
                response.json()
                requests += 1
                i += 1

        await asyncio.gather(*(connection(k) for k in range(connections)))
        result = {
            "requests": requests,
            "cpu_s": time.process_time() - cpu0,
            "seconds": time.perf_counter() - t0,
        }
    print("ASYNCIO_RESULT " + json.dumps(result), flush=True)


def main() -> int:
    url, bodies_file, connections, seconds = sys.argv[1:5]
    bodies = [b for b in Path(bodies_file).read_bytes().splitlines() if b]
    asyncio.run(drive(url, bodies, int(connections), float(seconds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

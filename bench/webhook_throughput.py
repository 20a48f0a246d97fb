"""Webhook delivery throughput: changes delivered per second to a receiver on loopback.

    .venv/bin/python bench/webhook_throughput.py [--changes 500] [--webhooks 1] [--workers 1]

Starts a throwaway local Neo4j (the project's launcher, in a temporary folder; never a
configured database: it writes), registers the webhooks, imports `--changes` people (one
change each in the feed), then lets `--workers` delivery workers (distinct owners, one
process) deliver until every webhook received every change, and prints the rate. The
receiver answers 200 at once (http.server in a thread), so the figure is the service's
side: one POST, the outcome's write and the feed reads per change.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson

from graph_api.bulk.load import import_path
from graph_api.config import Settings
from graph_api.domain.access import DEVELOPMENT_VIEWER
from graph_api.services.webhooks import DeliveryWorker, WebhookAdmin
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()


def receiver(counter: Counter) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            with counter.lock:
                counter.count += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def measure(args: argparse.Namespace, uri: str, folder: Path) -> None:
    settings = Settings(NEO4J_URI=uri, webhook_poll_s=0.05)
    store = Store.connect(uri, "neo4j", "", "neo4j")
    await store.migrate()
    counter = Counter()
    server = receiver(counter)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    admin = WebhookAdmin(store, DEVELOPMENT_VIEWER, settings)
    for _ in range(args.webhooks):
        await admin.create(url, ["people"], None, None, "bench")
    doc = {
        "format": "relgraph-import",
        "version": 1,
        "people": [{"id": f"p-{i}", "name": f"Person {i}"} for i in range(args.changes)],
    }
    path = folder / "people.json"
    path.write_bytes(orjson.dumps(doc))
    await import_path(store, path)
    workers = [DeliveryWorker(store, settings, f"bench-{i}") for i in range(args.workers)]
    expected = args.changes * args.webhooks
    started = time.perf_counter()

    async def loop(worker: DeliveryWorker) -> None:
        while counter.count < expected:
            if not await worker.tick():
                await asyncio.sleep(settings.webhook_poll_s)

    await asyncio.gather(*(loop(w) for w in workers))
    elapsed = time.perf_counter() - started
    for w in workers:
        await w.close()
    server.shutdown()
    await store.close()
    print(
        f"{expected} deliveries ({args.webhooks} webhook(s) x {args.changes} changes, "
        f"{args.workers} worker(s)) in {elapsed:.2f} s: {expected / elapsed:.0f} per second, "
        f"{elapsed / expected * 1000:.2f} ms each (received {counter.count})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--webhooks", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        local = LocalNeo4j(data_dir=Path(tmp) / "neo4j", heap="1g", page_cache="256m")
        local.start()
        try:
            asyncio.run(measure(args, local.uri or "", Path(tmp)))
        finally:
            local.stop()


if __name__ == "__main__":
    main()

"""detente API benchmark: dashboard latency with many requests in flight.

    make bench-api                 # or: .venv/bin/python bench/api_bench.py [--articles 2000] [--in-flight 50]

1. a store of the benchmark corpus (bench.py's deterministic articles; built once under bench/out/);
2. `detente serve` on it, in its own process, as a user runs it;
3. dashboard traffic — the dyad list, timelines at each period length, evidence for a period, the
   map's events, alerts, the actor graph, intake health — over the 20 most active dyads, sent by
   `--in-flight` clients at once on keep-alive connections (a small asyncio HTTP/1.1 client, so
   the load generator costs the server's two cores little);
4. latency percentiles per endpoint and overall, for a cold server (every distinct request new
   to it: what the first visitor after a change of the store sees) and a warm one.

Profiled before optimising (2,000 articles, one request at a time): each read opened the file
(13 ms), the dyad view joined the actors three times (64 ms per dyad query), and /api/alerts
aggregated ten dyads (630 ms); JSON encoding of a 500-event page took 15 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
SEED = 7
TOP_DYADS = 20
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DETENTE_CACHE": os.environ.get("DETENTE_CACHE", str(ROOT / ".cache" / "detente"))}


def build_store(articles: int) -> Path:
    from bench import make_corpus

    db = OUT / f"api-{articles}.duckdb"
    if db.exists():
        return db
    corpus = OUT / f"corpus-{articles}"
    make_corpus(articles, corpus)
    partial = db.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "detente.cli", "ingest", str(corpus), "--db", str(partial), "--quiet"],
                   env=ENV, check=True)
    partial.rename(db)
    return db


def dashboard_requests(db: Path, rng: random.Random) -> list[str]:
    """Every distinct request the dashboard makes for the top dyads, in a shuffled order."""
    from detente import analysis
    from detente.store import open_store

    urls = ["/api/dyads?limit=50", "/api/alerts", "/api/graph", "/api/intake"]
    with open_store(db, read_only=True) as store:
        dyads = [(d["a"], d["b"]) for d in store.dyad_counts(limit=TOP_DYADS)]
        for a, b in dyads:
            months = sorted({analysis.period_start(r["event_date"], "month") for r in store.dyad_event_rows(a, b)
                             if r["event_date"]})
            for freq in ("month", "week", "year"):
                urls.append("/api/timeline?" + urlencode({"a": a, "b": b, "freq": freq, "all": "false"}))
            urls.append("/api/events?" + urlencode({"a": a, "b": b, "freq": "month", "all": "false", "limit": 500}))
            urls.append("/api/alerts?" + urlencode({"a": a, "b": b}))
            for month in rng.sample(months, min(5, len(months))):
                urls.append("/api/events?" + urlencode({"a": a, "b": b, "period": month.isoformat(), "freq": "month"}))
    rng.shuffle(urls)
    return urls


async def get(reader, writer, url: str) -> int:
    writer.write(f"GET {url} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)
    return status


async def load(port: int, urls: list[str], in_flight: int) -> list[tuple[str, float]]:
    """Send `urls` from `in_flight` clients at once; (endpoint, seconds) per request."""
    queue = list(reversed(urls))
    timings: list[tuple[str, float]] = []

    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while queue:
            url = queue.pop()
            start = time.perf_counter()
            status = await get(reader, writer, url)
            timings.append((url.split("?")[0], time.perf_counter() - start))
            if status >= 500:
                raise SystemExit(f"{url}: HTTP {status}")
        writer.close()

    await asyncio.gather(*(client() for _ in range(in_flight)))
    return timings


def report(title: str, timings: list[tuple[str, float]], seconds: float) -> None:
    def pct(values, q):
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000

    print(f"\n{title}: {len(timings)} requests in {seconds:.1f} s ({len(timings) / seconds:.0f}/s)")
    print(f"  {'endpoint':<16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    groups = {"all": [t for _, t in timings]}
    for endpoint, t in timings:
        groups.setdefault(endpoint, []).append(t)
    for endpoint, values in groups.items():
        print(f"  {endpoint:<16} {len(values):>6} {pct(values, 50):8.1f} {pct(values, 95):8.1f} {pct(values, 99):8.1f} "
              f"{max(values) * 1000:8.1f}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--warm-rounds", type=int, default=10, help="passes over the distinct requests when warm")
    args = parser.parse_args()
    db = build_store(args.articles)
    rng = random.Random(SEED)
    urls = dashboard_requests(db, rng)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "detente.cli", "serve", "--db", str(db), "--port", str(port)],
                              env=ENV, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) and time.monotonic() < deadline:
            time.sleep(0.1)
        print(f"store: {db.relative_to(ROOT)} ({args.articles} articles); {len(urls)} distinct dashboard requests; "
              f"{args.in_flight} in flight; {os.cpu_count()} cores")
        for title, batch in (("cold (each request new to the server)", urls),
                             ("warm", [u for _ in range(args.warm_rounds) for u in rng.sample(urls, len(urls))])):
            start = time.perf_counter()
            timings = asyncio.run(load(port, batch, args.in_flight))
            report(title, timings, time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

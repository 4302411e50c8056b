"""HTTP service benchmarks: overhead of HTTP over in-process calls, and a bounded load test.

    python benchmarks/bench_api.py --store data/store [--clients 32] [--duration 60] [--output FILE]

1. Overhead: the same search and SPARQL queries run in-process (SearchEngine.search,
   pyoxigraph + the endpoint's serialiser) and through `kehoach serve` over loopback HTTP,
   one at a time; reports median and p90 latency of each and the difference.
2. Load: CLIENTS concurrent clients on 127.0.0.1 for DURATION seconds (then it stops by
   itself; at most MAX_REQUESTS requests), alternating /api/search and /sparql; reports
   throughput, p50/p99 latency and errors by status.

The server is a real `kehoach serve` process on a random loopback port with the rate limit
off (--rate 0): the load test measures the service, not the limiter. Without --store, the
bundled corpus is ingested into a temporary store first (minutes: it embeds every passage).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SEARCH_QUERIES = [
    "thư viện cấp huyện kết nối internet",
    "chỉ tiêu bảo tàng năm 2025",
    "trách nhiệm của Sở Văn hóa",
    "chuyen doi so thu vien",
    "nguồn kinh phí thực hiện kế hoạch",
    "ngày sách và văn hóa đọc Việt Nam",
    "học tập suốt đời trong trung tâm văn hóa",
    "lifelong learning library targets",
]
SPARQL_QUERIES = [
    "SELECT ?plan ?province WHERE { ?plan a kh:Plan ; dct:spatial/skos:prefLabel ?province } ORDER BY ?plan",
    "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    "SELECT ?doc (COUNT(DISTINCT ?plan) AS ?plans) WHERE { ?plan a kh:Plan ; eli:cites/eli:id_local ?doc } GROUP BY ?doc ORDER BY DESC(?plans) LIMIT 20",
    "SELECT ?s ?text WHERE { ?s a kh:Passage ; schema:text ?text FILTER(CONTAINS(?text, \"thư viện\")) } LIMIT 50",
]
MAX_REQUESTS = 200_000


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p90_ms": round(percentile(values, 90) * 1000, 2),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: Path, port: int, timeout: float) -> subprocess.Popen:
    command = [sys.executable, "-c", "from kehoach.cli import main; main()", "serve", "--store", str(store),
               "--port", str(port), "--rate", "0", "--log-level", "warning", "--query-timeout", str(timeout)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).raise_for_status()
            # Wait for the search model too: the first search must not count its loading.
            httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "thư viện"}, timeout=120)
            return server
        except httpx.HTTPError:
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("server did not start in 120 s")


def overhead(store: Path, base: str, repeats: int) -> dict:
    """Sequential latency of each query in-process and over HTTP."""
    import pyoxigraph

    from kehoach.api.execute import QueryRequest, execute
    from kehoach.search.engine import SearchEngine

    engine = SearchEngine.open(store)
    graph = pyoxigraph.Store.read_only(str(store / "oxigraph"))
    results: dict = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        for label, run_local, run_http in (
            ("search", lambda q: engine.search(q, k=10), lambda q: http.get("/api/search", params={"q": q, "limit": 10})),
            (
                "sparql",
                lambda q: execute(graph, QueryRequest(query=q, accept="application/sparql-results+json")),
                lambda q: http.post("/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"}),
            ),
        ):
            queries = SEARCH_QUERIES if label == "search" else SPARQL_QUERIES
            local, remote = [], []
            for _ in range(repeats):
                for query in queries:
                    started = time.perf_counter()
                    run_local(query)
                    local.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    response = run_http(query)
                    remote.append(time.perf_counter() - started)
                    response.raise_for_status()
            in_process, over_http = summary_ms(local), summary_ms(remote)
            results[label] = {
                "in_process": in_process,
                "http": over_http,
                "overhead_median_ms": round(over_http["median_ms"] - in_process["median_ms"], 2),
            }
    engine.close()
    return results


async def load(base: str, clients: int, duration: float) -> dict:
    """`clients` loops sending requests until `duration` passes (bounded by MAX_REQUESTS)."""
    latencies: dict[str, list[float]] = {"search": [], "sparql": []}
    statuses: dict[str, int] = {}
    sent = 0
    stop_at = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal sent
        turn = number
        while time.monotonic() < stop_at and sent < MAX_REQUESTS:
            sent += 1
            turn += 1
            kind = "search" if turn % 2 else "sparql"
            started = time.perf_counter()
            try:
                if kind == "search":
                    response = await http.get("/api/search", params={"q": SEARCH_QUERIES[turn % len(SEARCH_QUERIES)], "limit": 10})
                else:
                    response = await http.post(
                        "/sparql", data={"query": SPARQL_QUERIES[turn % len(SPARQL_QUERIES)]},
                        headers={"Accept": "application/sparql-results+json"},
                    )
                key = str(response.status_code)
            except httpx.HTTPError as error:
                key = type(error).__name__
            statuses[key] = statuses.get(key, 0) + 1
            if key == "200":
                latencies[kind].append(time.perf_counter() - started)

    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    elapsed = time.monotonic() - started
    ok = sum(len(v) for v in latencies.values())
    everything = latencies["search"] + latencies["sparql"]
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "requests": sent,
        "ok": ok,
        "errors": {k: v for k, v in statuses.items() if k != "200"},
        "throughput_rps": round(ok / elapsed, 1),
        "latency_ms": {
            "all": {"p50": round(percentile(everything, 50) * 1000, 1), "p99": round(percentile(everything, 99) * 1000, 1)},
            **{
                kind: {"n": len(v), "p50": round(percentile(v, 50) * 1000, 1), "p99": round(percentile(v, 99) * 1000, 1)}
                for kind, v in latencies.items()
            },
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an ingested store directory (default: ingest the corpus into a temp dir)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (the test stops by itself)")
    parser.add_argument("--repeats", type=int, default=5, help="rounds of the overhead queries")
    parser.add_argument("--output", type=Path, help="also write the JSON report here")
    args = parser.parse_args()

    store = args.store
    if store is None:
        store = Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
        subprocess.run([sys.executable, "-c", "from kehoach.cli import main; main()", "ingest", "--store", str(store)], check=True)
    port = free_port()
    server = start_server(store, port, timeout=10)
    base = f"http://127.0.0.1:{port}"
    try:
        report = {
            "machine": {"cpus": os.cpu_count()},
            "overhead": overhead(store, base, args.repeats),
            "load": asyncio.run(load(base, args.clients, args.duration)),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

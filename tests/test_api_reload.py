"""`kehoach ingest` beside a running `kehoach serve`: the server sees the new plan without a restart.

A real uvicorn server over a real store on disk; the second plan is ingested by the CLI in
another process while the server holds the store open read-only.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from api_support import live_server, settings_for
from kehoach.graph.store import mark_changed, read_generation

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def ingest(store: Path, plan: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from kehoach.cli import main; main()", "ingest", str(CORPUS / f"{plan}.txt"),
         "--store", str(store), "--no-search", "--no-repair"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def graph_count(base: str) -> int:
    r = httpx.get(f"{base}/sparql", params={"query": GRAPHS}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def plan_ids(base: str) -> set[str]:
    r = httpx.get(f"{base}/api/plans", timeout=30)
    r.raise_for_status()
    return {p["id"] for p in r.json()["items"]}


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def test_generation_token_changes_on_every_write(tmp_path):
    assert read_generation(tmp_path) is None
    first = mark_changed(tmp_path)
    assert read_generation(tmp_path) == first
    assert mark_changed(tmp_path) != first
    assert not list(tmp_path.glob(".*tmp"))  # written atomically, nothing left behind


def test_server_sees_a_plan_ingested_while_it_runs(tmp_path):
    ingest(tmp_path, "khanh-hoa-2023-kh-svhtt")
    before = read_generation(tmp_path)
    assert before is not None  # every ingest records a change
    with live_server(settings_for(tmp_path)) as base:
        assert plan_ids(base) == {"khanh-hoa-2023-kh-svhtt"}
        assert graph_count(base) == 1
        ingest(tmp_path, "hung-yen-2023-kh-ubnd")  # the CLI writes while the server reads
        assert read_generation(tmp_path) != before
        # the JSON API and the SPARQL workers both reopen the store, no restart
        assert wait_for(lambda: plan_ids(base) == {"khanh-hoa-2023-kh-svhtt", "hung-yen-2023-kh-ubnd"})
        assert wait_for(lambda: graph_count(base) == 2)
        health = httpx.get(f"{base}/api/health", timeout=30).json()
        assert health["store_generation"] == read_generation(tmp_path)
        assert health["sparql"]["reloads"] >= 1
        # with nothing new, nothing is reopened again
        reloads = health["sparql"]["reloads"]
        time.sleep(1.2)
        assert graph_count(base) == 2
        assert httpx.get(f"{base}/api/health", timeout=30).json()["sparql"]["reloads"] == reloads

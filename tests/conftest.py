"""Shared fixtures: the bundled corpus and its extracted records (cached per session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PLAN_IDS = [
    "lao-cai-2023-251-kh-ubnd",
    "lai-chau-2015-1133-kh-ubnd",
    "hung-yen-2023-kh-ubnd",
    "ninh-binh-2023-kh-ubnd",
    "khanh-hoa-2023-kh-svhtt",
]


@pytest.fixture(scope="session")
def corpus_paths() -> dict[str, Path]:
    return {pid: CORPUS / f"{pid}.txt" for pid in PLAN_IDS}


@pytest.fixture(scope="session")
def records(corpus_paths):
    from kehoach.ingest.pipeline import extract_plan

    return {pid: extract_plan(path) for pid, path in corpus_paths.items()}


@pytest.fixture(scope="session")
def corpus_graph(tmp_path_factory, records):
    """A real on-disk Oxigraph store holding the five plans (read-only use: don't modify)."""
    from kehoach.graph.store import PlanStore
    from kehoach.graph.to_rdf import record_to_quads

    store = PlanStore(tmp_path_factory.mktemp("corpus-graph"))
    for record in records.values():
        store.replace_plan(record.id, record_to_quads(record))
    return store


def select_named(store, name: str) -> list[dict]:
    """Rows of the named query graph/queries/{name} (with or without .rq)."""
    from kehoach.config import named_query

    return store.select_rows(named_query(name))[1]


@pytest.fixture(scope="session")
def searchable_store(tmp_path_factory) -> Path:
    """The five plans ingested by the real `kehoach ingest` in a subprocess (graph and search
    index with the bundled embedder), shared by the notebooks and the live search API tests
    (read-only use). KEHOACH_TEST_STORE reuses a store built earlier."""
    shared = os.environ.get("KEHOACH_TEST_STORE")
    if shared and (Path(shared) / "search").is_dir():
        return Path(shared)
    directory = tmp_path_factory.mktemp("searchable-store")
    done = subprocess.run([sys.executable, "-m", "kehoach", "ingest", "--store", str(directory)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return directory

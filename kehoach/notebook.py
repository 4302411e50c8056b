"""What the notebooks in notebooks/ share: the store they read.

Kept in the package (not copied into each notebook) so the three notebooks open their store
the same way, and a reader of one notebook sees one import instead of a helper to study.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kehoach.config import bundled_corpus
from kehoach.graph.store import PlanStore


def demo_store(search: bool) -> PlanStore:
    """The store named by KEHOACH_STORE when it already holds the corpus (and a search index if
    asked for); otherwise a fresh store in a temporary folder, built from the bundled corpus."""
    shared = os.environ.get("KEHOACH_STORE")
    if shared and (Path(shared) / "oxigraph").is_dir() and (not search or (Path(shared) / "search").is_dir()):
        return PlanStore(shared, read_only=True)
    from kehoach.ingestion import ingest_files  # the whole pipeline, needed only on this path

    store = PlanStore(tempfile.mkdtemp(prefix="kehoach-notebook-"))
    report = ingest_files(bundled_corpus(), store, search=search)
    print("\n".join(report.lines()))
    return store

"""Ingest plan files into a store: extract each file, write its graph, index its passages.

This is the one place that writes to both the graph (graph/) and the search index
(search/), so the two stay consistent. A file that fails is reported with a one-line
reason and skipped; it never leaves a half-written plan behind (graph writes are
atomic per plan, and the index is only updated for plans whose graph was written).
When anything was written, the store's generation token changes (graph/store.py), which
tells a running server to reopen the store and the index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kehoach.graph.store import PlanStore, mark_changed
from kehoach.ingest.errors import IngestError
from kehoach.ingest.records import PlanRecord


@dataclass
class IngestReport:
    ingested: list[tuple[PlanRecord, int, bool]] = field(default_factory=list)  # record, triples, replaced
    failures: list[tuple[Path, str]] = field(default_factory=list)
    indexed_passages: int | None = None
    search_notes: list[str] = field(default_factory=list)
    search_error: str | None = None

    def lines(self) -> list[str]:
        out = []
        for record, triples, replaced in self.ingested:
            h = record.header
            verb = "replaced" if replaced else "ingested"
            repaired = " (OCR text repaired)" if record.repair else ""
            out.append(
                f"{verb} {record.id}: {h.identifier or '(no number)'} {h.province or '?'} {h.date or '?'}"
                f" — {triples} triples, {len(record.segments)} segments, {len(record.targets)} targets,"
                f" {len(record.responsibilities)} responsibilities{repaired}"
            )
        for path, reason in self.failures:
            out.append(f"skipped {path}: {reason}")
        out += self.search_notes
        if self.indexed_passages is not None:
            out.append(f"search index: {self.indexed_passages} passages indexed")
        if self.search_error:
            out.append(f"search index not updated: {self.search_error}")
        return out


def ingest_files(
    files: list[Path],
    store: PlanStore,
    repair: bool = True,
    search: bool = True,
    progress: Callable[[int], object] = lambda n: None,
) -> IngestReport:
    from kehoach.graph.to_rdf import record_to_quads
    from kehoach.ingest.pipeline import extract_plan

    report = IngestReport()
    existing = set(store.plan_ids())
    stored_texts = text_digests(store) if existing else {}
    seen: dict[str, Path] = {}
    for path in files:
        try:
            record = extract_plan(path, repair=repair)
            if record.id in seen:
                raise IngestError(f"same plan id {record.id!r} as {seen[record.id]} given earlier in this run")
            digest = text_digest(record.original_text)
            twin = stored_texts.get(digest)
            if twin is not None and twin != record.id:
                raise IngestError(
                    f"the same text as plan {twin!r}, already in the store: not stored twice under another name"
                    f" (to replace {twin}, ingest the file under that name)"
                )
            seen[record.id] = path
            triples = store.replace_plan(record.id, record_to_quads(record))
            stored_texts[digest] = record.id
            report.ingested.append((record, triples, record.id in existing))
        except IngestError as exc:
            report.failures.append((path, str(exc).removeprefix(f"{path}: ")))
        progress(1)
    if search and report.ingested:
        try:
            from kehoach.search.engine import index_plans

            # an index of older passage rules is rebuilt from every plan in the store (the
            # graph now holds this run's plans too)
            report.indexed_passages, report.search_notes = index_plans(
                store.directory, [r for r, _, _ in report.ingested], lambda: records_from_store(store)
            )
        except Exception as exc:  # the graph is written; say plainly the index is not
            report.search_error = f"{type(exc).__name__}: {exc}"
    if report.ingested:
        mark_changed(store.directory)  # a running `kehoach serve` reopens the store
    return report


def text_digest(text: str) -> str:
    """SHA-256 of a plan's text as stored (the same as SPARQL's SHA256 over cnt:chars)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_digests(store: PlanStore) -> dict[str, str]:
    """Digest of each stored plan's original text -> plan id (graph/queries/plan-text-digests.rq)."""
    from kehoach.config import named_query

    return {row["digest"].value: row["id"].value for row in store.query(named_query("plan-text-digests"))}


def records_from_store(store) -> list[PlanRecord]:
    """The plans held in a store (a pyoxigraph Store or a PlanStore), re-read from the
    original text the graph keeps for each: what the service compares, and what
    `kehoach search-index` re-indexes when given no files."""
    from kehoach.config import named_query
    from kehoach.ingest.pipeline import extract_plan_text
    from kehoach.ontology.namespaces import PREFIXES

    raw = getattr(store, "store", store)
    rows = raw.query(named_query("plan-sources"), use_default_graph_as_union=True, prefixes=PREFIXES)
    return [
        extract_plan_text(row["text"].value, row["id"].value, source_path=row["file"].value if row["file"] else row["id"].value,
                          encoding=row["encoding"].value if row["encoding"] else "utf-8")
        for row in rows
    ]

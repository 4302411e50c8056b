"""The knowledge graph on disk: one pyoxigraph Store, one named graph per plan.

Layout of a store directory:
    {dir}/oxigraph/   the RDF store (RocksDB, opened by one writer process at a time)
    {dir}/search/     the search indexes (kehoach.search), kept beside it
    {dir}/generation  a token rewritten after every change (ingest, index rebuild), so
                      a running server knows to reopen what it has open read-only

Replacing a plan is one SPARQL Update request (`DROP SILENT GRAPH g ; INSERT DATA {...}`),
which Oxigraph applies as one transaction: readers see either the old plan or the new
one, and an ingest interrupted half-way leaves the old plan in place.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterable

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store

from kehoach.ontology.namespaces import PREFIXES

from .iris import plan_graph_iri

EXPORT_FORMATS = {
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
}
# Formats that cannot hold named graphs get the union of all plan graphs.
_TRIPLE_ONLY = {"turtle", "ntriples"}


GENERATION_FILE = "generation"


def mark_changed(directory: str | Path) -> str:
    """Record that the store's content changed: a new token in {dir}/generation, written
    atomically (readers see the old token or the new one, never half of one)."""
    directory = Path(directory)
    token = f"{time.time_ns()}-{os.getpid()}"
    tmp = directory / f".{GENERATION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(token, encoding="ascii")
    os.replace(tmp, directory / GENERATION_FILE)
    return token


def read_generation(directory: str | Path) -> str | None:
    """The store's current change token, or None before its first recorded change."""
    try:
        return (Path(directory) / GENERATION_FILE).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


class StoreError(Exception):
    """A store that cannot be opened or written, with a message fit for the CLI."""


class PlanStore:
    def __init__(self, directory: str | Path, read_only: bool = False) -> None:
        self.directory = Path(directory)
        self.rdf_path = self.directory / "oxigraph"
        try:
            if read_only:
                if not self.rdf_path.exists():
                    raise StoreError(f"{self.directory}: no kehoach store here (run `kehoach ingest --store {self.directory}`)")
                self.store = Store.read_only(str(self.rdf_path))
            else:
                self.rdf_path.mkdir(parents=True, exist_ok=True)
                self.store = Store(str(self.rdf_path))
        except OSError as exc:
            raise StoreError(f"{self.directory}: cannot open the store ({exc})") from exc

    @property
    def search_path(self) -> Path:
        return self.directory / "search"

    # --- writing ---------------------------------------------------------------
    def replace_plan(self, plan_id: str, quads: Iterable[Quad]) -> int:
        """Atomically replace everything known about one plan; returns its triple count."""
        graph = plan_graph_iri(plan_id)
        lines = []
        for q in quads:
            if q.graph_name != graph:
                raise ValueError(f"quad outside the plan's graph {graph}: {q}")
            lines.append(f"{q.subject} {q.predicate} {q.object} .")
        update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(lines) + "\n} }"
        self.store.update(update)
        self.store.flush()
        return self.count(plan_id)

    def remove_plan(self, plan_id: str) -> bool:
        graph = plan_graph_iri(plan_id)
        if not self.store.contains_named_graph(graph):
            return False
        self.store.update(f"DROP GRAPH {graph}")
        return True

    # --- reading ---------------------------------------------------------------
    def plan_ids(self) -> list[str]:
        prefix = plan_graph_iri("").value
        return sorted(g.value[len(prefix) :] for g in self.store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(prefix))

    def count(self, plan_id: str | None = None) -> int:
        if plan_id is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, plan_graph_iri(plan_id)))

    def query(self, sparql: str, union: bool = True):
        """Run a SPARQL query with the project's prefixes predeclared; plan graphs are
        queried as one union default graph unless `union` is False."""
        return self.store.query(sparql, use_default_graph_as_union=union, prefixes=PREFIXES)

    def select_rows(self, sparql: str) -> tuple[list[str], list[dict[str, object]]]:
        """(variables, rows) of a SELECT, with plain Python values for display."""
        result = self.query(sparql)
        if not isinstance(result, QuerySolutions):
            raise StoreError("expected a SELECT query")
        variables = [v.value for v in result.variables]
        rows = [{v: term_value(sol[v]) for v in variables} for sol in result]
        return variables, rows

    def export(self, fmt: str) -> bytes:
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        rdf_format = EXPORT_FORMATS[fmt]
        if fmt in _TRIPLE_ONLY:
            # Turtle/N-Triples hold no graphs: export the union of the plan graphs.
            triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            return triples.serialize(format=rdf_format)
        prefixes = None if rdf_format is RdfFormat.N_QUADS else PREFIXES
        return self.store.dump(format=rdf_format, prefixes=prefixes)

    def all_quads(self) -> list[Quad]:
        return [q for q in self.store if not isinstance(q.graph_name, DefaultGraph)]


def term_value(term) -> object:
    """A pyoxigraph term as a plain value (None for unbound)."""
    if term is None:
        return None
    return getattr(term, "value", str(term))


__all__ = ["PlanStore", "StoreError", "EXPORT_FORMATS", "QueryBoolean", "QueryTriples", "term_value"]

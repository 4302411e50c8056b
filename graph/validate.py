"""SHACL validation of the kehoach graph with pySHACL.

The data are the union of every plan's named graph (shared nodes such as provinces
and cited documents sit in several graphs; as a union they are one node). pySHACL
works on rdflib, so the quads are handed over as N-Triples into one rdflib `Graph`
(rdflib's ConjunctiveGraph is going away; a plain Graph *is* the union).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
from pyshacl import validate

from kehoach.ontology.namespaces import SH

SHAPES_PATH = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_PATH, format="turtle")


def union_graph(data: Any) -> rdflib.Graph:
    """An rdflib Graph holding the union of the triples of `data`.

    `data` may be a pyoxigraph Store, an iterable of pyoxigraph Quads or Triples,
    an rdflib Dataset (its named graphs are merged) or an rdflib Graph.
    """
    if isinstance(data, rdflib.Dataset):
        union = rdflib.Graph()
        for s, p, o, _g in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data, rdflib.Graph):
        return data
    if isinstance(data, pyoxigraph.Store):
        items: Iterable[Any] = data.quads_for_pattern(None, None, None, None)
    else:
        items = data
    triples = (i.triple if isinstance(i, pyoxigraph.Quad) else i for i in items)
    payload = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(io.BytesIO(payload or b""), format="nt")


def validate_graph(data: Any) -> tuple[bool, str, int]:
    """Validate `data` (quads, a Store, an rdflib Dataset/Graph) against ontology/shapes.ttl.

    Returns (conforms, report text, number of violations). Warnings and infos are in
    the text but do not count.
    """
    graph = union_graph(data)
    conforms, report_graph, report_text = validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = count_violations(report_graph)
    return bool(conforms), str(report_text), violations


def count_violations(report: rdflib.Graph) -> int:
    """Top-level results (sh:result of the report) with severity sh:Violation.

    Nested sh:detail results of sh:node constraints are explanations, not extra violations.
    """
    sh = rdflib.Namespace(SH.base)
    return sum(
        1
        for result in report.objects(None, sh.result)
        if (result, sh.resultSeverity, sh.Violation) in report
    )

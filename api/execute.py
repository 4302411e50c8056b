"""Run one SPARQL query against a pyoxigraph Store and write its answer (no HTTP, no timeout).

This is what a worker process does for /sparql, and what the benchmarks call in-process.
Results past the row limit are cut, and the cut is always said: in a response header and
inside the body (JSON `truncated`, an XML/Turtle/N-Triples comment and `link`), or, for
formats with no place to say it (CSV, TSV), the query is refused with a message.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat

from kehoach.api.negotiation import acceptable_names, choose_format
from kehoach.api.results import SOLUTION_WRITERS, truncation_note
from kehoach.ontology.namespaces import PREFIXES

RDF_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
BOOLEAN_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}
FORMATS_WITH_COMMENTS = {"turtle", "ntriples", "trig", "nquads"}


@dataclass
class QueryRequest:
    """Everything a worker needs; plain data so it crosses a process boundary."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    row_limit: int = 10_000
    union_default_graph: bool = True


@dataclass
class Outcome:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str) -> "Outcome":
        return cls(status, message.encode("utf-8"))


def _query_kwargs(request: QueryRequest, has_dataset_clause: bool) -> dict:
    """The protocol's dataset: default-graph-uri/named-graph-uri, else the query's own FROM,
    else (operator's choice) the union of all graphs as the default graph."""
    kwargs: dict = {}
    if request.default_graph_uris:
        kwargs["default_graph"] = [NamedNode(uri) for uri in request.default_graph_uris]
    elif request.union_default_graph and not has_dataset_clause:
        kwargs["use_default_graph_as_union"] = True
    if request.named_graph_uris:
        kwargs["named_graphs"] = [NamedNode(uri) for uri in request.named_graph_uris]
    return kwargs


def _not_acceptable(form: str) -> Outcome:
    return Outcome.error(406, f"No acceptable format for a {form.upper()} result. This endpoint writes: {acceptable_names(form)}.")


def _answer_solutions(results: QuerySolutions, request: QueryRequest) -> Outcome:
    fmt = choose_format("select", request.accept, request.format)
    if fmt is None:
        return _not_acceptable("select")
    variables = [variable.value for variable in results.variables]
    rows: list[list] = []
    truncated = False
    for solution in results:
        if len(rows) >= request.row_limit:
            truncated = True
            break
        rows.append([solution[index] for index in range(len(variables))])
    headers = {"Kehoach-Row-Limit": str(request.row_limit)}
    if truncated and fmt.key in ("csv", "tsv"):
        return Outcome.error(
            422,
            f"The result has more than {request.row_limit} rows, the endpoint's limit, and {fmt.key.upper()} "
            "has no place to say a result was cut. Add LIMIT/OFFSET, or ask for SPARQL JSON or XML, "
            "which return the first rows and mark the cut.",
        )
    writer = SOLUTION_WRITERS[fmt.key]
    body = writer(variables, rows, request.row_limit if truncated else None) if fmt.key in ("json", "xml") else writer(variables, rows)
    if truncated:
        headers["Kehoach-Truncated"] = "true"
        headers["Warning"] = f'199 kehoach "{truncation_note(request.row_limit)}"'
    headers["Kehoach-Rows"] = str(len(rows))
    return Outcome(200, body, fmt.content_type, headers)


def _answer_boolean(result: QueryBoolean, request: QueryRequest) -> Outcome:
    fmt = choose_format("ask", request.accept, request.format)
    if fmt is None:
        return _not_acceptable("ask")
    return Outcome(200, result.serialize(format=BOOLEAN_FORMATS[fmt.key]), fmt.content_type)


def _answer_triples(triples, request: QueryRequest, form: str) -> Outcome:
    fmt = choose_format(form, request.accept, request.format)
    if fmt is None:
        return _not_acceptable(form)
    kept = []
    truncated = False
    for triple in triples:
        if len(kept) >= request.row_limit:
            truncated = True
            break
        kept.append(triple)
    prefixes = PREFIXES if fmt.key in ("turtle", "trig") else None
    body = pyoxigraph.serialize(kept, format=RDF_FORMATS[fmt.key], prefixes=prefixes) if prefixes else pyoxigraph.serialize(kept, format=RDF_FORMATS[fmt.key])
    headers = {"Kehoach-Row-Limit": str(request.row_limit), "Kehoach-Rows": str(len(kept))}
    if truncated:
        note = truncation_note(request.row_limit, "triples")
        if fmt.key in FORMATS_WITH_COMMENTS:
            body = f"# {note}\n".encode("utf-8") + body
        elif fmt.key == "rdfxml":
            declaration_end = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
            body = body[:declaration_end] + f"\n<!-- {note} -->".encode("utf-8") + body[declaration_end:]
        else:  # JSON-LD: wrap the node list; processors ignore the unmapped `truncated` key
            body = json.dumps(
                {"truncated": {"limit": request.row_limit, "message": note}, "@graph": json.loads(body)},
                ensure_ascii=False,
            ).encode("utf-8")
        headers["Kehoach-Truncated"] = "true"
        headers["Warning"] = f'199 kehoach "{note}"'
    return Outcome(200, body, fmt.content_type, headers)


def execute(
    store: pyoxigraph.Store, request: QueryRequest, form_hint: str | None = None, has_dataset_clause: bool = False
) -> Outcome:
    """Parse, run and serialise; syntax errors become 400 with Oxigraph's own message."""
    started = time.perf_counter()
    try:
        results = store.query(request.query, prefixes=PREFIXES, **_query_kwargs(request, has_dataset_clause))
    except SyntaxError as error:
        return Outcome.error(400, f"Malformed query: {error}")
    except (OSError, ValueError, TypeError) as error:
        return Outcome.error(400, f"Query could not be evaluated: {error}")
    try:
        if isinstance(results, QueryBoolean):
            outcome = _answer_boolean(results, request)
        elif isinstance(results, QuerySolutions):
            outcome = _answer_solutions(results, request)
        else:
            form = form_hint if form_hint in ("construct", "describe") else "construct"
            outcome = _answer_triples(results, request, form)
    except (OSError, ValueError, TypeError, SyntaxError) as error:
        return Outcome.error(400, f"Query failed while running: {error}")
    outcome.headers["Kehoach-Query-Seconds"] = f"{time.perf_counter() - started:.4f}"
    return outcome

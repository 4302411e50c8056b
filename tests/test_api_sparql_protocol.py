"""SPARQL 1.1 Protocol conformance of /sparql: every method and result format, compared
with what pyoxigraph answers for the same query on the same data in-process."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api_support import G1, G2, make_store, sample_quads, settings_for
from kehoach.api.app import create_app

SELECT = """PREFIX ex: <http://example.org/>
SELECT ?s ?p ?o ?label WHERE { ?s ?p ?o OPTIONAL { ?o ex:label ?label } FILTER(?p != ex:index) }
ORDER BY ?s ?p ?o"""
CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?p != ex:index) }"
DESCRIBE = "DESCRIBE <http://example.org/b>"
ASK_TRUE = "ASK { ?s <http://example.org/label> ?o }"
ASK_FALSE = "ASK { ?s <http://example.org/nothing> ?o }"
FORMATS = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
}
GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def direct():
    """The same data in an in-memory pyoxigraph store, queried directly."""
    store = ox.Store()
    store.extend(sample_quads())
    return store


@pytest.fixture(scope="module")
def client(store_dir):
    with TestClient(create_app(settings_for(store_dir))) as test_client:
        yield test_client


def rows(results) -> list[tuple]:
    variables = results.variables
    return [tuple(solution[v] for v in variables) for solution in results]


def ask(client, method: str, query: str, accept: str, **extra):
    headers = {"Accept": accept}
    if method == "get":
        return client.get("/sparql", params={"query": query, **extra}, headers=headers)
    if method == "form":
        return client.post("/sparql", data={"query": query, **extra}, headers=headers)
    return client.post(
        "/sparql", params=extra, content=query.encode("utf-8"),
        headers={**headers, "Content-Type": "application/sparql-query"},
    )


METHODS = ["get", "form", "direct"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_matches_pyoxigraph(client, direct, method, fmt):
    media_type, ox_format = FORMATS[fmt]
    response = ask(client, method, SELECT, media_type)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    served = ox.parse_query_results(response.content, format=ox_format)
    expected = direct.query(SELECT, use_default_graph_as_union=True)
    assert [v.value for v in served.variables] == [v.value for v in expected.variables]
    assert rows(served) == rows(expected)


@pytest.mark.parametrize("method", METHODS)
def test_select_csv_matches_pyoxigraph(client, direct, method):
    response = ask(client, method, SELECT, "text/csv")
    assert response.status_code == 200, response.text
    expected = direct.query(SELECT, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV)
    parse = lambda data: list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))  # noqa: E731
    assert parse(response.content) == parse(expected)
    assert any("Lào Cai" in cell for row in parse(response.content) for cell in row)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
@pytest.mark.parametrize("query,value", [(ASK_TRUE, True), (ASK_FALSE, False)])
def test_ask_matches_pyoxigraph(client, direct, method, fmt, query, value):
    media_type, ox_format = FORMATS[fmt]
    response = ask(client, method, query, media_type)
    assert response.status_code == 200, response.text
    assert response.content == direct.query(query, use_default_graph_as_union=True).serialize(format=ox_format)
    if fmt in ("json", "xml"):
        assert bool(ox.parse_query_results(response.content, format=ox_format)) is value


def graph_of(data: bytes, rdflib_format: str) -> rdflib.Graph:
    if rdflib_format == "trig":
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format="trig")
        graph = rdflib.Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=data, format=rdflib_format)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("media_type,rdflib_format", GRAPH_FORMATS.items())
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_results_match_pyoxigraph(client, direct, method, media_type, rdflib_format, query):
    response = ask(client, method, query, media_type)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    expected = direct.query(query, use_default_graph_as_union=True).serialize(format=ox.RdfFormat.N_TRIPLES)
    assert isomorphic(graph_of(response.content, rdflib_format), graph_of(expected, "nt"))
    assert len(graph_of(expected, "nt")) > 0


def test_default_format_is_sparql_json_and_turtle(client):
    select = client.get("/sparql", params={"query": ASK_TRUE}, headers={"Accept": "*/*"})
    assert select.headers["content-type"].startswith("application/sparql-results+json")
    construct = client.get("/sparql", params={"query": CONSTRUCT})
    assert construct.headers["content-type"].startswith("text/turtle")


def test_accept_q_values_pick_the_preferred_format(client):
    response = client.get(
        "/sparql", params={"query": SELECT},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"},
    )
    assert response.headers["content-type"].startswith("text/csv")


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_unacceptable_format_is_406(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


GRAPH_QUERY = "SELECT ?s ?o WHERE { ?s <http://example.org/label> ?o } ORDER BY ?s"
NAMED_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_uri_selects_the_default_graph(client, method):
    response = ask(client, method, GRAPH_QUERY, "application/sparql-results+json", **{"default-graph-uri": G2.value})
    values = [b["o"]["value"] for b in response.json()["results"]["bindings"]]
    assert values == ["Bảo tàng"]


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri_restricts_graph_patterns(client, method):
    response = ask(client, method, NAMED_QUERY, "application/sparql-results+json", **{"named-graph-uri": G1.value})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [G1.value]
    everything = ask(client, method, NAMED_QUERY, "application/sparql-results+json")
    assert [b["g"]["value"] for b in everything.json()["results"]["bindings"]] == [G1.value, G2.value]


@pytest.mark.parametrize("method", METHODS)
def test_from_clause_sets_the_default_graph(client, direct, method):
    query = "SELECT ?o FROM <http://example.org/graph/2> WHERE { ?s <http://example.org/label> ?o }"
    response = ask(client, method, query, "application/sparql-results+json")
    assert [b["o"]["value"] for b in response.json()["results"]["bindings"]] == ["Bảo tàng"]
    assert [r["o"].value for r in direct.query(query)] == ["Bảo tàng"]
    # The protocol's default-graph-uri overrides FROM.
    overridden = ask(client, method, query, "application/sparql-results+json", **{"default-graph-uri": G1.value})
    assert sorted(b["o"]["value"] for b in overridden.json()["results"]["bindings"]) == ["Thư viện tỉnh Lào Cai", "blank"]


def test_project_prefixes_are_predeclared(client):
    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?o }"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_missing_query_is_400(client):
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    assert client.post("/sparql", data={"query": ""}).status_code == 400


def test_malformed_query_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "Malformed query" in response.text and "error at" in response.text


def test_unsupported_content_type_is_415(client):
    response = client.post("/sparql", content=b"SELECT * {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_truncation_json_and_xml_say_so_in_header_and_body(store_dir):
    with TestClient(create_app(settings_for(store_dir, row_limit=5))) as small:
        query = "SELECT ?s WHERE { ?s <http://example.org/index> ?i } ORDER BY ?i"
        response = small.get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert response.headers["kehoach-truncated"] == "true"
        body = response.json()
        assert body["truncated"]["limit"] == 5 and len(body["results"]["bindings"]) == 5
        assert "urn:kehoach:result-truncated" in body["head"]["link"]
        # Still a valid SPARQL JSON document for a strict reader:
        assert len(list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))) == 5

        xml = small.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
        assert b"truncated" in xml.content and xml.headers["kehoach-truncated"] == "true"
        assert len(list(ox.parse_query_results(xml.content, format=ox.QueryResultsFormat.XML))) == 5

        turtle = small.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert turtle.headers["kehoach-truncated"] == "true" and turtle.text.startswith("# Result truncated")
        assert len(rdflib.Graph().parse(data=turtle.content, format="turtle")) == 5

        jsonld = small.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/ld+json"})
        assert json.loads(jsonld.content)["truncated"]["limit"] == 5


def test_truncation_is_refused_in_csv_and_tsv(store_dir):
    with TestClient(create_app(settings_for(store_dir, row_limit=5))) as small:
        for accept in ("text/csv", "text/tab-separated-values"):
            response = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": accept})
            assert response.status_code == 422
            assert "more than 5 rows" in response.text
        exact = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}, headers={"Accept": "text/csv"})
        assert exact.status_code == 200 and "kehoach-truncated" not in exact.headers

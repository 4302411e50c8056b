"""Refusals and limits of /sparql: read-only, no SERVICE, killable timeout, rate and size
limits, and a live server that standard SPARQL clients can use."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api_support import live_server, make_store, settings_for
from kehoach.api.app import create_app
from kehoach.api.sparql_guard import Refused, check_query, mentions_service_keyword

# 47 triples joined with themselves six times: ~10^10 rows, minutes of work for Oxigraph.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?q ?r ?t }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def client(store_dir):
    with TestClient(create_app(settings_for(store_dir))) as test_client:
        yield test_client


UPDATES = [
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <http://e/g>",
    "CREATE GRAPH <http://e/new>",
    "COPY DEFAULT TO <http://e/g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_whatever_way_they_come(client, update):
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 403, (update, response.text)
        assert "read-only" in response.text


def test_load_is_refused_with_its_own_message(client):
    response = client.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/data.ttl>"})
    assert response.status_code == 403
    assert "LOAD is not allowed" in response.text


SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE ?endpoint { ?s ?p ?o } } } } }",
    "ASK { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICES)
def test_service_is_refused_anywhere_in_the_query(client, query):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_the_word_service_in_data_is_not_refused(client):
    query = 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) } # SERVICE in a comment'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_service_keyword_scan_ignores_strings_iris_and_names():
    assert mentions_service_keyword("SELECT * { SERVICE <x> {} }")
    assert not mentions_service_keyword('SELECT ?service { ?s <http://x/SERVICE> "SERVICE" ; ex:service ?o }')
    # A query rdflib cannot parse still gets the keyword scan:
    with pytest.raises(Refused):
        check_query("SELECT * { ?s ?p <<( ?a ?b ?c )>> SERVICE <http://x/> {} }")


def test_request_body_over_the_limit_is_413(store_dir):
    with TestClient(create_app(settings_for(store_dir, max_body_bytes=1000))) as small:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
        response = small.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413


def test_query_text_over_the_limit_is_413(store_dir):
    with TestClient(create_app(settings_for(store_dir, max_query_chars=100))) as small:
        response = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200})
        assert response.status_code == 413


def test_rate_limit_answers_429_with_retry_after(store_dir):
    with TestClient(create_app(settings_for(store_dir, rate_per_second=0.5, rate_burst=3))) as limited:
        codes = [limited.get("/sparql", params={"query": "ASK {}"}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200]
        assert codes[3] == 429
        refused = limited.get("/sparql", params={"query": "ASK {}"})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        # Health checks are never rate-limited:
        assert limited.get("/api/health").status_code == 200


@pytest.mark.slow
def test_runaway_query_is_killed_at_the_timeout_while_the_server_keeps_answering(store_dir):
    with live_server(settings_for(store_dir, query_timeout=2.0)) as base:
        outcome = {}

        def run_runaway():
            started = time.monotonic()
            outcome["response"] = httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=60)
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_runaway)
        thread.start()
        time.sleep(0.5)  # the runaway query is now running in a worker
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(5):
                started = time.monotonic()
                assert http.get("/api/health").status_code == 200
                quick = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
                assert quick.status_code == 200 and quick.json()["boolean"] is True
                assert time.monotonic() - started < 1.5
        thread.join(timeout=30)
        response = outcome["response"]
        assert response.status_code == 503
        assert "time limit" in response.text
        assert 1.9 <= outcome["seconds"] < 6
        # The killed worker was replaced: the pool still answers, and says what happened.
        assert httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        health = httpx.get(f"{base}/api/health").json()
        assert health["sparql"]["timeouts"] == 1 and health["sparql"]["respawns"] == 1


def test_client_cannot_raise_the_timeout(store_dir):
    """No request parameter changes the operator's limit (common names on other endpoints)."""
    with TestClient(create_app(settings_for(store_dir, query_timeout=1.0))) as strict:
        started = time.monotonic()
        response = strict.get("/sparql", params={"query": RUNAWAY, "timeout": "600", "timeoutSeconds": "600"})
        assert response.status_code == 503
        assert time.monotonic() - started < 5


def test_standard_clients_work_against_a_live_server(store_dir):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    query = "SELECT ?o WHERE { <http://example.org/a> <http://example.org/label> ?o }"
    with live_server(settings_for(store_dir)) as base:
        for fmt in (JSON, XML, CSV):
            wrapper = SPARQLWrapper(f"{base}/sparql")
            wrapper.setQuery(query)
            wrapper.setReturnFormat(fmt)
            result = wrapper.query().convert()
            if fmt == JSON:
                assert result["results"]["bindings"][0]["o"]["value"] == "Thư viện tỉnh Lào Cai"
            elif fmt == CSV:
                assert "Thư viện tỉnh Lào Cai" in result.decode("utf-8")
            else:
                assert "Thư viện tỉnh Lào Cai" in result.toxml()
        wrapper = SPARQLWrapper(f"{base}/sparql")
        wrapper.setQuery("CONSTRUCT WHERE { <http://example.org/b> ?p ?o }")
        wrapper.setReturnFormat(TURTLE)
        assert "Bảo tàng" in wrapper.query().convert().decode("utf-8")

        store = SPARQLStore(f"{base}/sparql")
        labels = [str(row.o) for row in store.query(query)]
        assert labels == ["Thư viện tỉnh Lào Cai"]
        assert len(list(store.query("CONSTRUCT WHERE { <http://example.org/b> ?p ?o }"))) == 2

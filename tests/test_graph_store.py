"""The knowledge graph in a real on-disk Oxigraph store."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kehoach.config import named_query
from kehoach.graph.iris import plan_graph_iri, plan_iri
from kehoach.graph.store import PlanStore
from kehoach.graph.to_rdf import record_to_quads


@pytest.fixture(scope="module")
def store(tmp_path_factory, records):
    s = PlanStore(tmp_path_factory.mktemp("store"))
    for record in records.values():
        s.replace_plan(record.id, record_to_quads(record))
    return s


def test_one_named_graph_per_plan(store, records):
    assert store.plan_ids() == sorted(records)


def test_reingest_keeps_the_triple_count_and_iris(store, records):
    record = records["ninh-binh-2023-kh-ubnd"]
    before_total, before_plan = store.count(), store.count(record.id)
    quads = record_to_quads(record)
    store.replace_plan(record.id, quads)
    store.replace_plan(record.id, record_to_quads(record))
    assert store.count() == before_total
    assert store.count(record.id) == before_plan
    assert any(q.subject == plan_iri(record.id) for q in quads)


def test_interrupted_ingest_leaves_the_old_plan(store, records):
    record = records["lai-chau-2015-1133-kh-ubnd"]
    before = store.count(record.id)

    def broken():
        for i, q in enumerate(record_to_quads(record)):
            if i == 50:
                raise RuntimeError("disk full (simulated)")
            yield q

    with pytest.raises(RuntimeError):
        store.replace_plan(record.id, broken())
    assert store.count(record.id) == before


def test_quads_outside_the_plan_graph_are_refused(store):
    stray = Quad(NamedNode("http://example.org/x"), NamedNode("http://example.org/p"), Literal("x"), plan_graph_iri("other"))
    with pytest.raises(ValueError):
        store.replace_plan("some-plan", [stray])
    assert "some-plan" not in store.plan_ids()


def test_plans_query_returns_the_header_facts(store):
    variables, rows = store.select_rows(named_query("plans"))
    by_province = {r["province"]: r for r in rows}
    assert len(rows) == 5, rows
    assert set(by_province) == {"Lào Cai", "Lai Châu", "Hưng Yên", "Ninh Bình", "Khánh Hòa"}
    assert by_province["Lào Cai"]["identifier"] == "251/KH-UBND"
    assert by_province["Lào Cai"]["date"] == "2023-05-25"
    assert by_province["Lai Châu"]["programmes"] == "208/QĐ-TTg"
    assert by_province["Ninh Bình"]["date"] == "2023-05" and by_province["Ninh Bình"]["precision"] == "month"
    assert by_province["Hưng Yên"]["date"] is None and by_province["Hưng Yên"]["precision"] == "unknown"
    assert by_province["Khánh Hòa"]["identifier"] == "/KH-SVHTT"


def test_every_span_in_the_graph_quotes_its_source(store, records):
    rows = store.query(
        """SELECT ?g ?start ?end ?exact WHERE { GRAPH ?g {
             ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
             ?res oa:hasSelector ?sel , ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact } }""",
        union=False,
    )
    checked = 0
    prefix = plan_graph_iri("").value
    for row in rows:
        record = records[row["g"].value[len(prefix):]]
        start, end = int(row["start"].value), int(row["end"].value)
        assert record.original_text[start:end] == row["exact"].value
        checked += 1
    assert checked > 500


def test_export_formats(store):
    from pyoxigraph import RdfFormat, parse

    trig = store.export("trig")
    assert len(list(parse(trig, RdfFormat.TRIG))) == store.count()
    nquads = store.export("nquads")
    assert len(list(parse(nquads, RdfFormat.N_QUADS))) == store.count()
    turtle = store.export("turtle")
    assert len(list(parse(turtle, RdfFormat.TURTLE))) > 0
    jsonld = store.export("jsonld")
    assert jsonld.lstrip().startswith(b"[") or jsonld.lstrip().startswith(b"{")


def test_plans_summary_counts_match_the_records(store, records):
    _, rows = store.select_rows(named_query("plans-summary"))
    by_province = {r["province"]: r for r in rows}
    assert len(rows) == 5
    for record in records.values():
        row = by_province[record.header.province]
        assert str(row["id"]) == record.id
        assert int(row["targets"]) == len(record.targets), record.id
        assert int(row["tasks"]) == len(record.tasks), record.id
        assert int(row["responsibilities"]) == len(record.responsibilities), record.id

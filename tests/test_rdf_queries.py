"""The named queries in graph/queries/ answer over the five bundled plans
(expected values are the header facts stated in the Foundation issue)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kehoach.graph.to_rdf import ontology_quads, record_to_quads

QUERIES = Path(__file__).resolve().parent.parent / "graph" / "queries"


@pytest.fixture(scope="module")
def store(records):
    s = ox.Store()
    for rec in records.values():
        s.extend(record_to_quads(rec))
    s.extend(ontology_quads())
    return s


def rows(store, name: str) -> list[dict[str, str | None]]:
    result = store.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_plans_query_gives_one_row_per_plan_with_the_header_facts(store):
    by_id = {r["id"]: r for r in rows(store, "plans")}
    assert len(by_id) == 5
    expect = {
        "lao-cai-2023-251-kh-ubnd": ("251/KH-UBND", "10", "15", "2023-05-25", "day", "1520/QĐ-TTg"),
        "lai-chau-2015-1133-kh-ubnd": ("1133/KH-UBND", "12", "12", "2015-12-16", "day", "208/QĐ-TTg"),
        "hung-yen-2023-kh-ubnd": (None, "33", "33", None, "unknown", "1520/QĐ-TTg"),
        "ninh-binh-2023-kh-ubnd": ("/KH-UBND", "37", "37", "2023-05", "month", "1520/QĐ-TTg"),
        "khanh-hoa-2023-kh-svhtt": ("/KH-SVHTT", "56", "56", "2023-09", "month", "1520/QĐ-TTg"),
    }
    for pid, (identifier, code, code2025, date, precision, programme) in expect.items():
        row = by_id[pid]
        assert (row["identifier"], row["provinceCode"], row["provinceCode2025"], row["date"], row["precision"]) == (
            identifier, code, code2025, date, precision), pid
        assert row["programmes"] == programme, pid
        assert row["title"] and row["issuer"] and row["signer"], pid
    assert by_id["hung-yen-2023-kh-ubnd"]["notBefore"]  # no date line: an inferred lower bound
    assert by_id["khanh-hoa-2023-kh-svhtt"]["issuer"] == "Sở Văn hóa và Thể thao"


def test_programmes_query_shows_khanh_hoa_implements_1520_through_its_basis_documents(store):
    (row,) = [r for r in rows(store, "programmes") if r["planId"] == "khanh-hoa-2023-kh-svhtt"]
    assert row["programme"] == "1520/QĐ-TTg" and row["how"] == "through basis document"
    assert set(row["via"].split(" | ")) == {"1346/QĐ-BVHTTDL", "4538/KH-UBND"}
    direct = {r["planId"] for r in rows(store, "programmes") if r["how"] == "direct"}
    assert "lai-chau-2015-1133-kh-ubnd" in direct


def test_references_query_lists_citations_with_their_quotes(store, records):
    result = rows(store, "references")
    for pid, rec in records.items():
        mine = [r for r in result if r["planId"] == pid]
        assert {r["identifier"] for r in mine} == {ref.identifier for ref in rec.references}, pid
        for r in mine:
            assert rec.original_text[int(r["start"]):int(r["end"])] == r["quote"]


def test_sections_query_returns_the_roman_numeral_parts_in_order(store):
    result = [r for r in rows(store, "sections") if r["planId"] == "lai-chau-2015-1133-kh-ubnd"]
    parts = [r["label"] for r in result if r["kind"] == "Part (Roman numeral)"]
    assert parts[:3] == ["I", "II", "III"]
    orders = [int(r["order"]) for r in result]
    assert orders == sorted(orders)


GALLERY = sorted(p.stem for p in QUERIES.glob("*.rq") if not p.name.startswith("api-"))


@pytest.mark.parametrize("name", GALLERY)
def test_every_gallery_query_runs_and_answers(store, name):
    """The SPARQL page offers every non-api query: each must parse with the predeclared
    project prefixes (as the endpoint runs it) and find something in the bundled plans."""
    from kehoach.ontology.namespaces import PREFIXES

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# "), "the first line is the gallery title"
    result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert list(result), f"{name}.rq answers nothing over the five plans"


def test_segments_query_lists_every_segment_once_per_plan(store, records):
    found = {(r["planId"], r["segment"]) for r in rows(store, "segments")}
    expected = sum(len(rec.segments) for rec in records.values())
    assert len(found) == expected

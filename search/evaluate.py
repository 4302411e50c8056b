"""Search quality on the hand-written question sets (tests/eval/search-questions*.jsonl).

Sets written by hand from the plans: the development set (search-questions.jsonl, 137
questions, written while the search was built) and held-out sets
(search-questions-heldout-N.jsonl, 66-100 questions each) written blind by sessions that
never saw the search code or its results; each one's first scoring, before any change
made because of it, is kept beside it. `kehoach eval search` reads them all by default,
reports each set's overall figures as well as the slices, and cross-validates over all.

Gold answers are given as (plan id, exact quote of the ORIGINAL text, grade), never as
passage ids, so they survive changes in segmentation. A retrieved passage counts as an
answer to a gold item when both come from the same plan and their character ranges in
the original overlap by at least half of the shorter of the two.

Pooled judgments (search/judging.py, tests/eval/judgments/) add, per question, passages
the methods returned that the author had not listed, judged blind afterwards (grade 1-2
join the gold; grade 0 is recorded as judged). `--gold authors` scores on the authors'
answers alone, as the first-run records were.

Metrics (all at the usual cut-offs, averaged over questions):
- MRR@10: 1 / rank of the first relevant passage (0 if none in the top 10);
- Hit@5: 1 if any relevant passage is in the top 5;
- Recall@5: share of gold items found in the top 5, out of min(5, number of gold items);
- nDCG@10: graded gain (grade 2 = direct answer, 1 = partial), each gold item credited
  once, normalised by the ideal ordering of the gold grades;
- judged@10: share of the top 10 that is a gold item or a judged non-relevant passage
  (how far the other figures rest on judgments rather than on "unjudged = wrong").

The fusion settings are chosen by k-fold cross-validation over questions: for each fold
the settings maximising MRR@10 on the other folds — the vector weight and the agency boost
per kind of query, the province boost, and the query aids (SKOS expansion of Vietnamese queries; what the
embedder reads for English queries) — are applied to the held-out fold, so the
reported fusion figures are not tuned on the questions they are measured on. Folds come
from a hash of the question id, so adding questions does not reshuffle the others.
Candidates are searched once per query aid and re-fused for every setting (FusionGrid).
"""

from __future__ import annotations

import hashlib
import json
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from kehoach.ingest.eval_targets import locate

from .engine import SearchEngine
from .passages import OUTLINE_KIND

if TYPE_CHECKING:
    from .adapter import QueryAdapter

SLICES = ("plain", "no-diacritics", "paraphrase", "ocr", "numeric", "agency", "english")
WEIGHT_GRID = tuple(round(x * 0.05, 2) for x in range(0, 21))


@dataclass
class GoldItem:
    plan: str
    start: int
    end: int
    grade: int
    quote: str
    by: str = "author"  # "author" (the question file) or "pool" (a pooled judgment)


@dataclass
class Question:
    id: str
    question: str
    slices: list[str]
    gold: list[GoldItem] = field(default_factory=list)
    source: str = ""  # the question file's name without extension
    nonrelevant: list[GoldItem] = field(default_factory=list)  # judged grade 0 (pooling)


def default_questions_path() -> Path:
    """The development set."""
    return Path(__file__).resolve().parents[1] / "tests" / "eval" / "search-questions.jsonl"


def default_question_paths() -> list[Path]:
    """The development set and the held-out set(s), in that order."""
    dev = default_questions_path()
    held_out = dev.parent.glob("search-questions-heldout-*.jsonl")
    return [dev, *sorted(held_out, key=lambda p: (len(p.stem), p.stem))]  # 1, 2, ..., 9, 10


def load_question_sets(paths: Sequence[str | Path], originals: dict[str, str]) -> list[Question]:
    """Several question files as one list; ids must be unique across them."""
    out: list[Question] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for q in load_questions(path, originals):
            if q.id in seen:
                raise ValueError(f"question id {q.id} is in both {seen[q.id]} and {path}")
            seen[q.id] = Path(path)
            out.append(q)
    return out


def load_questions(path: str | Path, originals: dict[str, str]) -> list[Question]:
    """Read the question file and locate every quote in its plan's original text.

    A quote that is missing (or has fewer occurrences than asked) is an error in the gold
    file, reported with the question id, never skipped.
    """
    out: list[Question] = []
    for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        q = Question(row["id"], row["question"], list(row["slices"]), source=Path(path).stem)
        for item in row["relevant"]:
            q.gold.append(_gold_item(item, originals, f"{row['id']} (line {line_no})"))
        out.append(q)
    return out


def _gold_item(item: dict[str, Any], originals: dict[str, str], where: str, by: str = "author") -> GoldItem:
    """A gold or judged item located in its plan's original text; `occurrence` counts
    from 1 here (the extraction gold's `locate` counts from 0)."""
    text = originals.get(item["plan"])
    if text is None:
        raise ValueError(f"{where}: unknown plan {item['plan']!r}")
    occurrence = int(item.get("occurrence", 1))
    try:
        if occurrence < 1:
            raise ValueError
        start, end = locate(text, item["quote"], occurrence - 1)
    except ValueError:
        raise ValueError(f"{where}: quote not found in {item['plan']}: {item['quote']!r}") from None
    return GoldItem(item["plan"], start, end, int(item.get("grade", 2)), item["quote"], by)


def apply_judgments(questions: Sequence[Question], paths: Sequence[str | Path], originals: dict[str, str]) -> int:
    """Add pooled judgments (search/judging.py) to the questions: grade 1-2 rows join the
    gold, grade-0 rows are remembered as judged non-relevant. Returns the rows read.
    A judgment for an unknown question or a quote not in its plan is an error."""
    from .judging import read_jsonl

    by_id = {q.id: q for q in questions}
    n = 0
    for path in paths:
        for line_no, row in enumerate(read_jsonl(path), 1):
            q = by_id.get(row["id"])
            if q is None:
                raise ValueError(f"{path}, row {line_no}: judgment for unknown question {row['id']!r}")
            item = _gold_item(row, originals, f"{path}, row {line_no} ({row['id']})", by="pool")
            (q.gold if item.grade > 0 else q.nonrelevant).append(item)
            n += 1
    return n


def matches(plan: str, start: int, end: int, gold: GoldItem) -> bool:
    """Same plan and the two ranges overlap by at least half of the shorter one."""
    if plan != gold.plan:
        return False
    overlap = min(end, gold.end) - max(start, gold.start)
    return overlap > 0 and overlap * 2 >= min(end - start, gold.end - gold.start)


# One ranked passage: (plan, span start, span end), optionally with the ranges of an
# outline's part headings: (plan, start, end, ((start, end), ...)).
Ranked = tuple


def ranked_entry(passage: Any) -> Ranked:
    """What scoring needs of a passage: its plan, its span and any part headings' spans."""
    return (passage.plan, passage.span.start, passage.span.end, tuple((part.start, part.end) for part in passage.parts))


def hit_entry(hit: Any) -> Ranked:
    """The same for a search hit (spans as JSON)."""
    return (hit.plan, hit.span["start"], hit.span["end"], tuple((part["start"], part["end"]) for part in hit.parts))


def covers(entry: Ranked, gold: Sequence[GoldItem]) -> bool:
    return any(_entry_matches(entry, g) for g in gold)


def passage_matches(passage: Any, gold: GoldItem) -> bool:
    return _entry_matches(ranked_entry(passage), gold)


def _entry_matches(entry: Ranked, gold: GoldItem) -> bool:
    """A ranked passage matches a gold item when its span, or one of its part headings'
    spans (an outline quotes those lines only), overlaps it (`matches`)."""
    plan, start, end, *rest = entry
    return any(matches(plan, s, e, gold) for s, e in ((start, end), *(rest[0] if rest else ())))


def score_ranking(ranked: Sequence[Ranked], gold: Sequence[GoldItem], nonrelevant: Sequence[GoldItem] = ()) -> dict[str, float]:
    """Metrics for one question; `ranked` holds (plan, span start, span end[, part ranges])
    best first. `nonrelevant` (judged grade 0) only counts toward judged@10, the share of
    the top 10 that anyone has judged (1.0 for an empty ranking)."""
    top = ranked[:10]
    judged = 0
    first = None
    found_at: dict[int, int] = {}  # gold index -> best rank
    gains: list[float] = []
    for rank, entry in enumerate(top, start=1):
        hit_items = [i for i, g in enumerate(gold) if _entry_matches(entry, g)]
        judged += bool(hit_items) or covers(entry, nonrelevant)
        if hit_items and first is None:
            first = rank
        fresh = [i for i in hit_items if i not in found_at]
        for i in hit_items:
            found_at.setdefault(i, rank)
        gains.append(max((gold[i].grade for i in fresh), default=0))
    dcg = sum((2**g - 1) / math.log2(r + 1) for r, g in enumerate(gains, start=1))
    ideal = sorted((g.grade for g in gold), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(r + 1) for r, g in enumerate(ideal, start=1))
    # Recall@5 counts gold items (quoted lines); one passage can hold several, so more than
    # five can be found in five passages: capped at the five a top 5 could be asked for.
    in5 = min(5, sum(1 for r in found_at.values() if r <= 5))
    return {
        "mrr@10": 1.0 / first if first else 0.0,
        "hit@5": 1.0 if first and first <= 5 else 0.0,
        "recall@5": in5 / min(5, len(gold)) if gold else 0.0,
        "ndcg@10": dcg / idcg if idcg else 0.0,
        "judged@10": judged / len(top) if top else 1.0,
    }


def average(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    if not rows:
        return {}
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


Runner = Callable[[Question], list[Ranked]]


# Per question id, the query adapter to score it with (`held_out_adapters`); None, or an id
# not in it: the engine's own.
Adapters = "dict[str, QueryAdapter] | None"


@contextmanager
def adapter_for(engine: SearchEngine, adapters: Adapters, question_id: str) -> Iterator[None]:
    """Ask one question with its own adapter (when `adapters` is given), then put the engine's back."""
    if adapters is None:
        yield
        return
    own = engine.query_adapter
    engine.query_adapter = adapters.get(question_id, own)
    try:
        yield
    finally:
        engine.query_adapter = own


def runner(engine: SearchEngine, mode: str, fusion: str = "weighted", weight: float | None = None, adapters: Adapters = None) -> Runner:
    def run(q: Question) -> list[Ranked]:
        with adapter_for(engine, adapters, q.id):
            hits = engine.search(q.question, k=10, mode=mode, fusion=fusion, weight=weight)
        return [hit_entry(h) for h in hits]

    return run


def evaluate(questions: Sequence[Question], run: Runner) -> dict[str, dict[str, float]]:
    """Per-question metrics, averaged overall and per slice."""
    per_q = {q.id: score_ranking(run(q), q.gold, q.nonrelevant) for q in questions}
    return summarise(questions, per_q)


def summarise(questions: Sequence[Question], per_q: dict[str, dict[str, float]]) -> dict[str, Any]:
    result: dict[str, Any] = {"overall": average(per_q[q.id] for q in questions), "n": {"overall": len(questions)}}
    sources = list(dict.fromkeys(q.source for q in questions))
    if len(sources) > 1:  # each question file's own overall figures
        for source in sources:
            qs = [q for q in questions if q.source == source]
            result[f"set:{source}"] = average(per_q[q.id] for q in qs)
            result["n"][f"set:{source}"] = len(qs)
    for s in SLICES:
        qs = [q for q in questions if s in q.slices]
        if qs:
            result[s] = average(per_q[q.id] for q in qs)
            result["n"][s] = len(qs)
    result["per_question"] = per_q
    return result


BOOST_GRID = (0.0, 0.15, 0.25, 0.5, 1.0)
AGENCY_BOOST_GRID = (0.0, 0.1, 0.25, 0.5)  # per kind of query; ties go to the smaller boost
TARGET_BOOST_GRID = (0.0, 0.1, 0.25, 0.5)  # one value, chosen with the province boost
# Query aids chosen by cross-validation, each only for the kinds of query it changes:
# name -> (engine attributes, kinds of query it applies to).
QUERY_AIDS: dict[str, tuple[dict[str, Any], frozenset[str]]] = {
    "none": ({}, frozenset({"vi", "vi-folded", "foreign"})),
    "skos-expansion": ({"expand_queries": frozenset({"vi", "vi-folded"})}, frozenset({"vi", "vi-folded"})),
    "en-vector-translated": ({"foreign_vector_text": "translated"}, frozenset({"foreign"})),
    "en-vector-both": ({"foreign_vector_text": "both"}, frozenset({"foreign"})),
}
BASE_AIDS = {"expand_queries": frozenset(), "foreign_vector_text": "original"}


def fold_of(question_id: str, folds: int) -> int:
    """A question's fold from a hash of its id: adding questions to the set does not
    move the others between folds (a shuffle would), so figures stay comparable."""
    return int(hashlib.sha1(question_id.encode("utf-8")).hexdigest(), 16) % folds


class FusionGrid:
    """Every question's candidates, searched once per query-aid setting, re-fused under
    every (province boost, vector weight): fusion is cheap, searching is not."""

    def __init__(self, questions: Sequence[Question], engine: SearchEngine, aids: Sequence[str] = ("none",), adapters: Adapters = None):
        from .engine import fuse
        from .query import analyse_query

        self._fuse = fuse
        self.engine = engine
        self.questions = list(questions)
        self.kind = {q.id: analyse_query(q.question).kind for q in self.questions}
        self.candidates: dict[str, dict[str, Any]] = {}
        shipped = {k: getattr(engine, k) for k in BASE_AIDS}
        try:
            for aid in aids:
                settings, kinds = QUERY_AIDS[aid]
                for k, v in {**BASE_AIDS, **settings}.items():
                    setattr(engine, k, v)
                self.candidates[aid] = {}
                for q in self.questions:
                    if self.kind[q.id] in kinds:
                        with adapter_for(engine, adapters, q.id):
                            self.candidates[aid][q.id] = engine.candidates(q.question)
        finally:
            for k, v in shipped.items():
                setattr(engine, k, v)
        self._where: dict[int, Ranked] = {}

    def _locate(self, pid: int) -> Ranked:
        if pid not in self._where:
            self._where[pid] = ranked_entry(self.engine.passage(pid))
        return self._where[pid]

    def metrics(
        self, aid: str, boost: float, weight: float, mode: str = "hybrid", fusion: str = "weighted", agency_boost: float = 0.0, target_boost: float = 0.0
    ) -> dict[str, dict[str, float]]:
        """Per-question metrics (questions the aid applies to) under one setting."""
        out = {}
        by_id = {q.id: q for q in self.questions}
        for qid, cands in self.candidates[aid].items():
            scored = self._fuse(cands, mode, fusion, weight, boost, agency_boost, target_boost)
            top = sorted(scored.items(), key=lambda kv: -kv[1][0])[:10]
            out[qid] = score_ranking([self._locate(pid) for pid, _ in top], by_id[qid].gold, by_id[qid].nonrelevant)
        return out


def choose_settings(
    per: dict[tuple[str, float, float, float, float], dict[str, dict[str, float]]],
    train: Sequence[str],
    kind_of: dict[str, str],
    aids: Sequence[str],
    boosts: Sequence[float],
    grid: Sequence[float],
    shipped_boost: float,
    agency_boosts: Sequence[float] = (0.0,),
    target_boosts: Sequence[float] = (0.0,),
) -> dict[str, Any]:
    """The province and target boosts, and per kind of query the query aid, vector weight
    and agency boost, that maximise MRR@10 (then nDCG@10) summed over the training
    questions. Ties go to no aid, then to the smaller agency boost, the weight nearest 0.5,
    the province boost nearest the shipped one and the smaller target boost. `per` is keyed
    (aid, province boost, weight, agency boost, target boost)."""

    def total(aid: str, b: float, w: float, a: float, t: float, qids: list[str]) -> tuple[float, float]:
        rows = [per[(aid, b, w, a, t)][q] for q in qids]
        return (round(sum(r["mrr@10"] for r in rows), 9), round(sum(r["ndcg@10"] for r in rows), 9))

    kinds = sorted({kind_of[q] for q in train})
    best: tuple[Any, ...] | None = None
    for b in boosts:
        for tb in target_boosts:
            picked: dict[str, tuple[str, float, float]] = {}
            score = [0.0, 0.0]
            for kind in kinds:
                qids = [q for q in train if kind_of[q] == kind]
                options = [(aid, w, a) for aid in aids if kind in QUERY_AIDS[aid][1] for w in grid for a in agency_boosts]
                aid, w, a = max(options, key=lambda o: (total(o[0], b, o[1], o[2], tb, qids), o[0] == "none", -o[2], -abs(o[1] - 0.5)))
                picked[kind] = (aid, w, a)
                t = total(aid, b, w, a, tb, qids)
                score[0] += t[0]
                score[1] += t[1]
            key = (round(score[0], 9), round(score[1], 9), -abs(b - shipped_boost), -tb)
            if best is None or key > best[0]:
                best = (key, b, tb, picked)
    _, b, tb, picked = best
    return {
        "boost": b,
        "target_boost": tb,
        "weights": {k: w for k, (_, w, _) in picked.items()},
        "aids": {k: a for k, (a, _, _) in picked.items()},
        "agency_boosts": {k: ab for k, (_, _, ab) in picked.items()},
    }


def cross_validated_weight(
    questions: Sequence[Question],
    engine: SearchEngine,
    folds: int = 5,
    seed: int = 13,
    grid: Sequence[float] = WEIGHT_GRID,
    boosts: Sequence[float] = BOOST_GRID,
    aids: Sequence[str] = tuple(QUERY_AIDS),
    agency_boosts: Sequence[float] = AGENCY_BOOST_GRID,
    target_boosts: Sequence[float] = TARGET_BOOST_GRID,
    adapters: Adapters = None,
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]], dict[str, dict[float, float]]]:
    """Per-question metrics of the fusion where each fold uses the settings chosen on the
    other folds (`choose_settings`: province and target boosts; per kind of query —
    Vietnamese, Vietnamese without diacritics, English; see search/query.py — the vector
    weight, the agency boost and the query aid), never on the held-out fold. Returns
    (per-question metrics, settings chosen per fold, MRR@10 of every grid weight per kind
    on all questions without aids at the shipped boosts — for the report only). `seed` is
    kept for compatibility: folds come from a hash of the question id. `adapters`: each
    question's query adapter (`held_out_adapters`), else the engine's own.
    """
    from .engine import PROVINCE_BOOST, TARGET_BOOST

    table = FusionGrid(questions, engine, aids, adapters)
    kind_of = table.kind
    per = {
        (a, b, w, ab, tb): table.metrics(a, b, w, agency_boost=ab, target_boost=tb)
        for a in aids for b in boosts for w in grid for ab in agency_boosts for tb in target_boosts
    }
    ids = [q.id for q in questions]
    fold = {qid: fold_of(qid, folds) for qid in ids}
    per_q: dict[str, dict[str, float]] = {}
    chosen: list[dict[str, Any]] = []
    for f in range(folds):
        train = [qid for qid in ids if fold[qid] != f]
        picked = choose_settings(per, train, kind_of, aids, boosts, grid, PROVINCE_BOOST, agency_boosts, target_boosts)
        chosen.append(picked)
        for qid in ids:
            if fold[qid] == f:
                kind = kind_of[qid]
                key = (
                    picked["aids"].get(kind, "none"), picked["boost"], picked["weights"].get(kind, 0.5),
                    picked["agency_boosts"].get(kind, agency_boosts[0]), picked["target_boost"],
                )
                per_q[qid] = per[key][qid]
    cross_validated_weight.full_data = choose_settings(per, ids, kind_of, aids, boosts, grid, PROVINCE_BOOST, agency_boosts, target_boosts)  # what ships
    b0 = PROVINCE_BOOST if PROVINCE_BOOST in boosts else boosts[0]
    t0 = TARGET_BOOST if TARGET_BOOST in target_boosts else target_boosts[0]
    kinds = sorted(set(kind_of.values()))
    grid_mrr = {
        kind: {w: sum(per[("none", b0, w, agency_boosts[0], t0)][q]["mrr@10"] for q in ids if kind_of[q] == kind) / max(1, sum(1 for q in ids if kind_of[q] == kind)) for w in grid}
        for kind in kinds
    }
    return per_q, chosen, grid_mrr


def slice_weight_curve(questions: Sequence[Question], engine: SearchEngine, slice_name: str, grid: Sequence[float] = WEIGHT_GRID, adapters: Adapters = None) -> dict[float, float]:
    """MRR@10 of one slice at every vector weight (shipped boost and expansion), to see
    whether that slice would want another weight. Reference only: the slice of a query
    is not known when it is asked, so weights are chosen per query kind."""
    qs = [q for q in questions if slice_name in q.slices]
    table = FusionGrid(qs, engine, adapters=adapters)
    return {w: sum(m["mrr@10"] for m in table.metrics("none", engine.province_boost, w).values()) / max(1, len(qs)) for w in grid}


def ablation(questions: Sequence[Question], engine: SearchEngine, adapters: Adapters = None) -> list[tuple[str, dict[str, Any]]]:
    """What each keyword-side choice and query aid is worth: (label, summary) rows.

    Rebuilds only the BM25 index for each tokenizer variant (vectors are unchanged), then
    restores the engine's settings. `adapters`: each question's query adapter, as in
    `cross_validated_weight`.
    """
    from dataclasses import replace

    from .keyword_index import TokenizerOptions

    shipped_tok, shipped_boost, shipped_restore = engine.tokenizer, engine.province_boost, engine.restore_queries
    shipped_translate = engine.translate_queries
    variants = [
        ("syllables only", TokenizerOptions(codes=False, numbers=False, bigrams=False, words=False, code_weight=1)),
        ("+ codes, numbers", TokenizerOptions(bigrams=False, words=False, code_weight=1)),
        ("+ bigrams", TokenizerOptions(words=False, code_weight=1)),
        ("+ code weight 3 (shipped)", shipped_tok),
        ("+ underthesea words", replace(shipped_tok, words=True)),
    ]
    rows: list[tuple[str, dict[str, Any]]] = []
    try:
        for label, options in variants:
            engine.tokenizer = options
            engine._rebuild_keyword()
            engine._load_passages()
            rows.append((f"keyword, {label}", evaluate(questions, runner(engine, "keyword"))))
            rows.append((f"fusion,  {label}", evaluate(questions, runner(engine, "hybrid", adapters=adapters))))
        engine.tokenizer = shipped_tok
        engine._rebuild_keyword()
        engine._load_passages()
        for boost in (0.0, 0.15, 1.0):
            engine.province_boost = boost
            rows.append((f"fusion, province boost {boost} (shipped {shipped_boost})", evaluate(questions, runner(engine, "hybrid", adapters=adapters))))
        engine.province_boost = shipped_boost
        engine.province_names_as_words = True
        rows.append(("fusion, named province also matched as words (before)", evaluate(questions, runner(engine, "hybrid", adapters=adapters))))
        engine.province_names_as_words = False
        engine.restore_queries = False
        rows.append(("vector, no diacritic restoration of queries", evaluate(questions, runner(engine, "vector", adapters=adapters))))
        rows.append(("fusion, no diacritic restoration of queries", evaluate(questions, runner(engine, "hybrid", adapters=adapters))))
        engine.restore_queries = shipped_restore
        # Query aids under the full cross-validation protocol (settings chosen per training fold).
        cv = lambda **kw: summarise(questions, cross_validated_weight(questions, engine, **{"adapters": adapters, **kw})[0])  # noqa: E731
        rows.append(("fusion CV, boost fixed 0.5, no query aids (old protocol)", cv(boosts=(0.5,), aids=("none",), agency_boosts=(0.0,))))
        rows.append(("fusion CV, no agency boost", cv(agency_boosts=(0.0,))))
        own, engine.query_adapter = engine.query_adapter, None
        try:
            rows.append(("vector, no query adapter", evaluate(questions, runner(engine, "vector"))))
            rows.append(("fusion CV, no query adapter", cv(adapters=None)))
        finally:
            engine.query_adapter = own
        rows.append(("fusion CV, no query aids", cv(aids=("none",))))
        rows.append(("fusion CV, only aid: SKOS expansion of Vietnamese queries", cv(aids=("none", "skos-expansion"))))
        rows.append(("fusion CV, only aid: English embedded with its translation", cv(aids=("none", "en-vector-both"))))
        engine.translate_queries = False
        rows.append(("keyword, English queries not translated", evaluate(questions, runner(engine, "keyword"))))
        rows.append(("fusion CV, English not translated, boost 0.5, no aids (before)", cv(boosts=(0.5,), aids=("none",), agency_boosts=(0.0,))))
    finally:
        engine.translate_queries = shipped_translate
        engine.tokenizer, engine.province_boost, engine.restore_queries = shipped_tok, shipped_boost, shipped_restore
        engine.province_names_as_words = False
        engine._rebuild_keyword()
        engine._load_passages()
    return rows


def format_ablation(rows: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"{'variant':<62}{'MRR@10':>8}{'Hit@5':>7}  MRR@10 per slice"]
    for label, res in rows:
        o = res["overall"]
        per = " ".join(f"{s}={res[s]['mrr@10']:.2f}" for s in SLICES if s in res)
        lines.append(f"{label:<62}{o['mrr@10']:>8.3f}{o['hit@5']:>7.3f}  {per}")
    return "\n".join(lines)


def open_eval_engine(store_dir: str | Path, corpus_dir: str | Path, embedder: str | None = None, embed_cache: str | Path | None = None) -> tuple[SearchEngine, dict[str, str]]:
    """The evaluation engine over a corpus folder, indexed in `store_dir`; passage vectors
    are cached per model under ~/.cache/kehoach (or $XDG_CACHE_HOME), across runs, unless
    `embed_cache` names another cache file."""
    import os

    from .adapter import model_slug
    from .embedders import make_embedder

    cache_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kehoach"
    cache_dir.mkdir(parents=True, exist_ok=True)
    emb = make_embedder(embedder)
    return build_eval_engine(store_dir, corpus_dir, embedder=emb, embed_cache=embed_cache or cache_dir / f"embed-{model_slug(emb.model_id)}.npz")


def build_eval_engine(store_dir: str | Path, corpus_dir: str | Path, embedder: Any = None, embed_cache: str | Path | None = None) -> tuple[SearchEngine, dict[str, str]]:
    """Index every plan of a corpus folder into `store_dir` (reusing cached embeddings)."""
    from kehoach.ingest.pipeline import extract_plan

    records = [extract_plan(p) for p in sorted(Path(corpus_dir).glob("*.txt"))]
    engine = SearchEngine.open(store_dir, embedder=embedder, embed_cache=embed_cache)
    engine.index_records(records)
    return engine, {r.id: r.original_text for r in records}


def format_table(results: dict[str, dict[str, Any]]) -> str:
    """Plain-text table: one block per method, rows = overall and slices."""
    metrics = ("mrr@10", "recall@5", "hit@5", "ndcg@10", "judged@10")
    lines = []
    for method, res in results.items():
        lines.append(f"== {method}")
        lines.append(f"{'slice':<15}{'n':>4}" + "".join(f"{m:>10}" for m in metrics))
        sets = [k for k in res if k.startswith("set:")]
        for s in ("overall", *sets) + SLICES:
            if s in res:
                label = s.replace("set:search-questions-", "set:").replace("set:search-questions", "set:development")
                lines.append(f"{label:<15}{res['n'][s]:>4}" + "".join(f"{res[s][m]:>10.3f}" for m in metrics))
    return "\n".join(lines)


# --- the query adapter (search/adapter.py), trained and measured on these questions -----


@dataclass
class AdapterData:
    """What a query adapter learns from: each question's query vector as the engine embeds
    it, the passage vectors of the index, and which passages answer which question."""

    question_ids: list[str]
    queries: np.ndarray  # (n, d)
    passages: np.ndarray  # (m, d)
    passage_plans: np.ndarray  # (m,) plan id of each passage row
    positives: list[list[int]]  # passage rows answering question i (pooled gold, grades 1-2)
    question_plans: list[set[str]]  # plans holding question i's answers


def adapter_data(questions: Sequence[Question], engine: SearchEngine) -> AdapterData:
    """Outline passages are left out: only a question asking how a plan is organised sees
    them (search/query.py), and it is lifted to them by rule, not by the adapter."""
    indexed = [(int(i), engine.passage(int(i))) for i in engine.vectors.ids()]
    ids = [i for i, p in indexed if p.kind != OUTLINE_KIND]
    spans = [p for _, p in indexed if p.kind != OUTLINE_KIND]
    by_plan: dict[str, list[int]] = {}
    for row, p in enumerate(spans):
        by_plan.setdefault(p.plan, []).append(row)
    queries, positives = [], []
    for q in questions:
        queries.append(engine.query_vector(engine.read_query(q.question).vector_text))
        rows = {
            row
            for g in q.gold
            for row in by_plan.get(g.plan, ())
            if passage_matches(spans[row], g)
        }
        positives.append(sorted(rows))
    return AdapterData(
        question_ids=[q.id for q in questions],
        queries=np.vstack(queries).astype(np.float32) if queries else np.zeros((0, engine.embedder.dim), np.float32),
        passages=engine.vectors.vectors(ids),
        passage_plans=np.array([p.plan for p in spans]),
        positives=positives,
        question_plans=[{g.plan for g in q.gold} for q in questions],
    )


def train_adapter(data: AdapterData, model_id: str, held_out_plan: str | None = None, **trained_on: Any) -> "QueryAdapter":
    """An adapter trained on every question, or, with `held_out_plan`, on the questions
    that do not touch that plan, its passages left out of the softmax."""
    from .adapter import QueryAdapter, train_matrix

    use = [i for i, plans in enumerate(data.question_plans) if held_out_plan is None or held_out_plan not in plans]
    excluded = data.passage_plans == held_out_plan if held_out_plan is not None else None
    matrix = train_matrix(data.queries[use], data.passages, [data.positives[i] for i in use], excluded)
    return QueryAdapter(matrix, model_id, {"questions": len(use), **({"held_out_plan": held_out_plan} if held_out_plan else {}), **trained_on})


def held_out_adapters(questions: Sequence[Question], engine: SearchEngine, extra: Sequence[Question] = ()) -> dict[str, "QueryAdapter"]:
    """For each question, the adapter trained without the plan holding its (first) answer:
    the questions touching that plan and that plan's passages are left out of its training,
    so every question is scored by an adapter that never saw its plan. `extra`: more
    training questions (held out the same way), never scored."""
    data = adapter_data([*questions, *extra], engine)
    plan_of = {q.id: (q.gold[0].plan if q.gold else "") for q in questions}
    adapters = {plan: train_adapter(data, engine.embedder.model_id, plan) for plan in sorted(set(plan_of.values()))}
    return {q.id: adapters[plan_of[q.id]] for q in questions}


def learnt_questions(engine: SearchEngine, questions: Sequence[Question]) -> set[str]:
    """Ids of the questions the engine's query adapter learnt from: scoring them with it
    would be in-sample. Matched by the question's text (the fingerprints the adapter
    records), so a renamed or merged question file is still recognised and a new question
    in an old file is not; an adapter that records no fingerprints is matched by file name."""
    adapter = engine.query_adapter
    if adapter is None:
        return set()
    if "question_digests" in adapter.trained_on:
        return {q.id for q in questions if adapter.has_learnt(q.question)}
    files = {Path(name).stem for name in adapter.trained_on.get("question_files", ())}
    return {q.id for q in questions if q.source in files}


def scoring_adapters(questions: Sequence[Question], engine: SearchEngine) -> Adapters:
    """What `eval search` and `eval pool` score each question with: for a question the
    engine's adapter learnt from, one trained without its plan (`held_out_adapters`); for
    the others (not in the dict; None when there are none), the engine's own."""
    seen = learnt_questions(engine, questions)
    if not seen:
        return None
    held_out = held_out_adapters(questions, engine)
    return {qid: held_out[qid] for qid in seen}

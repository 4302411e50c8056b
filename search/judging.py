"""Pooled relevance judgments: passages the methods rank high that the question's author
did not list, judged afterwards, blind, so every method is scored on a fuller gold.

This is the pooling of TREC-style evaluations. A question's author lists the passages
they know answer it; other passages may answer it too (the same sentence in another
section, the header that states the date asked for). Left unjudged they count as wrong,
for every method alike but not equally: a method that finds such passages is penalised.

1. `build_pool` takes, for every question, the top `depth` passages of each of several
   runs (keyword, vectors, RRF, fusion), keeps those no gold item or earlier judgment
   covers, and writes them as a judging sheet: question, the author's quotes, then the
   candidates in an order that reveals neither the method nor the rank.
2. A judge who has not seen the search code or its results grades each candidate
   (2 answers the question, 1 states part of the answer, 0 does not) in a verdict file.
3. `merge_verdicts` turns sheet + verdicts into a judgments file kept in the repo
   (tests/eval/judgments/*.jsonl): plan, exact quote of the original text, occurrence,
   grade, the judge's reason. Grade-0 rows are kept too: they say the passage was judged.

`kehoach eval search` scores against the author's gold plus these judgments (`--gold
pooled`, the default) or the author's gold alone (`--gold authors`, the basis of the
first-run records), and reports judged@10: the share of a method's top 10 that has been
judged at all.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Sequence

POOL_RUNS = {  # name -> (engine mode, fusion)
    "keyword": ("keyword", "weighted"),
    "vector": ("vector", "weighted"),
    "rrf": ("hybrid", "rrf"),
    "fusion": ("hybrid", "weighted"),
}
GRADES = (0, 1, 2)
JUDGMENTS_DIR = Path(__file__).resolve().parents[1] / "tests" / "eval" / "judgments"


def default_judgment_paths(question_paths: Sequence[str | Path] | None = None) -> list[Path]:
    """The bundled judgment files; with `question_paths`, only those made for these
    question files (same file name)."""
    paths = sorted(JUDGMENTS_DIR.glob("*.jsonl"))
    if question_paths is None:
        return paths
    stems = {Path(q).stem for q in question_paths}
    return [p for p in paths if p.stem in stems]


def occurrence_at(text: str, quote: str, start: int) -> int:
    """Which copy of `quote` in `text` begins at `start` (1-based), as gold files count."""
    n, pos = 0, -1
    while True:
        pos = text.find(quote, pos + 1)
        if pos < 0 or pos > start:
            raise ValueError(f"quote not found at {start}")
        n += 1
        if pos == start:
            return n


def _shuffle_key(question_id: str, plan: str, start: int) -> str:
    return hashlib.sha1(f"{question_id}|{plan}|{start}".encode("utf-8")).hexdigest()


def build_pool(questions: Sequence[Any], engine: Any, originals: dict[str, str], depth: int = 5, adapters: Any = None) -> list[dict[str, Any]]:
    """Sheet rows: one per (question, passage) in some run's top `depth` that no gold item
    and no earlier judgment of that question covers. Questions keep their order; within a
    question, candidates are ordered by a hash, not by rank or method. `adapters`: each
    question's query adapter (search/evaluate.py `held_out_adapters`), else the engine's."""
    from .evaluate import adapter_for, covers, hit_entry

    rows: list[dict[str, Any]] = []
    for q in questions:
        known = [*q.gold, *q.nonrelevant]
        found: dict[tuple[str, int, int], Any] = {}
        for mode, fusion in POOL_RUNS.values():
            with adapter_for(engine, adapters, q.id):
                hits = engine.search(q.question, k=depth, mode=mode, fusion=fusion)
            for h in hits:
                key = (h.plan, h.span["start"], h.span["end"])
                if key not in found and not covers(hit_entry(h), known):
                    found[key] = h
        for (plan, start, end), h in sorted(found.items(), key=lambda kv: _shuffle_key(q.id, kv[0][0], kv[0][1])):
            quote = originals[plan][start:end]
            rows.append(
                {
                    "item": f"{q.id}:{_shuffle_key(q.id, plan, start)[:8]}",
                    "id": q.id,
                    "question": q.question,
                    "plan": plan,
                    "section": h.section,
                    "text": h.text,
                    "quote": quote,
                    "occurrence": occurrence_at(originals[plan], quote, start),
                }
            )
    return rows


def sheet_markdown(rows: Sequence[dict[str, Any]], questions: Sequence[Any]) -> str:
    """The sheet for a human (or a helper session) to read: per question, the author's
    quotes, then each candidate with its item id, heading path and text as search shows
    it (for an OCR plan, the restored text; the original is in the .jsonl sheet)."""
    by_q: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_q.setdefault(r["id"], []).append(r)
    out = []
    for q in questions:
        if q.id not in by_q:
            continue
        out.append(f"## {q.id}: {q.question}\n")
        out.append("Author's answers:")
        out += [f"- (grade {g.grade}, {g.plan}) {g.quote}" for g in q.gold]
        out.append("")
        for r in by_q[q.id]:
            out.append(f"### {r['item']} ({r['plan']})")
            if r["section"]:
                out.append(f"Heading: {r['section']}")
            out.append(f"Text: {r['text']}")
            out.append("")
    return "\n".join(out)


def merge_verdicts(sheet: Iterable[dict[str, Any]], verdicts: Iterable[dict[str, Any]], pool: str) -> list[dict[str, Any]]:
    """Judgment rows from sheet rows and the judge's verdicts ({"item", "grade", "why"}).
    Every sheet item must have exactly one verdict with a valid grade."""
    sheet_by_item = {r["item"]: r for r in sheet}
    got: dict[str, dict[str, Any]] = {}
    for v in verdicts:
        item = v.get("item")
        if item not in sheet_by_item:
            raise ValueError(f"verdict for unknown item {item!r}")
        if item in got:
            raise ValueError(f"two verdicts for item {item}")
        if v.get("grade") not in GRADES:
            raise ValueError(f"item {item}: grade must be one of {GRADES}, got {v.get('grade')!r}")
        got[item] = v
    missing = [i for i in sheet_by_item if i not in got]
    if missing:
        raise ValueError(f"{len(missing)} sheet items have no verdict, e.g. {missing[:3]}")
    return [
        {
            "id": r["id"],
            "plan": r["plan"],
            "quote": r["quote"],
            "occurrence": r["occurrence"],
            "grade": got[item]["grade"],
            "why": got[item].get("why", ""),
            "pool": pool,
        }
        for item, r in sheet_by_item.items()
    ]


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {n}: not JSON ({error.msg})") from None
    return rows


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

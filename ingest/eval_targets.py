"""Score the target and event extractors against the hand-written gold set.

Gold: tests/gold/extraction/<plan-id>.targets.json, one file per plan, written by reading the
plan (never from extractor output): each target has subject, metric, value, value_max, unit,
year and a short exact quote of the original file (with "occurrence" when the quote is not
unique); each event has its commemoration key, day and quote.

Matching: a prediction and a gold target are paired when their spans overlap and at least two
of (subject, value, year) agree, best pairs first, each used once. Rows:
- kind "target", field "match": pairs found (tp), unpaired predictions (fp), unpaired gold (fn);
- per field (subject, metric, value, unit, year) and "all": a pair counts only if that field
  (or every field) is right too, so precision = right / predicted and recall = right / gold;
- kind "event", fields "match" and "key" likewise (pairs need overlap and the same day).

Run: `python -m kehoach.ingest.eval_targets [PLAN ...] [--details] [--no-repair] [--bench]`
(or `kehoach eval extraction`). --no-repair scores the raw OCR text of Lào Cai, without the
text-repair step; --bench prints the extraction throughput.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold" / "extraction"
CORPUS_DIR = ROOT / "corpus"
TARGET_FIELDS = ("subject", "metric", "value", "unit", "year")


def gold_plan_ids() -> list[str]:
    return sorted(p.name[: -len(".targets.json")] for p in GOLD_DIR.glob("*.targets.json"))


def locate(original: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the n-th occurrence of a gold quote in the original text."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = original.find(quote, pos + 1)
        if pos < 0:
            raise ValueError(f"gold quote not found (occurrence {occurrence}): {quote!r}")
    return pos, pos + len(quote)


def load_gold(plan_id: str, original: str) -> dict[str, list[dict[str, Any]]]:
    data = json.loads((GOLD_DIR / f"{plan_id}.targets.json").read_text(encoding="utf-8"))
    for kind in ("targets", "events"):
        for item in data.get(kind, []):
            item["start"], item["end"] = locate(original, unicodedata.normalize("NFC", item["quote"]), item.get("occurrence", 0))
    return {"targets": data.get("targets", []), "events": data.get("events", [])}


def _num_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def field_ok(field: str, pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    if field == "value":
        return _num_eq(pred["value"], gold["value"]) and _num_eq(pred.get("value_max"), gold.get("value_max"))
    return pred.get(field) == gold.get(field)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def match(preds: list[dict[str, Any]], golds: list[dict[str, Any]], keys: tuple[str, ...], need: int) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of overlapping items, most agreeing fields first."""
    scored = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if not _overlap(p, g):
                continue
            score = sum(field_ok(k, p, g) for k in keys)
            if score >= need:
                scored.append((-score, abs(p["start"] - g["start"]), i, j))
    scored.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, _, i, j in scored:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def _row(kind: str, field: str, tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"kind": kind, "field": field, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}


def predictions(plan_id: str, repair: bool = True):
    """The extractors' output for one corpus plan, as gold-shaped dicts, and the record
    (`repair=False`: on the raw OCR text, without the text-repair step)."""
    from .events import extract_events
    from .pipeline import extract_plan
    from .targets import extract_targets

    record = extract_plan(CORPUS_DIR / f"{plan_id}.txt", plan_id, repair=repair)
    targets = [dict(t.to_json(), start=t.span.start, end=t.span.end) for t in extract_targets(record)]
    events = [dict(e.to_json(), event=e.key, start=e.span.start, end=e.span.end) for e in extract_events(record)]
    for e in events:
        e["day"] = e["date"]
    return record, targets, events


def evaluate(plan_ids: list[str] | None = None, details: list[dict[str, Any]] | None = None, repair: bool = True) -> list[dict[str, Any]]:
    """Rows (kind, field, precision, recall, f1, tp, fp, fn) over the given (default: all) gold plans.
    If `details` is a list, the unmatched and wrong items are appended to it for inspection."""
    plan_ids = plan_ids or gold_plan_ids()
    totals: dict[tuple[str, str], int] = {}
    n = {"tp": 0, "pred": 0, "gold": 0, "ev_tp": 0, "ev_pred": 0, "ev_gold": 0, "ev_key": 0}
    for plan_id in plan_ids:
        if not (GOLD_DIR / f"{plan_id}.targets.json").exists():
            continue
        record, preds, ev_preds = predictions(plan_id, repair)
        gold = load_gold(plan_id, record.original_text)
        pairs = match(preds, gold["targets"], ("subject", "value", "year"), need=2)
        n["tp"] += len(pairs)
        n["pred"] += len(preds)
        n["gold"] += len(gold["targets"])
        for field in TARGET_FIELDS + ("all",):
            ok = 0
            for i, j in pairs:
                fields = TARGET_FIELDS if field == "all" else (field,)
                if all(field_ok(f, preds[i], gold["targets"][j]) for f in fields):
                    ok += 1
                elif details is not None and field == "all":
                    details.append({"plan": plan_id, "problem": "wrong fields", "pred": _short(preds[i]), "gold": _short(gold["targets"][j])})
            totals[("target", field)] = totals.get(("target", field), 0) + ok
        if details is not None:
            mp = {i for i, _ in pairs}
            mg = {j for _, j in pairs}
            details.extend({"plan": plan_id, "problem": "spurious", "pred": _short(p)} for i, p in enumerate(preds) if i not in mp)
            details.extend({"plan": plan_id, "problem": "missed", "gold": _short(g)} for j, g in enumerate(gold["targets"]) if j not in mg)
        ev_pairs = match(ev_preds, gold["events"], ("day",), need=1)
        n["ev_tp"] += len(ev_pairs)
        n["ev_pred"] += len(ev_preds)
        n["ev_gold"] += len(gold["events"])
        n["ev_key"] += sum(ev_preds[i]["event"] == gold["events"][j]["event"] for i, j in ev_pairs)
        if details is not None:
            mp = {i for i, _ in ev_pairs}
            mg = {j for _, j in ev_pairs}
            details.extend({"plan": plan_id, "problem": "spurious event", "pred": _short(p)} for i, p in enumerate(ev_preds) if i not in mp)
            details.extend({"plan": plan_id, "problem": "missed event", "gold": _short(g)} for j, g in enumerate(gold["events"]) if j not in mg)
    rows = [_row("target", "match", n["tp"], n["pred"], n["gold"])]
    rows += [_row("target", f, totals.get(("target", f), 0), n["pred"], n["gold"]) for f in TARGET_FIELDS + ("all",)]
    rows.append(_row("event", "match", n["ev_tp"], n["ev_pred"], n["ev_gold"]))
    rows.append(_row("event", "key", n["ev_key"], n["ev_pred"], n["ev_gold"]))
    return rows


def _short(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("subject", "metric", "value", "value_max", "unit", "year", "event", "day", "quote")
    out = {k: item.get(k) for k in keys if k in item}
    if "span" in item:
        out["quote"] = item["span"]["quote"][:80]
    return out


def benchmark(plan_ids: list[str] | None = None, repeat: int = 5) -> dict[str, float]:
    """Throughput of target + event extraction alone (the record already built), in MB/s."""
    from .events import extract_events
    from .pipeline import extract_plan
    from .targets import extract_targets

    records = [extract_plan(CORPUS_DIR / f"{p}.txt", p) for p in (plan_ids or gold_plan_ids())]
    size = sum(len(r.original_text.encode("utf-8")) for r in records)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for r in records:
            extract_targets(r)
            extract_events(r)
    dt = (time.perf_counter() - t0) / repeat
    return {"plans": len(records), "bytes": size, "seconds": round(dt, 4), "mb_per_s": round(size / dt / 1e6, 3), "ms_per_plan": round(dt / len(records) * 1000, 2)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    details: list[dict[str, Any]] | None = [] if "--details" in argv else None
    plan_ids = [a for a in argv if not a.startswith("--")] or None
    rows = evaluate(plan_ids, details, repair="--no-repair" not in argv)
    print(f"{'kind':8} {'field':9} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for r in rows:
        print(f"{r['kind']:8} {r['field']:9} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f} {r['tp']:4} {r['fp']:4} {r['fn']:4}")
    if details:
        for d in details:
            print(json.dumps(d, ensure_ascii=False))
    if "--bench" in argv:
        print(json.dumps(benchmark(plan_ids)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

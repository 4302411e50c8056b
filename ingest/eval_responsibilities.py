"""Measure tasks and responsibilities against the hand-made gold set in tests/gold/extraction.

Gold files (written from reading the plans, see their "conventions" field):
- <plan>.responsibilities.json: items, each with a short exact `quote` of the original text
  (and its start/end) inside one duty / table row, a `deadline` (gMonthDay or null) and the
  agencies it assigns, each with `canonical` label and `role`;
- <plan>.tasks.json: tasks, each with a `quote` inside the task item, its `theme` and `period`.

A predicted responsibility matches a gold one when the canonical agencies agree (labels
compared after agencies.normalised_key) and the predicted duty span contains the gold quote;
matching is one-to-one. Rows:
- responsibilities/all: agency + task + role must agree (the headline F1);
- responsibilities/agency: agency + task (role ignored);
- responsibilities/task: which duties carry responsibilities at all (quote inside a predicted span);
- responsibilities/role: lead/coordinate accuracy over gold lead/coordinate pairs matched on agency + task
  (precision = recall = accuracy);
- responsibilities/deadline: deadlines of matched pairs;
- tasks/all, tasks/theme, tasks/period: tasks (section and appendix, not duties) matched by quote
  containment; theme and period compared on matched tasks (period only where the gold states one).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from .agencies import normalised_key

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold" / "extraction"


def corpus_path(plan_id: str) -> Path:
    local = Path(__file__).resolve().parent.parent / "corpus" / f"{plan_id}.txt"
    if local.exists():
        return local
    return Path(str(resources.files("kehoach.corpus").joinpath(f"{plan_id}.txt")))


def gold_plan_ids() -> list[str]:
    return sorted(p.name.split(".")[0] for p in GOLD_DIR.glob("*.responsibilities.json"))


def load_gold(plan_id: str, kind: str) -> dict[str, Any]:
    return json.loads((GOLD_DIR / f"{plan_id}.{kind}.json").read_text("utf-8"))


def row(kind: str, field: str, tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"kind": kind, "field": field, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}


def gold_responsibilities(plan_id: str) -> list[dict[str, Any]]:
    """Flat gold tuples: agency key, role, quote offsets, deadline."""
    out = []
    for item in load_gold(plan_id, "responsibilities")["responsibilities"]:
        for a in item["agencies"]:
            out.append({"agency": normalised_key(a["canonical"]), "role": a["role"], "start": item["start"],
                        "end": item["end"], "deadline": item.get("deadline")})
    return out


def _pred_tuple(r: Any) -> dict[str, Any]:
    return {"agency": normalised_key(r.agency_label), "role": r.role, "start": r.span.start, "end": r.span.end,
            "deadline": r.deadline.value if r.deadline else None}


def _contains(p: dict[str, Any], g: dict[str, Any]) -> bool:
    return p["start"] <= g["start"] and g["end"] <= p["end"]


def match(golds: list[dict], preds: list[dict], same) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: pairs (gold index, pred index) where `same(gold, pred)`."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if pi not in used and same(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def responsibility_counts(golds: list[dict], preds: list[dict]) -> dict[str, tuple[int, int, int]]:
    counts: dict[str, tuple[int, int, int]] = {}
    full = match(golds, preds, lambda g, p: g["agency"] == p["agency"] and g["role"] == p["role"] and _contains(p, g))
    counts["all"] = (len(full), len(preds) - len(full), len(golds) - len(full))
    pairs = match(golds, preds, lambda g, p: g["agency"] == p["agency"] and _contains(p, g))
    counts["agency"] = (len(pairs), len(preds) - len(pairs), len(golds) - len(pairs))
    anchors = {(g["start"], g["end"]) for g in golds}
    spans = {(p["start"], p["end"]) for p in preds}
    found = {a for a in anchors if any(s <= a[0] and a[1] <= e for s, e in spans)}
    useful = {s for s in spans if any(s[0] <= a[0] and a[1] <= s[1] for a in anchors)}
    counts["task"] = (len(found), len(spans - useful), len(anchors - found))
    lc = [(gi, pi) for gi, pi in pairs if golds[gi]["role"] in ("lead", "coordinate")]
    right = sum(1 for gi, pi in lc if preds[pi]["role"] == golds[gi]["role"])
    counts["role"] = (right, len(lc) - right, len(lc) - right)
    d_tp = sum(1 for gi, pi in pairs if golds[gi]["deadline"] and preds[pi]["deadline"] == golds[gi]["deadline"])
    d_fp = sum(1 for gi, pi in pairs if preds[pi]["deadline"] and preds[pi]["deadline"] != golds[gi]["deadline"])
    d_fn = sum(1 for g in golds if g["deadline"]) - d_tp
    counts["deadline"] = (d_tp, d_fp, d_fn)
    return counts


def task_counts(gold_tasks: list[dict], pred_tasks: list[Any]) -> dict[str, tuple[int, int, int]]:
    preds = [{"start": t.span.start, "end": t.span.end, "theme": t.theme, "period": t.period}
             for t in pred_tasks if t.source in ("section", "appendix")]
    golds = gold_tasks
    pairs = match(golds, preds, lambda g, p: _contains(p, g))
    counts = {"all": (len(pairs), len(preds) - len(pairs), len(golds) - len(pairs))}
    t_ok = sum(1 for gi, pi in pairs if preds[pi]["theme"] == golds[gi]["theme"])
    counts["theme"] = (t_ok, len(preds) - t_ok, len(golds) - t_ok)
    with_period = [(gi, pi) for gi, pi in pairs if golds[gi]["period"]]
    p_ok = sum(1 for gi, pi in with_period if preds[pi]["period"] == golds[gi]["period"])
    p_pred = sum(1 for gi, pi in pairs if preds[pi]["period"])
    counts["period"] = (p_ok, p_pred - p_ok, sum(1 for g in golds if g["period"]) - p_ok)
    return counts


def _add(total: dict[str, list[int]], counts: dict[str, tuple[int, int, int]]) -> None:
    for k, (tp, fp, fn) in counts.items():
        t = total.setdefault(k, [0, 0, 0])
        t[0] += tp
        t[1] += fp
        t[2] += fn


def evaluate(plan_ids: list[str] | None = None, per_plan: bool = False, repair: bool = True) -> list[dict[str, Any]]:
    """Rows (kind, field, precision, recall, f1, tp, fp, fn) over the gold plans (all by default)."""
    from .pipeline import extract_plan
    from .responsibilities import extract_responsibilities
    from .tasks import extract_tasks

    plan_ids = plan_ids or gold_plan_ids()
    resp_total: dict[str, list[int]] = {}
    task_total: dict[str, list[int]] = {}
    rows: list[dict[str, Any]] = []
    for plan_id in plan_ids:
        record = extract_plan(corpus_path(plan_id), plan_id=plan_id, repair=repair)
        responsibilities = record.responsibilities or extract_responsibilities(record)
        tasks = record.tasks or extract_tasks(record)
        rc = responsibility_counts(gold_responsibilities(plan_id), [_pred_tuple(r) for r in responsibilities])
        tc = task_counts(load_gold(plan_id, "tasks")["tasks"], tasks)
        _add(resp_total, rc)
        _add(task_total, tc)
        if per_plan:
            rows += [dict(row("responsibilities", f, *c), plan=plan_id) for f, c in rc.items()]
            rows += [dict(row("tasks", f, *c), plan=plan_id) for f, c in tc.items()]
    rows += [row("responsibilities", f, *c) for f, c in resp_total.items()]
    rows += [row("tasks", f, *c) for f, c in task_total.items()]
    return rows


def format_rows(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'plan':<28} {'kind':<17} {'field':<9} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for r in rows:
        lines.append(f"{r.get('plan', 'ALL'):<28} {r['kind']:<17} {r['field']:<9} {r['precision']:>6.3f} "
                     f"{r['recall']:>6.3f} {r['f1']:>6.3f} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4}")
    return "\n".join(lines)




HELDOUT_DIR = GOLD_DIR / "heldout"


def heldout_rows(per_plan: bool = False) -> list[dict[str, Any]]:
    """Scores on the held-out plans of tests/gold/extraction/heldout (made-up plans in other phrasings,
    expectations written by hand before the rules were run on them)."""
    from .pipeline import extract_plan_text
    from .responsibilities import extract_responsibilities
    from .tasks import extract_tasks

    resp_total: dict[str, list[int]] = {}
    task_total: dict[str, list[int]] = {}
    rows: list[dict[str, Any]] = []
    for expected_path in sorted(HELDOUT_DIR.glob("*.expected.json")):
        plan_id = expected_path.name.split(".")[0]
        original = (HELDOUT_DIR / f"{plan_id}.txt").read_text("utf-8")
        expected = json.loads(expected_path.read_text("utf-8"))
        record = extract_plan_text(original, plan_id)
        golds = []
        for canonical, role, quote, deadline in expected["responsibilities"]:
            start = original.index(quote)
            golds.append({"agency": normalised_key(canonical), "role": role, "start": start, "end": start + len(quote),
                          "deadline": deadline})
        preds = [_pred_tuple(r) for r in (record.responsibilities or extract_responsibilities(record))]
        rc = responsibility_counts(golds, preds)
        _add(resp_total, rc)
        gold_tasks = []
        for quote, theme, period in expected["tasks"]:
            start = original.index(quote)
            gold_tasks.append({"start": start, "end": start + len(quote), "theme": theme, "period": period})
        tc = task_counts(gold_tasks, record.tasks or extract_tasks(record))
        _add(task_total, tc)
        if per_plan:
            rows += [dict(row("responsibilities", f, *c), plan=plan_id) for f, c in rc.items()]
            rows += [dict(row("tasks", f, *c), plan=plan_id) for f, c in tc.items()]
    return rows + [row("responsibilities", f, *c) for f, c in resp_total.items()] + \
        [row("tasks", f, *c) for f, c in task_total.items()]


if __name__ == "__main__":  # python -m kehoach.ingest.eval_responsibilities [--heldout] [plan ids]
    import sys

    args = sys.argv[1:]
    if "--no-repair" in args:  # the OCR plan as read, without diacritic restoration
        args.remove("--no-repair")
        print(format_rows(evaluate(args or None, per_plan=True, repair=False)))
    elif "--heldout" in args:
        print(format_rows(heldout_rows(per_plan=True)))
    else:
        print(format_rows(evaluate(args or None, per_plan=True)))

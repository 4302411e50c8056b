"""Score the extractor on the blind, synthetic held-out set in tests/gold/heldout-blind/.

Why a separate scorer: the gold there was written by an independent evaluator without reading
the extractor or the project's own gold, in the evaluator's own words (subjects and metrics as
Vietnamese phrases, agencies as written). This script maps those words to the extractor's concept
keys through the hand-written concept_map.json and compares facts by where they sit in the text
(span overlap) plus their values, so that it does not depend on the extractor's own conventions.

Run:  python benchmarks/eval_heldout_blind.py [--json] [--details]

Targets: a prediction matches a gold target when their spans overlap and the values agree
(1% relative tolerance; "hai phần ba" is 66.67). Pairs are assigned one-to-one, best agreement
first. Reported: P/R/F1 at the value level, strict P/R/F1 (value + value_max + unit + year), and per
field (a field counts as a true positive when the pair matched and the field agrees), plus
accuracy of each field among matched pairs. Subject agreement is only judged where the gold names
a subject.

Responsibilities: a prediction matches a gold responsibility when the agency is the same (after
folding diacritics, expanding common abbreviations, dropping punctuation, "Việt Nam" and the
province name; compared against the agency as written and the canonical label) and the duty spans
overlap. Reported: P/R/F1 for agency+duty, strict (agency+duty+role), role accuracy and deadline
accuracy among matched pairs. A second precision ignores predictions for unnamed groups
("các sở, ngành ...", "các đơn vị ...") which the gold does not annotate by convention.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from kehoach.ingest.eval_targets import locate
from kehoach.ingest.pipeline import extract_plan
from kehoach.ingest.vietnamese import fold

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold" / "heldout-blind"


# ---------------------------------------------------------------- small pure helpers

def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= max(0.01 * max(abs(a), abs(b)), 1e-9)


def norm_unit(unit) -> str | None:
    if unit is None:
        return None
    u = fold(str(unit)).lower().strip()
    if u in ("phan-tram", "phan tram"):
        return "%"
    if u.startswith("phan-tram-moi-nam") or ("%" in u and ("nam" in u)):
        return "%/nam"
    if "%" in u:
        return "%"
    return re.split(r"[\s\-/]+", u)[0] or None


def norm_year(year, period=None):
    if isinstance(year, int) or (isinstance(year, str) and year.isdigit()):
        return int(year)
    if isinstance(year, str) and fold(year).lower() in ("annual", "hang nam", "moi nam"):
        return "annual"
    if year is None and period and fold(str(period)).lower() in ("annual", "hang nam", "moi nam", "yearly"):
        return "annual"
    return None


def year_ok(gold_year, pred_year) -> bool:
    accepted = gold_year if isinstance(gold_year, list) else [gold_year]
    return pred_year in [norm_year(y) for y in accepted]


_ABBREV = [
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bmttq\b", "mat tran to quoc"),
    (r"\bvn\b", "viet nam"),
    (r"\bgd\s*&?\s*dt\b", "giao duc va dao tao"),
    (r"\bvh\s*,?\s*tt\s*&\s*dl\b", "van hoa the thao va du lich"),
    (r"\bvhttdl\b", "van hoa the thao va du lich"),
    (r"\btt\s*&\s*tt\b", "thong tin va truyen thong"),
]


def norm_agency(name: str | None, province: str | None) -> str:
    if not name:
        return ""
    s = fold(name).lower()
    for pattern, repl in _ABBREV:
        s = re.sub(pattern, repl, s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\bviet nam\b", " ", s)
    if province:
        s = re.sub(r"\b" + re.escape(fold(province).lower()) + r"\b", " ", s)
    s = re.sub(r"\bva\b", " ", s)  # "Phát thanh - Truyền hình" vs "Phát thanh và Truyền hình"
    return " ".join(s.split())


def slug(s: str) -> str:
    return "-".join(fold(s).lower().replace("đ", "d").split())


GENERIC = re.compile(r"^(cac|nhung)\s+(so|ban|nganh|don vi|co quan|phong|dia phuong|to chuc)\b(?!\s+chinh tri)")


def is_generic(name: str | None) -> bool:
    return bool(GENERIC.match(fold(name or "").lower().strip()))


def deadline_text(d) -> str | None:
    if d is None:
        return None
    if isinstance(d, dict):
        return d.get("text")
    return str(d)


def deadline_ok(gold, pred) -> bool:
    g, p = deadline_text(gold), deadline_text(pred)
    if not g or not p:
        return not g and not p
    gd = re.search(r"(\d{1,2})/(\d{1,2})", g)
    pd = re.search(r"(\d{1,2})/(\d{1,2})", p)
    if gd or pd:
        return bool(gd and pd and (int(gd[1]), int(gd[2])) == (int(pd[1]), int(pd[2])))
    gf, pf = " ".join(fold(g).lower().split()), " ".join(fold(p).lower().split())
    return gf == pf or gf in pf or pf in gf


def assign(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """Greedy one-to-one assignment, best score first. Returns gold index -> prediction index."""
    used_g, used_p, out = set(), set(), {}
    for _score, gi, pi in sorted(pairs, key=lambda x: -x[0]):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out[gi] = pi
    return out


# ---------------------------------------------------------------- scoring

def score_targets(gold: list[dict], preds: list[dict], text: str, cmap: dict):
    gspans = [locate(text, g["quote"], g.get("occurrence", 0)) for g in gold]
    pspans = [(p["span"]["start"], p["span"]["end"]) for p in preds]

    def fields(g, p):
        subj_keys = cmap["subject"].get(g["subject"]) if g["subject"] else None
        return {
            "value_max": same_value(g["value_max"], p.get("value_max")),
            "unit": norm_unit(g["unit"]) == norm_unit(p.get("unit")),
            "year": year_ok(g["year"], norm_year(p.get("year"), p.get("period"))),
            "subject": None if subj_keys is None else p.get("subject") in subj_keys,
            "metric": p.get("metric") in cmap["metric"][g["metric"]],
        }

    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if overlap(gspans[gi], pspans[pi]) and same_value(g["value"], p.get("value")):
                f = fields(g, p)
                pairs.append((sum(1 for v in f.values() if v) + 0.001 * overlap(gspans[gi], pspans[pi]), gi, pi))
    matched = assign(pairs)
    rows = []
    for gi, g in enumerate(gold):
        pi = matched.get(gi)
        rows.append({"gold": g, "pred": preds[pi] if pi is not None else None,
                     "fields": fields(g, preds[pi]) if pi is not None else None})
    unmatched_preds = [p for pi, p in enumerate(preds) if pi not in matched.values()]
    return rows, unmatched_preds


def score_responsibilities(gold: list[dict], preds: list[dict], text: str, province: str | None):
    gspans = [locate(text, g["quote"], g.get("occurrence", 0)) for g in gold]
    pspans = [(p["span"]["start"], p["span"]["end"]) for p in preds]

    def agency_ok(g, p):
        gn = norm_agency(g["agency"], province)
        cands = {norm_agency(p.get("agency"), province), norm_agency(p.get("agency_label"), province)}
        return gn in cands or slug(gn) == (p.get("agency_key") or "")

    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            ov = overlap(gspans[gi], pspans[pi])
            if ov and agency_ok(g, p):
                score = 2 * (g["role"] == p.get("role")) + deadline_ok(g["deadline"], p.get("deadline"))
                pairs.append((score + ov / max(1, gspans[gi][1] - gspans[gi][0]), gi, pi))
    matched = assign(pairs)
    rows = []
    for gi, g in enumerate(gold):
        pi = matched.get(gi)
        p = preds[pi] if pi is not None else None
        rows.append({"gold": g, "pred": p,
                     "role": None if p is None else g["role"] == p.get("role"),
                     "deadline": None if p is None else deadline_ok(g["deadline"], p.get("deadline"))})
    unmatched_preds = [p for pi, p in enumerate(preds) if pi not in matched.values()]
    return rows, unmatched_preds


def evaluate(details: bool = False, gold_dir: Path = GOLD_DIR) -> dict:
    cmap = json.loads((gold_dir / "concept_map.json").read_text(encoding="utf-8"))
    t_rows, t_fp, r_rows, r_fp = [], [], [], []
    n_t_pred = n_r_pred = n_r_pred_named = 0
    per_file = {}
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = extract_plan(gold_dir / gold["file"])
        text = record.original_text
        tpreds = [t.to_json() if hasattr(t, "to_json") else dict(t.__dict__) for t in record.targets]
        rpreds = [r.to_json() if hasattr(r, "to_json") else dict(r.__dict__) for r in record.responsibilities]
        trows, tfp = score_targets(gold["targets"], tpreds, text, cmap)
        rrows, rfp = score_responsibilities(gold["responsibilities"], rpreds, text, record.header.province)
        for row in trows + rrows:
            row["file"] = gold["file"]
        for p in tfp + rfp:
            p["_file"] = gold["file"]
        t_rows += trows
        r_rows += rrows
        t_fp += tfp
        r_fp += rfp
        n_t_pred += len(tpreds)
        n_r_pred += len(rpreds)
        n_r_pred_named += sum(1 for p in rpreds if not is_generic(p.get("agency")))
        per_file[gold["file"]] = {
            "targets": prf(sum(1 for r in trows if r["pred"]), len(tpreds), len(trows)),
            "responsibilities": prf(sum(1 for r in rrows if r["pred"] and r["role"]), len(rpreds), len(rrows)),
        }

    matched_t = [r for r in t_rows if r["pred"]]
    n_t_gold = len(t_rows)
    strict = [r for r in matched_t if r["fields"]["value_max"] and r["fields"]["unit"] and r["fields"]["year"]]
    targets = {"value-level (span+value)": prf(len(matched_t), n_t_pred, n_t_gold),
               "strict (value+value_max+unit+year)": prf(len(strict), n_t_pred, n_t_gold)}
    for f in ("value_max", "unit", "year", "metric"):
        targets[f] = prf(sum(1 for r in matched_t if r["fields"][f]), n_t_pred, n_t_gold)
    with_subj = [r for r in t_rows if r["gold"]["subject"]]
    targets["subject (gold names one)"] = prf(sum(1 for r in with_subj if r["pred"] and r["fields"]["subject"]),
                                              n_t_pred, len(with_subj))
    targets["accuracy among matched"] = {
        f: round(sum(1 for r in matched_t if r["fields"][f]) / max(1, sum(1 for r in matched_t if r["fields"][f] is not None)), 3)
        for f in ("value_max", "unit", "year", "subject", "metric")}

    matched_r = [r for r in r_rows if r["pred"]]
    n_r_gold = len(r_rows)
    tp_strict = sum(1 for r in matched_r if r["role"])
    resp = {
        "agency+duty": prf(len(matched_r), n_r_pred, n_r_gold),
        "strict (agency+duty+role)": prf(tp_strict, n_r_pred, n_r_gold),
        "strict, unnamed-group predictions ignored": prf(tp_strict, n_r_pred_named, n_r_gold),
        "deadline": prf(sum(1 for r in matched_r if r["role"] and r["deadline"]), n_r_pred, n_r_gold),
        "accuracy among matched": {
            "role": round(sum(1 for r in matched_r if r["role"]) / max(1, len(matched_r)), 3),
            "deadline": round(sum(1 for r in matched_r if r["deadline"]) / max(1, len(matched_r)), 3),
        },
    }
    lead_coord = [r for r in matched_r if r["gold"]["role"] in ("lead", "coordinate")]
    resp["accuracy among matched"]["lead/coordinate role"] = round(
        sum(1 for r in lead_coord if r["role"]) / max(1, len(lead_coord)), 3)
    result = {"targets": targets, "responsibilities": resp, "per_file": per_file}
    if details:
        result["details"] = {
            "targets_missed": [{"file": r["file"], **{k: r["gold"][k] for k in ("subject", "value", "unit", "year", "quote")}}
                               for r in t_rows if not r["pred"]],
            "targets_field_errors": [{"file": r["file"], "gold": {k: r["gold"][k] for k in ("subject", "metric", "value", "value_max", "unit", "year")},
                                      "pred": {k: r["pred"].get(k) for k in ("subject", "metric", "value", "value_max", "unit", "year", "period")},
                                      "wrong": [f for f, ok in r["fields"].items() if ok is False]}
                                     for r in matched_t if any(ok is False for ok in r["fields"].values())],
            "targets_spurious": [{"file": p["_file"], "value": p.get("value"), "unit": p.get("unit"), "year": p.get("year"),
                                  "subject": p.get("subject"), "quote": p["span"]["quote"]} for p in t_fp],
            "resp_missed": [{"file": r["file"], "agency": r["gold"]["agency"], "role": r["gold"]["role"],
                             "quote": r["gold"]["quote"][:80]} for r in r_rows if not r["pred"]],
            "resp_wrong_role_or_deadline": [{"file": r["file"], "agency": r["gold"]["agency"], "gold_role": r["gold"]["role"],
                                             "pred_role": r["pred"].get("role"), "gold_deadline": r["gold"]["deadline"],
                                             "pred_deadline": deadline_text(r["pred"].get("deadline"))}
                                            for r in matched_r if not (r["role"] and r["deadline"])],
            "resp_spurious": [{"file": p["_file"], "agency": p.get("agency"), "role": p.get("role"),
                               "quote": p["span"]["quote"][:80]} for p in r_fp],
        }
    return result


def print_table(result: dict, gold_dir: Path = GOLD_DIR) -> None:
    for kind in ("targets", "responsibilities"):
        print(f"\n{kind.upper()}  (blind synthetic held-out set, {gold_dir})")
        print(f"  {'measure':45s} {'P':>6s} {'R':>6s} {'F1':>6s}   tp/pred/gold")
        for name, m in result[kind].items():
            if "p" in m:
                print(f"  {name:45s} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}   {m['tp']}/{m['pred']}/{m['gold']}")
        print("  accuracy among matched: " + ", ".join(f"{k}={v:.3f}" for k, v in result[kind]["accuracy among matched"].items()))
    print("\nPER FILE (targets value-level; responsibilities strict)")
    for f, m in result["per_file"].items():
        t, r = m["targets"], m["responsibilities"]
        print(f"  {f:32s} targets F1={t['f1']:.3f} ({t['tp']}/{t['pred']}/{t['gold']})"
              f"   resp F1={r['f1']:.3f} ({r['tp']}/{r['pred']}/{r['gold']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--details", action="store_true", help="list misses, field errors and spurious facts")
    ap.add_argument("--gold-dir", type=Path, default=GOLD_DIR, help="a held-out set folder (default: tests/gold/heldout-blind)")
    args = ap.parse_args(argv)
    result = evaluate(details=args.details or args.json, gold_dir=args.gold_dir.resolve())
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return 0
    print_table(result, args.gold_dir)
    if args.details:
        print("\nDETAILS")
        print(json.dumps(result["details"], ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

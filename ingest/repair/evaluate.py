"""Word accuracy of the repairer: on hand-restored OCR lines and on stripped clean plans.

Three figures (issue 4):
  1. OCR gold: the Lào Cai plan is repaired as the pipeline does it (layout
     normalisation, then repair of the whole document), and each gold line's repaired
     characters are gathered back through the offset map, then compared word by word
     with the hand-written line (tests/gold/repair/lao-cai-lines.tsv).
  2. Held-out stripped plans: each clean plan loses its diacritics (`fold`), a model is
     built without that plan, and the restored text is compared with the original.
  3. Clean documents: `apply_repair` on each clean plan must change nothing.
Words are compared case-insensitively after normalising tone placement (hoá = hóa);
numbers count as words. Alignment is difflib's longest matching blocks, so a split or
merged OCR word costs what it should.
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..layout import normalise_layout
from ..vietnamese import fold
from .detect import needs_repair
from .model import RepairModel, build_model, load_model
from .restore import Restorer, apply_repair, repair_text
from .sources import CORPUS_DIR, corpus_plans
from .tokens import normalise_tone_placement

GOLD_PATH = Path(__file__).resolve().parents[2] / "tests" / "gold" / "repair" / "lao-cai-lines.tsv"
GOLD_PLAN = "lao-cai-2023-251-kh-ubnd"
_WORD = re.compile(r"\{[^{}]*\}|\d+|[^\W\d_]+")


def words(text: str) -> list[str]:
    """Comparable word units: lower case, one tone-placement style; "{a|b}" stays one unit."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w.startswith("{"):
            out.append("|".join(normalise_tone_placement(x.lower()) for x in w[1:-1].split("|")))
        else:
            out.append(normalise_tone_placement(w.lower()))
    return out


@dataclass
class Score:
    correct: int = 0
    total: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def add(self, gold_text: str, system_text: str) -> None:
        g, s = words(gold_text), words(system_text)
        # alternatives: a system word equal to any listed reading counts as that reading
        g_eq = [next((x for x in w.split("|") if x in s), w.split("|")[0]) if "|" in w else w for w in g]
        sm = difflib.SequenceMatcher(a=g_eq, b=s, autojunk=False)
        matched = sum(b.size for b in sm.get_matching_blocks())
        self.correct += matched
        self.total += len(g_eq)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != "equal":
                self.errors.append((" ".join(g_eq[i1:i2]), " ".join(s[j1:j2])))


def load_gold(path: Path = GOLD_PATH) -> list[tuple[int, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        no, ocr, gold = line.split("\t")
        rows.append((int(no), ocr, gold))
    return rows


def _line_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for line in text.split("\n"):
        bounds.append((start, start + len(line)))
        start += len(line) + 1
    return bounds


def evaluate_ocr_gold(model: RepairModel | None = None, gold_path: Path = GOLD_PATH) -> Score:
    original = (CORPUS_DIR / f"{GOLD_PLAN}.txt").read_text(encoding="utf-8")
    layout = normalise_layout(original)
    restorer = Restorer(model or load_model())
    result = repair_text(layout.text, restorer=restorer)
    offsets = [layout.offsets[i] for i in result.offsets]
    bounds = _line_bounds(original)
    score = Score()
    for no, ocr, gold in load_gold(gold_path):
        start, end = bounds[no - 1]
        if original[start:end].strip() != ocr:
            raise ValueError(f"gold line {no} does not match the corpus file: {ocr!r}")
        repaired = "".join(ch for ch, o in zip(result.text, offsets) if start <= o < end)
        score.add(gold, repaired)
    return score


def evaluate_stripped(plan_id: str, text: str) -> Score:
    model = build_model(exclude_plans=[plan_id])
    layout = normalise_layout(text)
    stripped = fold(layout.text)
    result = repair_text(stripped, restorer=Restorer(model))
    score = Score()
    gold_lines = layout.text.split("\n")
    sys_lines = result.text.split("\n")
    for g, s in zip(gold_lines, sys_lines):
        score.add(g, s)
    return score


def clean_document_changes(plan_text: str) -> tuple[int, int]:
    """(words changed by apply_repair, words changed by forced line-gated repair_text)."""
    layout = normalise_layout(plan_text)
    text, _, info = apply_repair(layout.text, layout.offsets)
    gated = 0 if info is None else info["changed_words"]
    forced = repair_text(layout.text).changed_words
    return gated, forced


def run(held_out: bool = True, out=print) -> dict:
    t0 = time.time()
    report: dict = {}
    ocr = evaluate_ocr_gold()
    gold_rows = load_gold()
    out(f"OCR gold ({GOLD_PLAN}, {len(gold_rows)} lines, {ocr.total} words): word accuracy {ocr.accuracy:.2%}")
    report["ocr_gold"] = {"lines": len(gold_rows), "words": ocr.total, "accuracy": round(ocr.accuracy, 4)}
    plans = corpus_plans(exclude=[GOLD_PLAN])
    if held_out:
        total = Score()
        report["stripped"] = {}
        for pid, text in plans.items():
            s = evaluate_stripped(pid, text)
            total.correct += s.correct
            total.total += s.total
            out(f"stripped {pid} (held out, {s.total} words): word accuracy {s.accuracy:.2%}")
            report["stripped"][pid] = round(s.accuracy, 4)
        out(f"stripped plans overall ({total.total} words): word accuracy {total.accuracy:.2%}")
        report["stripped_overall"] = round(total.accuracy, 4)
    report["clean_changes"] = {}
    for pid, text in plans.items():
        gated, forced = clean_document_changes(text)
        out(f"clean {pid}: needs_repair={needs_repair(text)} words changed by ingest: {gated} (line-gated repair_text forced: {forced})")
        report["clean_changes"][pid] = {"ingest": gated, "forced": forced}
    out(f"({time.time() - t0:.1f} s)")
    return report

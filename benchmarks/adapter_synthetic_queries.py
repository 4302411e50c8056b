"""Experiment: does the query adapter (search/adapter.py) gain from synthetic queries?

benchmarks/data/synthetic-queries.jsonl holds 1,107 queries written by language-model
helper sessions (not by hand), three for each non-outline passage of the five bundled
plans: a colloquial Vietnamese paraphrase, a query typed without diacritics and an English
question; each query's answer is the passage it was written from (quoted by its first
line). The writers saw only the passages, never the evaluation questions. They are
training data for this experiment only: no evaluation reads them, and the shipped adapter
is not trained on them (README, "Search", for the figures and why).

For each variant the adapters are trained as `kehoach eval search` trains them, one per
plan without that plan's questions and passages, here with the synthetic queries of the
other plans added to the training questions, and the 1,153 hand-written questions are
scored at the shipped settings (both golds, fusion and vectors alone).

    python benchmarks/adapter_synthetic_queries.py [none,english,all]   # ~3.5 min a variant
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kehoach.corpus import __file__ as corpus_init
from kehoach.search import evaluate as ev
from kehoach.search.judging import default_judgment_paths

SYNTHETIC = Path(__file__).resolve().parent / "data" / "synthetic-queries.jsonl"
VARIANTS = {"none": set(), "english": {"english"}, "colloquial": {"colloquial"}, "all": {"colloquial", "no-diacritics", "english"}}
SLICES = ("overall", "plain", "no-diacritics", "paraphrase", "ocr", "numeric", "agency", "english")


def main(variants: list[str]) -> None:
    paths = ev.default_question_paths()
    with tempfile.TemporaryDirectory() as tmp:
        engine, originals = ev.open_eval_engine(tmp, Path(corpus_init).parent, None)
        synthetic = ev.load_questions(SYNTHETIC, originals)
        for gold in ("pooled", "authors"):
            questions = ev.load_question_sets(paths, originals)
            if gold == "pooled":
                ev.apply_judgments(questions, default_judgment_paths(paths), originals)
            for variant in variants:
                extra = [q for q in synthetic if set(q.slices) & VARIANTS[variant]]
                adapters = ev.held_out_adapters(questions, engine, extra)
                for mode in ("hybrid", "vector"):
                    result = ev.evaluate(questions, ev.runner(engine, mode, adapters=adapters))
                    figures = " ".join(f"{s}={result[s]['mrr@10']:.4f}" for s in SLICES)
                    print(f"{gold} {variant} (+{len(extra)}) {mode}: MRR@10 {figures} hit@5={result['overall']['hit@5']:.4f}", flush=True)


if __name__ == "__main__":
    chosen = sys.argv[1].split(",") if len(sys.argv) > 1 else ["none", "english", "all"]
    unknown = [v for v in chosen if v not in VARIANTS]
    if unknown:
        sys.exit(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    main(chosen)

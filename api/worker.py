"""The process that runs SPARQL for /sparql, so a runaway query can be killed.

pyoxigraph has no query timeout (oxigraph issue #1926) and a running query cannot be
interrupted from Python, so each query runs in a separate process that the server kills
when the operator's time limit passes. The worker opens the store read-only, checks the
query with the guard (update, LOAD and SERVICE are refused here, inside the time limit,
so even a pathological query text cannot stall the server's event loop), runs it and sends
back the serialised answer.

Started as `python -m kehoach.api.worker STORE_PATH` (a plain child process, so it never
re-imports the server's __main__ as multiprocessing's spawn would). Messages on
stdin/stdout are 4-byte big-endian lengths followed by a pickle; the worker sends
("ready", problem) first. Anything a library prints goes to stderr, never into the pipe.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from pathlib import Path

HEADER = struct.Struct(">I")


def write_message(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_message(stream):
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - only ever from our own server process


def open_store(path: Path):
    """(store, None) read-only, or (None, message) when there is none."""
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
    return execute(store, request, verdict.form, verdict.has_dataset_clause)


def serve(store_path: str) -> None:
    """Answer requests from stdin until it closes."""
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries land on stderr
    sys.stdout = sys.stderr
    protocol_in = sys.stdin.buffer
    from kehoach.api.execute import Outcome
    from kehoach.api.sparql_guard import check_query

    check_query("ASK {}")  # build rdflib's grammar now, not during the first timed query
    store, problem = open_store(Path(store_path))
    write_message(protocol_out, ("ready", problem))
    while True:
        request = read_message(protocol_in)
        if request is None:
            return
        try:
            outcome = handle(store, problem, request)
        except Exception as error:  # noqa: BLE001 - the server must get an answer, not a dead pipe
            outcome = Outcome.error(500, f"Internal error while running the query: {type(error).__name__}: {error}")
        write_message(protocol_out, outcome)


if __name__ == "__main__":
    serve(sys.argv[1])

"""Shared helpers for the tests of kehoach.api: a small store, an app, a live server."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kehoach.api.settings import Settings

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")
XSD = "http://www.w3.org/2001/XMLSchema#"


def sample_quads() -> list[ox.Quad]:
    """Every kind of term the result formats must carry: IRIs, blank nodes, language-tagged,
    typed and plain literals with tabs, newlines, quotes, commas and Vietnamese text."""
    s = lambda name: ox.NamedNode(EX + name)  # noqa: E731
    p = s("p")
    label = s("label")
    bnode = ox.BlankNode("b1")
    quads = [
        ox.Quad(s("a"), label, ox.Literal("Thư viện tỉnh Lào Cai", language="vi"), G1),
        ox.Quad(s("a"), p, ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")), G1),
        ox.Quad(s("a"), p, ox.Literal('tab\there, "quoted", comma\nnewline'), G1),
        ox.Quad(s("a"), s("knows"), bnode, G1),
        ox.Quad(bnode, label, ox.Literal("blank"), G1),
        ox.Quad(s("b"), label, ox.Literal("Bảo tàng", language="vi"), G2),
        ox.Quad(s("b"), p, ox.Literal("2025-12-31", datatype=ox.NamedNode(XSD + "date")), G2),
    ]
    quads += [ox.Quad(s(f"n{i}"), s("index"), ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")), G2) for i in range(40)]
    return quads


def make_store(directory: Path, quads: list[ox.Quad] | None = None) -> Path:
    """A store directory laid out as PlanStore's ({dir}/oxigraph), closed again."""
    store = ox.Store(str(directory / "oxigraph"))
    store.extend(quads if quads is not None else sample_quads())
    store.flush()
    del store
    return directory


def settings_for(directory: Path, **changes) -> Settings:
    base = dict(store_dir=directory, query_timeout=5.0, row_limit=1000, sparql_workers=2, rate_per_second=0)
    base.update(changes)
    return Settings(**base)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(settings: Settings, app=None):
    """The real app (or `app`) under uvicorn on 127.0.0.1 and a random port, in a thread."""
    import uvicorn

    from kehoach.api.app import create_app

    port = free_port()
    config = uvicorn.Config(app or create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)

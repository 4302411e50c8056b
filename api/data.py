"""Read access for the JSON API: the store (read-only) and the search engine, opened lazily.

A read-only store shows the data as it was when it was opened. Every ingest rewrites the
store's generation token (graph/store.py); `reopen_if_changed`, called before each
request, notices a new token (one small file read a second at most) and drops what is
open and the answers cached from it, so the next request reopens the store and the index
and the SPARQL workers are replaced: `kehoach ingest` beside a running `kehoach serve` needs no restart.

The API reads the graph with the project's named SPARQL queries (graph/queries/*.rq, plus
the api-*.rq ones written for it), never with ad-hoc query strings built from user input:
user values travel as pyoxigraph substitutions, so no request can inject SPARQL.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path

from kehoach import config
from kehoach.graph.store import read_generation


class Unavailable(Exception):
    """A resource (store, search index) is missing: the API answers 503 with this message."""


@lru_cache(maxsize=None)
def named_query(name: str) -> str:
    """The text of graph/queries/{name}.rq (read once)."""
    return config.named_query(name)


def example_queries() -> list[dict[str, str]]:
    """The gallery of example queries: every bundled .rq file but the api-* ones the API
    runs itself, with its leading comment as title."""
    gallery = []
    for path in sorted(config.queries_dir().glob("*.rq")):
        if path.name.startswith("api-"):
            continue
        text = path.read_text(encoding="utf-8")
        comments = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        gallery.append({"name": path.stem, "title": comments[0] if comments else path.stem, "query": text})
    return gallery


_lock = threading.Lock()


def _open_once(app, attribute: str, opener):
    """app.state.<attribute>, made by `opener()` on first use (once, under the lock)."""
    value = getattr(app.state, attribute, None)
    if value is not None:
        return value
    with _lock:
        value = getattr(app.state, attribute, None)
        if value is None:
            value = opener()
            setattr(app.state, attribute, value)
    return value


def get_store(app):
    """The read-only pyoxigraph Store of the app's store directory (opened once)."""

    def open_read_only():
        from kehoach.api.worker import open_store

        store, problem = open_store(app.state.settings.oxigraph_dir)
        if store is None:
            raise Unavailable(problem)
        return store

    return _open_once(app, "api_store", open_read_only)


def get_search(app):
    """The search engine over {store}/search; Unavailable when the index or module is missing."""

    def open_engine():
        search_dir = app.state.settings.search_dir
        if not (search_dir / "manifest.json").exists():
            raise Unavailable(f"No search index at {search_dir}: run `kehoach ingest --store {app.state.settings.store_dir}` first.")
        try:
            from kehoach.search.engine import SearchEngine
        except ImportError as error:
            raise Unavailable(f"The search module is not available: {error}") from error
        try:
            return SearchEngine.open(app.state.settings.store_dir)
        except Exception as error:  # noqa: BLE001 - any failure to open means "no search here"
            raise Unavailable(f"The search index at {search_dir} could not be opened: {error}") from error

    return _open_once(app, "search_engine", open_engine)


GENERATION_CHECK_SECONDS = 1.0  # how often a request may look at the generation token


class GenerationWatch:
    """Tells when a store directory's generation token differs from the one last seen."""

    def __init__(self, directory: Path, every: float = GENERATION_CHECK_SECONDS) -> None:
        self.directory = Path(directory)
        self.every = every
        self.seen = read_generation(self.directory)
        self._next_check = time.monotonic() + every

    def changed(self) -> bool:
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + self.every
        current = read_generation(self.directory)
        if current == self.seen:
            return False
        self.seen = current
        return True


def reopen_if_changed(app) -> bool:
    """Drop the open store and search engine, and recycle the SPARQL workers, when an
    ingest changed the store since they were opened. Requests already running keep the
    objects they hold (closed when the last one lets go)."""
    watch = getattr(app.state, "generation_watch", None)
    if watch is None or not watch.changed():
        return False
    with _lock:
        app.state.search_engine = None
        app.state.api_store = None
        app.state.api_cache = {}
    pool = getattr(app.state, "pool", None)
    if pool is not None:
        pool.recycle()
    return True


def close_resources(app) -> None:
    engine = getattr(app.state, "search_engine", None)
    if engine is not None and hasattr(engine, "close"):
        engine.close()
    app.state.search_engine = None
    app.state.api_store = None

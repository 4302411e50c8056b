"""Operator settings of the HTTP service, read once from the environment or the CLI.

Every limit that protects the service (query time, rows, request size, request rate) is an
operator's choice made here; no request parameter can raise one of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_STORE = "data/store"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Limits and locations; see `from_env` for the environment variable of each field."""

    store_dir: Path = field(default_factory=lambda: Path(DEFAULT_STORE))
    query_timeout: float = 10.0  # seconds a SPARQL query may run before its worker is killed
    row_limit: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned at most
    sparql_workers: int = 2  # worker processes that run SPARQL queries
    queue_wait: float = 10.0  # seconds a query may wait for a free worker before 503
    union_default_graph: bool = True  # default graph = union of the plan graphs (as Oxigraph server's option)
    max_query_chars: int = 20_000  # longest query text accepted
    max_body_bytes: int = 64 * 1024  # largest request body accepted
    rate_per_second: float = 10.0  # sustained requests per second per client (0 = no limit)
    rate_burst: int = 40  # requests a client may send at once before being slowed down
    search_limit_max: int = 100  # most hits /api/search returns in one page

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from KEHOACH_* variables; keyword arguments (e.g. from the CLI) win."""
        base = cls(
            store_dir=Path(os.environ.get("KEHOACH_STORE", DEFAULT_STORE)),
            query_timeout=_env_float("KEHOACH_QUERY_TIMEOUT", cls.query_timeout),
            row_limit=_env_int("KEHOACH_ROW_LIMIT", cls.row_limit),
            sparql_workers=_env_int("KEHOACH_SPARQL_WORKERS", cls.sparql_workers),
            queue_wait=_env_float("KEHOACH_QUEUE_WAIT", cls.queue_wait),
            union_default_graph=_env_bool("KEHOACH_UNION_DEFAULT_GRAPH", cls.union_default_graph),
            max_query_chars=_env_int("KEHOACH_MAX_QUERY_CHARS", cls.max_query_chars),
            max_body_bytes=_env_int("KEHOACH_MAX_BODY_BYTES", cls.max_body_bytes),
            rate_per_second=_env_float("KEHOACH_RATE_PER_SECOND", cls.rate_per_second),
            rate_burst=_env_int("KEHOACH_RATE_BURST", cls.rate_burst),
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def oxigraph_dir(self) -> Path:
        return Path(self.store_dir) / "oxigraph"

    @property
    def search_dir(self) -> Path:
        return Path(self.store_dir) / "search"

"""Where things live by default. Each can be overridden by a flag or environment variable."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DEFAULT_STORE = Path(os.environ.get("KEHOACH_STORE", "data/store"))


def bundled_corpus() -> list[Path]:
    """The five plans shipped with kehoach (corpus/)."""
    root = resources.files("kehoach.corpus")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def queries_dir() -> Path:
    return Path(str(resources.files("kehoach.graph").joinpath("queries")))


def named_query(name: str) -> str:
    """The text of graph/queries/{name}.rq."""
    path = queries_dir() / f"{name.removesuffix('.rq')}.rq"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in queries_dir().glob("*.rq")))
        raise FileNotFoundError(f"no named query {name!r} (known: {known})")
    return path.read_text("utf-8")

"""Helpers for the search tests: a tiny deterministic embedder (no model) and paths."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np

from kehoach.ingest.vietnamese import fold_lower


class HashEmbedder:
    """Bag of folded syllables hashed into `dim` buckets: fast, deterministic, offline.

    Stands in for a model where a test is about the index (persistence, replacement,
    filters), not about embedding quality.
    """

    def __init__(self, dim: int = 64, name: str = "test/hash"):
        self._dim = dim
        self.name = name

    @property
    def model_id(self) -> str:
        return f"{self.name}-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self._dim, np.float32)
        for w in re.findall(r"[a-z0-9]+", fold_lower(text)):
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % self._dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_queries(self, texts):
        return np.vstack([self._one(t) for t in texts]) if texts else np.zeros((0, self._dim), np.float32)

    def embed_passages(self, texts):
        return self.embed_queries(texts)


def user_embed_cache(model_id: str) -> Path:
    """Shared on-disk cache of passage vectors (same place `kehoach eval search` uses)."""
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kehoach"
    base.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in model_id)
    return base / f"embed-{slug}.npz"

"""FAISS vector index keyed by passage int ids, persisted with a manifest of its model.

Exact inner-product search (IndexFlatIP inside IndexIDMap2) over L2-normalised vectors:
at 100k passages x 384 dims a flat scan takes a few ms on two cores (see
benchmarks/bench_search.py), so an approximate index would only trade recall for
nothing. IndexIDMap2 lets us remove a plan's vectors by id and reconstruct a vector for
fusion, and an IDSelector applies filters inside the scan instead of over-fetching.

The manifest records which embedder built the vectors; opening the index with another
model raises `ModelMismatchError`, because similarities across models mean nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import faiss
import numpy as np

INDEX_FILE = "vectors.faiss"
MANIFEST_FILE = "manifest.json"


class ModelMismatchError(RuntimeError):
    """The index was built by another embedding model."""


class StaleIndexError(ModelMismatchError):
    """The index was cut into passages by an older kehoach, with the same model: rebuilding
    it from the plans in the store loses nothing (`kehoach ingest` does so)."""


class VectorIndex:
    def __init__(self, model_id: str, dim: int):
        self.model_id = model_id
        self.dim = dim
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dim {self.dim}, got {vectors.shape}")
        self.index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int]) -> int:
        if len(ids) == 0:
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64))))

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None, excluded: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, similarities) for one query vector, only among `allowed` ids if given,
        or leaving out `excluded` ids (a few, such as the outlines: cheaper than allowing
        all the others)."""
        if len(self) == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros(0, np.int64), np.zeros(0, np.float32)
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))
        elif excluded is not None and len(excluded):
            batch = faiss.IDSelectorBatch(np.asarray(excluded, dtype=np.int64))
            params = faiss.SearchParameters(sel=faiss.IDSelectorNot(batch))
            params._kept = batch  # the Not selector does not own the batch: keep it alive for the search
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        sims, ids = self.index.search(q, min(k, len(self)), params=params)
        keep = ids[0] >= 0
        return ids[0][keep], sims[0][keep]

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of given passages, (len(ids), dim)."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def similarities(self, query: np.ndarray, ids: Sequence[int]) -> np.ndarray:
        """Exact similarity of the query to given passages (for fusion candidates)."""
        return self.vectors(ids) @ query.reshape(-1).astype(np.float32)

    # --- persistence ---------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (INDEX_FILE + ".tmp")
        faiss.write_index(self.index, str(tmp))
        os.replace(tmp, directory / INDEX_FILE)

    @classmethod
    def load(cls, directory: Path, model_id: str, dim: int) -> "VectorIndex":
        vi = cls(model_id, dim)
        path = directory / INDEX_FILE
        if path.exists():
            vi.index = faiss.read_index(str(path))
            if vi.index.d != dim:
                raise ModelMismatchError(f"index at {path} has dim {vi.index.d}, the embedder gives {dim}")
        return vi


def read_manifest(directory: Path) -> dict | None:
    path = directory / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_manifest(directory: Path, manifest: dict) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (MANIFEST_FILE + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, directory / MANIFEST_FILE)


def check_model(
    manifest: dict | None, model_id: str, dim: int, directory: Path, passage_vectors: str | None = None, passage_rules: int | None = None
) -> None:
    """Refuse to mix models: the index must have been built by this embedder (and, when
    given, with this recipe for passage vectors and this version of the rules that cut
    plans into passages)."""
    if manifest is None:
        return
    rebuild = f"rebuild it from the plans in the store with `kehoach search-index --rebuild --store {directory.parent}`."
    index_rules = int(manifest.get("passage_rules", 1))
    if passage_rules is not None and index_rules != passage_rules:
        older = index_rules < passage_rules
        age = "an older" if older else "a newer"
        error = StaleIndexError if older and manifest.get("model_id") == model_id else ModelMismatchError
        raise error(
            f"the search index in {directory} was cut into passages by {age} kehoach (passage rules "
            f"v{index_rules}, this version v{passage_rules}): {rebuild}"
        )
    if passage_vectors is not None and manifest.get("passage_vectors") != passage_vectors:
        raise ModelMismatchError(
            f"the search index in {directory} was built by another kehoach version whose passage vectors "
            f"({manifest.get('passage_vectors', 'one view: heading path + text')!r}) differ from this "
            f"version's ({passage_vectors!r}): {rebuild}"
        )
    if manifest.get("model_id") != model_id or int(manifest.get("dim", dim)) != dim:
        raise ModelMismatchError(
            f"the search index in {directory} was built with embedding model "
            f"{manifest.get('model_id')!r} (dim {manifest.get('dim')}), but the configured model is "
            f"{model_id!r} (dim {dim}). Query with the same model, or rebuild the index "
            f"(`kehoach search-index --rebuild --store {directory.parent} --embedder SPEC`) with the new one."
        )

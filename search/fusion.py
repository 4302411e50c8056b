"""Fusing keyword (BM25) and vector (cosine) scores into one ranking.

Two methods, both pure functions over candidate ids and their raw scores:
- `weighted_fusion` (used): each method's scores are normalised to [0, 1] over the
  candidates (BM25 divided by the best BM25 score; cosine min-max scaled over the
  vector top-N), then mixed as w * vector + (1 - w) * keyword. Normalising keeps the
  strength of a match: a passage that BM25 scores far above the rest (typical for OCR
  passages that the embedder cannot read) stays on top, which rank-only fusion loses.
- `rrf` (reciprocal rank fusion), kept for comparison in `kehoach eval search`.

The weights (one per kind of query), the province boost and the query aids are chosen
by measurement on the hand-written question set with cross-validation (settings picked
on the training folds only; see search/evaluate.py), not guessed; the values below are
what the same procedure picks on all questions (`kehoach eval search` prints both).
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

import numpy as np

T = TypeVar("T")

# Vector share of the fused score per kind of query (search/query.py), chosen by the
# cross-validation procedure of search/evaluate.py (`kehoach eval search`).
DEFAULT_WEIGHTS = {
    "vi": 0.5,  # Vietnamese with diacritics
    "vi-folded": 0.2,  # Vietnamese typed without diacritics (restored before embedding)
    "foreign": 0.45,  # English: BM25 reads its Vietnamese rendering, the embedder the English (through the query adapter)
}
DEFAULT_VECTOR_WEIGHT = DEFAULT_WEIGHTS["vi"]


def normalise_keyword(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def normalise_vector(scores: np.ndarray, floor: float | None = None) -> np.ndarray:
    """Min-max over the candidates (or from a given floor, e.g. the N-th best similarity)."""
    if len(scores) == 0:
        return scores
    lo = float(scores.min()) if floor is None else floor
    hi = float(scores.max())
    if hi - lo <= 1e-9:
        return np.ones_like(scores)
    return np.clip((scores - lo) / (hi - lo), 0.0, 1.0)


def weighted_fusion(keyword: np.ndarray, vector: np.ndarray, weight: float, vector_floor: float | None = None) -> np.ndarray:
    """Fused scores for aligned arrays of raw keyword and vector scores of the same candidates."""
    return weight * normalise_vector(vector, vector_floor) + (1.0 - weight) * normalise_keyword(keyword)


def rrf(rank_lists: list[list[int]], k: int = 60, weights: list[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: sum over lists of w / (k + rank)."""
    weights = weights or [1.0] * len(rank_lists)
    out: dict[int, float] = {}
    for w, ranking in zip(weights, rank_lists):
        for r, pid in enumerate(ranking, start=1):
            out[pid] = out.get(pid, 0.0) + w / (k + r)
    return out


def at_most_per_plan(ranked: Sequence[T], plan_of: Callable[[T], str], per_plan: int) -> list[T]:
    """`ranked` in order, keeping at most `per_plan` items of any one plan (the rest are
    dropped, not moved down): a result list that shows several plans when one plan has
    many passages on the topic, for questions asked across provinces ("tỉnh nào ...").
    The same idea as host crowding in web search or collapse/grouping in Elasticsearch."""
    if per_plan < 1:
        raise ValueError(f"per_plan must be at least 1, not {per_plan}")
    kept: list[T] = []
    seen: dict[str, int] = {}
    for item in ranked:
        plan = plan_of(item)
        if seen.get(plan, 0) < per_plan:
            seen[plan] = seen.get(plan, 0) + 1
            kept.append(item)
    return kept

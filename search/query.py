"""Reading a query before searching: which language, and its diacritics restored if lost.

- Vietnamese typed without tone marks ("thu vien xa") is common. Keyword search folds
  diacritics anyway, but the e5 embedder reads "thu vien" as noise: on the question set,
  vector search on unaccented questions found almost nothing. So the text given to the
  embedder is first restored with the ingest repair model (the noisy-channel restorer
  built for the OCR plan, ingest/repair); keyword search keeps the folded original.
- The fusion weight depends on the kind of query ("vi", "vi-folded", "foreign"): the
  embedder is less reliable on restored text than on text typed with diacritics.
- A query whose words are mostly not Vietnamese syllables (English, say) cannot be
  matched by BM25 except on names and numbers, so the fusion leans on the multilingual
  embedder for it (a separate weight, chosen by the same cross-validation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kehoach.ingest.vietnamese import fold, fold_lower

_WORD = re.compile(r"[^\W\d_]+")
VIETNAMESE_SHARE = 0.7  # share of words that must be Vietnamese syllables to call a query Vietnamese


@dataclass(frozen=True)
class QueryInfo:
    text: str
    language: str  # "vi" | "foreign"
    had_diacritics: bool
    kind: str  # "vi" | "vi-folded" (Vietnamese typed without diacritics) | "foreign": selects the fusion weight
    vector_text: str  # what the embedder reads (restored when diacritics were missing)


@lru_cache(maxsize=1)
def _folded_syllables() -> frozenset[str]:
    try:
        from kehoach.ingest.repair.detect import known_syllables
    except ImportError:
        return frozenset()
    return frozenset(fold_lower(s) for s in known_syllables())


def has_diacritics(text: str) -> bool:
    return fold(text) != text


def vietnamese_share(text: str, extra_vocabulary: frozenset[str] | set[str] = frozenset()) -> float:
    """Share of the query's words that are Vietnamese syllables (diacritics ignored)."""
    words = [fold_lower(w) for w in _WORD.findall(text)]
    if not words:
        return 1.0
    known = _folded_syllables()
    if not known:
        return 1.0
    return sum(1 for w in words if w in known or w in extra_vocabulary) / len(words)


@lru_cache(maxsize=2048)
def restore_diacritics(text: str) -> str:
    """Diacritics restored by the ingest repair model; the text unchanged if it is absent."""
    try:
        from kehoach.ingest.repair import repair_text
    except ImportError:
        return text
    try:
        return repair_text(text).text
    except Exception:  # noqa: BLE001 - restoration is an aid; a failure must not break search
        return text


def analyse_query(text: str, restore: bool = True) -> QueryInfo:
    accented = has_diacritics(text)
    language = "vi" if accented or vietnamese_share(text) >= VIETNAMESE_SHARE else "foreign"
    vector_text = text
    if restore and language == "vi" and not accented:
        vector_text = restore_diacritics(text)
    kind = "foreign" if language == "foreign" else ("vi" if accented else "vi-folded")
    return QueryInfo(text=text, language=language, had_diacritics=accented, kind=kind, vector_text=vector_text)

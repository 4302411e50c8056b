"""BM25 over Vietnamese syllables with diacritics folded, via bm25s.

Why folded syllables: users type without tone marks ("thu vien xa"), and the OCR plan
lost most of them ("Thu vién", "hoc tap subt doi"); folding both sides (đ -> d, lower
case) makes all three spellings meet. Extra token kinds are switchable so each one's
effect can be measured (see `kehoach eval search --ablation`):
- codes: document numbers kept whole ("1520/qd-ttg", "24-kh/tu") besides their parts;
- numbers: "8.000" -> "8000", "70%" -> "70%" as one token, dates "21/4" whole;
- bigrams: adjacent syllable pairs ("thu_vien"), Vietnamese words being mostly two
  syllables, so "học tập" does not match every "tập" and "học";
- words: underthesea word segmentation (slower; joins multi-syllable words).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from kehoach.ingest.vietnamese import fold_lower

_SYLLABLE = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"\b\d{1,5}(?:(?:\s?/\s?|-)[a-z0-9]{1,10}){1,4}\b")  # 1520/qd-ttg, 24-kh/tu, 21/4, 09/12/2022, "1133 /kh-ubnd" (a header's number typed in later)
_NUMBER = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")  # 8.000 -> 8000
_PERCENT = re.compile(r"\b\d{1,3}\s?%")


@dataclass(frozen=True)
class TokenizerOptions:
    codes: bool = True
    numbers: bool = True
    bigrams: bool = True
    words: bool = False
    code_weight: int = 3  # a document code in the query counts this many times (measured: 1 -> 3 helps)

    def key(self) -> str:
        return ",".join(f"{k}={v}" if not isinstance(v, bool) else k for k, v in asdict(self).items() if v) or "syllables"


def tokenize(text: str, options: TokenizerOptions = TokenizerOptions()) -> list[str]:
    """Tokens of one text; the same function serves queries and passages."""
    folded = fold_lower(text)
    syllables = _SYLLABLE.findall(folded)
    tokens = list(syllables)
    if options.bigrams:
        tokens += [f"{a}_{b}" for a, b in zip(syllables, syllables[1:])]
    if options.codes:
        tokens += _codes(folded)
    if options.numbers:
        tokens += [m.group(0).replace(".", "") for m in _NUMBER.finditer(folded)]
        tokens += [m.group(0).replace(" ", "") for m in _PERCENT.finditer(folded)]
    if options.words:
        tokens += _word_tokens(text)
    return tokens


def _codes(folded: str) -> list[str]:
    """Document codes and dates as whole tokens, spaces inside taken out ("1133 /kh-ubnd")."""
    return [m.group(0).replace(" ", "") for m in _CODE.finditer(folded)]


def query_tokens(query: str, options: TokenizerOptions = TokenizerOptions()) -> list[str]:
    """Query tokens: as for passages, with document codes ("325/kh-ubnd") repeated
    `code_weight` times — a cited code names one document, a strong signal."""
    tokens = tokenize(query, options)
    if options.codes and options.code_weight > 1:
        codes = _codes(fold_lower(query))
        tokens += codes * (options.code_weight - 1)
    return tokens


def _word_tokens(text: str) -> list[str]:
    """Multi-syllable words from underthesea (case-sensitive model: feed the real text)."""
    from underthesea import word_tokenize

    words = word_tokenize(re.sub(r"\s+", " ", text))
    return ["w:" + "_".join(_SYLLABLE.findall(fold_lower(w))) for w in words if " " in w.strip()]


class KeywordIndex:
    """A BM25 model over passages identified by int ids; rebuilt whole on change.

    bm25s has no incremental update; rebuilding from stored tokens is fast (100k passages
    in seconds), so replace/remove simply rebuild.
    """

    def __init__(self, options: TokenizerOptions = TokenizerOptions(), k1: float = 1.2, b: float = 0.75):
        self.options = options
        self.k1 = k1
        self.b = b
        self.ids = np.zeros(0, dtype=np.int64)
        self._model = None

    def build(self, ids: Sequence[int], token_lists: Iterable[list[str]]) -> None:
        import bm25s

        token_lists = [t if t else ["_empty_"] for t in token_lists]
        self.ids = np.asarray(ids, dtype=np.int64)
        if len(self.ids) == 0:
            self._model = None
            return
        model = bm25s.BM25(k1=self.k1, b=self.b)
        model.index(token_lists, show_progress=False)
        self._model = model

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed passage, aligned with `self.ids`."""
        if self._model is None:
            return np.zeros(0, dtype=np.float32)
        q = [t for t in query_tokens(query, self.options) if t in self._model.vocab_dict]
        if not q:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._model.get_scores(q), dtype=np.float32)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "ids.npy", self.ids)
        (directory / "options.json").write_text(
            json.dumps({"options": asdict(self.options), "k1": self.k1, "b": self.b}), encoding="utf-8"
        )
        if self._model is not None:
            self._model.save(str(directory / "bm25"))

    @classmethod
    def load(cls, directory: Path) -> "KeywordIndex":
        meta = json.loads((directory / "options.json").read_text(encoding="utf-8"))
        index = cls(TokenizerOptions(**meta["options"]), meta["k1"], meta["b"])
        index.ids = np.load(directory / "ids.npy")
        if (directory / "bm25").exists() and len(index.ids):
            index._model = SavedBM25.load(directory / "bm25")
        return index


class SavedBM25:
    """Query side of a bm25s index read straight from its saved arrays.

    Why: importing bm25s pulls in scipy.sparse, ~0.25 s of every `kehoach search` start
    (a third of its wall time), while querying needs only numpy. bm25s stores the
    BM25 score of every (token, passage) pair as a CSC matrix; a query's scores are the
    sum of its tokens' columns — what bm25s computes for its default "lucene" variant
    (tests/test_search_units.py checks the two agree). Other variants add a
    non-occurrence term, so for them bm25s itself is loaded.
    """

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int, vocab: dict[str, int], dtype: str):
        self.data, self.indices, self.indptr = data, indices, indptr
        self.num_docs = num_docs
        self.vocab_dict = vocab
        self.dtype = np.dtype(dtype)

    @classmethod
    def load(cls, directory: Path):
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in {"lucene", "robertson", "atire"}:
            import bm25s

            return bm25s.BM25.load(str(directory))
        return cls(
            np.load(directory / "data.csc.index.npy"),
            np.load(directory / "indices.csc.index.npy"),
            np.load(directory / "indptr.csc.index.npy"),
            int(params["num_docs"]),
            json.loads((directory / "vocab.index.json").read_text(encoding="utf-8")),
            params.get("dtype", "float32"),
        )

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        ids = [self.vocab_dict[t] for t in tokens]
        if not ids:
            return scores
        parts = [(self.indices[self.indptr[i] : self.indptr[i + 1]], self.data[self.indptr[i] : self.indptr[i + 1]]) for i in ids]
        np.add.at(scores, np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
        return scores

"""A syllable trigram language model with interpolated Kneser-Ney smoothing.

Why this model: restoring diacritics is choosing, for each toneless syllable, the
accented syllable that fits its neighbours; a trigram over syllables captures the
fixed phrases of administrative Vietnamese ("học tập suốt đời", "trên địa bàn tỉnh")
from little text, and Kneser-Ney is the smoothing that behaves best on small corpora.
It is stored ARPA-style (log-probability of seen n-grams plus a back-off weight per
context), with words as integer ids and n-grams as integer keys (u*V+v, (u*V+v)*V+w),
so scoring at decode time is three integer-keyed dictionary look-ups at most.
"""

from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

BOS = "<s>"
EOS = "</s>"
UNK = "<unk>"
NUM = "<num>"


def _discount(counts: Iterable[int]) -> float:
    """Absolute discount D = n1 / (n1 + 2 n2) (Ney, Essen and Kneser 1994)."""
    cc = Counter(c for c in counts if c <= 2)
    n1, n2 = cc.get(1, 0), cc.get(2, 0)
    if n1 == 0:
        return 0.5
    return max(0.1, min(0.9, n1 / (n1 + 2 * n2)))


@dataclass
class NgramModel:
    vocab: list[str]
    uni: list[float]  # natural-log p(w)
    bow1: list[float]  # back-off weight of a one-word context
    bi: dict[int, float]  # key u*V+w -> log p(w|u)
    bow2: dict[int, float]  # key u*V+v -> log back-off weight
    tri: dict[int, float]  # key (u*V+v)*V+w -> log p(w|u v)
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {w: i for i, w in enumerate(self.vocab)}

    @property
    def size(self) -> int:
        return len(self.vocab)

    def id(self, word: str) -> int:
        return self.index.get(word, self.index[UNK])

    def logp(self, u: int, v: int, w: int) -> float:
        """Natural-log p(w | u v) with back-off."""
        V = len(self.vocab)
        uv = u * V + v
        p = self.tri.get(uv * V + w)
        if p is not None:
            return p
        b = self.bow2.get(uv, 0.0)
        p = self.bi.get(v * V + w)
        if p is not None:
            return b + p
        return b + self.bow1[v] + self.uni[w]

    def to_json(self) -> dict:
        """Arrays as base64 of little-endian integers: log-probabilities in units of 1e-4
        nats (int32), n-gram keys (int64, sorted). Loading is then a few array
        conversions instead of parsing half a million JSON numbers, and the bytes are
        the same for the same model."""
        V = len(self.vocab)
        return {
            "vocab": self.vocab,
            "scale": LOGP_SCALE,
            "uni": _b64(_quantise(self.uni)),
            "bow1": _b64(_quantise(self.bow1)),
            "bi": _pack(self.bi),
            "bow2": _pack(self.bow2),
            "tri": _pack(self.tri),
            "key_base": V,
        }

    @classmethod
    def from_json(cls, data: dict) -> NgramModel:
        if data.get("key_base") != len(data["vocab"]):
            raise ValueError("n-gram keys were packed for another vocabulary")
        scale = data["scale"]
        return cls(
            vocab=data["vocab"],
            uni=_unb64(data["uni"], "<i4", scale),
            bow1=_unb64(data["bow1"], "<i4", scale),
            bi=_unpack(data["bi"], scale),
            bow2=_unpack(data["bow2"], scale),
            tri=_unpack(data["tri"], scale),
        )


LOGP_SCALE = 10_000  # stored log-probabilities are rounded to 1e-4 nats


def _quantise(values) -> np.ndarray:
    return np.asarray([round(x * LOGP_SCALE) for x in values], dtype="<i4")


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(arr.tobytes()).decode("ascii")


def _unb64(text: str, dtype: str, scale: int | None = None) -> list:
    arr = np.frombuffer(base64.b64decode(text), dtype=dtype)
    return (arr / scale).tolist() if scale else arr.tolist()


def _pack(d: dict[int, float]) -> dict[str, str]:
    """Sorted keys and their quantised values, so the file is byte-for-byte reproducible."""
    keys = sorted(d)
    return {"keys": _b64(np.asarray(keys, dtype="<i8")), "logp": _b64(_quantise([d[k] for k in keys]))}


def _unpack(packed: dict[str, str], scale: int) -> dict[int, float]:
    return dict(zip(_unb64(packed["keys"], "<i8"), _unb64(packed["logp"], "<i4", scale)))


def unseen_rate(sequences: Iterable[list[str]]) -> float:
    """Good-Turing estimate of the chance that the next word is one never seen: N1 / N.

    N1 counts the word types seen exactly once, N all word tokens, in running text.
    """
    counts: Counter = Counter()
    for seq in sequences:
        counts.update(w for w in seq if w != NUM)
    n = sum(counts.values())
    n1 = sum(1 for c in counts.values() if c == 1)
    return n1 / n if n else 0.0


def train(sequences: Iterable[list[str]], min_unigram_count: int = 1, unk_rate: float = 0.0) -> NgramModel:
    """Interpolated Kneser-Ney trigram model over the given unit sequences.

    `unk_rate` is the unigram probability given to <unk>, the word never seen (see
    `unseen_rate`); the seen words share the rest. Without it, <unk> only gets the
    add-half floor and a word outside the vocabulary (a foreign word, a name) can
    never compete with a rare Vietnamese syllable of similar spelling.
    """
    c3: Counter = Counter()
    c1: Counter = Counter()
    for seq in sequences:
        padded = [BOS, BOS, *seq, EOS]
        c1.update(seq)
        for i in range(2, len(padded)):
            c3[(padded[i - 2], padded[i - 1], padded[i])] += 1
    vocab_words = sorted(w for w, c in c1.items() if c >= min_unigram_count)
    vocab = [BOS, EOS, UNK, NUM] + [w for w in vocab_words if w not in (BOS, EOS, UNK, NUM)]
    index = {w: i for i, w in enumerate(vocab)}
    V = len(vocab)
    unk = index[UNK]

    def idx(w: str) -> int:
        return index.get(w, unk)

    # Fold rare words into <unk> so the model has a real estimate for unknown tokens.
    t3: Counter = Counter()
    for (a, b, c), n in c3.items():
        t3[(idx(a), idx(b), idx(c))] += n

    # Bigram "counts" for the middle order: continuation counts N1+(. v w), except
    # after <s> where the left context is fixed and raw counts are the right statistic.
    c2_raw: Counter = Counter()
    c2_cont: Counter = Counter()
    for (a, b, c), n in t3.items():
        c2_raw[(b, c)] += n
        c2_cont[(b, c)] += 1
    c2 = {k: (c2_raw[k] if k[0] == index[BOS] else c2_cont[k]) for k in c2_raw}

    # Unigram continuation counts N1+(. w), with add-half smoothing over the vocabulary.
    c1_cont: Counter = Counter()
    for (b, c) in c2:
        c1_cont[c] += 1
    total1 = sum(c1_cont.values())
    uni = [math.log((c1_cont.get(i, 0) + 0.5) / (total1 + 0.5 * V)) for i in range(V)]
    if unk_rate > 0:
        seen_share = math.log(1.0 - unk_rate)
        uni = [x + seen_share for x in uni]
        uni[unk] = math.log(unk_rate)

    D2 = _discount(c2.values())
    ctx2_total: Counter = Counter()
    ctx2_types: Counter = Counter()
    for (b, c), n in c2.items():
        ctx2_total[b] += n
        ctx2_types[b] += 1
    bi: dict[int, float] = {}
    bow1 = [0.0] * V
    for b in ctx2_total:
        gamma = D2 * ctx2_types[b] / ctx2_total[b]
        bow1[b] = math.log(gamma)
    for (b, c), n in c2.items():
        tot = ctx2_total[b]
        p = max(n - D2, 0) / tot + (D2 * ctx2_types[b] / tot) * math.exp(uni[c])
        bi[b * V + c] = math.log(p)

    D3 = _discount(t3.values())
    ctx3_total: Counter = Counter()
    ctx3_types: Counter = Counter()
    for (a, b, c), n in t3.items():
        ctx3_total[(a, b)] += n
        ctx3_types[(a, b)] += 1
    bow2: dict[int, float] = {}
    for (a, b), tot in ctx3_total.items():
        bow2[a * V + b] = math.log(D3 * ctx3_types[(a, b)] / tot)
    tri: dict[int, float] = {}
    for (a, b, c), n in t3.items():
        tot = ctx3_total[(a, b)]
        lower = bi.get(b * V + c)
        p_lower = math.exp(lower) if lower is not None else math.exp(bow1[b] + uni[c])
        p = max(n - D3, 0) / tot + (D3 * ctx3_types[(a, b)] / tot) * p_lower
        tri[(a * V + b) * V + c] = math.log(p)
    # Trigrams whose probability equals their back-off estimate carry no information.
    return NgramModel(vocab=vocab, uni=uni, bow1=bow1, bi=bi, bow2=bow2, tri=tri, index=index)

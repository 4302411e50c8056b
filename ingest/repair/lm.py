"""A syllable trigram language model with interpolated Kneser-Ney smoothing.

Why this model: restoring diacritics is choosing, for each toneless syllable, the
accented syllable that fits its neighbours; a trigram over syllables captures the
fixed phrases of administrative Vietnamese ("học tập suốt đời", "trên địa bàn tỉnh")
from little text, and Kneser-Ney is the smoothing that behaves best on small corpora.
It is stored ARPA-style (log-probability of seen n-grams plus a back-off weight per
context), so scoring at decode time is three dictionary look-ups at most.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

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
        V = len(self.vocab)
        return {
            "vocab": self.vocab,
            "uni": [round(x, 4) for x in self.uni],
            "bow1": [round(x, 4) for x in self.bow1],
            "bi": _pack(self.bi, V, 2),
            "bow2": _pack(self.bow2, V, 2),
            "tri": _pack(self.tri, V, 3),
        }

    @classmethod
    def from_json(cls, data: dict) -> NgramModel:
        V = len(data["vocab"])
        return cls(
            vocab=data["vocab"],
            uni=data["uni"],
            bow1=data["bow1"],
            bi=_unpack(data["bi"], V),
            bow2=_unpack(data["bow2"], V),
            tri=_unpack(data["tri"], V),
        )


def _pack(d: dict[int, float], V: int, n: int) -> list[list]:
    """Rows [id1, ..., idn, logp] sorted by key, so the file is byte-for-byte reproducible."""
    rows = []
    for k in sorted(d):
        ids, rest = [], k
        for _ in range(n):
            ids.append(rest % V)
            rest //= V
        rows.append([*reversed(ids), round(d[k], 4)])
    return rows


def _unpack(rows: list[list], V: int) -> dict[int, float]:
    out = {}
    for row in rows:
        k = 0
        for i in row[:-1]:
            k = k * V + i
        out[k] = row[-1]
    return out


def train(sequences: Iterable[list[str]], min_unigram_count: int = 1) -> NgramModel:
    """Interpolated Kneser-Ney trigram model over the given unit sequences."""
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

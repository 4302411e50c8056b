"""Decide whether a text lost or garbled its Vietnamese diacritics.

Why a score and not a guess: clean documents must never be "repaired". In written
Vietnamese most syllables (about three in four) carry a mark (a tone, a hat, a horn
or the bar of đ) and every one is a well-formed syllable. OCR without Vietnamese
support drops the marks or spells them with look-alike glyphs ("Trién", "s6", "x&"),
which leaves syllables that either have no mark or are not Vietnamese at all. The
score is the share of word tokens that are well-formed marked syllables; the
inventory of well-formed syllables is underthesea's Viet74K list, independent of the
repair model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .tokens import Token, fold, split_line

# Clean corpus plans score about 0.9, the OCR plan 0.04, stripped text 0 (tests/test_repair_detect.py).
DOCUMENT_THRESHOLD = 0.45
LINE_THRESHOLD = 0.45
MIN_WORDS = 3  # a line with fewer scorable words follows its document's decision


@lru_cache(maxsize=1)
def known_syllables() -> frozenset[str]:
    from .sources import viet74k_words

    out: set[str] = set()
    for word in viet74k_words():
        for syl in word.lower().replace("-", " ").split():
            out.add(syl)
    return frozenset(out)


@dataclass(frozen=True)
class LineScore:
    start: int
    end: int
    score: float
    words: int


def _counts(text: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """(well-formed marked syllables, scorable word tokens) in text[start:end]."""
    return token_counts(split_line(text, start, end))


def token_counts(tokens: list[Token]) -> tuple[int, int]:
    """(well-formed marked syllables, scorable word tokens) among already split tokens.

    Taking tokens lets the repairer split each line once for detection and decoding.
    """
    syllables = known_syllables()
    good = total = 0
    for tok in tokens:
        if tok.kind != "word":
            continue
        w = tok.text
        if len(w) > 1 and w.isupper() and fold(w) == w:
            continue  # abbreviations like UBND carry no evidence either way
        total += 1
        low = w.lower()
        if low in syllables and fold(low) != low:
            good += 1
    return good, total


def diacritic_score(text: str) -> float:
    """Share of word tokens that are well-formed Vietnamese syllables with a mark (0..1)."""
    good, total = 0, 0
    pos = 0
    for line in text.split("\n"):
        g, t = _counts(line)
        good += g
        total += t
        pos += len(line) + 1
    return good / total if total else 1.0


def line_scores(text: str) -> list[LineScore]:
    """One LineScore per line of `text` (offsets in `text`)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        g, t = _counts(line)
        out.append(LineScore(pos, pos + len(line), g / t if t else 1.0, t))
        pos += len(line) + 1
    return out


def needs_repair(text: str) -> bool:
    """True when the document as a whole lacks or garbles its diacritics."""
    good, total = 0, 0
    for line in text.split("\n"):
        g, t = _counts(line)
        good += g
        total += t
    if total < 5:
        return False
    return good / total < DOCUMENT_THRESHOLD


def line_needs_repair(score: LineScore, document_needs_repair: bool = True) -> bool:
    if score.words < MIN_WORDS:
        return document_needs_repair
    return score.score < LINE_THRESHOLD

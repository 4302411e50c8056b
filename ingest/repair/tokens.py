"""Split text into the word tokens the repairer reasons about, keeping their offsets.

Why a tokenizer of its own: OCR without Vietnamese support turns diacritics into
glyphs that are not letters ("s6" for "số", "x&" for "xã", "phu’ong" for "phương",
"S¢" for "Sở"), so a word here is a run of letters, digits and those look-alike
glyphs. The same function splits clean training text, so the language model and the
decoder see identical units. Tokens carry their [start, end) offsets in the input.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..vietnamese import _fold_char


class _FoldTable(dict):
    """str.translate table for `vietnamese.fold`, filled on first sight of each character."""

    def __missing__(self, c: int) -> str:
        out = self[c] = _fold_char(chr(c))
        return out


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Same result as `vietnamese.fold` (one character for one), at str.translate speed."""
    return text.translate(_FOLD_TABLE)

# Glyphs OCR engines emit for a Vietnamese vowel with its marks (never sentence punctuation).
OCR_MARK_GLYPHS = "¢&§¥"
# Apostrophes stand for the horn of ư/ơ ("phu’ong") only right after u/o (or the digit 0
# read for o) that follows a letter; elsewhere they are quotes.
APOSTROPHES = "’'‘"
_HORN_BASES = "uUoO0ưƯơƠ"

# Number-like tokens and document codes are never changed ("1520/QĐ-TTg", "09-NQ/TU").
# A code may be broken by a hard line wrap after its hyphen ("1520/QD-\nTTg" joins to "QD- TTg").
DOCUMENT_CODE = re.compile(r"\b\d{1,5}\s?/\s?[A-Za-zĐđ][A-Za-zĐđ0-9]*(?:[-/][A-Za-zĐđ0-9]+|-\s[A-ZĐ][A-Za-zĐđ0-9]*)*|\b\d{1,5}-[A-Z][A-Za-zĐđ]*/[A-Za-zĐđ0-9-]+")


class Token(NamedTuple):
    """A word, number or code part with its [start, end) offsets (a tuple: cheap to make)."""

    text: str
    start: int
    end: int
    kind: str  # "word" | "number" | "code"


_make_token = tuple.__new__  # Token(...) without the keyword-handling constructor: tokens are many

# One word: a run of letters, digits and mark glyphs; an apostrophe joins the run only
# as the horn of a u/o that follows a letter ("phu’ong"). Python's \w is isalnum() plus "_".
WORD_RUN = re.compile(r"(?:[^\W_]|[" + OCR_MARK_GLYPHS + r"]|(?<=[^\W\d_][" + _HORN_BASES + r"])[" + APOSTROPHES + r"])+")
_LEADING_NUMBER = re.compile(r"(\d{2,})(\D.*)$")
_TRAILING_NUMBER = re.compile(r"(.*\D)(\d{2,})$")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def split_line(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end] in order; separators (spaces, punctuation) are not tokens.

    One regex pass: document codes are found first and protected; words are the
    WORD_RUN matches in the gaps between them.
    """
    end = len(text) if end is None else end
    tokens: list[Token] = []
    pos = start
    if "/" in text[start:end]:  # every document code has a slash
        for m in DOCUMENT_CODE.finditer(text, start, end):
            _words(text, pos, m.start(), tokens)
            tokens.extend(_code_parts(text, m.start(), m.end()))
            pos = m.end()
    _words(text, pos, end, tokens)
    return tokens


def _words(text: str, start: int, end: int, out: list[Token]) -> None:
    for m in WORD_RUN.finditer(text, start, end):
        word = m.group()
        if word.isalpha():  # the common case; anything with digits or glyphs is classified
            out.append(_make_token(Token, (word, m.start(), m.end(), "word")))
        elif any(c in APOSTROPHES for c in word):
            # the look-behind accepts a few numeric signs ("²") as letters: re-check exactly
            i, e = m.start(), m.end()
            while i < e:
                if not _is_word_char(text, i):
                    i += 1
                    continue
                j = i + 1
                while j < e and _is_word_char(text, j):
                    j += 1
                out.extend(_classify(text, i, j))
                i = j
        else:
            out.extend(_classify(text, m.start(), m.end()))


def _is_word_char(text: str, i: int) -> bool:
    c = text[i]
    if c.isalnum() or c in OCR_MARK_GLYPHS:
        return True
    return c in APOSTROPHES and i >= 2 and text[i - 1] in _HORN_BASES and text[i - 2].isalpha()


def _code_parts(text: str, s: int, e: int) -> list[Token]:
    """A document code is one protected unit; its letter parts may still get Đ back (QD->QĐ)."""
    return [Token(m.group(), m.start(), m.end(), "code") for m in _LETTER_RUN.finditer(text, s, e)]


def _classify(text: str, s: int, e: int) -> list[Token]:
    word = text[s:e]
    if word.isdigit():
        return [Token(word, s, e, "number")]
    # "25thang", "05ndam": a run of 2+ digits glued to a word is a number then a word
    m = _LEADING_NUMBER.match(word)
    if m and not any(ch.isdigit() for ch in m.group(2)):
        k = s + len(m.group(1))
        return [Token(m.group(1), s, k, "number"), Token(m.group(2), k, e, "word")]
    m = _TRAILING_NUMBER.match(word)
    if m and not any(ch.isdigit() for ch in m.group(1)) and m.group(1).isalpha() and not m.group(1).isupper():
        k = s + len(m.group(1))
        return [Token(m.group(1), s, k, "word"), Token(m.group(2), k, e, "number")]
    return [Token(word, s, e, "word")]


def lm_units(text: str) -> list[list[str]]:
    """Lower-cased unit sequences for the language model, split at punctuation.

    Numbers become "<num>"; a sequence is a run of tokens separated only by spaces,
    because a comma or a full stop breaks the flow of syllables as much as a new line.
    """
    sequences: list[list[str]] = []
    for line in text.split("\n"):
        tokens = split_line(line)
        current: list[str] = []
        prev_end = None
        for t in tokens:
            if prev_end is not None and line[prev_end:t.start].strip():
                if current:
                    sequences.append(current)
                current = []
            current.append("<num>" if t.kind == "number" else normalise_tone_placement(t.text.lower()))
            prev_end = t.end
        if current:
            sequences.append(current)
    return sequences


# Vietnamese syllable shape on the folded key: onset, 1-3 vowels, coda.
SYLLABLE_SHAPE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnptiyou])?$")

# Tone placement: open syllables ending in oa/oe/uy take the mark on the first vowel in
# the usage of administrative documents ("hóa", "khỏe", "Ủy ban"); the newer style puts
# it on the second ("hoá"). Training text and evaluation are normalised to one style.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OPEN_PAIR = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])$")


def normalise_tone_placement(word: str) -> str:
    import unicodedata

    nfd = unicodedata.normalize("NFD", word)
    tones = [c for c in nfd if c in _TONES]
    if len(tones) != 1:
        return word
    bare = "".join(c for c in nfd if c not in _TONES)
    bare_nfc = unicodedata.normalize("NFC", bare)
    m = _OPEN_PAIR.search(bare_nfc)
    if not m or bare_nfc.lower().startswith("gi") and False:
        return word
    k = m.start(1)
    out = bare_nfc[: k + 1] + tones[0] + bare_nfc[k + 1 :]
    return unicodedata.normalize("NFC", out)


def is_syllable_shaped(word: str) -> bool:
    return bool(SYLLABLE_SHAPE.match(syllable_key(word)))


def syllable_key(word: str) -> str:
    """The key of a syllable: lower case with every diacritic removed (đ -> d)."""
    return fold(word).lower()

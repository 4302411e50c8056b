"""Split text into the word tokens the repairer reasons about, keeping their offsets.

Why a tokenizer of its own: OCR without Vietnamese support turns diacritics into
glyphs that are not letters ("s6" for "số", "x&" for "xã", "phu’ong" for "phương",
"S¢" for "Sở"), so a word here is a run of letters, digits and those look-alike
glyphs. The same function splits clean training text, so the language model and the
decoder see identical units. Tokens carry their [start, end) offsets in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vietnamese import fold

# Glyphs OCR engines emit for a Vietnamese vowel with its marks (never sentence punctuation).
OCR_MARK_GLYPHS = "¢&§¥"
# Apostrophes stand for the horn of ư/ơ ("phu’ong") only right after u/o (or the digit 0
# read for o) that follows a letter; elsewhere they are quotes.
APOSTROPHES = "’'‘"
_HORN_BASES = "uUoO0ưƯơƠ"

# Number-like tokens and document codes are never changed ("1520/QĐ-TTg", "09-NQ/TU").
DOCUMENT_CODE = re.compile(r"\b\d{1,5}\s?/\s?[A-Za-zĐđ][A-Za-zĐđ0-9]*(?:[-/][A-Za-zĐđ0-9]+)*|\b\d{1,5}-[A-Z][A-Za-zĐđ]*/[A-Za-zĐđ0-9-]+")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # "word" | "number" | "code"


def _is_word_char(text: str, i: int) -> bool:
    c = text[i]
    if c.isalnum() or c in OCR_MARK_GLYPHS:
        return True
    if c in APOSTROPHES and i >= 2 and text[i - 1] in _HORN_BASES and text[i - 2].isalpha():
        return True
    return False


def split_line(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end] in order; separators (spaces, punctuation) are not tokens."""
    end = len(text) if end is None else end
    protected = [(m.start(), m.end()) for m in DOCUMENT_CODE.finditer(text, start, end)]
    tokens: list[Token] = []
    i = start
    p = 0
    while i < end:
        while p < len(protected) and protected[p][1] <= i:
            p += 1
        if p < len(protected) and protected[p][0] <= i < protected[p][1]:
            tokens.extend(_code_parts(text, protected[p][0], protected[p][1]))
            i = protected[p][1]
            continue
        if not _is_word_char(text, i):
            i += 1
            continue
        j = i + 1
        while j < end and _is_word_char(text, j) and not (p < len(protected) and j >= protected[p][0]):
            j += 1
        tokens.extend(_classify(text, i, j))
        i = j
    return tokens


def _code_parts(text: str, s: int, e: int) -> list[Token]:
    """A document code is one protected unit; its letter parts may still get Đ back (QD->QĐ)."""
    return [Token(m.group(), s + m.start(), s + m.end(), "code") for m in re.finditer(r"[^\W\d_]+", text[s:e])]


def _classify(text: str, s: int, e: int) -> list[Token]:
    word = text[s:e]
    if word.isdigit():
        return [Token(word, s, e, "number")]
    # "25thang", "05ndam": a run of 2+ digits glued to a word is a number then a word
    m = re.match(r"(\d{2,})(\D.*)$", word)
    if m and not any(ch.isdigit() for ch in m.group(2)):
        k = s + len(m.group(1))
        return [Token(m.group(1), s, k, "number"), Token(m.group(2), k, e, "word")]
    m = re.match(r"(.*\D)(\d{2,})$", word)
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
            current.append("<num>" if t.kind == "number" else t.text.lower())
            prev_end = t.end
        if current:
            sequences.append(current)
    return sequences


def syllable_key(word: str) -> str:
    """The key of a syllable: lower case with every diacritic removed (đ -> d)."""
    return fold(word).lower()

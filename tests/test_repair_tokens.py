"""The one-pass regex tokenizer splits exactly like the character scanner it replaced."""

from __future__ import annotations

import random

from kehoach.ingest.repair.tokens import APOSTROPHES, DOCUMENT_CODE, OCR_MARK_GLYPHS, Token, _classify, fold, split_line
from kehoach.ingest.vietnamese import fold as reference_fold

_HORN_BASES = "uUoO0ưƯơƠ"


def _is_word_char(text: str, i: int) -> bool:
    c = text[i]
    if c.isalnum() or c in OCR_MARK_GLYPHS:
        return True
    return c in APOSTROPHES and i >= 2 and text[i - 1] in _HORN_BASES and text[i - 2].isalpha()


def reference_split(text: str) -> list[Token]:
    """The character-by-character definition of a token (the tokenizer's first version)."""
    protected = [(m.start(), m.end()) for m in DOCUMENT_CODE.finditer(text)]
    tokens: list[Token] = []
    i, p, end = 0, 0, len(text)
    while i < end:
        while p < len(protected) and protected[p][1] <= i:
            p += 1
        if p < len(protected) and protected[p][0] <= i < protected[p][1]:
            s, e = protected[p]
            import re

            tokens.extend(Token(m.group(), s + m.start(), s + m.end(), "code") for m in re.finditer(r"[^\W\d_]+", text[s:e]))
            i = e
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


def test_examples():
    tokens = split_line("dia phu’ong, s6 1520/QD-TTg x& 25thang")
    assert [t.text for t in tokens] == ["dia", "phu’ong", "s6", "QD", "TTg", "x&", "25", "thang"]
    assert [t.kind for t in tokens] == ["word", "word", "word", "code", "code", "word", "number", "word"]


def test_same_tokens_as_the_character_scanner_on_random_text():
    rng = random.Random(4)
    alphabet = "ab uo’'‘0Ü5ư1/-QDĐ&¢.,x²_ 12/QD-TTg\n"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert split_line(text) == reference_split(text), repr(text)


def test_fast_fold_matches_the_shared_fold():
    text = "Đẩy mạnh các hoạt động HỌC TẬP suốt đời ư ơ ¢ & ² Ü"
    assert fold(text) == reference_fold(text)


def test_a_code_broken_by_a_line_wrap_stays_protected():
    from kehoach.ingest.repair.tokens import DOCUMENT_CODE

    text = "tai Quyet dinh s6 1520/QD- TTg ngay 09/12/2022"
    assert DOCUMENT_CODE.search(text).group() == "1520/QD- TTg"
    assert DOCUMENT_CODE.search("số 251/KH-UBND - tỉnh").group() == "251/KH-UBND"


def test_ocr_roman_numerals_are_labels_not_words():
    from kehoach.ingest.repair.restore import _is_marker

    assert _is_marker("Il") and _is_marker("IIl") and _is_marker("III")
    assert not _is_marker("Lai") and not _is_marker("In")

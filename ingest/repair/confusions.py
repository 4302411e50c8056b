"""How OCR without Vietnamese support misspells Vietnamese letters, as weighted rewrite rules.

Each rule says: this OCR glyph sequence may stand for these plain letters (the
diacritic-free "key" of the intended syllable), at a cost in nats (-ln of a rough
probability). The rules come from how Latin-only OCR engines treat glyphs they do not
know, not from any particular document:
  - a tone or hat stacked on a vowel turns the vowel into the nearest known glyph:
    ô/ố/ổ -> "6" or "0", â/ă with a tone -> "d", "i" or "é", ã/ế/ở -> "&", ê/ệ/ở -> "¢",
    á/à -> "4";
  - a horn (ư, ơ) becomes a separate glyph beside the letter: "uw", "w", "u’", "o’";
  - ư with a tone splits into two thin glyphs: "ir", "tr", "ti", "ii", "il", "li";
  - Đ loses its bar and reads as "P" or "B", or as two glyphs "DP";
  - l, I and 1 are interchangeable; ỹ/ỳ reads as "¥" or "§".
Accented Latin letters the engine did output ("é", "ó") simply fold to their base letter.
The decoder searches these rewrites against the trie of known syllable keys, so a rule
only fires where it turns a token into a real syllable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    ocr: str  # lower-case OCR glyphs
    plain: str  # plain key letters they may stand for
    cost: float  # nats
    at_start: bool = False  # only at the start of a word
    needs_upper: bool = False  # only when the OCR glyph was upper case


RULES: tuple[Rule, ...] = (
    # Đ without its bar
    Rule("p", "d", 1.0, at_start=True, needs_upper=True),
    Rule("b", "d", 2.5, at_start=True, needs_upper=True),
    Rule("dp", "d", 0.5, at_start=True),
    # the horn of ư / ơ as a separate glyph
    Rule("uw", "u", 0.5),
    Rule("w", "u", 1.0),
    Rule("u’", "u", 0.3),
    Rule("u'", "u", 0.3),
    Rule("o’", "o", 0.3),
    Rule("o'", "o", 0.3),
    Rule("0’", "o", 0.5),
    Rule("0'", "o", 0.5),
    Rule("‘", "", 2.0),
    # ư with a tone mark split into thin glyphs
    Rule("ir", "u", 1.0),
    Rule("tr", "u", 2.0),
    Rule("ti", "u", 2.0),
    Rule("ii", "u", 1.5),
    Rule("il", "u", 2.0),
    Rule("li", "u", 2.0),
    Rule("ur", "u", 1.5),
    Rule("ua", "u", 2.5),
    Rule("i", "u", 2.5),
    Rule("t", "u", 3.0),
    Rule("a", "u", 3.0),
    Rule("y", "u", 1.5),
    Rule("uy", "u", 1.5),
    Rule("q", "u", 2.5),
    Rule("ire", "uc", 2.0),
    # a vowel with hat and tone read as a digit or another letter
    Rule("6", "o", 0.5),
    Rule("0", "o", 1.0),
    Rule("4", "a", 0.7),
    Rule("3", "a", 2.0),
    Rule("8", "e", 2.0),
    Rule("d", "o", 2.0),
    Rule("d", "a", 2.5),
    Rule("g", "o", 2.0),
    Rule("g", "e", 1.5),
    Rule("b", "o", 2.0),  # ố read as "6" and 6/b are look-alikes
    Rule("q", "o", 2.5),
    Rule("e", "o", 3.0),
    Rule("é", "o", 2.5),
    Rule("é", "a", 2.5),
    Rule("i", "a", 2.5),
    Rule("&", "a", 1.0),
    Rule("&", "e", 1.0),
    Rule("&", "o", 1.0),
    Rule("&", "d", 2.5),
    Rule("¢", "e", 1.0),
    Rule("¢", "o", 1.5),
    Rule("¢", "d", 2.5),
    Rule("¢", "", 2.5),
    # the mark printed as an extra glyph next to its vowel
    Rule("ad", "a", 2.5),
    Rule("é4", "a", 2.0),
    Rule("a4", "a", 2.0),
    Rule("o6", "o", 1.5),
    Rule("é", "", 2.5),
    # l / I / 1
    Rule("1", "l", 1.0),
    Rule("i", "l", 1.0, needs_upper=True),
    Rule("l", "i", 2.0),
    # y with a tone
    Rule("¥", "y", 0.5),
    Rule("§", "y", 1.0),
)

DOUBLED_LETTER_COST = 2.0  # "Ccac", "Vvé": a glyph read twice


def rules_by_first_char() -> dict[str, list[Rule]]:
    table: dict[str, list[Rule]] = {}
    for r in RULES:
        table.setdefault(r.ocr[0], []).append(r)
    return table

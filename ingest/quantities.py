"""Find and read the quantities in folded Vietnamese text: "8.000", "10 - 15%", "02-03 cuộc",
"từ 8.000 đến 9.000 lượt", "ít nhất 15", "một trăm phần trăm".

All functions take text already folded with ingest.vietnamese.fold_lower (same length as
the original, so match offsets are offsets in the original). Vietnamese writes thousands
with dots and decimals with commas: "8.000" is eight thousand, "10,5%" ten and a half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A numeral: "8.000", "1.000.000", "10,5", "02".
NUMERAL = r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:,\d+)?"

# Number words (folded). "nam" (five) is also "year": only read before a unit.
_UNITS_WORDS = {
    "khong": 0, "mot": 1, "mốt": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}
_WORD = r"\b(?:khong|mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|tram|nghin|ngan|trieu|linh|le)\b"
WORD_NUMBER = rf"{_WORD}(?:\s+{_WORD})*"

# Units (folded form -> display form). Longer alternatives first.
UNITS: dict[str, str] = {
    "phan tram": "%",
    "%": "%",
    "luot": "lượt",
    "ban": "bản",
    "cuoc": "cuộc",
    "loai": "loại",
    "lan": "lần",
    "lop": "lớp",
    "buoi": "buổi",
    "dot": "đợt",
    "dau sach": "đầu sách",
    "cau lac bo": "câu lạc bộ",
    "chuyen de": "chuyên đề",
    "mo hinh": "mô hình",
    "nguoi": "người",
    "hoat dong": "hoạt động",
    "lien hoan": "liên hoan",
    "hoi thi": "hội thi",
    "hoi dien": "hội diễn",
}
# OCR-tolerant spellings of the units (after folding): "lwot", "luot", "cudc".
_UNIT_PATTERN = (
    r"(?P<unit>%|phan\s+tram|l\S{0,2}ot\b|ban\b(?!\s+(?:hanh|dia|do|than|chat|quyen|sac\b))"
    r"|cu\S{0,2}c\b(?!\s+(?:van\s+dong|thi|song|hop))|lo\S?i\b|lan\b(?!\s+l\S{0,2}ot\b)|lop\b|buoi\b|dot\b"
    r"|dau\s+sach|cau\s+lac\s+bo|chuyen\s+de\b|mo\s+hinh\b|hoat\s+dong\b|lien\s+hoan\b|hoi\s+(?:thi|dien)\b)"
)


def parse_numeral(token: str) -> float:
    """ "8.000" -> 8000, "10,5" -> 10.5, "02" -> 2."""
    token = token.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return float(token.replace(".", ""))
    return float(token.replace(",", "."))


def parse_number_words(words: str) -> float | None:
    """Vietnamese number words (folded) to a number: "mot tram" -> 100, "hai muoi lam" -> 25,
    "muoi lam" -> 15, "nam muoi" -> 50, "mot nghin" -> 1000. None when not a number."""
    tokens = words.split()
    if not tokens:
        return None
    total = 0
    current = 0  # value below the current thousand
    last_digit: int | None = None
    prev = ""
    for tok in tokens:
        if tok in _UNITS_WORDS and prev in _UNITS_WORDS:
            return None  # "nam mot lan" is "year, once", "hai ba" a list: not one number
        prev = tok
        if tok in ("linh", "le"):
            continue
        if tok in _UNITS_WORDS:
            digit = _UNITS_WORDS[tok]
            current += digit
            last_digit = digit
        elif tok == "muoi":
            # "muoi" alone is 10; after a digit it multiplies ("hai muoi" = 20)
            if last_digit is not None:
                current = current - last_digit + last_digit * 10
            else:
                current += 10
            last_digit = None
        elif tok == "tram":
            base = last_digit if last_digit is not None else 1
            current = current - (last_digit or 0) + base * 100
            last_digit = None
        elif tok in ("nghin", "ngan"):
            total += (current or 1) * 1000
            current = 0
            last_digit = None
        elif tok == "trieu":
            total += (current or 1) * 1_000_000
            current = 0
            last_digit = None
        else:
            return None
    return float(total + current)


@dataclass(frozen=True)
class Quantity:
    """A number or range with its unit, found at [start, end) of the folded text."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str  # display form: "%", "lượt", "bản" ...
    qualifier: str | None  # "at_least" | "at_most" | "about" | None
    unit_start: int
    unit_end: int


_QUALIFIER = r"(?P<qual>it\s+nhat|toi\s+thieu|khong\s+(?:(?:it|duoi|thap)\s+hon|duoi)|tren|toi\s+da|khong\s+(?:vuot\s+)?qua|khoang|gan|hon)?"
_NUM = rf"(?:{NUMERAL}|{WORD_NUMBER})"
QUANTITY = re.compile(
    rf"{_QUALIFIER}\s*(?:(?:tu|tang)\s+)?(?<![\d.,/])(?P<lo>{_NUM})"
    rf"(?:(?:\s*%)?\s*(?:-|–|den|toi|dén)\s*(?P<hi>{_NUM}))?"
    rf"\s*(?:cac\s+)?{_UNIT_PATTERN}"
)

# What comes before a number written in words: "đạt một trăm phần trăm", "mỗi năm một lần".
_WORD_CUE = re.compile(
    r"(?:\b(?:dat|co|tu|tang|giam|len|khoang|gan|tren|hon|nam|chuc|la|it\s+nhat|toi\s+thieu|bao\s+dam|dam\s+bao|duoc|voi"
    r"|don|thu\s+hut|phuc\s+vu|bo\s+sung|luan\s+chuyen|mo)|[:,(])\s*$"
)

_QUALIFIERS = {
    "it nhat": "at_least",
    "toi thieu": "at_least",
    "khong it hon": "at_least",
    "khong duoi hon": "at_least",
    "khong duoi": "at_least",
    "khong thap hon": "at_least",
    "khong vuot qua": "at_most",
    "tren": "at_least",
    "hon": "at_least",
    "toi da": "at_most",
    "khong qua": "at_most",
    "khoang": "about",
    "gan": "about",
}


def _value(token: str) -> float | None:
    token = token.strip()
    if token[:1].isdigit():
        return parse_numeral(token)
    return parse_number_words(token)


def unit_display(raw: str) -> str:
    raw = re.sub(r"\s+", " ", raw.strip())
    if raw in UNITS:
        return UNITS[raw]
    if raw.startswith("l") and raw.endswith("ot"):
        return "lượt"
    if raw.startswith("cu"):
        return "cuộc"
    if raw.startswith("lo"):
        return "loại"
    if re.fullmatch(r"l[a-z]n", raw):
        return "lần"
    if re.fullmatch(r"l[o0]p", raw):
        return "lớp"
    if re.fullmatch(r"b[a-z]n", raw):
        return "bản"
    return UNITS.get(raw, raw)


def find_quantities(folded: str) -> list[Quantity]:
    """Every number (or range) followed by a known unit, in reading order."""
    out: list[Quantity] = []
    pos = 0
    while True:
        m = QUANTITY.search(folded, pos)
        if m is None:
            break
        lo = _value(m.group("lo"))
        hi = _value(m.group("hi")) if m.group("hi") else None
        if lo is None or (m.group("hi") and hi is None):
            pos = m.start("lo") + 1  # "nam mot lan": retry from the next word
            continue
        strong_unit = m.group("unit").startswith("phan")  # "mười phần trăm" needs no cue
        if not m.group("lo")[:1].isdigit() and not m.group("qual") and not strong_unit and not _WORD_CUE.search(folded, max(0, m.start("lo") - 16), m.start("lo")):
            pos = m.start("lo") + 1  # "trưng bày" is not "seven": number words need a cue ("đạt", "mỗi năm" ...)
            continue
        if not m.group("lo")[:1].isdigit() and re.search(r"cac\s", m.group(0)):
            pos = m.start("lo") + 1
            continue
        if re.fullmatch(r"(?:19|20)\d\d", m.group("lo")) and re.search(r"n\S{0,2}m\s*$", folded[max(0, m.start("lo") - 6) : m.start("lo")]):
            pos = m.end("lo")  # "năm 2030 lần lượt ...": a year, not a count
            continue
        pos = m.end()
        unit = unit_display(m.group("unit"))
        qual = _QUALIFIERS.get(re.sub(r"\s+", " ", m.group("qual"))) if m.group("qual") else None
        start = m.start("qual") if m.group("qual") else m.start("lo")
        if hi is not None and hi < lo:
            hi = None  # "2025 - 10%" is not a range
        listed = _listed_before(folded, start, unit, m.start("unit"), m.end("unit"))
        out.extend(listed)
        out.append(Quantity(start, m.end(), lo, hi, unit, qual, m.start("unit"), m.end("unit")))
    out.extend(find_fractions(folded))
    return sorted(out, key=lambda q: q.start)


# Bare numbers listed before a number with a unit share its unit: "lần lượt 200.000 và 60.000 lượt".
_LISTED_NUMBER = re.compile(rf"(?<![\d.,/])({NUMERAL})\s*(?:,|va)\s*$")
_NOT_A_COUNT_BEFORE = re.compile(r"(?:nam|ngay|thang|so|quy|giai\s+doan|den|tu)\s*$")


def _listed_before(folded: str, start: int, unit: str, unit_start: int, unit_end: int) -> list[Quantity]:
    out: list[Quantity] = []
    pos = start
    while True:
        m = _LISTED_NUMBER.search(folded, max(0, pos - 24), pos)
        if m is None or _NOT_A_COUNT_BEFORE.search(folded, max(0, m.start() - 14), m.start()):
            break
        token = m.group(1)
        if re.fullmatch(r"(?:19|20)\d\d", token):
            break  # a year, not a count
        out.insert(0, Quantity(m.start(1), m.end(1), parse_numeral(token), None, unit, None, unit_start, unit_end))
        pos = m.start(1)
    return out


# Fractions and wholes written in words: "một nửa" (50%), "hai phần ba" (66.67%).
_DENOMINATORS = {"hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "muoi": 10}
FRACTION = re.compile(r"\b(?P<qual>it\s+nhat|toi\s+thieu|khoang|gan|hon|tren)?\s*\b(?P<frac>mot\s+nua|(?P<num>mot|hai|ba|bon)\s+phan\s+(?P<den>hai|ba|tu|bon|nam|muoi))\b")


def find_fractions(folded: str) -> list[Quantity]:
    """ "một nửa số thư viện" -> 50 %, "hai phần ba" -> 66.67 %: a share of the institutions named after it."""
    out = []
    for m in FRACTION.finditer(folded):
        if m.group("num"):
            num, den = _UNITS_WORDS[m.group("num")], _DENOMINATORS[m.group("den")]
            if num >= den:
                continue
            value = round(100 * num / den, 2)
        else:
            value = 50.0
        qual = _QUALIFIERS.get(re.sub(r"\s+", " ", m.group("qual"))) if m.group("qual") else None
        start = m.start("qual") if m.group("qual") else m.start("frac")
        out.append(Quantity(start, m.end(), value, None, "%", qual, m.start("frac"), m.end("frac")))
    return out


def clean_number(x: float | None) -> float | int | None:
    """70.0 -> 70 for JSON; keeps 10.5."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x

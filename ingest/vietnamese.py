"""Small, pure helpers for Vietnamese text: diacritic folding and case-insensitive matching.

`fold` maps every character to exactly one character (NFC input), so offsets found in
folded text are offsets in the text it came from. This is what lets the header and
extraction rules match OCR text that lost its tone marks ("Lao Cai" for "Lào Cai").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    if ord(c) < 128:
        return c
    base = unicodedata.normalize("NFD", c)[0]
    return base if len(base) == 1 else c


def fold(text: str) -> str:
    """Remove Vietnamese diacritics, keeping length: "Đẩy mạnh" -> "Day manh"."""
    return "".join(_fold_char(c) for c in text)


def fold_lower(text: str) -> str:
    return fold(text).lower()


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def slugify(text: str) -> str:
    """ASCII slug for IRIs: "Sở Văn hóa và Thể thao" -> "so-van-hoa-va-the-thao"."""
    s = fold_lower(text)
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-") or "x"


VIETNAMESE_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VIETNAMESE_UPPER = VIETNAMESE_LOWER.upper().replace("A-Z", "A-Z")


def is_upper_heading(line: str) -> bool:
    """True for lines written in capitals, like "I. MỤC ĐÍCH, YÊU CẦU" or "KẾ HOẠCH"."""
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85

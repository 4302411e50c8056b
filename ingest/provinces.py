"""Find the province a plan belongs to, with its codes before and after the 2025 merger.

Province names and codes come from `vietnamadminunits` (offline data for the
63-province system and the 34-province system of 2025). Matching is done on folded
text (no diacritics, lower case) so OCR'd headers ("Lao Cai") are found too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .vietnamese import fold_lower


@dataclass(frozen=True)
class Province:
    name: str  # short name, 63-province system: "Lào Cai"
    code: str  # "10"
    name_2025: str | None  # short name after 1 July 2025: "Lào Cai"
    code_2025: str | None  # "15"


@lru_cache(maxsize=1)
def _legacy_provinces() -> list[tuple[str, str, str]]:
    """(folded short name, short name, code) for the 63 provinces, longest names first."""
    data = json.loads(resources.files("vietnamadminunits").joinpath("data/parser_legacy.json").read_text("utf-8"))
    rows = [(fold_lower(p["provinceShort"]), p["provinceShort"], p["provinceCode"]) for p in data["DICT_PROVINCE"].values()]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=128)
def province_by_code(code: str) -> Province:
    from vietnamadminunits import convert_address

    name = next(short for _, short, c in _legacy_provinces() if c == code)
    try:
        new = convert_address(f"tỉnh {name}")
        name_2025, code_2025 = new.short_province, new.province_code
    except Exception:  # the converter has no entry: keep what is known
        name_2025 = code_2025 = None
    return Province(name=name, code=code, name_2025=name_2025, code_2025=code_2025)


def find_province(text: str) -> tuple[Province, int, int] | None:
    """The first province named in `text` (folded matching), with its [start, end) offsets.

    "tỉnh X" / "TỈNH X" / "X, ngày" contexts are preferred by the caller passing the
    right slice of text; here any whole-word occurrence counts, longest names first.
    """
    folded = fold_lower(text)
    best: tuple[int, int, str] | None = None
    for key, _short, code in _legacy_provinces():
        m = re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end(), code)
    if best is None:
        return None
    return province_by_code(best[2]), best[0], best[1]

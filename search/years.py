"""Year filters, shared by search and the JSON API: 2023, "2020-2025", "2020-", "-2025".

Light on purpose (no numpy, no index): the API parses a year filter without loading search.
"""

from __future__ import annotations

YearFilter = int | tuple[int | None, int | None] | str | None
YEAR_PATTERN = r"^\s*\d{4}\s*(-\s*(\d{4})?\s*)?$|^\s*-\s*\d{4}\s*$"  # what the API's `year` accepts


def parse_year_filter(year: YearFilter) -> tuple[int | None, int | None] | None:
    """2023 -> (2023, 2023); "2020-2025" -> (2020, 2025); "2020-" -> (2020, None).
    Anything else (a word, a range that runs backwards) is a ValueError saying so."""
    if year is None or year == "":
        return None
    if isinstance(year, int):
        return (year, year)
    if isinstance(year, tuple):
        lo, hi = year
    else:
        text = str(year).strip()
        parts = [p.strip() for p in text.replace("..", "-").split("-", 1)] if ("-" in text or ".." in text) else [text, text]
        if not all(p.isdigit() or p == "" for p in parts) or parts == ["", ""]:
            raise ValueError(f"year must be a year or a range (2023, 2020-2025, 2020-, -2025), not {text!r}")
        lo, hi = (int(p) if p else None for p in parts)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"year range {lo}-{hi} runs backwards: write {hi}-{lo}")
    return (lo, hi)


def in_year_range(year: int | None, rng: tuple[int | None, int | None] | None) -> bool:
    """Whether a known year is in a parsed range (no range: yes; an unknown year: no)."""
    if rng is None:
        return True
    lo, hi = rng
    return year is not None and (lo is None or year >= lo) and (hi is None or year <= hi)

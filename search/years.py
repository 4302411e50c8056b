"""Year filters, shared by search and the JSON API: 2023, "2020-2025", "2020-", "-2025".

Light on purpose (no numpy, no index): the API parses a year filter without loading search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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


def in_year_range(year: int | None, rng: tuple[int | None, int | None] | None, not_before: int | None = None) -> bool:
    """Whether a year is in a parsed range (no range: yes). An unknown year is in it only
    when certainly so: the range is open above and `not_before` (the earliest year it can
    be) is no earlier than its start, as `year_in_range` does for the search engine."""
    if rng is None:
        return True
    lo, hi = rng
    if year is None:
        return not_before is not None and lo is not None and hi is None and not_before >= lo
    return (lo is None or year >= lo) and (hi is None or year <= hi)


def year_in_range(year: "np.ndarray", not_before: "np.ndarray", lo: int | None, hi: int | None) -> "np.ndarray":
    """The search engine's year filter over arrays of years (-1: unknown), with plain array
    operations (this module imports no numpy). A plan whose header gives no year is kept
    only when it is certainly in the range: the range is open above and the plan cannot be
    older than its start (Hưng Yên, "≥ 2022", is in "2022-", not in "2020-2025")."""
    known = (year >= 0) & (year >= (lo if lo is not None else year)) & (year <= (hi if hi is not None else year))
    if lo is None or hi is not None:
        return known
    return known | ((year < 0) & (not_before >= lo))

"""Quantitative targets (chỉ tiêu) of a plan: subject, metric, value or range, unit, year.

How the rules read a plan (all matching on folded, lower-cased text, so they work on proper
Vietnamese, on text without tone marks and on OCR output):

1. Tables: a header line naming two or more years ("Đến năm 2025 | Đến năm 2030") followed by
   rows carrying percentages. OCR breaks a row's label across lines, so the row's subject is
   looked for in the row line, then in the lines between it and the previous row, then after.
2. Prose, one paragraph (bullet) and one sentence at a time: every number with a unit
   (ingest.quantities) is a candidate, and so is "toàn bộ/tất cả" + an institution (100%).
   Its year is read clause by clause (assign_years): a year clause of its own before it
   ("Đến năm 2025 đạt 70% và đến năm 2030 đạt 100%"), else one closing its own phrase after it
   ("60% ... vào năm 2025 và tối thiểu 80% vào năm 2030"; a sentence with no year before its
   first number reads every deadline as trailing), else the nearest before it in the sentence;
   "hằng năm"/"mỗi năm" -> annual; "giai đoạn 2026 - 2030" -> period_start/period_end (a
   total over the period gets period "over_period" and its last year).
   Its subject is the institution type written right after a percentage ("70% thư viện cấp
   huyện"), else the one a chained percentage shares, else the nearest one before it in the
   clause, else the sentence's first, else the previous target's, else the section heading's.
   Its metric is the first metric phrase after the number in the sentence, else before it.
3. "Respectively" sentences ("Đến năm 2030, đạt 100%, 90%, 60% ... các chỉ tiêu tương ứng")
   give their values, in order, to the list of subjects of the sentence they follow.
4. Growth rates ("tăng bình quân 10%/năm", "10 - 15% mỗi năm", "mỗi năm ... tăng 5%") get the
   unit "%/năm" and the period "annual"; frequencies ("02 năm 01 lần") "every N years";
   "từ 60% lên 80%" a baseline.
5. What a text reports as reached ("Năm 2022, Thư viện tỉnh phục vụ 95.000 lượt", "hiện nay",
   "đã", "tính đến") is a baseline: not a target, but the baseline of the next target of the
   same unit in the paragraph.
6. Tables with one row per metric take each row's own metric (and the table heading's
   subject when a row names none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from kehoach import __version__

from .concepts import INSTITUTION_TYPES, compiled_institutions, compiled_metrics
from .quantities import Quantity, clean_number, find_quantities
from .records import PlanRecord, Span
from .vietnamese import fold

EXTRACTOR = f"kehoach.targets/{__version__}"


@dataclass
class Target:
    subject: str  # institution-type concept key
    subject_text: str  # the phrase as written
    metric: str  # target-metric concept key
    value: float
    value_max: float | None
    unit: str  # "%", "%/năm", "lượt", "bản", "cuộc", "loại", "lần" ...
    year: int | None  # deadline year; None for annual / periodic targets
    period: str  # "by_year" | "annual" | "every N years" | "unknown"
    span: Span
    metric_text: str | None = None
    qualifier: str | None = None  # "at_least" | "at_most" | "about"
    baseline: float | None = None
    baseline_year: int | None = None
    source: str = "text"  # "text" | "table" | "respectively"
    extractor: str = EXTRACTOR
    period_start: int | None = None  # "giai đoạn 2026 - 2030" -> 2026, 2030
    period_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "subject_text": self.subject_text,
            "subject_label": INSTITUTION_TYPES[self.subject].label if self.subject in INSTITUTION_TYPES else None,
            "metric": self.metric,
            "metric_text": self.metric_text,
            "value": clean_number(self.value),
            "value_max": clean_number(self.value_max),
            "unit": self.unit,
            "year": self.year,
            "period": self.period,
            "qualifier": self.qualifier,
            "baseline": clean_number(self.baseline),
            "baseline_year": self.baseline_year,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "source": self.source,
            "extractor": self.extractor,
            "span": self.span.to_json(),
        }


# ---------------------------------------------------------------- mentions of concepts


@dataclass(frozen=True)
class Mention:
    key: str
    start: int
    end: int


def find_mentions(low: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Institution-type mentions in low[start:end]: leftmost-longest, non-overlapping."""
    end = len(low) if end is None else end
    found: list[Mention] = []
    for key, rx in compiled_institutions():
        for m in rx.finditer(low, start, end):
            if m.end() > m.start():
                found.append(Mention(key, m.start(), m.end()))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    last_end = -1
    for m in found:
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


_GENERIC_KEYS = ("bao-tang", "thu-vien", "trung-tam-van-hoa")
_PROPER_NAME = re.compile(r"(?:\s+(?!Tinh\b|Huyen\b|Xa\b)[A-Z][a-z]*)+")


def named_mentions(plain: str, mentions: list[Mention]) -> list[Mention]:
    """A generic mention written as a proper name ("Bảo tàng Quang Trung") reaches over the name,
    so that "Bảo tàng Quang Trung và Bảo tàng tỉnh" reads as a list of two institutions."""
    out = []
    for m in mentions:
        if m.key in _GENERIC_KEYS and plain[m.start : m.start + 1].isupper():
            name = _PROPER_NAME.match(plain, m.end)
            if name:
                m = Mention(m.key, m.start, name.end())
        out.append(m)
    return out


@lru_cache(maxsize=1)
def _institution_keys() -> frozenset[str]:
    return frozenset(k for k, _ in compiled_institutions())


def resolve_levels(low: str, mentions: list[Mention]) -> list[Mention]:
    """ "thư viện cấp tỉnh, cấp huyện, cấp xã": a bare level listed after an institution is that
    institution at the level ("cấp huyện" -> thư viện cấp huyện)."""
    out: list[Mention] = []
    for m in mentions:
        if m.key.startswith("cap-") and out and _CONNECTOR.match(low[out[-1].end : m.start]):
            prev = out[-1].key
            family = re.sub(r"-cap-[a-z]+$", "", prev)
            key = f"{family}-{m.key}"
            if family != prev and key in _institution_keys():
                m = Mention(key, m.start, m.end)
        out.append(m)
    return out


def find_metric(low: str, start: int, end: int, last: bool = False) -> tuple[str, int, int] | None:
    """The first (or last) metric phrase in low[start:end], as (key, start, end)."""
    best: tuple[str, int, int] | None = None
    for key, rx in compiled_metrics():
        for m in rx.finditer(low, start, end):
            if best is None or (m.start() > best[1] if last else m.start() < best[1]):
                best = (key, m.start(), m.end())
            if not last:
                break
    return best


_CONNECTOR = re.compile(r"^\s*(?:,|;|va|và|cung|-)?\s*(?:cac|moi|toan\s+bo)?\s*$")
_LIST_GAP = re.compile(r"^\s*[,;]?\s*(?:va\s+)?(?:\d{1,3}(?:,\d+)?\s*%\s*)?$")


def group_at(low: str, mentions: list[Mention], i: int, forward: bool) -> list[Mention]:
    """Mentions joined to mentions[i] by "và" / "," ("Thư viện tỉnh và các thư viện cấp huyện")."""
    group = [mentions[i]]
    j = i
    while True:
        k = j + 1 if forward else j - 1
        if not 0 <= k < len(mentions):
            break
        a, b = (mentions[j], mentions[k]) if forward else (mentions[k], mentions[j])
        if not _CONNECTOR.match(low[a.end : b.start]):
            break
        if "," in low[a.end : b.start] and (b.key.startswith(a.key + "-") or a.key.startswith(b.key + "-")):
            break  # "Đối với hệ thống bảo tàng, Bảo tàng tỉnh ...": a topic, then the institution meant
        group.append(mentions[k])
        j = k
    return group if forward else list(reversed(group))


# ---------------------------------------------------------------- years and periods

_YEAR = re.compile(r"\bn\S{0,2}m\s+(20\d\d)\b(?!\s*[-–]\s*20\d\d)")
_ANNUAL = re.compile(r"\b(?:h\S{0,2}ng|m\S{0,2})\s+n\S{0,2}m\b|trung\s+binh\s+m\S{0,2}\s+n\S{0,2}m")
_DATE_BEFORE = re.compile(r"th\S{0,2}ng\s*\d{0,2}\s*$")
_PER_YEAR_AFTER = re.compile(r"\s*(?:/\s*n\S{0,2}m\b|m\S{0,2}\s+n\S{0,2}m\b|h\S{0,2}ng\s+n\S{0,2}m\b|trong\s+n\S{0,2}m\b)")
_PER_YEAR_NOUN_AFTER = re.compile(r"(?:\s*[a-z]+){0,4}\s*(?:/\s*|m\S{0,2}\s+)n\S{0,2}m\b|(?:,?\s+[a-z]+){0,8}\s+m\S{0,2}\s+n\S{0,2}m\s*(?=[.;,]|$)")  # "bản sách/năm", "lớp năng khiếu mỗi năm"
# A deadline written after the number: "... 100% thư viện ... vào năm 2030", "... đến năm 2025."
_YEAR_AFTER = re.compile(r"\b(?:v\S{0,2}o|d\S{0,2}n|tr\S{0,2}c|trong)\s+n\S{0,2}m\s+(20\d\d)\b(?!\s*[-–]\s*20\d\d)")
_EVERY_N_YEARS = re.compile(r"(\d{1,2}|hai|ba|bon|nam)\s+n\S{0,2}m\s*$")
_BASELINE_LINK = re.compile(r"^\s*(?:\(?\s*(?:v\S{0,2}o\s+)?n\S{0,2}m\s+(20\d\d)\s*\)?)?\s*,?\s*l\S{0,2}n\s+(?:m\S{0,2}c\s+)?$")
_FROM_BEFORE = re.compile(r"\bt\S{0,1}\s*$")
_RESPECTIVELY = re.compile(r"t\S{0,2}ng\s+\S{0,2}ng\b|l\S{0,2}n\s+l\S{0,3}t\b")
_WORDS_YEAR = {"hai": 2, "ba": 3, "bon": 4, "nam": 5}
# "giai đoạn 2026 - 2030", "từ năm 2024 đến năm 2026", "trong các năm 2024 - 2025"
_RANGE = re.compile(
    r"(?:giai\s+do\S{0,2}n|t\S{0,2}\s+n\S{0,2}m|trong\s+(?:c\S{0,2}c\s+)?n\S{0,2}m|th\S{0,2}i\s+k\S{0,2})\s+"
    r"(20\d\d)\s*(?:[-–]|d\S{0,2}n)\s*(?:n\S{0,2}m\s+)?(20\d\d)\b"
)
# A year that is a point of comparison, not a deadline: "tăng 15% so với năm 2025".
_COMPARED_BEFORE = re.compile(r"(?:so\s+v\S{0,2}i|g\S{0,2}c)\s*$")
# A year clause that closes the phrase before it ("... 80% vào năm 2030." / "... năm 2025 và ..."):
# it belongs to the number before it, not to the next one.
_CLOSES = re.compile(r"\s*(?:$|[.;:)!?]|v\S{0,2}\s|,\s*(?:ti\S{0,3}n\s+t\S{0,2}i|v\S{0,2}\s))")
_LEADING_PREP = re.compile(r"(?:d\S{0,2}n|v\S{0,2}o|tr\S{0,3}c|h\S{0,2}t|t\S{0,2}i|trong)\s+$")


@dataclass(frozen=True)
class YearClause:
    start: int
    end: int
    year: int | None  # None for "hằng năm"
    period: str  # by_year | annual


def year_clauses(low: str, start: int, end: int) -> list[YearClause]:
    """Deadline years and annual markers of low[start:end], in order; dates and comparison years left out."""
    out = []
    ranges = [(m.start(), m.end()) for m in _RANGE.finditer(low, start, end)]
    for m in _YEAR.finditer(low, start, end):
        if any(a <= m.start() < b for a, b in ranges):
            continue  # "từ năm 2024 đến năm 2026" is a period, handled by period_range
        if _DATE_BEFORE.search(low, max(start, m.start() - 12), m.start()):
            continue  # "ngày 25 tháng 5 năm 2023" is a date, not a deadline
        if _COMPARED_BEFORE.search(low, max(start, m.start() - 10), m.start()):
            continue
        out.append(YearClause(m.start(), m.end(), int(m.group(1)), "by_year"))
    for m in _ANNUAL.finditer(low, start, end):
        out.append(YearClause(m.start(), m.end(), None, "annual"))
    return sorted(out, key=lambda y: y.start)


def closes_phrase(low: str, clause: YearClause, limit: int) -> bool:
    return bool(_CLOSES.match(low[clause.end : limit + 1] if limit >= clause.end else ""))


def period_range(low: str, start: int, end: int) -> tuple[int, int] | None:
    m = _RANGE.search(low, start, end)
    if m and int(m.group(1)) < int(m.group(2)):
        return int(m.group(1)), int(m.group(2))
    return None


def assign_years(low: str, cands: list["_Cand"]) -> None:
    """Each number's year, clause by clause, within one sentence.

    A number takes (1) a year clause of its own between the previous number and itself
    ("Đến năm 2025 đạt 70% ..., đến năm 2030 đạt 100%"), else (2) a year clause closing its own
    phrase after it ("60% ... vào năm 2025 và 80% vào năm 2030": 2025 is the 60%'s, 2030 the
    80%'s), else (3) the nearest year before it in the sentence, else (4) one after it in its
    clause. A period ("giai đoạn 2026 - 2030") is kept as the period of numbers without a
    deadline; a growth rate per year ("10%/năm") is an annual target."""
    claimed: set[int] = set()
    if not cands:
        return
    sent = cands[0].sent
    # Trailing style: no year before the first number, deadlines after the numbers ("đạt 80% vào
    # năm 2025, đạt 100% vào năm 2030"): each number takes the first deadline after it.
    trailing_style = not year_clauses(low, sent.start, cands[0].q.start) and any(
        y.period == "by_year" for y in year_clauses(low, cands[-1].end, sent.end))
    for i, c in enumerate(cands):
        if c.period.startswith("every ") or c.period == "annual_fixed":
            continue
        prev_end = cands[i - 1].end if i else c.sent.start
        own_from = max(prev_end, clause_start(low, c.sent.start, c.q.start))
        nxt = cands[i + 1].q.start if i + 1 < len(cands) else c.sent.end
        semi = low.find(";", c.end, nxt)
        limit = semi if semi >= 0 else nxt
        own = [y for y in year_clauses(low, own_from, c.q.start) if y.start not in claimed]
        trailing = [y for y in year_clauses(low, c.end, limit) if y.period == "by_year" and closes_phrase(low, y, limit)]
        if trailing_style:
            clause_semi = low.find(";", c.end, c.sent.end)
            after = [y for y in year_clauses(low, c.end, c.sent.end if clause_semi < 0 else clause_semi) if y.period == "by_year"]
            own, trailing = [], after[:1]
        chosen: YearClause | None = None
        if own:
            chosen = own[-1]
        elif trailing:
            chosen = trailing[0]
            claimed.add(chosen.start)
        if chosen is not None:
            c.year, c.period, c.year_fixed = chosen.year, chosen.period, True
        else:
            before = year_before(low, c.sent.start, c.q.start)
            if before:
                c.year, c.period = before
            else:
                c.year, c.period = year_after(low, c.end, c.sent.end)
        comma = low.find(",", c.end, limit)
        # "giai đoạn 2026 - 2030" of this number's own phrase: before it, or after it up to a comma
        # (after first: "tăng 6%/năm giai đoạn 2023 - 2025 và tăng 10%/năm giai đoạn 2026 - 2030")
        rng = period_range(low, c.q.start, comma if comma >= 0 else limit) or period_range(low, own_from, c.q.start)
        if rng:
            c.period_start, c.period_end = rng
        if c.unit == "%" and c.period == "annual" and _GROWTH_BEFORE.search(low, max(c.sent.start, c.q.start - 30), c.q.start):
            c.unit = "%/năm"  # "mỗi năm ... tăng 5%": a yearly growth rate
        if c.unit == "%" and c.period == "annual" and _GROWTH_ANNUAL_BEFORE.search(low, max(c.sent.start, c.q.start - 40), c.q.start):
            c.unit = "%/năm"  # "tăng hằng năm không dưới 5%": the yearly marker sits before the number
        if c.unit == "%/năm" and c.period != "by_year" and rng:
            c.year, c.period = rng[1], "by_year"  # "tăng 6 - 8%/năm giai đoạn 2023 - 2025": a rate kept until 2025
        elif c.unit == "%/năm" and c.period != "by_year":
            c.period = "annual"  # "tăng 10%/năm", "tăng 5% mỗi năm""
        elif c.period == "unknown" and c.per_year:
            c.period = "annual"
        elif c.period == "unknown" and rng:
            c.year, c.period = rng[1], "over_period"  # "giai đoạn 2026 - 2030 tổ chức 05 hội thi"
        if c.period == "annual":
            c.year = None


def year_before(low: str, sent_start: int, pos: int) -> tuple[int | None, str] | None:
    """The nearest year clause before pos in the sentence: (2025, "by_year") or (None, "annual")."""
    best: tuple[int, int | None, str] | None = None
    for m in _YEAR.finditer(low, sent_start, pos):
        if _DATE_BEFORE.search(low, max(sent_start, m.start() - 12), m.start()):
            continue  # "ngày 25 tháng 5 năm 2023" is a date, not a deadline
        best = (m.start(), int(m.group(1)), "by_year")
    for m in _ANNUAL.finditer(low, sent_start, pos):
        if best is None or m.start() > best[0]:
            best = (m.start(), None, "annual")
    return None if best is None else (best[1], best[2])


def year_after(low: str, pos: int, sent_end: int) -> tuple[int | None, str]:
    """A deadline clause after the number, in the same clause: "... vào năm 2030"."""
    end = low.find(";", pos, sent_end)
    m = _YEAR_AFTER.search(low, pos, sent_end if end < 0 else end)
    return (int(m.group(1)), "by_year") if m else (None, "unknown")


# ---------------------------------------------------------------- text units


@dataclass
class _Sentence:
    start: int
    end: int


_STRUCT = re.compile(r"^\s*(?:[-+•*–]\s|[IVXl]{1,5}[.)]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[a-zđ]\)\s|#)")
_HEADING = re.compile(r"^\s*(?:[IVXl]{1,5}[.)]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?\s|[a-zđ]\)\s|#)")


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def sentences(plain: str, start: int, end: int) -> list[_Sentence]:
    """Split [start, end) at sentence ends: '.', '!' or '?' before a capital (folded text keeps case)."""
    out, s = [], start
    for m in re.finditer(r"[.!?](?=\s*[A-Z])|\n(?=\s*[-+•])", plain[start:end]):
        e = start + m.end()
        if plain[s:e].strip():
            out.append(_Sentence(s, e))
        s = e
    if plain[s:end].strip():
        out.append(_Sentence(s, end))
    return out


def clause_start(low: str, sent_start: int, pos: int) -> int:
    i = low.rfind(";", sent_start, pos)
    return sent_start if i < 0 else i + 1


# ---------------------------------------------------------------- tables

_PCT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d+)?)\s*%|(?<=%\s)(\d{1,2}0)9\b")
_YEARS = re.compile(r"\b(20\d\d)\b")
_TABLE_END = re.compile(r"^\s*(?:[-+•]\s|\d{1,2}\.\d{1,2}\.?\s|[IVXl]{1,5}[.)]\s|[a-zđ]\)\s)")


def percents(line: str) -> list[tuple[float, int, int]]:
    """Percentages of a table row, reading the OCR slip "309" (for "30%") after a percentage."""
    out = []
    for m in _PCT.finditer(line):
        g = m.group(1) or m.group(2)
        out.append((float(g.replace(",", ".")), m.start(), m.end()))
    return out


def _is_header(line: str) -> list[int] | None:
    years = [int(y) for y in _YEARS.findall(line)]
    if len(years) >= 2 and len(set(years)) == len(years) and years == sorted(years) and len(line) <= 120 and not line.rstrip().endswith("."):
        if not _TABLE_END.match(line) and "%" not in line:
            return years
    return None


def table_targets(record: PlanRecord, low: str, lines: list[tuple[int, int]]) -> tuple[list[Target], set[int]]:
    """Targets from tables whose header names the years; returns them and the line indexes used."""
    targets: list[Target] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        s, e = lines[i]
        years = _is_header(low[s:e])
        if years is None:
            i += 1
            continue
        # rows follow the header within a few lines; otherwise it was not a table header
        rows: list[int] = []
        j = i + 1
        while j < len(lines):
            ls, le = lines[j]
            line = low[ls:le]
            if _TABLE_END.match(line) or (len(line) > 160 and not percents(line)):
                break
            if len(percents(line)) >= 1 and not _is_header(line):
                rows.append(j)
            elif _is_header(line):
                break
            j += 1
        if not rows:
            i += 1
            continue
        metric = _table_metric(low, lines, i, rows)
        is_base = _baseline_columns(low[s:e], years, _plan_year(record))
        table_subject = _row_subject(low, lines, list(range(i - 1, max(-1, i - 4), -1)))  # "Chỉ tiêu đối với thư viện cấp huyện"
        block = list(range(i, j))
        for n, r in enumerate(rows):
            prev_row = rows[n - 1] if n else i
            next_row = rows[n + 1] if n + 1 < len(rows) else j
            candidates = [r] + list(range(r - 1, prev_row, -1)) + list(range(r + 1, next_row))
            subject = _row_subject(low, lines, candidates) or table_subject
            row_metric = _row_metric(low, lines, candidates) or metric
            rs, re_ = lines[r]
            vals = percents(low[rs:re_])
            base: tuple[float, int] | None = None
            for year, (value, _, _), baseline_col in zip(years, vals, is_base):
                if baseline_col:
                    base = (value, year)  # "Hiện trạng năm 2022": the row's starting point, not a target
                    continue
                targets.append(
                    Target(
                        subject=subject.key if subject else "khac",
                        subject_text=record.text[subject.start : subject.end] if subject else "",
                        metric=row_metric,
                        value=value,
                        value_max=None,
                        unit="%",
                        year=year,
                        period="by_year",
                        span=record.span(rs, re_),
                        source="table",
                        baseline=base[0] if base else None,
                        baseline_year=base[1] if base else None,
                    )
                )
        used.update(block)
        i = j
    return targets, used


# A year column that reports where things stand, not a target: "Hiện trạng năm 2022",
# "Thực hiện năm 2022", "Kết quả năm 2022", "Năm gốc 2020", "Ước đạt năm 2023".
_BASELINE_HEADER = re.compile(r"hien\s+trang|thuc\s+hien|ket\s+qua|hien\s+nay|thuc\s+trang|nam\s+goc|co\s+so|\buoc\b|dat\s+duoc")


def _baseline_columns(header: str, years: list[int], plan_year: int | None) -> list[bool]:
    """For each year of a table header: does its column state a baseline (its own words, or a year
    before the plan was issued)?"""
    out = []
    pos = 0
    for y in years:
        at = header.find(str(y), pos)
        cell_start = max(header.rfind("\t", 0, at), header.rfind("|", 0, at), pos - 1) + 1
        words = header[cell_start:at]
        out.append(bool(_BASELINE_HEADER.search(words)) or (plan_year is not None and y < plan_year))
        pos = at + 4
    if all(out):
        return [False] * len(years)  # never drop a whole table
    return out


def _row_subject(low: str, lines: list[tuple[int, int]], candidates: list[int]) -> Mention | None:
    generic: Mention | None = None
    for c in candidates:
        s, e = lines[c]
        for m in find_mentions(low, s, e):
            if m.key in ("thu-vien", "bao-tang", "trung-tam-van-hoa") or m.key.startswith("cap-"):
                generic = generic or m
                continue
            return m
    return generic


def _row_metric(low: str, lines: list[tuple[int, int]], candidates: list[int]) -> str | None:
    """The metric a row names in its own label (tables with one row per metric), before its values."""
    for c in candidates:
        s, e = lines[c]
        vals = percents(low[s:e])
        found = find_metric(low, s, s + vals[0][1] if vals else e)
        if found:
            return found[0]
    return None


def _table_metric(low: str, lines: list[tuple[int, int]], header: int, rows: list[int]) -> str:
    for k in range(header - 1, max(-1, header - 5), -1):
        s, e = lines[k]
        found = find_metric(low, s, e)
        if found:
            return found[0]
    found = find_metric(low, lines[header][0], lines[rows[-1]][1])
    return found[0] if found else "khac"


# ---------------------------------------------------------------- prose


@dataclass
class _Cand:
    q: Quantity
    sent: _Sentence
    unit: str
    end: int  # end of the quantity expression incl. "mỗi năm"
    year: int | None = None
    period: str = "unknown"
    subjects: list[Mention] = field(default_factory=list)
    immediate: bool = False
    metric: tuple[str, int, int] | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    is_baseline: bool = False
    respectively: bool = False  # got its subject from a "tương ứng" / "lần lượt" list
    period_start: int | None = None
    period_end: int | None = None
    year_fixed: bool = False  # the year came from a clause of its own (not inherited)
    per_year: bool = False  # "bản sách/năm", "lớp năng khiếu mỗi năm"


def prose_targets(record: PlanRecord, plain: str, low: str, lines: list[tuple[int, int]], skip: set[int]) -> list[Target]:
    out: list[Target] = []
    heading_subject: list[Mention] = []
    aim = False  # inside a part headed "Mục tiêu" / "Chỉ tiêu": its numbers are commitments
    aim_year: int | None = None  # "Chỉ tiêu cụ thể đến năm 2025"
    stack: dict[int, tuple[bool, int | None]] = {}
    for unit_start, unit_end, is_heading in _units(low, lines, skip, plain):
        if is_heading:
            ms = find_mentions(low, unit_start, unit_end)
            if ms:
                heading_subject = [ms[0]]
            aim, aim_year = _heading_context(plain[unit_start:unit_end], stack)
            if not find_quantities(low[unit_start:unit_end]):
                continue
        out.extend(_unit_targets(record, plain, low, unit_start, unit_end, heading_subject, aim, aim_year))
    return out


_AIM_HEADING = re.compile(r"m\S{0,2}c\s+ti\S{0,2}u|ch\S\s+ti\S{0,2}u|ph\S{0,2}n\s+d\S{0,2}u|nhi\S{0,2}m\s+v\S{0,2}|gi\S{0,2}i\s+ph\S{0,2}p")
_FACT_HEADING = re.compile(r"th\S{0,2}c\s+tr\S{0,2}ng|k\S{0,2}t\s+qu\S{0,2}|t\S{0,2}nh\s+h\S{0,2}nh|d\S{0,2}nh\s+gi\S{0,2}")
_ROMAN_HEADING = re.compile(r"\s*[IVX]{1,5}[.)]\s")
_LETTERED = re.compile(r"^\s*[a-zđ]\)\s")


def _heading_level(heading: str) -> int:
    if _ROMAN_HEADING.match(heading):
        return 1
    if _LETTERED.match(heading):
        return 3
    return 2


def _heading_context(heading: str, stack: dict[int, tuple[bool, int | None]]) -> tuple[bool, int | None]:
    """Whether the part a heading opens states aims, and its deadline year: its own words ("Mục
    tiêu", "Chỉ tiêu ... đến năm 2025"; "Thực trạng", "Kết quả" for facts), else those of the
    heading above it ("II. MỤC TIÊU" > "1. Đối với thư viện" > "a) ...")."""
    level = _heading_level(heading)
    heading = heading.lower()
    for deeper in [k for k in stack if k >= level]:
        del stack[deeper]
    parent = next((stack[k] for k in sorted(stack, reverse=True)), (False, None))
    year = _YEAR.search(heading)
    if _AIM_HEADING.search(heading):
        ctx = (True, int(year.group(1)) if year else parent[1])
    elif _FACT_HEADING.search(heading):
        ctx = (False, None)
    else:
        ctx = parent
    stack[level] = ctx
    return ctx


def _units(low: str, lines: list[tuple[int, int]], skip: set[int], plain: str | None = None):
    """Paragraphs: a structural line plus the continuation lines after it (OCR text leaves
    sentences broken across lines); table lines are skipped."""
    cur: list[int] | None = None
    for idx, (s, e) in enumerate(lines):
        if idx in skip:
            if cur:
                yield cur[0], cur[1], False
            cur = None
            continue
        line = low[s:e]
        heading = (bool(_HEADING.match(line)) or bool(plain and _ROMAN_HEADING.match(plain, s))) and len(line) < 200
        if cur is None or _STRUCT.match(line) or heading:
            if cur:
                yield cur[0], cur[1], False
            cur = [s, e]
            if heading:
                yield s, e, True
                cur = None
        else:
            cur[1] = e
    if cur:
        yield cur[0], cur[1], False


def _unit_targets(record: PlanRecord, plain: str, low: str, us: int, ue: int, heading_subject: list[Mention],
                  aim: bool = False, aim_year: int | None = None) -> list[Target]:
    cands: list[_Cand] = []
    sents = sentences(plain, us, ue)
    mentions_all = resolve_levels(low, named_mentions(plain, find_mentions(low, us, ue)))
    for sent in sents:
        in_sentence = []
        for q in find_quantities(low[sent.start : sent.end]) + wholes(low, sent.start, sent.end, mentions_all):
            q = replace(q, start=q.start + sent.start, end=q.end + sent.start, unit_start=q.unit_start + sent.start, unit_end=q.unit_end + sent.start)
            in_sentence.append(_read_candidate(low, q, sent))
        in_sentence.sort(key=lambda c: c.q.start)
        assign_years(low, in_sentence)
        for c in in_sentence:
            if c.period == "annual_fixed":
                c.period = "annual"
        cands.extend(in_sentence)
    _link_baselines(low, cands)
    _mark_achieved(record, low, cands, aim)
    cands = [c for c in cands if not c.is_baseline]
    for c in cands:
        if aim_year is not None and c.year is None and c.period == "unknown":
            c.year, c.period = aim_year, "by_year"  # "Chỉ tiêu cụ thể đến năm 2025: - 80% thư viện ..."
    for c in cands:
        ms = [m for m in mentions_all if c.sent.start <= m.start and m.end <= c.sent.end]
        _assign_subject(low, c, ms)
    _respective_runs(low, cands, mentions_all)
    _respectively(low, cands, mentions_all, sents)
    for n, c in enumerate(cands):
        if not c.subjects:
            # a chained percentage ("đạt 70% và đến năm 2030 đạt 100% bảo tàng") shares the next subject
            nxt = next((d for d in cands[n + 1 :] if d.sent is c.sent and d.immediate), None)
            if nxt and not [m for m in mentions_all if c.q.end <= m.start < nxt.q.start]:
                c.subjects = list(nxt.subjects)
    for n, c in enumerate(cands):
        if not c.subjects:
            c.subjects = _fallback_subject(low, c, mentions_all, cands[:n], heading_subject)
        if c.metric is None:
            c.metric = _metric_for(low, c, cands[:n])
        if c.metric and c.metric[0] == "luot-phuc-vu-doc-gia" and (
            c.unit == "%/năm" or (c.unit == "%" and _GROWTH_BEFORE.search(low, max(c.sent.start, c.q.start - 30), c.q.start))
        ):
            c.metric = ("tang-luot-nguoi-su-dung-thu-vien", c.metric[1], c.metric[2])  # readers grow by a rate
    out: list[Target] = []
    for c in cands:
        if not c.subjects and c.metric is None:
            continue  # "hỗ trợ 50% kinh phí": about no institution and no known metric, not a target
        keys_done: set[str] = set()
        for subj in c.subjects or [None]:
            if subj is not None:
                if subj.key in keys_done:
                    continue  # "thư viện xã, phòng đọc cơ sở": two names of one type are one target
                keys_done.add(subj.key)
            span_start, span_end = c.q.start, c.end
            if subj is not None and c.immediate:
                span_end = max(span_end, subj.end)
            out.append(
                Target(
                    subject=subj.key if subj else "khac",
                    subject_text=record.text[subj.start : subj.end] if subj else "",
                    metric=c.metric[0] if c.metric else "khac",
                    metric_text=record.text[c.metric[1] : c.metric[2]] if c.metric and c.metric[2] > c.metric[1] else None,
                    value=c.q.value,
                    value_max=c.q.value_max,
                    unit=c.unit,
                    year=c.year,
                    period=c.period,
                    qualifier=c.q.qualifier,
                    baseline=c.baseline,
                    baseline_year=c.baseline_year,
                    span=record.span(span_start, span_end),
                    source="respectively" if c.respectively else "text",
                    period_start=c.period_start,
                    period_end=c.period_end,
                )
            )
    return out


def _read_candidate(low: str, q: Quantity, sent: _Sentence) -> _Cand:
    """Unit and reach of a number ("10% mỗi năm" is a growth rate); its year is set by assign_years."""
    unit, end = q.unit, q.end
    after = _PER_YEAR_AFTER.match(low, q.end, sent.end)
    if unit == "%" and after:
        unit, end = "%/năm", after.end()  # a growth rate: "tăng bình quân 10% mỗi năm"
    c = _Cand(q=q, sent=sent, unit=unit, end=end)
    every = _EVERY_N_YEARS.search(low, max(sent.start, q.start - 14), q.start) if q.unit == "lần" else None
    if every:
        n = int(every.group(1)) if every.group(1).isdigit() else _WORDS_YEAR[every.group(1)]
        c.year, c.period = None, "annual_fixed" if n == 1 else f"every {n} years"
    elif unit != "%/năm":
        per_year = after or _PER_YEAR_NOUN_AFTER.match(low, q.unit_end, sent.end)
        if per_year:
            c.per_year, c.end = True, per_year.end()
    return c


_WHOLE = re.compile(r"\b(?:to\S{0,2}n\s+b\S{0,2}|t\S{0,2}t\s+c\S{0,2})\s+(?:(?:s\S|c\S{0,2}c)\s+)*$")


def wholes(low: str, start: int, end: int, mentions: list[Mention]) -> list[Quantity]:
    """ "toàn bộ thư viện cấp huyện", "tất cả các trung tâm ...": 100% of the institutions named
    right after, in a sentence that sets a deadline or a yearly aim (offsets relative to start)."""
    if not year_clauses(low, start, end) and not _TARGET_CUE.search(low, start, end):
        return []
    out = []
    for m in mentions:
        if not start <= m.start < end:
            continue
        w = _WHOLE.search(low, max(start, m.start - 24), m.start)
        if w:
            out.append(Quantity(w.start() - start, m.start - start, 100.0, None, "%", None, w.start() - start, m.start - start))
    return out


_TARGET_CUE = re.compile(r"ph\S{0,2}n\s+d\S{0,2}u|m\S{0,2}c\s+ti\S{0,2}u|ch\S\s+ti\S{0,2}u")
# What was achieved, not what is aimed at (matched on the lower-cased text WITH diacritics:
# "đã" must not be "đa"); a clause with one of these and no aim word states a baseline.
_ACHIEVED_STRONG = re.compile(r"(?<!\w)(?:hiện nay|hiện có|hiện tại|tính đến|đến nay|tới nay|năm qua|vừa qua|trước đây)(?!\w)")
_ACHIEVED = re.compile(r"(?<!\w)(?:đã|đạt được)(?!\w)")
_AIM = re.compile(r"(?<!\w)(?:phấn đấu|mục tiêu|sẽ|tiến tới|bảo đảm|đảm bảo|tối thiểu|ít nhất|nâng lên|(?:đến|vào|trước)(?: hết)? năm)(?!\w)")
# Weaker signs of an aim, enough to keep a number that has no deadline ("Theo kế hoạch, ... tổ chức 20 cuộc").
_AIM_LOOSE = re.compile(r"(?<!\w)(?:theo kế hoạch|chỉ tiêu|yêu cầu|cần|phải|hướng tới|nâng cao|duy trì|mỗi|hằng năm|hàng năm)(?!\w)")
_BARE_YEAR = re.compile(r"(?:^|[\s,(])(?:trong\s+)?n\S{0,2}m\s+(20\d\d)\s*[,:]")


_FULL_DATE = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*(20\d\d)\b|ng\S{1,2}y\s+\d{1,2}\s+th\S{1,2}ng\s+\d{1,2}\s+n\S{1,2}m\s+(20\d\d)")


def _plan_year(record: PlanRecord) -> int | None:
    """The year the plan (or report) was issued: its header date, else its first full date (the dateline)."""
    date = record.header.date if record.header else None
    if date and date[:4].isdigit():
        return int(date[:4])
    return _latest_date_year(record.text)


@lru_cache(maxsize=16)
def _latest_date_year(text: str) -> int | None:
    low = fold(text[:20000]).lower()
    for m in _FULL_DATE.finditer(low):
        if not re.search(r"tr\S{1,3}c|ch\S{1,2}m\s+nh\S{1,2}t|h\S{1,2}n", low[max(0, m.start() - 16) : m.start()]):
            return int(m.group(1) or m.group(2))  # the dateline, not a deadline written further on
    return None


def is_achieved(record: PlanRecord, low: str, c: "_Cand", plan_year: int | None, timed: frozenset[int] = frozenset()) -> bool:
    """A number the text reports as reached ("Năm 2022, Thư viện tỉnh phục vụ 95.000 lượt",
    "hiện nay 45% ...", "đã đạt 30%"): a baseline, not a commitment."""
    cs = clause_start(low, c.sent.start, c.q.start)
    clause = record.text[cs : c.q.start].lower()
    if len(clause) != c.q.start - cs:
        clause = low[cs : c.q.start]
    if _ACHIEVED_STRONG.search(clause):
        return True
    sentence = record.text[c.sent.start : c.sent.end].lower()
    if len(sentence) != c.sent.end - c.sent.start:
        sentence = low[c.sent.start : c.sent.end]
    if c.year_fixed and c.year is not None and plan_year is not None and c.year < plan_year and not _AIM.search(clause):
        return True  # "Số lượt bạn đọc năm 2022 tăng 15%" in a plan of 2023: a result
    if (c.period == "unknown" and c.year is None and c.q.qualifier in (None, "about") and not c.per_year
            and c.sent.start not in timed and not _AIM.search(sentence) and not _AIM_LOOSE.search(sentence) and not _TARGET_CUE.search(low, c.sent.start, c.sent.end)):
        return True  # no deadline, no yearly routine, no aim word anywhere: a statement of fact
    if _ACHIEVED.search(clause) and not _AIM.search(clause) and _past_year_opener(low, c.sent.start, c.q.start, plan_year):
        return True  # "Năm 2015, Thư viện tỉnh đã phục vụ trên 95.000 lượt": a past year and "đã", whatever the qualifier
    past = _PAST_PERIOD.search(low, cs, c.q.start)
    if past and plan_year is not None and int(past.group(1)) < int(past.group(2)) < plan_year and not _AIM.search(clause):
        return True  # "Giai đoạn 2016 - 2020, Bảo tàng tỉnh đón trung bình 50.000 lượt khách mỗi năm" (a 2023 plan)
    if _AIM.search(clause) or c.q.qualifier in ("at_least", "at_most") or c.period == "annual":
        return False  # an aim, a floor or a yearly routine ("mỗi năm ... đã tổ chức ít nhất 15 cuộc")
    if _ACHIEVED.search(clause):
        return True
    bare = _BARE_YEAR.search(low, cs, c.q.start)
    if bare and c.year_fixed and c.year == int(bare.group(1)) and not _LEADING_PREP.search(low, max(cs, bare.start() - 8), bare.start() + 1):
        if plan_year is not None:
            return c.year < plan_year
        # no issue date known: a baseline when the sentence goes on to a later year ("Năm 2022 đạt 45%;
        # phấn đấu đến năm 2025 đạt 70%") or says it was done ("Kết quả năm 2022: 100% ... đã ...")
        later = any(int(y.group(1)) > c.year for y in _YEAR.finditer(low, c.q.end, c.sent.end))
        return later or bool(_ACHIEVED.search(record.text[c.q.start : c.sent.end].lower()))
    return False


# A period opening the clause: "Giai đoạn 2016 - 2020, ...", "Trong giai đoạn 2016-2020 ..."
_PAST_PERIOD = re.compile(r"(?:^|[^\w])(?:trong\s+)?giai\s+do\S{0,2}n\s+(20\d\d)\s*[-–]\s*(20\d\d)\s*,")
_YEAR_OPENER = re.compile(r"(?:^|[^\w])(?:trong\s+|v\S{0,2}o\s+)?n\S{0,2}m\s+(20\d\d)\s*,")


def _past_year_opener(low: str, start: int, pos: int, plan_year: int | None) -> bool:
    """A year before the plan's own year that opens a clause ("Năm 2022, ...")."""
    return any(plan_year is None or int(m.group(1)) < plan_year for m in _YEAR_OPENER.finditer(low, start, pos))


def _mark_achieved(record: PlanRecord, low: str, cands: list["_Cand"], aim: bool = False) -> None:
    """Baselines stated as facts are not targets; the next target of the same unit gets them."""
    plan_year = _plan_year(record)
    # sentences with a deadline or a yearly routine: their other numbers belong to the same list
    timed = frozenset(c.sent.start for c in cands if aim or c.period != "unknown" or c.year is not None or c.per_year)
    for i, c in enumerate(cands):
        if c.is_baseline or not is_achieved(record, low, c, plan_year, timed):
            continue
        c.is_baseline = True
        later = next((d for d in cands[i + 1 :] if d.unit == c.unit and d.baseline is None and not is_achieved(record, low, d, plan_year, timed)), None)
        if later is not None:
            later.baseline = c.q.value
            later.baseline_year = c.year if c.period == "by_year" else None


def _link_baselines(low: str, cands: list[_Cand]) -> None:
    """ "từ 60% (năm 2020) lên 80%": the first number is the second's baseline."""
    for a, b in zip(cands, cands[1:]):
        if a.sent is not b.sent or a.unit.split("/")[0] != b.unit.split("/")[0]:
            continue
        link = _BASELINE_LINK.match(low[a.q.end : b.q.start])
        if link and _FROM_BEFORE.search(low, max(a.sent.start, a.q.start - 4), a.q.start):
            b.baseline = a.q.value
            b.baseline_year = int(link.group(1)) if link.group(1) else None
            a.is_baseline = True
            if b.baseline_year is not None and b.year == b.baseline_year:
                b.year, b.period = year_after(low, b.q.end, b.sent.end)  # 2020 was the baseline's year


def _assign_subject(low: str, c: _Cand, ms: list[Mention]) -> None:
    if c.unit == "%":
        pos = re.match(r"\s*(?:s\S\s+(?:l\S{0,3}ng\s+)?)?(?:c\S{0,2}c\s+)?", low[c.q.end : c.sent.end])
        at = c.q.end + (pos.end() if pos else 0)
        for i, m in enumerate(ms):
            if m.start == at:
                c.subjects = group_at(low, ms, i, forward=True)
                c.immediate = True
                return
        return  # decided later: chained, respectively or fallback
    cs = clause_start(low, c.sent.start, c.q.start)
    before = [i for i, m in enumerate(ms) if cs <= m.start and m.end <= c.q.start]
    if before:
        c.subjects = group_at(low, ms, before[-1], forward=False)


_PLACE_BEFORE = re.compile(r"\b(?:t\S{0,2}i|trong|cho|o)\s+(?:c\S{0,2}c\s+)?$")


def _fallback_subject(low: str, c: _Cand, mentions_all: list[Mention], previous: list[_Cand], heading: list[Mention]) -> list[Mention]:
    ms = [m for m in mentions_all if c.sent.start <= m.start and m.end <= c.sent.end]
    cs = clause_start(low, c.sent.start, c.q.start)
    before = [i for i, m in enumerate(ms) if cs <= m.start and m.end <= c.q.start]
    if before:
        return group_at(low, ms, before[-1], forward=False)
    first = [i for i, m in enumerate(ms) if m.end <= c.q.start]
    if first:
        m = ms[first[0]]
        if c.unit not in ("%", "%/năm") and _PLACE_BEFORE.search(low, max(c.sent.start, m.start - 12), m.start):
            return []  # "viên chức làm việc trong thư viện, bảo tàng; hằng năm tổ chức 02 lớp": where, not who
        return group_at(low, ms, first[0], forward=True)
    after = [i for i, m in enumerate(ms) if m.start >= c.q.end and low.rfind(";", c.q.end, m.start) < 0]
    if after:
        m = ms[after[0]]
        if c.unit not in ("%", "%/năm") and _PLACE_BEFORE.search(low, max(c.q.end, m.start - 12), m.start):
            return []  # "tổ chức 03 lớp cho viên chức làm việc tại thư viện, bảo tàng": where, not who
        return group_at(low, ms, after[0], forward=True)
    for p in reversed(previous):
        if p.subjects:
            return list(p.subjects)
    return list(heading)


# Metrics named by what is done (a verb), which a unit noun after the number must not override.
_ACTION_METRICS = frozenset({"luan-chuyen-sach", "so-hoa-tai-lieu", "dao-tao-boi-duong", "trung-bay-chuyen-de",
                             "lien-hoan-hoi-dien", "hoat-dong-giao-duc-trai-nghiem"})
_GROWTH_BEFORE = re.compile(r"t\S{0,2}ng\s+(?:b\S{0,2}nh\s+qu\S{0,2}n\s+)?(?:kho\S{0,2}ng\s+|t\S{0,2}\s+)?$")
# "tăng hằng năm (không dưới|khoảng|ít nhất) 5%": a growth verb, then the yearly marker, then the number
_GROWTH_ANNUAL_BEFORE = re.compile(
    r"t\S{0,2}ng\s+(?:b\S{0,2}nh\s+qu\S{0,2}n\s+)?(?:h\S{0,2}ng|m\S{0,2})\s+n\S{0,2}m\s+"
    r"(?:(?:kh\S{0,2}ng\s+d\S{0,2}i|kho\S{0,2}ng|it\s+nh\S{0,2}t|t\S{0,2}i\s+thi\S{0,2}u|tr\S{0,2}n|t\S{0,2})\s+)?$")


def _metric_for(low: str, c: _Cand, previous: list[_Cand]) -> tuple[str, int, int] | None:
    s, e = c.sent.start, c.sent.end
    verb = find_metric(low, max(s, c.q.start - 40), c.q.start, last=True)
    if verb and re.fullmatch(r"\s*(?:\w+\s+){0,2}", low[verb[2] : c.q.start]):
        return verb  # the action written right before the number: "luân chuyển 20.000 bản sách"
    window = find_metric(low, c.q.unit_start, min(e, c.q.unit_end + 60))
    if window and window[1] == c.q.unit_start:
        # the unit noun itself suggests the metric ("bản sách" -> acquisition); an action named
        # earlier in the clause says more ("luân chuyển sách tới 40 điểm, với 10.000 bản sách")
        action = find_metric(low, clause_start(low, s, c.q.start), c.q.start, last=True)
        if action and action[0] != window[0] and action[0] in _ACTION_METRICS:
            return action
    if window:
        return window
    after = find_metric(low, c.q.unit_start, e)
    if after:
        return after
    before = find_metric(low, s, c.q.start, last=True)
    if before:
        return before
    for p in reversed(previous):
        if p.metric:
            return p.metric
    return None


def _respectively(low: str, cands: list[_Cand], mentions_all: list[Mention], sents: list[_Sentence]) -> None:
    """ "Đến năm 2030, đạt 100%, 90%, 60% ... các chỉ tiêu tương ứng": values take, in order,
    the subjects listed in the sentence before (or before "lần lượt" in the same sentence)."""
    for si, sent in enumerate(sents):
        trig = _RESPECTIVELY.search(low, sent.start, sent.end)
        if not trig:
            continue
        loose = [c for c in cands if c.sent is sent and not c.immediate and not c.respectively]
        vals = [c for c in loose if c.unit == loose[0].unit] if loose else []
        if len(vals) < 2:
            continue
        source: list[Mention] = []
        inside = [m for m in mentions_all if sent.start <= m.start and m.end <= min(trig.start(), vals[0].q.start)]
        following = [m for m in mentions_all if trig.end() <= m.start and m.end <= sent.end]
        if len(inside) >= 2:
            source = _list_chain(low, inside)
        elif vals[-1].q.end <= trig.start() and len(following) >= 2:
            source = _list_chain(low, following)  # "đạt 100%, 90% lần lượt đối với thư viện cấp tỉnh, ..."
        elif si > 0:
            prev_sent = sents[si - 1]
            source = _list_chain(low, [m for m in mentions_all if prev_sent.start <= m.start and m.end <= prev_sent.end])
        if not source:
            continue
        src_cands = [c for c in cands if si > 0 and c.sent is sents[si - 1]]
        if len(source) != len(vals):
            continue
        for c, m in zip(vals, source):
            c.subjects = [m]
            c.respectively = True
            same = next((d for d in src_cands if d.subjects and d.subjects[0].key == m.key and d.metric), None)
            if same is None and src_cands:
                same = next((d for d in src_cands if d.metric), None)
            if same is not None:
                c.metric = same.metric
            elif src_cands:
                c.metric = _metric_for(low, src_cands[0], [])


_VALUE_GAP = re.compile(r"\s*[,;]?\s*(?:va\s+)?")
_TO_SUBJECT = re.compile(r"\s*(?:c\S{0,2}c\s+)?")


def _value_runs(low: str, cands: list[_Cand]) -> list[list[_Cand]]:
    """Numbers of one unit written one after the other ("100%, 75% và 40%"), within a sentence."""
    runs: list[list[_Cand]] = []
    cur: list[_Cand] = []
    for c in cands:
        if cur and c.sent is cur[-1].sent and c.unit == cur[-1].unit and _VALUE_GAP.fullmatch(low, cur[-1].end, c.q.start):
            cur.append(c)
        else:
            if len(cur) >= 2:
                runs.append(cur)
            cur = [c]
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _respective_runs(low: str, cands: list[_Cand], mentions_all: list[Mention]) -> None:
    """A run of N values paired, in order, with N subjects:
    (a) the subjects listed right after the run ("đạt 100%, 80% và 50% thư viện cấp tỉnh, cấp huyện,
        cấp xã tương ứng") - N values before N listed subjects are read respectively, not crosswise;
    (b) with "tương ứng" / "lần lượt" near the run and no list after it: the subjects the earlier
        numbers of the sentence were given ("50% A và không dưới 20% B ...; đến năm 2030 lần lượt
        80% và 45%"), else the last list of N subjects before the run in the sentence."""
    for run in _value_runs(low, cands):
        n = len(run)
        sent = run[0].sent
        ms = [m for m in mentions_all if sent.start <= m.start and m.end <= sent.end]
        at = _TO_SUBJECT.match(low, run[-1].q.end).end()
        first = next((i for i, m in enumerate(ms) if m.start == at), None)
        source: list[Mention] = []
        if first is not None:
            group = group_at(low, ms, first, forward=True)
            if len(group) == n:
                source = group
        if not source:
            prev = [c for c in cands if c.sent is sent and c.end <= run[0].q.start]
            lo = prev[-1].end if prev else sent.start
            if not (_RESPECTIVELY.search(low, lo, run[0].q.start) or _RESPECTIVELY.match(low, _TO_SUBJECT.match(low, run[-1].end).end())):
                continue
            keys: list[Mention] = []
            for c in prev:
                if c.unit == run[0].unit:
                    for m in c.subjects:
                        if m.key not in {k.key for k in keys}:
                            keys.append(m)
            if len(keys) == n:
                source = keys
            else:
                before = [m for m in ms if m.end <= run[0].q.start]
                chain = _list_chain(low, before)
                if len(chain) == n:
                    source = chain
        if len(source) != n:
            continue
        for c, m in zip(run, source):
            c.subjects, c.respectively = [m], True


def _list_chain(low: str, ms: list[Mention]) -> list[Mention]:
    """The longest run of mentions separated only by ',', 'và' and percentages: a listed enumeration."""
    best: list[Mention] = []
    run: list[Mention] = []
    for m in ms:
        if run and _LIST_GAP.match(low[run[-1].end : m.start]):
            run.append(m)
        else:
            run = [m]
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= 2 else []


# ---------------------------------------------------------------- entry point


def extract_targets(record: PlanRecord) -> list[Target]:
    """Every quantitative target of the plan, tables first, then prose, in text order."""
    text = record.text
    plain = fold(text)
    low = plain.lower()
    lines = _lines(text)
    table, used = table_targets(record, low, lines)
    prose = prose_targets(record, plain, low, lines, used)
    return sorted(table + prose, key=lambda t: (t.span.start, t.year or 0))

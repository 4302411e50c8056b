"""Commemoration days and weeks a plan ties its activities to ("Ngày Sách và Văn hóa đọc
Việt Nam - 21/4", "Ngày Quốc tế Bảo tàng (18/5)", "Tuần lễ hưởng ứng học tập suốt đời").

A mention is "Ngày <Name>" followed by a day/month ("- 21/4", "(21/4)", " 21/4"), matched on
folded text so OCR output without tone marks ("Ngay Quéc té Bao tang 18/5") is read too.
The day and month identify the commemoration (ingest.concepts.COMMEMORATIONS); a day not in
that list is still reported, with a key made from its date. A date with a year ("ngày
09/12/2022") is a document date and never an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kehoach import __version__

from .concepts import COMMEMORATIONS
from .records import PlanRecord, Span
from .vietnamese import fold

EXTRACTOR = f"kehoach.events/{__version__}"

# "Ngày" + a name of 1-10 words starting with a letter, then the date; no digits or sentence
# punctuation inside the name. OCR spellings of "Ngày": "Ngay", "Ngáy".
_DAY_MENTION = re.compile(
    r"\b[Nn]g[a-z]{1,2}y\s+(?P<name>[A-Za-z][^\d\n,;:.()\[\]]{2,80}?)\s*(?:[-–—]\s*|\(\s*|\s)"
    r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?!\s*/\s*\d)(?!\d)(?:\s*\))?"
)
# "Tuần lễ hưởng ứng học tập suốt đời"; OCR mangles the middle words ("Tuan I8 hu’0’ng ng"),
# so up to three short tokens may stand between "Tuần lễ" and "học tập suốt đời".
_WEEK_MENTION = re.compile(
    r"\bTu[a-z]{1,2}n\s+(?:l[e8]|[Il1]8)\s+(?:\S{1,8}\s+){0,3}?h[a-z]{1,2}c\s+t[a-z]{1,2}p\s+su\S{1,2}t\s+d[a-z]{1,2}i", re.I
)
# Words that start something other than a commemoration after "ngày": a date, a deadline.
_NOT_A_NAME = re.compile(r"^(?:thang|nay|le|ky\s+niem\s+thanh\s+lap)\b", re.I)


@dataclass
class Event:
    key: str  # commemoration concept key
    label: str  # canonical Vietnamese name
    name: str  # as written in the plan
    day: int | None
    month: int | None
    span: Span
    extractor: str = EXTRACTOR

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "name": self.name,
            "day": self.day,
            "month": self.month,
            "date": f"{self.day}/{self.month}" if self.day else None,
            "extractor": self.extractor,
            "span": self.span.to_json(),
        }


def commemoration_for(day: int | None, month: int | None, folded_name: str):
    """The catalogue entry for a date (and, for weeks without a date, its name)."""
    for c in COMMEMORATIONS.values():
        if day is not None and c.day == day and c.month == month:
            return c
    if day is None:
        for c in COMMEMORATIONS.values():
            if c.day is None and re.search(c.pattern, folded_name):
                return c
    return None


def find_events(text: str) -> list[tuple[int, int, str, str, int | None, int | None]]:
    """(start, end, key, name, day, month) for each mention in text (any string)."""
    plain = fold(text)
    out = []
    for m in _DAY_MENTION.finditer(plain):
        name_plain = m.group("name")
        if _NOT_A_NAME.match(name_plain):
            continue
        day, month = int(m.group("day")), int(m.group("month"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        c = commemoration_for(day, month, name_plain.lower())
        key = c.key if c else f"ngay-{day:02d}-{month:02d}"
        name = text[m.start() : m.start("day")].rstrip(" -–—(\n")
        out.append((m.start(), m.end(), key, " ".join(name.split()), day, month))
    for m in _WEEK_MENTION.finditer(plain):
        c = commemoration_for(None, None, "hoc tap")
        out.append((m.start(), m.end(), c.key if c else "tuan-le", " ".join(text[m.start() : m.end()].split()), None, None))
    return sorted(out)


def extract_events(record: PlanRecord) -> list[Event]:
    events = []
    for start, end, key, name, day, month in find_events(record.text):
        c = COMMEMORATIONS.get(key)
        label = c.label if c else name
        events.append(Event(key, label, name, day, month, record.span(start, end)))
    return events

"""Segment a normalised plan into its document tree.

Input: the normalised text (one logical line per paragraph, heading, bullet or table
row; see layout.py). Output: a flat list of `Segment`s whose `parent` links form the
tree: header block, title, preamble, Roman-numeral parts, numbered sections (1., 2.1.),
lettered items (a), đ)), bullets (-, +), paragraphs, tables with their rows, appendices,
and the closing block (Nơi nhận, signature).

Nesting is decided by *rank*, not by indentation (which the sources lose): a segment's
parent is the nearest earlier segment of lower rank. Lines are classified by small pure
functions that only look at one line, so they work on other plans' shapes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .records import Segment, Span
from .vietnamese import is_upper_heading

ROMAN = re.compile(r"^(?P<label>[IVX][IVXl1]{0,4})\s*[.)]\s+(?P<title>.+)$")
# OCR turns "III." into "11l." or "Il.": digits/l mixed with at least one l/I, then a capitalised heading.
OCR_ROMAN = re.compile(r"^(?P<label>(?=[1Il]*[Il])[1Il]{2,5})\s*[.)]\s+(?P<title>[^a-z]+)$")
NUMBERED = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)]\s*|\s+)(?P<title>\S.*)$")
LETTERED = re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<title>\S.*)$")
BULLET = re.compile(r"^(?P<label>[-–—•*+])\s*(?P<title>[^\W\d_].*|\d.*|[\"“(].*)$")
APPENDIX = re.compile(r"^(?:PHỤ\s+LỤC|PHU\s+LUC)\b", re.IGNORECASE)
PLAN_HEADING = re.compile(r"^(?:KẾ\s+HOẠCH|KE\s+HOACH|KÉ\s+HOẠCH)\s*$", re.IGNORECASE)
CLOSING = re.compile(r"^(?:Nơi\s*nhận|Noi\s*nh\S*)", re.IGNORECASE)
SIGNATURE = re.compile(r"^(?:TM|KT|TL|Q)\.\s|^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC)\b", re.IGNORECASE)
PREAMBLE_OPENER = re.compile(r"^(?:Thực hiện|Căn cứ|Can c\S{0,3}\s|Thuc hi\S{0,3}n\s|Theo|Xét)")

# Lower rank = higher in the tree.
RANK = {
    "appendix": 0,
    "closing": 0,
    "part": 1,
    "section": 2,  # + depth of its number: "2.1." is rank 3
    "item": 6,
    "paragraph": 6.5,
    "table": 6.6,
    "bullet": 7,
    "subbullet": 8,
}


@dataclass(frozen=True)
class Line:
    start: int  # offsets into the normalised text
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return [line for line in lines if line.text.strip()]


def classify_line(text: str) -> tuple[str, str | None, str | None]:
    """(kind, label, title) of one body line; kind 'paragraph' when nothing matches."""
    if "\t" in text:
        return "row", None, None
    if APPENDIX.match(text):
        return "appendix", None, text
    if CLOSING.match(text):
        return "closing", None, text
    m = ROMAN.match(text) or (OCR_ROMAN.match(text) if is_upper_heading(text) else None)
    if m and (is_upper_heading(m["title"]) or len(m["title"]) < 80):
        return "part", m["label"].replace("l", "I").replace("1", "I"), m["title"].strip()
    m = NUMBERED.match(text)
    if m and not re.match(r"^\d{1,2}/", text):
        return "section", m["label"], _heading_title(m["title"])
    m = LETTERED.match(text)
    if m:
        return "item", m["label"], _heading_title(m["title"])
    m = BULLET.match(text)
    if m:
        return ("subbullet" if m["label"] in "+*" else "bullet"), m["label"], None
    return "paragraph", None, None


def _heading_title(rest: str) -> str:
    """The heading part of "1. Mục tiêu chung: Tiếp tục ..." -> "Mục tiêu chung"."""
    head = re.split(r"[:.]\s", rest, maxsplit=1)[0]
    return head.strip().rstrip(":.") if len(head) <= 120 else rest[:120].strip()


def is_ocr_table_line(text: str) -> bool:
    return "|" in text or len(re.findall(r"\d\s?%", text)) >= 2


def segment_document(text: str, span_of: Callable[[int, int], Span]) -> list[Segment]:
    """Build the segment tree of a normalised plan text."""
    builder = _TreeBuilder(span_of)
    lines = split_lines(text)
    body_start = _front_matter(lines, builder)
    _body(lines[body_start:], builder)
    return builder.segments


def _front_matter(lines: list[Line], b: "_TreeBuilder") -> int:
    """Header block, title and preamble; returns the index of the first body line."""
    heading = next((i for i, line in enumerate(lines[:25]) if PLAN_HEADING.match(line.text.strip())), None)
    first_part = next((i for i, line in enumerate(lines) if classify_line(line.text)[0] in ("part", "section")), len(lines))
    if heading is None or heading > first_part:
        if first_part:
            b.add_block("preamble", lines[:first_part], parent=None)
        return first_part
    if heading:
        b.add_block("header", lines[:heading], parent=None)
    b.add_block("header", [lines[heading]], parent=None, title=lines[heading].text.strip())
    title_end = heading + 1
    while title_end < first_part and not PREAMBLE_OPENER.match(lines[title_end].text) and title_end - heading <= 3:
        title_end += 1
    if title_end == heading + 1 and title_end < first_part:
        title_end += 1  # a title line is always there; the preamble starts after it
    b.add_block("title", lines[heading + 1 : title_end], parent=None)
    if title_end < first_part:
        b.add_block("preamble", lines[title_end:first_part], parent=None)
    return first_part


def _body(lines: list[Line], b: "_TreeBuilder") -> None:
    in_closing = False
    i = 0
    while i < len(lines):
        line = lines[i]
        kind, label, title = classify_line(line.text)
        if kind == "row":
            j = i
            while j < len(lines) and "\t" in lines[j].text:
                j += 1
            b.add_tab_table(lines[i:j])
            i = j
            continue
        if is_ocr_table_line(line.text) and kind in ("paragraph", "section", "row"):
            j = i + 1
            while j < len(lines) and classify_line(lines[j].text)[0] not in ("bullet", "subbullet", "part", "item", "appendix", "closing"):
                j += 1
            b.add_ocr_table(lines[i:j])
            i = j
            continue
        if kind == "appendix":
            in_closing = False
            title_lines = [line]
            while i + 1 < len(lines) and is_upper_heading(lines[i + 1].text) and "\t" not in lines[i + 1].text:
                i += 1
                title_lines.append(lines[i])
            b.add_heading("appendix", None, " ".join(line.text.strip() for line in title_lines), title_lines)
        elif kind == "closing" or in_closing:
            if kind == "closing":
                in_closing = True
                b.add_heading("closing", None, line.text.strip(), [line])
            elif SIGNATURE.match(line.text) or _looks_like_name(line.text):
                b.add_leaf("signature", None, line)
            else:
                b.add_leaf("bullet", label, line)
        elif SIGNATURE.match(line.text) and i > len(lines) * 0.5:
            in_closing = True
            b.add_leaf("signature", None, line)
        elif kind in ("part", "section", "item"):
            b.add_heading(kind, label, title, [line])
        else:
            b.add_leaf(kind, label, line)
        i += 1


def _looks_like_name(text: str) -> bool:
    words = text.strip().split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words)


def _section_rank(kind: str, label: str | None) -> float:
    if kind == "section" and label:
        return RANK["section"] + label.count(".")
    return RANK[kind]


class _TreeBuilder:
    def __init__(self, span_of: Callable[[int, int], Span]) -> None:
        self.span_of = span_of
        self.segments: list[Segment] = []
        self.stack: list[tuple[float, Segment]] = []

    def _new(self, kind: str, label: str | None, start: int, end: int, text: str, parent: Segment | None, **extra) -> Segment:
        seg = Segment(
            id=f"s{len(self.segments):04d}",
            kind=kind,
            label=label,
            text=text,
            span=self.span_of(start, end),
            parent=parent.id if parent else None,
            level=(parent.level + 1) if parent else 0,
            order=len(self.segments),
            **extra,
        )
        self.segments.append(seg)
        return seg

    def _parent_for(self, rank: float) -> Segment | None:
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        return self.stack[-1][1] if self.stack else None

    def add_block(self, kind: str, lines: list[Line], parent: Segment | None, title: str | None = None) -> Segment | None:
        if not lines:
            return None
        text = " ".join(line.text.strip() for line in lines) if kind == "title" else "\n".join(line.text for line in lines)
        return self._new(kind, None, lines[0].start, lines[-1].end, text, parent, title=title or (text if kind == "title" else None))

    def add_heading(self, kind: str, label: str | None, title: str | None, lines: list[Line]) -> Segment:
        rank = _section_rank(kind, label)
        parent = self._parent_for(rank)
        text = " ".join(line.text.strip() for line in lines)
        seg = self._new(kind, label, lines[0].start, lines[-1].end, text, parent, title=title)
        self.stack.append((rank, seg))
        return seg

    def add_leaf(self, kind: str, label: str | None, line: Line) -> Segment:
        rank = RANK.get(kind, RANK["paragraph"]) if kind not in ("signature",) else RANK["paragraph"]
        parent = self._parent_for(rank)
        seg = self._new(kind, label, line.start, line.end, line.text.strip(), parent)
        if kind in ("bullet", "subbullet", "paragraph"):
            self.stack.append((rank, seg))
        return seg

    def add_tab_table(self, lines: list[Line]) -> None:
        """A tab-separated table: header row, group rows (I, II ...), rows; continuation
        lines (first cell empty) are merged into the row above, cell by cell."""
        parent = self._parent_for(RANK["table"])
        rows: list[tuple[list[str], int, int]] = []
        for line in lines:
            cells = [c.strip() for c in line.text.split("\t")]
            if rows and not cells[0] and any(cells):
                prev_cells, start, _ = rows[-1]
                merged = [" ".join(x for x in (a, b) if x) for a, b in _zip_longest(prev_cells, cells)]
                rows[-1] = (merged, start, line.end)
            else:
                rows.append((cells, line.start, line.end))
        columns: list[str] | None = None
        if rows and not re.match(r"^[\dIVX]+$", rows[0][0][0] or "x") and len(rows[0][0]) >= 3:
            columns = rows[0][0]
        table = self._new("table", None, lines[0].start, lines[-1].end, "\n".join(line.text for line in lines), parent, title=" | ".join(columns) if columns else None)
        group: Segment | None = None
        for k, (cells, start, end) in enumerate(rows):
            if columns is not None and k == 0:
                continue
            label = cells[0] or None
            is_group = bool(label and re.fullmatch(r"[IVX]+", label)) and sum(1 for c in cells[1:] if c) <= 1
            text = " | ".join(c for c in cells if c)
            host = table if (is_group or group is None) else group
            seg = Segment(
                id=f"s{len(self.segments):04d}",
                kind="row",
                label=label,
                text=text,
                span=self.span_of(start, end),
                parent=host.id,
                level=host.level + 1,
                order=len(self.segments),
                title=cells[1] if is_group and len(cells) > 1 else None,
                cells=cells,
                columns=columns,
            )
            self.segments.append(seg)
            if is_group:
                group = seg

    def add_ocr_table(self, lines: list[Line]) -> None:
        """A table whose structure OCR broke: keep each line as a row, cells split on '|'."""
        parent = self._parent_for(RANK["table"])
        table = self._new("table", None, lines[0].start, lines[-1].end, "\n".join(line.text for line in lines), parent, title=None)
        for line in lines:
            cells = [c.strip() for c in line.text.split("|")]
            self._new("row", None, line.start, line.end, line.text.strip(), table, cells=cells)


def _zip_longest(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else "", b[i] if i < len(b) else "") for i in range(n)]


def section_path(segments: list[Segment], segment: Segment) -> list[Segment]:
    """The chain of ancestors of `segment`, outermost first (the segment excluded)."""
    by_id = {s.id: s for s in segments}
    path, parent = [], segment.parent
    while parent is not None:
        node = by_id[parent]
        path.append(node)
        parent = node.parent
    return list(reversed(path))

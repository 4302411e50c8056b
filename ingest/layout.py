"""Normalise a plan's layout while keeping a map back to the original characters.

Plans arrive with hard line breaks inside sentences (with or without blank lines
between), markdown emphasis and headings, stray HTML from converters, and page
numbers. `normalise_layout` returns one logical line per paragraph, heading, bullet
or table row, and `offsets[i]` = the original position of output character i.

Only deletions and joins happen here: every kept character is copied unchanged, so
`original[offsets[i]] == text[i]` for every character that is not an inserted join
space (those map to the line break they replace).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vietnamese import is_upper_heading

# Markup removed from inside a line: markdown emphasis, heading hashes, HTML tags.
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^\s{0,3}#{1,6}\s+|<[^<>\n]{1,200}>|&nbsp;")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_TERMINAL = re.compile(r"(?:[.;:!?…]|\./\.)[\"”’)]*\s*$")

# A line that starts a new structural unit: never glue it onto the previous line.
STRUCTURAL_START = re.compile(
    r"""^(?:
        [IVXl]{1,5}[.)]\s            # Roman-numeral part: "II. MỤC TIÊU" (OCR "Il.")
      | \d{1,2}(?:\.\d{1,2}){0,3}[.)]\s?\S   # "1. ", "2.1. ", "2.1 ", "3)"
      | \d{1,2}\.\d{1,2}\s           # "2.1 Heading" without final dot
      | [a-zđ]\)\s                   # lettered item "a) ", "đ) "
      | [-+•*–—]\s?\S                # bullets
      | (?:PHỤ\s+LỤC|Phụ\s+lục|PHU\s+LUC)\b
      | (?:Nơi\s+nhận|Noi\s*nh)       # distribution list
      | (?:TM|KT|TL|Q)\.\s           # signature block
    )""",
    re.VERBOSE,
)


# Capitalised openers of the preamble that follows a plan's title ("Thực hiện Quyết định ...").
PREAMBLE_START = re.compile(r"^(?:Thực hiện|Căn cứ|Can c\S{0,3}\s|Thuc hi\S{0,3}n\s|Theo đề nghị|Xét đề nghị)")


def _looks_like_table_line(line: str) -> bool:
    """OCR tables come as lines with '|' separators or several percentages."""
    return "|" in line or len(re.findall(r"\d\s?%", line)) >= 2


@dataclass(frozen=True)
class NormalisedText:
    text: str
    offsets: list[int]  # len(text) + 1 entries; the last is len(original)


@dataclass
class _Line:
    chars: list[str]
    offs: list[int]
    end_offset: int  # original offset of the line break ending this line

    @property
    def text(self) -> str:
        return "".join(self.chars)


def normalise_layout(original: str) -> NormalisedText:
    lines = [_clean_line(original, start, end) for start, end in _line_bounds(original)]
    lines = _drop_page_numbers(lines)
    paragraphs = _join_wrapped_lines(lines)
    out_chars: list[str] = []
    out_offs: list[int] = []
    for i, para in enumerate(paragraphs):
        if i:
            out_chars.append("\n")
            out_offs.append(paragraphs[i - 1].end_offset)
        out_chars.extend(para.chars)
        out_offs.extend(para.offs)
    out_offs.append(len(original))
    return NormalisedText("".join(out_chars), out_offs)


def _line_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in re.finditer(r"\n", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _clean_line(original: str, start: int, end: int) -> _Line:
    raw = original[start:end]
    keep = [True] * len(raw)
    for m in _MARKUP.finditer(raw):
        for k in range(m.start(), m.end()):
            keep[k] = False
    chars, offs = [], []
    for k, c in enumerate(raw):
        if keep[k]:
            chars.append(" " if c in "\u00a0\u200b\ufeff" else c)
            offs.append(start + k)
    # strip surrounding spaces (tabs are kept inside: they separate table cells)
    while chars and chars[0] in " \t" and "\t" not in "".join(chars).strip(" "):
        chars.pop(0), offs.pop(0)
    while chars and chars[0] == " ":
        chars.pop(0), offs.pop(0)
    while chars and chars[-1] in " \t" and not ("\t" in "".join(chars) and chars[-1] == "\t"):
        chars.pop(), offs.pop()
    # collapse runs of spaces ("Bộ Chính  trị") to one
    c2, o2 = [], []
    for c, o in zip(chars, offs):
        if c == " " and c2 and c2[-1] == " ":
            continue
        c2.append(c), o2.append(o)
    return _Line(c2, o2, end)


def _is_table_line(line: _Line) -> bool:
    return "\t" in line.chars


def _drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    kept = []
    for i, line in enumerate(lines):
        text = line.text
        if _PAGE_NUMBER.match(text) and text.strip():
            prev = next((other for other in reversed(lines[:i]) if other.text.strip()), None)
            nxt = next((other for other in lines[i + 1 :] if other.text.strip()), None)
            tableish = any(other is not None and ("|" in other.text or _is_table_line(other)) for other in (prev, nxt))
            if not tableish:
                continue
        kept.append(line)
    return kept


def _wrap_width(lines: list[_Line]) -> int:
    """The width at which this document's lines were hard-wrapped (90th percentile)."""
    lengths = sorted(len(line.chars) for line in lines if line.chars and not _is_table_line(line))
    if not lengths:
        return 80
    return lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]


def should_join(previous: str, following: str, wrap_width: int) -> bool:
    """Is `following` the continuation of a sentence hard-wrapped after `previous`?"""
    if not previous or not following:
        return False
    if "\t" in previous or "\t" in following:
        return False
    if STRUCTURAL_START.match(following) or PREAMBLE_START.match(following):
        return False
    if _looks_like_table_line(previous) or _looks_like_table_line(following):
        return False
    first = following[0]
    if first.islower() or first in ",;)”’»" or (first.isdigit() and not _TERMINAL.search(previous)):
        return not previous.rstrip().endswith(":") or first.islower()
    if _TERMINAL.search(previous):
        return False
    if is_upper_heading(following) and not is_upper_heading(previous):
        return False
    if is_upper_heading(previous) != is_upper_heading(following):
        return False
    return len(previous) >= 0.6 * wrap_width and wrap_width < 200


def _join_wrapped_lines(lines: list[_Line]) -> list[_Line]:
    width = _wrap_width(lines)
    paragraphs: list[_Line] = []
    current: _Line | None = None
    for line in lines:
        if not line.chars:
            continue
        if current is not None and should_join(current.text, line.text, width):
            current.chars.append(" ")
            current.offs.append(current.end_offset)
            current.chars.extend(line.chars)
            current.offs.extend(line.offs)
            current.end_offset = line.end_offset
            continue
        current = _Line(list(line.chars), list(line.offs), line.end_offset)
        paragraphs.append(current)
    return paragraphs

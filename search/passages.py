"""Passages: the units search returns, cut from a plan's document tree.

A passage is one leaf of the tree (a bullet or sub-bullet, a lettered item, a paragraph,
a table row read with its table header, a short section without children), or the own
text of a node whose children do not carry it whole (a paragraph bullets hang on), with
the heading path above it prepended (including the lead-in sentence of a list or a
table), so "70% 80%" in a table row or "- Chủ trì, phối hợp ..." under "2. Sở Giáo dục
và Đào tạo" can be understood alone. Two more passages per plan: its header and title
block (number, date, title) and its distribution list ("Nơi nhận"), each read with a line
saying what it is. No text of the plan body is left out (tests/test_search_units.py
checks it). Its id is the segment's graph IRI, so a hit links
straight into the graph store.

Text comes from the record's normalised text (restored text for OCR plans once repair
runs); the span points into the original and quotes it, so keyword search can also match
the raw OCR spelling (`Passage.raw`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from kehoach.graph.iris import fact_iri
from kehoach.ingest.records import PlanRecord, Segment, Span
from kehoach.ingest.vietnamese import fold_lower, is_upper_heading

# Segments that carry content worth returning. Header, title block and signature are
# metadata (the plan's header is in the graph), a table is only a container of rows.
CONTENT_KINDS = {"preamble", "part", "section", "item", "bullet", "subbullet", "paragraph", "appendix", "row", "closing"}
HEADING_KINDS = {"part", "section", "item", "appendix"}
# A paragraph or bullet ending in a colon introduces the items under it ("Kinh phí triển
# khai thực hiện Kế hoạch:" above "- Nguồn ngân sách sự nghiệp ..."): it is read as
# context of each of them. (A parent without the colon is usually a paragraph the
# segmenter hung bullets on, not a lead-in: it is a passage of its own, not context.)
LEAD_IN_KINDS = {"paragraph", "bullet"}
MAX_LEAD_IN_CHARS = 160
# A table's lead-in may sit above its column headers, which OCR turns into short lines.
MAX_TABLE_HEADER_LINES = 3
MAX_TABLE_HEADER_CHARS = 80
MAX_HEADING_CHARS = 120
# No passage is cut from under these: the header block and the distribution list ("Nơi
# nhận") are each read whole as one passage (header_passage, recipients_passage); the
# signature is not content.
SKIP_SUBTREES = {"header", "title", "closing", "signature"}
# The header block and the distribution list have no heading above them: each is read
# with a line saying what it is, as body passages are read with their heading path.
# "Nơi nhận:" alone does not tell BM25 or the embedder that the names below it are whom
# the plan was sent to, which is how users ask ("kế hoạch có gửi tới ... không?").
BLOCK_CONTEXT = {
    "header": "Số hiệu, ngày ban hành và tên văn bản kế hoạch",
    "recipients": "Nơi nhận: kế hoạch được gửi tới các cơ quan, đơn vị",
}
# Every kind a passage can have (the `kind` filter accepts these).
# A section's outline (its heading and the headings of its parts) is a passage too: "what
# are the groups of tasks in Lào Cai's plan?" is answered by headings, which no leaf holds.
OUTLINE_KIND = "outline"
MIN_OUTLINE_PARTS = 2
PASSAGE_KINDS = CONTENT_KINDS | set(BLOCK_CONTEXT) | {OUTLINE_KIND}
MAX_CONTEXT_CHARS = 240  # heading path longer than this is cut: context, not content
MAX_PASSAGE_CHARS = 1500  # e5-small reads 512 tokens; longer leaves are split at sentences


@dataclass
class Passage:
    id: str  # graph IRI of the segment (plus "#n" for a split part)
    plan: str
    province: str | None
    province_code: str | None
    year: int | None
    programmes: list[str]
    section: str  # heading path: "II. MỤC TIÊU > 2. Mục tiêu cụ thể > a) Đối với hệ thống thư viện"
    kind: str
    text: str  # the passage itself, as displayed
    span: Span  # into the original text
    agencies: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # "subject|metric" of the graph's targets stated here
    year_not_before: int | None = None  # no issue date in the header: the earliest year it can have
    parts: list[Span] = field(default_factory=list)  # an outline's part headings (its span is its own heading line)

    @property
    def raw(self) -> str:
        """Original characters of the span (the raw OCR for OCR plans); kept once, in the span."""
        return self.span.quote

    @property
    def index_text(self) -> str:
        """What the keyword index reads, and the embedder's first view: context, then content."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    @property
    def vector_views(self) -> tuple[str, ...]:
        """The texts whose embeddings are averaged into the passage's vector: with its
        heading path (understood alone) and without it (a long path would otherwise pull
        every passage under it toward the same meaning). Measured on both question sets:
        vector-only MRR@10 rose from 0.754 to 0.790 (development) and from 0.582 to 0.647
        (held-out set 1) against the first view alone."""
        return (self.index_text, self.text) if self.section else (self.text,)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = self.span.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Passage":
        data = dict(data)
        data.pop("raw", None)  # older rows stored it twice
        data["span"] = Span(**data["span"])
        data["parts"] = [Span(**part) for part in data.get("parts", ())]
        return cls(**data)


def plan_year(record: PlanRecord) -> int | None:
    """The year the plan was issued, when its header says so (a blank day is fine: "ngày
    tháng 5 năm 2023" is 2023); None when the header gives no date."""
    return _year_of(record.header.date)


def plan_year_not_before(record: PlanRecord) -> int | None:
    """For a plan whose header gives no date, the earliest year it can have been issued
    (the newest document it cites, e.g. 1520/QĐ-TTg of 2022): a bound, shown as "≥ 2022",
    never passed off as its year."""
    return None if plan_year(record) is not None else _year_of(record.header.date_not_before)


def _year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and re.match(r"\d{4}", date) else None


def _heading_of(seg: Segment) -> str:
    text = seg.title or seg.text.split("\n", 1)[0]
    if seg.label and not text.lstrip().startswith(seg.label):
        sep = ") " if re.fullmatch(r"[a-zđ]", seg.label) else ". "
        text = f"{seg.label}{sep}{text}"
    return _clip(text.strip(), MAX_HEADING_CHARS)


def _clip(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row_text(seg: Segment) -> str:
    """A table row read as "column: cell" pairs, so each value keeps its meaning."""
    if not seg.cells:
        return seg.text
    cols = seg.columns or []
    parts = []
    for i, cell in enumerate(seg.cells):
        cell = re.sub(r"\s+", " ", cell or "").strip()
        if not cell:
            continue
        col = re.sub(r"\s+", " ", cols[i]).strip() if i < len(cols) and cols[i] else ""
        parts.append(f"{col}: {cell}" if col else cell)
    return " | ".join(parts) or seg.text


def _split_long(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    if len(text) <= limit:
        return [text]
    sentences = re.split(r"(?<=[.;])\s+", text)
    chunks, current = [], ""
    for s in sentences:
        if current and len(current) + len(s) + 1 > limit:
            chunks.append(current)
            current = s
        else:
            current = f"{current} {s}".strip()
    if current:
        chunks.append(current)
    return chunks


def header_passage(record: PlanRecord) -> Passage | None:
    """The plan's header and title block as one passage ("Số: 1133/KH-UBND Lai Châu, ngày
    16 tháng 12 năm 2015 KẾ HOẠCH Triển khai thực hiện Đề án ..."), so a question about
    a plan's number, date or title finds it (the graph holds the same facts, parsed)."""
    block = [s for s in record.segments if s.kind in ("header", "title") and not s.parent]
    return _block_passage(record, block, "header")


def recipients_passage(record: PlanRecord) -> Passage | None:
    """The distribution list ("Nơi nhận: - Bộ Văn hóa, Thể thao và Du lịch; - Các trường
    ĐH, CĐ, TC trên địa bàn tỉnh; ...") as one passage: whom the plan was sent to is a
    question users ask. The signature is not in it."""
    closing = next((s for s in record.segments if s.kind == "closing" and not s.parent), None)
    if closing is None:
        return None
    items = [s for s in record.segments if s.parent == closing.id and s.kind != "signature"]
    return _block_passage(record, [closing, *items], "recipients") if items else None


def _block_passage(record: PlanRecord, block: list[Segment], kind: str) -> Passage | None:
    """Consecutive segments read as one passage: the first one's IRI, a span over them all."""
    if not block:
        return None
    text = " ".join(" ".join(s.text.split()) for s in block)
    start, end = block[0].span.start, max(s.span.end for s in block)
    span = Span(start, end, record.original_text[start:end])
    return _make(record, fact_iri(record.id, "segment", block[0].id).value, BLOCK_CONTEXT[kind], kind, text, span)


def chunk_spans(record: PlanRecord, span: Span, chunks: list[str]) -> list[Span]:
    """The span of each part of a long segment split by `_split_long`: each part is found,
    in order, in the normalised text under the segment (whitespace may differ: lines were
    joined), and mapped back to the original. A part not found keeps the whole span."""
    lo = bisect.bisect_left(record.offsets, span.start)
    hi = bisect.bisect_left(record.offsets, span.end)
    out = []
    for chunk in chunks:
        words = chunk.split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        m = re.compile(pattern).search(record.text, lo, hi) if words else None
        if m is None:
            out.append(span)
            continue
        out.append(record.span(m.start(), m.end()))
        lo = m.end()
    return out


def passages_from_record(record: PlanRecord) -> list[Passage]:
    """One passage per content leaf of the record's segment tree (see module docstring)."""
    if not record.segments:
        return passages_from_lines(record)
    by_id = {s.id: s for s in record.segments}
    has_children = {s.parent for s in record.segments if s.parent}
    tables_in = {s.parent for s in record.segments if s.kind == "table" and s.parent}
    previous = _previous_siblings(record.segments)
    out: list[Passage] = [p for p in [header_passage(record), recipients_passage(record)] if p]
    for seg in sorted(record.segments, key=lambda s: s.order):
        if seg.kind not in CONTENT_KINDS or _under(seg, by_id, SKIP_SUBTREES):
            continue
        if seg.id in has_children and _read_whole_as_context(seg):
            continue  # a heading, lead-in or group row whose children carry it as context
        section = _heading_path(seg, by_id, previous, tables_in)
        body = _row_text(seg) if seg.kind == "row" else seg.text
        body = re.sub(r"[ \t]+", " ", body).strip()
        if len(fold_lower(body).strip(" .-_/")) < 3:
            continue
        iri = fact_iri(record.id, "segment", seg.id).value
        chunks = _split_long(body)
        spans = [seg.span] if len(chunks) == 1 else chunk_spans(record, seg.span, chunks)
        for n, (chunk, span) in enumerate(zip(chunks, spans)):
            passage = _make(record, iri if len(chunks) == 1 else f"{iri}#{n}", section, seg.kind, chunk, span)
            passage.targets = target_keys(record, span)
            out.append(passage)
    return out + outline_passages(record, by_id, previous, tables_in)


def _heading_path(seg: Segment, by_id: dict[str, Segment], previous: dict[str, Segment], tables_in: set[str]) -> str:
    """The context above a segment: its headings, lead-ins and table lead-ins, top down."""
    path: list[str] = []
    parent = by_id.get(seg.parent) if seg.parent else None
    while parent is not None:
        context = _as_context(parent)
        if context:
            path.append(context)
        introduced_by = _table_lead_in(parent, previous, tables_in)
        if introduced_by:
            path.append(introduced_by)
        parent = by_id.get(parent.parent) if parent.parent else None
    path.reverse()
    return _clip(" > ".join(path), MAX_CONTEXT_CHARS)


def outline_passages(record: PlanRecord, by_id: dict[str, Segment], previous: dict[str, Segment], tables_in: set[str]) -> list[Passage]:
    """One passage per section with at least two parts headed of their own: its heading
    and theirs ("III. GIẢI PHÁP THỰC HIỆN: 1. Chỉ đạo, điều hành; 2. Đầu tư, ...; 3. Đào
    tạo, bồi dưỡng; ..."), for questions about how a plan is organised ("what groups of
    tasks does it set out?"), which only headings answer. Its span is the section's own
    heading line and `parts` the parts' heading lines, never the text under them, so it
    quotes what it says and is not credited with the answers below it."""
    in_order = sorted(record.segments, key=lambda s: s.order)
    children: dict[str, list[Segment]] = {}
    for seg in in_order:
        if seg.parent:
            children.setdefault(seg.parent, []).append(seg)
    out = []
    for seg in in_order:
        if not _is_heading(seg, children) or _under(seg, by_id, SKIP_SUBTREES):
            continue
        parts = _part_headings(seg, children)
        if len(parts) < MIN_OUTLINE_PARTS:
            continue
        text = f"{_as_context(seg)}: " + "; ".join(_as_context(p) or "" for p in parts)
        passage = _make(
            record,
            f"{fact_iri(record.id, 'segment', seg.id).value}#{OUTLINE_KIND}",
            _heading_path(seg, by_id, previous, tables_in),
            OUTLINE_KIND,
            text,
            heading_line_span(record, seg),
        )
        passage.parts = [heading_line_span(record, p) for p in parts]
        out.append(passage)
    return out


def _is_heading(seg: Segment, children: dict[str, list[Segment]]) -> bool:
    """A heading of the document tree: a part, section, item or appendix, or a table's group
    row ("I | TRIỂN KHAI MÔ HÌNH ...") with rows under it."""
    return seg.kind in HEADING_KINDS or (seg.kind == "row" and seg.id in children)


def _part_headings(seg: Segment, children: dict[str, list[Segment]]) -> list[Segment]:
    """The headings directly under a heading that head text of their own, looking through
    tables (an appendix's group rows sit in its table). A lettered item without anything
    under it ("a) Chủ trì, phối hợp ...") is content, not a part heading."""
    out = []
    for child in children.get(seg.id, ()):
        if child.kind == "table":
            out += [row for row in children.get(child.id, ()) if _is_heading(row, children)]
        elif _is_heading(child, children) and child.id in children:
            out.append(child)
    return out


def heading_line_span(record: PlanRecord, seg: Segment) -> Span:
    """The first line of a segment's span in the original text: its heading line."""
    start = seg.span.start
    newline = record.original_text.find("\n", start, seg.span.end)
    end = seg.span.end if newline < 0 else newline
    while end > start and record.original_text[end - 1].isspace():
        end -= 1
    return Span(start, end, record.original_text[start:end])


def target_keys(record: PlanRecord, span: Span) -> list[str]:
    """"subject|metric" of each target the extractor found starting inside `span` (the
    same facts the graph holds as kh:Target), e.g. "thu-vien-cap-huyen|cung-cap-dich-vu-hoc-tap-suot-doi"."""
    keys = (f"{t.subject}|{t.metric}" for t in record.targets if span.start <= t.span.start < span.end)
    return list(dict.fromkeys(keys))


def _as_context(seg: Segment) -> str | None:
    """What a segment adds to the heading path of the passages under it, if anything:
    a heading, a list's lead-in sentence, a table's group row ("I TRIỂN KHAI MÔ HÌNH ...")."""
    if seg.kind in HEADING_KINDS:
        return _heading_of(seg)
    if seg.kind in LEAD_IN_KINDS and is_lead_in(seg.text):
        return _clip(seg.text.strip(), MAX_LEAD_IN_CHARS)
    if seg.kind == "row":
        return _clip(" ".join(c.strip() for c in (seg.cells or [seg.text]) if c), MAX_HEADING_CHARS)
    return None


def _table_lead_in(seg: Segment, previous: dict[str, Segment], tables_in: set[str]) -> str | None:
    """The sentence introducing a table ("- Mục tiêu ứng dụng công nghệ thông tin ... cho
    người sử dụng Thư viện:"), read as context of its rows. The segmenter cannot hang a
    table under a bullet, so the lead-in is a previous sibling of the table (or of the
    paragraph an OCR'd table's header became), past at most a few short lines of broken
    column headers ("Đến năm | Đến năm | Ghi"); without it, two tables with the same rows
    ("5 | Thư viện trường đại học 100% 100%") cannot be told apart."""
    header_line = seg.kind == "paragraph" and seg.id in tables_in and len(seg.text) <= MAX_TABLE_HEADER_CHARS
    if seg.kind != "table" and not header_line:
        return None
    lead = previous.get(seg.id)
    for _ in range(MAX_TABLE_HEADER_LINES):
        if lead is None or lead.kind != "paragraph" or is_lead_in(lead.text) or len(lead.text) > MAX_TABLE_HEADER_CHARS:
            break
        lead = previous.get(lead.id)
    if lead is None or lead.kind not in LEAD_IN_KINDS or not is_lead_in(lead.text):
        return None
    return _clip(" ".join(lead.text.split()), MAX_LEAD_IN_CHARS)


def _previous_siblings(segments: list[Segment]) -> dict[str, Segment]:
    """Each segment's previous sibling (same parent, document order)."""
    last: dict[str | None, Segment] = {}
    out: dict[str, Segment] = {}
    for seg in sorted(segments, key=lambda s: s.order):
        if seg.parent in last:
            out[seg.id] = last[seg.parent]
        last[seg.parent] = seg
    return out


def _read_whole_as_context(seg: Segment) -> bool:
    """True when a segment's own text reaches the passages under it whole, as context.
    Otherwise (a paragraph the segmenter hung bullets on, a heading line that runs on
    into a sentence, a lead-in longer than the clip) it is a passage of its own, so no
    text of the plan is left unsearchable."""
    context = _as_context(seg)
    if context is None or context.endswith("…"):
        return False
    return len(re.sub(r"\W", "", seg.text)) <= len(re.sub(r"\W", "", context))


def is_lead_in(text: str) -> bool:
    """A sentence that introduces a list: it ends with a colon."""
    return text.rstrip().endswith(":")


def _under(seg: Segment, by_id: dict[str, Segment], kinds: set[str]) -> bool:
    node: Segment | None = seg
    while node is not None:
        if node.kind in kinds:
            return True
        node = by_id.get(node.parent) if node.parent else None
    return False


def _make(record: PlanRecord, pid: str, section: str, kind: str, text: str, span: Span) -> Passage:
    h = record.header
    return Passage(
        id=pid,
        plan=record.id,
        province=h.province,
        province_code=h.province_code,
        year=plan_year(record),
        year_not_before=plan_year_not_before(record),
        programmes=list(h.programmes),
        section=section,
        kind=kind,
        text=text,
        span=span,
        agencies=mentioned_agencies(section + "\n" + text, h.province),
    )


def mentioned_agencies(text: str, province: str | None = None) -> list[str]:
    """Canonical names of the bodies named in a passage (or its heading path), using the
    ingest agency matcher, which tolerates abbreviations and OCR noise."""
    from kehoach.ingest.agencies import find_known_agencies

    seen: list[str] = []
    for m in find_known_agencies(text, province):
        if m.label not in seen:
            seen.append(m.label)
    return seen


LEAD_WINDOW = 12  # an agency that starts within this many characters leads the heading/text


def lead_agencies(section: str, text: str) -> set[str]:
    """Canonical names of the body a passage is about: the agency heading its section
    ("V. TỔ CHỨC THỰC HIỆN > 5. Sở Tài chính") or opening its text ("4. Sở Tài chính: Chủ
    trì ..."), as opposed to bodies it merely mentions (`mentioned_agencies`)."""
    from kehoach.ingest.agencies import find_known_agencies

    last = section.split(" > ")[-1] if section else ""
    out: set[str] = set()
    for part in ((last if len(last) < MAX_HEADING_CHARS else ""), text[:80]):
        if part:
            out |= {m.label for m in find_known_agencies(part) if m.start < LEAD_WINDOW}
    return out


def query_target_keys(*texts: str) -> set[str]:
    """"subject|metric" keys a query asks about: the institution types it names and the
    first metric it names, read with the target extractor's own concept rules (so "thu vien
    cap huyen ... hoc tap suot doi" and the OCR'd table row meet on the same keys). Empty
    unless the query names both."""
    from kehoach.ingest.targets import find_mentions, find_metric, resolve_levels

    keys: set[str] = set()
    for text in dict.fromkeys(t for t in texts if t):  # readings are often the same text
        low = fold_lower(text)
        metric = find_metric(low, 0, len(low))
        if metric:
            keys |= {f"{m.key}|{metric[0]}" for m in resolve_levels(low, find_mentions(low))}
    return keys


def query_agencies(*texts: str) -> set[str]:
    """Canonical names of the agencies a query names (in any of its readings: as typed,
    restored, or the Vietnamese rendering of an English query)."""
    from kehoach.ingest.agencies import find_known_agencies

    return {m.label for t in texts if t for m in find_known_agencies(t)}


# --- Fallback for records without a segment tree ---------------------------------------
_HEADING = re.compile(r"^(?:[IVXLl]{1,5}[.)]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?\s|[a-zđ]\)\s|PH[ỤU]\s+L[ỤU]C)")


def passages_from_lines(record: PlanRecord) -> list[Passage]:
    """One passage per logical line of the normalised text, with a heading path built from
    numbered/capitalised lines. Used only when a record has no segments (e.g. before the
    segmenter ran); ids are line-based ("line-0042") and therefore less stable."""
    text = record.text
    out: list[Passage] = []
    path: list[tuple[int, str]] = []  # (depth, heading)
    pos = 0
    for n, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if len(stripped) < 3:
            continue
        depth = _heading_depth(stripped)
        if depth is not None:
            path = [p for p in path if p[0] < depth] + [(depth, _clip(stripped, 120))]
            if len(stripped) < 160:
                continue
        lead = len(line) - len(line.lstrip())
        span = record.span(start + lead, start + lead + len(stripped))
        section = _clip(" > ".join(h for _, h in path), MAX_CONTEXT_CHARS)
        for k, chunk in enumerate(_split_long(stripped)):
            pid = fact_iri(record.id, "segment", f"line-{n:04d}").value + (f"#{k}" if k else "")
            out.append(_make(record, pid, section, "paragraph", chunk, span))
    return out


def _heading_depth(line: str) -> int | None:
    if re.match(r"^[IVXLl]{1,5}[.)]\s", line) or (is_upper_heading(line) and len(line) < 160):
        return 0
    m = re.match(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s", line)
    if m and len(line) < 160:
        return 1 + m.group(1).count(".")
    if re.match(r"^[a-zđ]\)\s", line) and len(line) < 100:
        return 4
    return None

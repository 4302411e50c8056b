"""The records that flow out of ingest: plain dataclasses, no RDF.

Data flows one way: text -> these records -> triples (graph/) and vectors (search/).
Every fact carries a `Span`: character offsets into the *original* text of the file
(as decoded and NFC-normalised, see `ingest.reading`) and the exact quote found there.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """Half-open [start, end) offsets into the original text, and the text found there."""

    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "quote": self.quote}


@dataclass
class LegalReference:
    """A legal document cited by a plan (decision, plan, official letter, resolution ...)."""

    identifier: str  # canonical "number/symbol", e.g. "1520/QĐ-TTg", "24-KH/TU"
    number: str | None  # "1520"; None when the citation leaves it blank
    symbol: str  # "QĐ-TTg"
    doc_type: str | None  # "Quyết định", "Kế hoạch", "Công văn" ...
    date: str | None  # ISO date, possibly partial ("2022-12-09", "2023-05")
    date_precision: str  # day | month | year | unknown
    issuer: str | None  # "Thủ tướng Chính phủ"
    span: Span
    is_basis: bool = False  # cited in the preamble as the basis ("Thực hiện", "Căn cứ")
    programme: str | None = None  # the national programme this document implements, if known

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = self.span.to_json()
        return data


@dataclass
class Segment:
    """One node of the document tree: a part, section, item, bullet, paragraph, table or row."""

    id: str  # stable within the plan: "s0012"
    kind: str  # header|title|preamble|part|section|item|bullet|paragraph|appendix|table|row|closing|signature
    label: str | None  # "II", "2.1", "a", "-", "1" (table row number) ...
    text: str  # normalised text of the segment (headline plus body for leaves)
    span: Span  # into the original text
    parent: str | None
    level: int
    order: int
    title: str | None = None  # the heading line, for parts/sections/appendices
    cells: list[str] | None = None  # table rows: the cells, in column order
    columns: list[str] | None = None  # table rows: the header of their table

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = self.span.to_json()
        return data


@dataclass
class HeaderField:
    """A header value with the span it came from (None for inferred or absent values)."""

    value: Any
    span: Span | None = None


@dataclass
class Header:
    number: str | None = None  # "251"; None when the "Số:" line leaves it blank
    symbol: str | None = None  # "KH-UBND"
    doc_type: str | None = None  # "Kế hoạch"
    issuer: str | None = None  # "Ủy ban nhân dân tỉnh Lào Cai"
    issuer_kind: str | None = None  # provincial-people-committee | department | other
    province: str | None = None  # "Lào Cai"
    province_code: str | None = None  # "10" (63-province system)
    province_code_2025: str | None = None  # "15" (34-province system)
    province_2025: str | None = None  # "Lào Cai" (name after the 2025 merger)
    place: str | None = None  # "Lào Cai" as written before the date
    date: str | None = None  # ISO, partial allowed: "2023-05-25", "2023-05", "2023"
    date_precision: str = "unknown"  # day | month | year | unknown
    date_not_before: str | None = None  # inferred lower bound when the date is incomplete
    date_not_before_basis: str | None = None  # the reference the bound comes from
    title: str | None = None
    signer: str | None = None
    signer_title: str | None = None  # "Phó Chủ tịch"
    programmes: list[str] = field(default_factory=list)  # ["1520/QĐ-TTg"]
    implements: list[str] = field(default_factory=list)  # basis documents: ["1346/QĐ-BVHTTDL", ...]
    spans: dict[str, Span] = field(default_factory=dict)  # field name -> where it was read

    @property
    def identifier(self) -> str | None:
        """"251/KH-UBND", or "/KH-UBND" when the number is blank."""
        if self.symbol is None:
            return None
        return f"{self.number or ''}/{self.symbol}"


@dataclass
class PlanRecord:
    """Everything ingest knows about one plan file."""

    id: str  # stable slug, the last segment of the plan IRI
    source_path: str
    sha256: str
    original_text: str
    text: str  # normalised text the extractors read
    offsets: list[int]  # offsets[i] = position in original_text of text[i]; len(text)+1 entries
    header: Header
    references: list[LegalReference]
    segments: list[Segment]
    encoding: str = "utf-8"
    repair: dict[str, Any] | None = None  # text repair applied (model version, score ...)
    # Filled by the extraction rules (issue: targets, tasks, responsibilities):
    targets: list[Any] = field(default_factory=list)
    tasks: list[Any] = field(default_factory=list)
    responsibilities: list[Any] = field(default_factory=list)
    agencies: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        """Map a [start, end) range of the normalised text to a Span of the original."""
        return span_of(self.original_text, self.offsets, start, end)

    def text_of(self, span: Span) -> str:
        """The normalised text (restored, for an OCR'd plan) over a span of the original."""
        return self.text[bisect.bisect_left(self.offsets, span.start) : bisect.bisect_left(self.offsets, span.end)]

    def plan_json(self) -> dict[str, Any]:
        h = self.header
        return {
            "id": self.id,
            "number": h.number,
            "symbol": h.symbol,
            "identifier": h.identifier,
            "doc_type": h.doc_type,
            "issuer": h.issuer,
            "issuer_kind": h.issuer_kind,
            "province": h.province,
            "province_code": h.province_code,
            "province_code_2025": h.province_code_2025,
            "province_2025": h.province_2025,
            "place": h.place,
            "date": h.date,
            "date_precision": h.date_precision,
            "date_not_before": h.date_not_before,
            "date_not_before_basis": h.date_not_before_basis,
            "date_inferred": h.date_not_before is not None,
            "title": h.title,
            "programmes": list(h.programmes),
            "implements": list(h.implements),
            "references": [r.to_json() for r in self.references],
            "signer": h.signer,
            "signer_title": h.signer_title,
            "spans": {k: v.to_json() for k, v in h.spans.items()},
            "source": self.source_path,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "repair": self.repair,
        }

    def to_json(self) -> dict[str, Any]:
        def facts(items: list[Any]) -> list[Any]:
            return [i.to_json() if hasattr(i, "to_json") else i for i in items]

        return {
            "plan": self.plan_json(),
            "segments": [s.to_json() for s in self.segments],
            "targets": facts(self.targets),
            "tasks": facts(self.tasks),
            "responsibilities": facts(self.responsibilities),
            "agencies": facts(self.agencies),
            "events": facts(self.events),
        }


def span_of(original: str, offsets: list[int], start: int, end: int) -> Span:
    """Span of the original text covered by normalised text[start:end].

    `offsets` has one entry per normalised character plus a final sentinel, so the
    original span runs from the first character's origin to just past the last one's.
    """
    if end <= start:
        o = offsets[start]
        return Span(o, o, "")
    o_start = offsets[start]
    o_end = offsets[end - 1] + 1
    return Span(o_start, o_end, original[o_start:o_end])


def offset_runs(offsets: list[int]) -> list[list[int]]:
    """The offset map as runs [text_start, original_start, length] in which both advance
    by one character at a time: a compact, lossless form for storage (JSON in the graph)."""
    runs: list[list[int]] = []
    for i, o in enumerate(offsets[:-1]):
        if runs and runs[-1][1] + runs[-1][2] == o and runs[-1][0] + runs[-1][2] == i:
            runs[-1][2] += 1
        else:
            runs.append([i, o, 1])
    return runs


def offsets_from_runs(runs: list[list[int]], text_length: int, original_length: int) -> list[int]:
    """The inverse of `offset_runs`."""
    offsets = [0] * (text_length + 1)
    for start, origin, length in runs:
        for k in range(length):
            offsets[start + k] = origin + k
    offsets[text_length] = original_length
    return offsets

"""One plan file in, one PlanRecord out: read -> normalise layout -> (repair OCR text)
-> segment -> header and references -> facts. Nothing here touches the store."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import NotAPlanError
from .facts import extract_facts
from .header import read_header
from .layout import normalise_layout
from .reading import read_plan_text
from .records import PlanRecord, span_of
from .references import find_references
from .segment import segment_document
from .vietnamese import fold, slugify


def plan_id_for(path: str | Path) -> str:
    """A plan's id is its file name's stem, slugified: stable across re-ingests."""
    return slugify(Path(path).stem)


def extract_plan(path: str | Path, plan_id: str | None = None, repair: bool = True) -> PlanRecord:
    source = read_plan_text(path)
    return extract_plan_text(source.text, plan_id or plan_id_for(path), source_path=str(path), sha256=source.sha256, encoding=source.encoding, repair=repair)


def extract_plan_text(
    original: str, plan_id: str, source_path: str = "<text>", sha256: str = "", encoding: str = "utf-8", repair: bool = True
) -> PlanRecord:
    normalised = normalise_layout(original)
    text, offsets, repair_info = normalised.text, normalised.offsets, None
    if repair:
        text, offsets, repair_info = _repair_if_needed(text, offsets)
    _require_plan(text, source_path)

    def span(start: int, end: int):
        return span_of(original, offsets, start, end)

    segments = segment_document(text, span)
    preamble = _preamble_range(text, segments)
    skip = [_range_of(text, s) for s in segments if s.kind == "header"]
    references = find_references(text, span, preamble, skip)
    header = read_header(text, segments, references, span)
    record = PlanRecord(
        id=plan_id,
        source_path=source_path,
        sha256=sha256,
        original_text=original,
        text=text,
        offsets=offsets,
        header=header,
        references=references,
        segments=segments,
        encoding=encoding,
        repair=repair_info,
    )
    return extract_facts(record)


def _repair_if_needed(text: str, offsets: list[int]):
    """Restore diacritics of OCR'd text when the repair model says it needs it."""
    try:
        from .repair import apply_repair  # the text-repair capability (ingest/repair/)
    except ImportError:
        return text, offsets, None
    return apply_repair(text, offsets)


PLAN_NUMBER = re.compile(r"\d+\s?/\s?KH-[A-ZĐ]")  # "251/KH-UBND": a plan's own or a cited plan's number


def _require_plan(text: str, name: str) -> None:
    """Refuse text that is not a plan (or a report quoting one): it must name a plan — a
    "KẾ HOẠCH" heading line, or a plan number like "156/KH-UBND" — and speak of lifelong
    learning. A clear refusal beats a graph full of nonsense."""
    head = text[:20000]
    folded = fold(head).lower()
    heading = any(fold(line).strip().upper().startswith("KE HOACH") for line in head.split("\n")[:40])
    names_plan = heading or bool(PLAN_NUMBER.search(fold(head)))
    about_programme = "hoc tap suot doi" in folded
    if not (names_plan and about_programme):
        raise NotAPlanError(
            f"{name}: does not look like a Kế hoạch on lifelong learning "
            "(no 'Kế hoạch' heading or plan number, or no 'học tập suốt đời' programme text)"
        )


def _range_of(text: str, seg) -> tuple[int, int]:
    first = seg.text.split("\n")[0][:60]
    start = text.find(first)
    return (start, start + len(seg.text)) if start >= 0 else (0, 0)


def _preamble_range(text: str, segments) -> tuple[int, int] | None:
    seg = next((s for s in segments if s.kind == "preamble"), None)
    return _range_of(text, seg) if seg else None

"""Offsets: every repaired character maps into the input, and quotes round-trip."""

from __future__ import annotations

from pathlib import Path

from kehoach.ingest.layout import normalise_layout
from kehoach.ingest.records import span_of
from kehoach.ingest.repair import apply_repair, repair_document, repair_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
OCR_TEXT = (CORPUS / "lao-cai-2023-251-kh-ubnd.txt").read_text(encoding="utf-8")
EXCERPT = "\n".join(OCR_TEXT.split("\n")[4:42])


def _check_map(source: str, result) -> None:
    assert len(result.offsets) == len(result.text) + 1
    assert result.offsets[-1] == len(source)
    assert all(0 <= o < len(source) for o in result.offsets[:-1])
    assert result.offsets[:-1] == sorted(result.offsets[:-1])
    for ch in result.changes:
        assert source[ch.start:ch.end] == ch.before


def test_repair_text_offsets_map_into_input():
    result = repair_text(EXCERPT)
    assert result.changes, "the OCR excerpt must be changed"
    _check_map(EXCERPT, result)
    # unchanged characters are copied from where the offsets say
    changed = {i for ch in result.changes for i in range(ch.start, ch.end)}
    for i, o in enumerate(result.offsets[:-1]):
        if o not in changed:
            assert result.text[i] == EXCERPT[o]


def test_repair_is_a_pure_function():
    a, b = repair_text(EXCERPT), repair_text(EXCERPT)
    assert a == b


def test_quote_round_trip_through_layout_and_repair():
    layout = normalise_layout(OCR_TEXT)
    text, offsets, info = apply_repair(layout.text, layout.offsets)
    assert info is not None and info["changed_words"] > 100 and info["model_version"]
    assert len(offsets) == len(text) + 1
    i = text.index("Đẩy mạnh các hoạt động")
    span = span_of(OCR_TEXT, offsets, i, i + len("Đẩy mạnh"))
    assert span.quote == OCR_TEXT[span.start:span.end] == "Pay manh"
    j = text.index("Thư viện")
    assert span_of(OCR_TEXT, offsets, j, j + len("Thư viện")).quote in {"Thu vién", "Thuw vién", "Thu vign"}


def test_repair_document_keeps_the_files_lines():
    result = repair_document(OCR_TEXT)
    _check_map(OCR_TEXT, result)
    assert result.text.count("\n") == OCR_TEXT.count("\n")
    assert result.text.split("\n")[4].startswith("Triển khai thực hiện Chương trình")


def test_clean_text_passes_through_apply_repair_unchanged():
    clean = (CORPUS / "ninh-binh-2023-kh-ubnd.txt").read_text(encoding="utf-8")
    layout = normalise_layout(clean)
    text, offsets, info = apply_repair(layout.text, layout.offsets)
    assert info is None and text == layout.text and offsets == layout.offsets

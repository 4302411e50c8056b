"""The layout normaliser and its offset map: every kept character maps back to itself."""

from __future__ import annotations

import pytest

from kehoach.ingest.layout import normalise_layout, should_join
from kehoach.ingest.records import span_of


def _check_offsets(original: str, text: str, offsets: list[int]) -> None:
    assert len(offsets) == len(text) + 1
    assert offsets == sorted(offsets), "offsets must be monotonic"
    for i, c in enumerate(text):
        if c in " \n":  # join spaces and paragraph breaks stand for a line break
            assert original[offsets[i]] in " \n\t" or c == original[offsets[i]]
        else:
            assert original[offsets[i]] == c, (i, c, original[offsets[i]])


def test_offsets_on_every_corpus_plan(records):
    for record in records.values():
        from kehoach.ingest.layout import normalise_layout

        norm = normalise_layout(record.original_text)
        _check_offsets(record.original_text, norm.text, norm.offsets)


def test_hard_wrapped_lines_with_blank_lines_between_are_joined():
    original = "1. Nâng cao nhận thức của cơ quan quản lý nhà nước và Nhân dân về việc \n\nhọc tập suốt đời trong các thư viện.\n\n2. Đẩy mạnh"
    norm = normalise_layout(original)
    assert norm.text.split("\n") == [
        "1. Nâng cao nhận thức của cơ quan quản lý nhà nước và Nhân dân về việc học tập suốt đời trong các thư viện.",
        "2. Đẩy mạnh",
    ]
    _check_offsets(original, norm.text, norm.offsets)


def test_markdown_is_stripped_and_offsets_survive():
    original = "## **II. NHIỆM VỤ**\n\n### **1. Đối với hệ thống thư viện**\n\n- Phấn đấu *xây dựng* Thư viện tỉnh."
    norm = normalise_layout(original)
    assert norm.text.split("\n") == ["II. NHIỆM VỤ", "1. Đối với hệ thống thư viện", "- Phấn đấu xây dựng Thư viện tỉnh."]
    _check_offsets(original, norm.text, norm.offsets)
    start = norm.text.index("Thư viện tỉnh")
    span = span_of(original, norm.offsets, start, start + len("Thư viện tỉnh"))
    assert span.quote == "Thư viện tỉnh"


def test_page_numbers_are_dropped():
    original = "các thư viện, bảo tàng, trung tâm văn hóa nhằm quảng bá hình ảnh đất nước con người \n\n7 \n\nlịch sử văn hóa."
    norm = normalise_layout(original)
    assert "7" not in norm.text.split()
    assert "con người lịch sử" in norm.text


def test_html_remnants_are_removed():
    original = 'Phòng Quản lý\t<ul style="list-style-type: none"> - Thư viện tỉnh </ul>\t2027'
    norm = normalise_layout(original)
    assert "<ul" not in norm.text and "Thư viện tỉnh" in norm.text
    _check_offsets(original, norm.text, norm.offsets)


@pytest.mark.parametrize(
    "previous, following, width, joined",
    [
        ("trên địa bàn tỉnh được học tập thường xuyên, từ đó khuyến khích nhu cầu, thói", "quen học tập suốt đời", 80, True),
        ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", 80, False),
        ("1. Mục đích", "- Tiếp tục đổi mới", 80, False),
        ("2. Mục tiêu cụ thể", "a) Đối với hệ thống thư viện", 80, False),
        ("của Thủ tướng Chính phủ về việc phê duyệt Chương trình Đẩy mạnh các hoạt động của", "Chính phủ", 80, True),
        ("1. Mục tiêu chung", "Tiếp tục đổi mới hoạt động phục vụ học tập suốt đời.", 500, False),
        ("xây dựng xã hội học tập.", "Đẩy mạnh chuyển đổi số", 80, False),
        ("KẾ HOẠCH", "Triển khai Chương trình", 80, False),
        ("... trên địa bàn tỉnh Hưng Yên, theo chương trình của tỉnh đã được phê duyệt và", "Thực hiện Quyết định số 1520", 80, False),
        ("STT\tNội dung", "1\tPhối hợp", 80, False),
    ],
)
def test_should_join(previous, following, width, joined):
    assert should_join(previous, following, width) is joined


def test_offset_map_runs_round_trip(records):
    from kehoach.ingest.records import offset_runs, offsets_from_runs

    for record in records.values():
        runs = offset_runs(record.offsets)
        assert offsets_from_runs(runs, len(record.text), len(record.original_text)) == record.offsets
        assert len(runs) < len(record.text) / 3  # compact: long runs of unchanged characters

"""Commemoration-day rules, in phrasings beyond the five plans."""

from __future__ import annotations

import pytest

from kehoach.ingest.events import find_events


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam - 21/4 hằng năm", [("ngay-sach-va-van-hoa-doc", 21, 4)]),
        ("nhân Ngày Quốc tế Bảo tàng (18/5) và Ngày Di sản văn hóa Việt Nam (23/11)", [("ngay-quoc-te-bao-tang", 18, 5), ("ngay-di-san-van-hoa-viet-nam", 23, 11)]),
        ("Ngay Sach va Van hoa doc Viet Nam 21/4, Ngay Chuyen doi so quoc gia 10/10", [("ngay-sach-va-van-hoa-doc", 21, 4), ("ngay-chuyen-doi-so-quoc-gia", 10, 10)]),
        ("dịp Ngày Khuyến học Việt Nam 2/10", [("ngay-khuyen-hoc-viet-nam", 2, 10)]),
        ("Ngày Thơ Việt Nam - 15/1", [("ngay-15-01", 15, 1)]),  # not in the catalogue: kept, keyed by its date
        ("Quyết định số 1520/QĐ-TTg ngày 09/12/2022 của Thủ tướng", []),
        ("báo cáo trước ngày 25/11 hằng năm", []),
        ("Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2024", [("tuan-le-hoc-tap-suot-doi", None, None)]),
    ],
)
def test_find_events(text, expected):
    assert [(k, d, m) for _, _, k, _, d, m in find_events(text)] == expected

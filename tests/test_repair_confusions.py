"""OCR confusions are undone in context; numbers, codes and foreign words are kept."""

from __future__ import annotations

import pytest

from kehoach.ingest.repair import repair_text
from kehoach.ingest.repair.restore import default_restorer


@pytest.mark.parametrize(
    "ocr, expected",
    [
        ("Quyét dinh s6 1520", "Quyết định số 1520"),  # ố -> 6
        ("cho ngudi dan dugc hoc tap", "cho người dân được học tập"),  # ơ -> d, ợ -> g
        ("trong Thuw vién", "trong Thư viện"),  # horn as w
        ("dia phu’ong", "địa phương"),  # horn as apostrophe
        ("kinh té - x& hoi", "kinh tế - xã hội"),  # ã -> &
        ("Pay manh cac hoat dong", "Đẩy mạnh các hoạt động"),  # Đ -> P
        ("nang cao nhan thirc", "nâng cao nhận thức"),  # ứ -> ir
        ("trach nhiém cta cac co quan", "trách nhiệm của các cơ quan"),  # của -> cta
    ],
)
def test_confusions_in_context(ocr, expected):
    assert repair_text(ocr).text == expected


def test_numbers_codes_and_casing_are_kept():
    out = repair_text("Can ctr Quyét dinh sé 1520/QD-TTg ngay 09/12/2022 cua UBND tinh").text
    assert "1520/QĐ-TTg" in out and "09/12/2022" in out and "UBND" in out
    assert out.startswith("Căn cứ Quyết định")
    assert repair_text("I. MUC TIEU CHUNG").text == "I. MỤC TIÊU CHUNG"


def test_channel_proposes_keys_by_rule():
    keys = default_restorer().keys("ctia")
    assert "cua" in keys and keys["cua"] > 0
    assert default_restorer().keys("hoc")["hoc"] == 0.0

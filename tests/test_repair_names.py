"""Names: the gazetteer gives places and signers their accented form; foreign words stay."""

from __future__ import annotations

import pytest

from kehoach.ingest.repair import repair_text
from kehoach.ingest.repair.lm import UNK
from kehoach.ingest.repair.model import load_model
from kehoach.ingest.repair.names import first_by_key, is_title_word, place_gazetteer


@pytest.mark.parametrize(
    "ocr, expected",
    [
        ("Uy ban nhan dan tinh Lao Cai", "Ủy ban nhân dân tỉnh Lào Cai"),  # after "tỉnh"
        ("tren dia ban huyen Bao Thang", "trên địa bàn huyện Bảo Thắng"),  # after "huyện"
        ("Lao Cai, ngay 25 thang 8 nam 2023", "Lào Cai, ngày 25 tháng 8 năm 2023"),  # place-and-date line
        ("to chuc tai Lao Cai va Yen Bai", "tổ chức tại Lào Cai và Yên Bái"),  # provinces: anywhere
    ],
)
def test_place_names_after_a_unit_word_take_the_gazetteer_form(ocr, expected):
    assert repair_text(ocr).text == expected


@pytest.mark.parametrize(
    "line, family, middle",
    [("Giang Thi Dung", "Giang", "Thị"), ("Nguyen Van Hung", "Nguyễn", "Văn"), ("Tran Thi Lan", "Trần", "Thị")],
)
def test_a_line_that_is_a_persons_name_gets_the_usual_family_and_middle_name(line, family, middle):
    words = repair_text(line).text.split()
    assert words[:2] == [family, middle]


def test_name_rules_leave_ordinary_capitalised_words_to_the_language_model():
    # "Phong Van" is also a commune, but here no unit word announces a place
    assert repair_text("Chi dao Phong Van hoa va Thong tin cac huyen").text.startswith("Chỉ đạo Phòng Văn hóa")
    # a name line needs a family name first and nothing but names on the line
    assert repair_text("Pham vi ap dung").text == "Phạm vi áp dụng"


def test_letter_like_digits_may_be_read_as_a_syllable_in_context():
    assert repair_text("xay dung 10 trinh thuc hien").text == "xây dựng lộ trình thực hiện"
    assert repair_text("co 10 truong hoc").text == "có 10 trường học"  # a real number stays


def test_unknown_foreign_words_are_kept():
    assert repair_text("xem clip tuyen truyen tren mang").text == "xem clip tuyên truyền trên mạng"
    assert "online qua Zalo" in repair_text("hoc tap online qua Zalo").text


def test_unknown_word_has_a_good_turing_share_of_the_unigram_mass():
    lm = load_model().lm
    unk = lm.uni[lm.index[UNK]]
    assert -8.0 < unk < -3.0  # about N1/N of running text (0.5%), not the add-half floor (-12)


def test_gazetteer_keeps_only_a_clear_majority_form():
    g = place_gazetteer(["Tân Hòa", "Tân Hòa", "Tân Hòa", "Tấn Hòa", "Hòa Bình", "Hoà Bình", "Xã"])
    assert g["tan hoa"] == "Tân Hòa"
    assert g["hoa binh"] == "Hòa Bình"  # tone placement normalised: one form
    assert "xa" not in g  # one syllable: never a place on its own
    assert "tan hoa" not in place_gazetteer(["Tân Hòa", "Tấn Hòa"])  # a tie decides nothing


def test_name_helpers():
    assert first_by_key(["Giang", "Giàng"]) == {"giang": "Giang"}
    assert is_title_word("Cai") and is_title_word("Dung") and not is_title_word("UBND") and not is_title_word("dung")

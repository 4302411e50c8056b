"""Canonical agencies: one node per agency type per province, whatever the spelling."""

from __future__ import annotations

import pytest

from kehoach.ingest.agencies import find_agencies, normalised_key

SAME_NODE = [
    # (written forms that must map to one key, province)
    (["Sở VH, TT&DL", "Sở Văn hóa Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
      "So Van hoa, The thao va Du lich"], "Lai Châu"),
    (["Sở Văn hóa và Thể thao", "S¢ Vin héa va Thé thao", "Sé Vin héa va Thé thao", "Sở VH&TT"], "Lào Cai"),
    (["Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "S¢ Giao duc va DPao tao"], "Lào Cai"),
    (["Sở TT&TT", "Sở Thông tin và Truyền thông", "Sở Thông tin - Truyền thông"], "Hà Giang"),
    (["UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân huyện, thị xã, thành phố", "UBND các huyện, thành phố",
      "Ủy ban nhân dân cấp huyện"], "Hưng Yên"),
    (["Ủy ban MTTQ Việt Nam tỉnh", "UBMTTQ Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lai Châu",
      "Uy ban Mit tran Té qudc Viét Nam tinh"], "Lai Châu"),
    (["LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh"], "Sơn La"),
    (["Đài PT-TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh", "Đài Phát thanh – Truyền hình tỉnh",
      "Pai Phat thanh va Truyén hinh tinh"], "Lào Cai"),
    (["Tỉnh đoàn", "Tỉnh đoàn TNCS Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh tỉnh"], "Điện Biên"),
    (["Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"], "Yên Bái"),
    (["Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"], "Hưng Yên"),
]


@pytest.mark.parametrize("forms,province", SAME_NODE)
def test_spellings_of_one_agency_share_a_key(forms, province):
    keys = set()
    for form in forms:
        found = find_agencies(form, province)
        assert len(found) == 1 and found[0].known, (form, found)
        assert found[0].start == 0 and found[0].end >= len(form.rstrip()) - 1, form
        keys.add(found[0].key)
    assert len(keys) == 1, keys


DIFFERENT = [
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa và Thể thao"),
    ("Sở Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo các huyện"),
    ("Thư viện tỉnh", "Bảo tàng tỉnh"),
    ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân các huyện, thành phố"),
    ("Trung tâm Văn hóa tỉnh", "Trung tâm Văn hóa, Thông tin và Thể thao các huyện"),
    ("Sở Thông tin và Truyền thông", "Sở Văn hóa, Thể thao và Du lịch"),
]


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_agency_types_get_different_keys(a, b):
    assert find_agencies(a, "Lai Châu")[0].key != find_agencies(b, "Lai Châu")[0].key


def test_lists_in_a_heading_are_split_into_agencies():
    text = "Đề nghị Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Tỉnh đoàn TNCS Hồ Chí Minh, Hội Nông dân tỉnh và các tổ chức"
    assert [m.label for m in find_agencies(text, "Lai Châu")] == [
        "Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn", "Hội Nông dân tỉnh"]


def test_names_with_inner_hyphens_stay_whole_but_dash_lists_split():
    cell = "- Phòng Quản lý Văn hóa và Gia đình - Phòng Kế hoạch - Tài chính - Thư viện tỉnh"
    assert [m.as_written for m in find_agencies(cell, "Khánh Hòa")] == [
        "Phòng Quản lý Văn hóa và Gia đình", "Phòng Kế hoạch - Tài chính", "Thư viện tỉnh"]


def test_unknown_agencies_get_a_node_from_their_normalised_name():
    found = find_agencies("phối hợp với Ban Quản lý Di tích tỉnh triển khai", "Ninh Bình")
    assert [m.known for m in found] == [False]
    assert found[0].key == normalised_key("Ban Quản lý Di tích tỉnh") == "ban-quan-ly-di-tich-tinh"


def test_generic_groups_are_not_agencies():
    assert find_agencies("Các sở, ban, ngành, đoàn thể tỉnh và các cơ quan, đơn vị có liên quan", "Hưng Yên") == []


def test_province_named_bodies():
    found = find_agencies("Báo Hưng Yên, Đài Phát thanh và Truyền hình Hưng Yên", "Hưng Yên")
    assert [m.label for m in found] == ["Báo Hưng Yên", "Đài Phát thanh và Truyền hình tỉnh"]


def test_canonical_agencies_of_a_plan_are_one_per_type(records):
    from kehoach.graph.iris import agency_iri

    lao_cai = {a.key: a for a in records["lao-cai-2023-251-kh-ubnd"].agencies}
    culture = lao_cai["so-van-hoa-va-the-thao"]
    assert len(culture.alt_labels) >= 3  # OCR spellings gathered on one node
    assert culture.sub_organization_of == "uy-ban-nhan-dan-tinh"
    lai_chau = {a.key for a in records["lai-chau-2015-1133-kh-ubnd"].agencies}
    assert "so-van-hoa-the-thao-va-du-lich" in lai_chau and "so-van-hoa-va-the-thao" not in lai_chau
    ninh_binh = {a.key for a in records["ninh-binh-2023-kh-ubnd"].agencies}
    assert agency_iri("12", "so-van-hoa-the-thao-va-du-lich") != agency_iri("37", "so-van-hoa-va-the-thao")
    assert "so-van-hoa-va-the-thao" in ninh_binh

"""Comparison rows against the texts: every quote is the original text at its offsets, and a
few facts read by hand from the plans come out where they should."""

from __future__ import annotations

import pytest

from kehoach.compare.compare import compare_plans, compare_programmes, compare_provinces, mapped_targets
from kehoach.compare.indicators import CROSSWALK, Indicator, canonical, map_target, related

LAI_CHAU = "lai-chau-2015-1133-kh-ubnd"
NINH_BINH = "ninh-binh-2023-kh-ubnd"
LAO_CAI = "lao-cai-2023-251-kh-ubnd"
NO_TASKS = ("targets", "themes", "agencies")


@pytest.fixture(scope="module")
def recs(records):
    return list(records.values())


@pytest.fixture(scope="module")
def programmes(recs):
    return compare_programmes("208", "1520", recs, sections=NO_TASKS)


@pytest.fixture(scope="module")
def lc_vs_nb(recs):
    return compare_plans(LAI_CHAU, NINH_BINH, recs, sections=NO_TASKS)


def _check_spans(result, records):
    checked = 0
    for row in result["rows"]:
        for side in ("a", "b"):
            for e in row[side]:
                assert records[e["plan"]].original_text[e["start"] : e["end"]] == e["quote"], (row["key"], e)
                checked += 1
    return checked


def test_every_quote_is_the_text_at_its_offsets(programmes, lc_vs_nb, records):
    assert _check_spans(programmes, records) > 100
    assert _check_spans(lc_vs_nb, records) > 50


def test_sides_are_the_programmes_plans(programmes):
    assert [p["id"] for p in programmes["a"]["plans"]] == [LAI_CHAU]
    assert {p["id"] for p in programmes["b"]["plans"]} == {
        "hung-yen-2023-kh-ubnd", "khanh-hoa-2023-kh-svhtt", LAO_CAI, NINH_BINH,
    }
    for row in programmes["rows"]:
        assert all(e["programme"] == "208/QĐ-TTg" for e in row["a"])
        assert all(e["programme"] == "1520/QĐ-TTg" for e in row["b"])


def _row(result, section, key_start):
    rows = [r for r in result["rows"] if r["section"] == section and r["key"].startswith(key_start)]
    assert rows, f"no {section} row {key_start!r}"
    return rows[0]


def test_lai_chau_reader_visits_vs_ninh_binh_library_use_growth(lc_vs_nb):
    # Lai Châu 2015: "Thư viện các huyện, thành phố từ 17.000-18.000 lượt độc giả" by 2020;
    # Ninh Bình 2023: library use grows 5%/year to 2025 and 10-12%/year to 2030.
    row = _row(lc_vs_nb, "targets", "thu-vien-cap-huyen|luot-phuc-vu-doc-gia")
    assert row["status"] == "changed" and row["change"] is None  # related, values not comparable
    a = {(e["year"], e["value"], e["value_max"], e["unit"]) for e in row["a"]}
    assert (2020, 17000, 18000, "lượt") in a
    assert (None, 15000, 17000, "lượt") in a
    b = {(e["year"], e["value"], e["value_max"]) for e in row["b"]}
    assert {(2025, 5, None), (2030, 10, 12)} <= b
    assert all(e["plan"] == NINH_BINH and "%" in e["unit"] for e in row["b"])


def test_ninh_binh_new_lifelong_learning_service_targets(lc_vs_nb):
    # "70% thư viện cấp huyện ... Đến năm 2030, đạt 100%, 90%, 60% ..."
    row = _row(lc_vs_nb, "targets", "thu-vien-cap-huyen|cung-cap-dich-vu-hoc-tap-suot-doi")
    assert row["status"] == "new" and not row["a"]
    assert {(e["year"], e["value"]) for e in row["b"]} == {(2025, 70), (2030, 90)}


def test_internet_connection_became_digital_transformation(lc_vs_nb):
    # Lai Châu: "đến năm 2020, 100% thư viện cấp huyện ... có điểm kết nối internet"
    row = _row(lc_vs_nb, "targets", "thu-vien-cap-huyen|ket-noi-internet")
    assert row["status"] == "changed"
    assert [(e["year"], e["value"]) for e in row["a"]] == [(2020, 100)]
    assert {(e["year"], e["value"]) for e in row["b"]} == {(2025, 60), (2030, 70)}


def test_renamed_institutions_share_an_indicator(records):
    # Ninh Bình's "trung tâm văn hóa, thể thao cấp xã, nhà văn hóa - khu thể thao thôn có lớp
    # năng khiếu, câu lạc bộ": one indicator, counted once per year despite two subjects.
    targets = mapped_targets([records[NINH_BINH]])
    ind = Indicator("trung-tam-van-hoa-cap-xa", "lop-nang-khieu-cau-lac-bo")
    assert sorted((e["year"], e["value"]) for e in targets[ind]) == [(2025, 70), (2030, 100)]
    assert not any(i.institution == "nha-van-hoa-thon" for i in targets)


def test_crosswalk_is_explicit_and_consistent():
    for m in CROSSWALK:
        assert m.relation in {"closeMatch", "relatedMatch"} and m.note
        assert m.source != m.target
    assert canonical("institution-type", "nha-van-hoa-thon")[0] == "trung-tam-van-hoa-cap-xa"
    assert canonical("institution-type", "thu-vien-cap-huyen") == ("thu-vien-cap-huyen", None)
    assert related(Indicator("thu-vien", "luot-phuc-vu-doc-gia"), Indicator("thu-vien", "tang-luot-nguoi-su-dung-thu-vien"))
    assert not related(Indicator("bao-tang", "trung-bay-chuyen-de"), Indicator("bao-tang", "tang-luot-khach-tham-quan-bao-tang"))


def test_map_target_rewrites_only_through_close_matches():
    class T:
        subject, metric = "cau-lac-bo", "lop-nang-khieu-cau-lac-bo"

    mapped = map_target(T())
    assert mapped.indicator == Indicator("trung-tam-van-hoa-cap-xa", "lop-nang-khieu-cau-lac-bo")
    assert [m.source for m in mapped.via] == ["cau-lac-bo"]


def test_provinces_district_and_commune_libraries(recs):
    # Read from the texts: Ninh Bình 70/90 (district) and 40/60 (commune); Lào Cai's table
    # "Thư viện cấp huyện ... 70% 80%", "Phòng đọc cơ sở/điểm Bưu điện văn hóa xã ... 20% 30%".
    result = compare_provinces("1520", recs, ["thu-vien-cap-huyen", "thu-vien-cap-xa"], [2025, 2030])
    values = {
        (r["key"].split("|")[0], r["year"], e["province"]): e["value"]
        for r in result["rows"] if r["key"].endswith("cung-cap-dich-vu-hoc-tap-suot-doi") for e in r["evidence"]
    }
    assert values[("thu-vien-cap-huyen", 2025, "Ninh Bình")] == 70
    assert values[("thu-vien-cap-huyen", 2030, "Ninh Bình")] == 90
    assert values[("thu-vien-cap-xa", 2025, "Ninh Bình")] == 40
    assert values[("thu-vien-cap-xa", 2030, "Ninh Bình")] == 60
    assert values[("thu-vien-cap-huyen", 2025, "Lào Cai")] == 70
    assert values[("thu-vien-cap-huyen", 2030, "Lào Cai")] == 80
    assert values[("thu-vien-cap-xa", 2030, "Lào Cai")] == 30
    assert all(r["year"] in (2025, 2030) for r in result["rows"])
    assert LAI_CHAU not in {p["id"] for p in result["plans"]}


def test_culture_department_compares_across_renaming(lc_vs_nb):
    # Lai Châu's Sở Văn hóa, Thể thao và Du lịch and Ninh Bình's Sở Văn hóa và Thể thao both lead.
    row = _row(lc_vs_nb, "agencies", "so-van-hoa-the-thao-va-du-lich")
    assert row["status"] == "continued"
    assert row["roles_a"].get("lead", 0) >= 1 and row["roles_b"].get("lead", 0) >= 1
    assert any(e["via"] for e in row["b"]) and not any(e["via"] for e in row["a"])


def test_requests_to_mass_organisations(lc_vs_nb):
    # Both plans: "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh ..."
    row = _row(lc_vs_nb, "agencies", "uy-ban-mat-tran-to-quoc")
    assert row["roles_a"].get("request") and row["roles_b"].get("request")


def test_theme_counts_add_up(programmes, records):
    rows = [r for r in programmes["rows"] if r["section"] == "themes"]
    assert sum(r["a_count"] for r in rows) == len(records[LAI_CHAU].tasks)
    assert sum(r["b_count"] for r in rows) == sum(len(records[p].tasks) for p in records if p != LAI_CHAU)


def test_unknown_plan_or_programme_is_a_clear_error(recs):
    with pytest.raises(KeyError):
        compare_plans("no-such-plan", NINH_BINH, recs, sections=NO_TASKS)
    with pytest.raises(KeyError):
        compare_programmes("208", "999", recs, sections=NO_TASKS)


def test_crosswalk_exports_as_skos():
    import rdflib

    from kehoach.compare.indicators import crosswalk_turtle

    graph = rdflib.Graph().parse(data=crosswalk_turtle(), format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    close = list(graph.subject_objects(skos.closeMatch))
    assert len(close) == sum(1 for m in CROSSWALK if m.relation == "closeMatch")
    assert len(graph) == len(CROSSWALK)


def test_final_targets_alike_do_not_hide_an_earlier_year_that_differs(recs):
    # Lào Cai (table) and Ninh Bình: university libraries offering lifelong-learning services,
    # 100 % by 2030 on both sides, but 100 % against 90 % by 2025.
    result = compare_plans(LAO_CAI, NINH_BINH, recs, sections=("targets",))
    row = _row(result, "targets", "thu-vien-dai-hoc|cung-cap-dich-vu-hoc-tap-suot-doi")
    assert row["status"] == "continued" and row["change"] == "same in 2030, not in 2025"
    a = {(e["year"], e["value"]) for e in row["a"]}
    b = {(e["year"], e["value"]) for e in row["b"]}
    assert {(2025, 100), (2030, 100)} <= a and {(2025, 90), (2030, 100)} <= b


def test_value_change_compares_the_final_year_then_the_years_before():
    from kehoach.compare.compare import value_change

    def ev(year, value, unit="%"):
        return {"year": year, "value": value, "value_max": None, "unit": unit}

    assert value_change([ev(2025, 60), ev(2030, 80)], [ev(2025, 70), ev(2030, 90)]) == "rose"
    assert value_change([ev(2025, 60), ev(2030, 80)], [ev(2025, 60), ev(2030, 80)]) == "same"
    assert value_change([ev(2025, 60), ev(2030, 80)], [ev(2025, 70), ev(2030, 80)]) == "same in 2030, not in 2025"
    assert value_change([ev(2030, 80)], [ev(2025, 70), ev(2030, 80)]) == "same"  # 2025 on one side only
    assert value_change([ev(2030, 80)], [ev(2030, 80, "lượt")]) is None


def test_a_narrower_institution_joins_the_broader_row_of_the_same_metric(programmes):
    """Lào Cai states museum-visitor growth for "bảo tàng cấp tỉnh", Ninh Bình for "bảo tàng":
    one row, not two, the narrower type said after Lào Cai's values."""
    metric = "tang-luot-khach-tham-quan-bao-tang"
    rows = [r for r in programmes["rows"] if r["section"] == "targets" and metric in r["key"]]
    assert [r["key"] for r in rows] == [f"bao-tang|{metric}"]
    plans = {e["plan"]: e.get("narrower") for e in rows[0]["b"]}
    assert plans == {LAO_CAI: "bảo tàng cấp tỉnh", NINH_BINH: None}
    assert "Lào Cai: 10 %/năm (2025) [bảo tàng cấp tỉnh]" in rows[0]["b_summary"]

"""End to end on a news report that quotes a plan (no "Tổ chức thực hiện" part, no "Số:" line at
the top): responsibilities come from its prose, and the plan it reports on is not listed among
the documents that plan cites or implements. Own wording, not from the corpus."""

from kehoach.ingest.pipeline import extract_plan_text

NEWS = """Quảng Trị đẩy mạnh học tập suốt đời trong thư viện, bảo tàng

Ngày 12/5/2023, UBND tỉnh Quảng Trị ban hành Kế hoạch số 156/KH-UBND thực hiện Chương trình Đẩy mạnh các hoạt động học tập suốt đời trong thư viện, bảo tàng, trung tâm văn hóa đến năm 2030 theo Quyết định số 1520/QĐ-TTg ngày 09/12/2022 của Thủ tướng Chính phủ.

Theo Kế hoạch số 156/KH-UBND, đến năm 2025 có 70% thư viện cấp huyện cung cấp dịch vụ học tập suốt đời và tối thiểu 90% vào năm 2030. Năm 2022, Thư viện tỉnh phục vụ khoảng 95.000 lượt bạn đọc.

UBND tỉnh giao Sở Văn hóa, Thể thao và Du lịch là cơ quan thường trực, chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai Kế hoạch. Đề nghị Ủy ban MTTQ Việt Nam tỉnh phối hợp tuyên truyền, vận động nhân dân tham gia.
"""

OWN_NUMBER_BELOW = """Ngày 20/6/2023, UBND tỉnh ban hành kế hoạch về học tập suốt đời.
ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 201/KH-UBND
KẾ HOẠCH
Thực hiện Chương trình học tập suốt đời trong thư viện, bảo tàng, trung tâm văn hóa
Căn cứ Quyết định số 1520/QĐ-TTg ngày 09/12/2022 của Thủ tướng Chính phủ; Kế hoạch số 201/KH-UBND
"""


def test_news_report_gives_prose_responsibilities():
    record = extract_plan_text(NEWS, "news")
    got = {(r.agency_label, r.role) for r in record.responsibilities}
    assert got == {
        ("Sở Văn hóa, Thể thao và Du lịch", "lead"),
        ("Sở Thông tin và Truyền thông", "coordinate"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "request"),
    }
    for r in record.responsibilities:
        assert NEWS[r.span.start : r.span.end] == r.span.quote


def test_news_report_targets_and_baseline():
    record = extract_plan_text(NEWS, "news")
    assert [(t.subject, t.value, t.year) for t in record.targets] == [
        ("thu-vien-cap-huyen", 70.0, 2025), ("thu-vien-cap-huyen", 90.0, 2030)]


def test_the_reported_plan_is_not_among_its_own_references():
    record = extract_plan_text(NEWS, "news")
    assert [r.identifier for r in record.references] == ["1520/QĐ-TTg"]
    assert "156/KH-UBND" not in record.header.implements


def test_own_number_line_not_at_the_top_is_not_a_reference():
    record = extract_plan_text(OWN_NUMBER_BELOW, "x")
    assert "201/KH-UBND" not in [r.identifier for r in record.references]
    assert "201/KH-UBND" not in record.header.implements

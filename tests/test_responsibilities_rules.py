"""Role, deadline and list rules of responsibilities, on phrasings beyond the five plans."""

from __future__ import annotations

import pytest

from kehoach.ingest.agencies import find_agencies
from kehoach.ingest.responsibilities import coordinators, duty_role, find_deadline, heading_agencies, is_request

ROLE_CASES = [
    ("a) Chủ trì, phối hợp với Sở Tài chính xây dựng kế hoạch", "lead"),
    ("- Là cơ quan thường trực, giúp UBND tỉnh tổ chức triển khai", "lead"),
    ("Tham mưu UBND tỉnh bố trí kinh phí", "lead"),
    ("b) Phối hợp với Sở Văn hóa và Thể thao tổ chức các hoạt động", "coordinate"),
    ("- Phối hợp chặt chẽ với các ngành, cơ quan liên quan", "coordinate"),
    ("Căn cứ Luật Ngân sách nhà nước, các tiêu chuẩn, định mức chi, phối hợp với Phòng Văn hóa: hướng dẫn", "coordinate"),
    ("Căn cứ khả năng cân đối ngân sách, tham mưu cho UBND tỉnh bố trí kinh phí", "lead"),
    ("Phéi hop co quan, don vi lién quan nghién ctu", "coordinate"),  # OCR
    ("Chq tri, phéi hop vo1i céc sé, ban, nganh", "lead"),  # OCR
    ("Chủ động phối hợp với các đơn vị tổ chức triển khai", "lead"),
]


@pytest.mark.parametrize("duty,role", ROLE_CASES)
def test_duty_role(duty, role):
    assert duty_role(duty) == role


@pytest.mark.parametrize("heading,expected", [
    ("9. Đề nghị UBMTTQ Việt Nam và các tổ chức chính trị - xã hội tỉnh", True),
    ("8. Pé nghi Uy ban Mit tran Té qudc Viét Nam tinh", True),
    ("Đề nghị Hội Cựu chiến binh tỉnh", True),
    ("4. Sở Tài chính", False),
])
def test_request_headings(heading, expected):
    assert is_request(heading.split(". ", 1)[-1]) == expected


@pytest.mark.parametrize("text,value,recurring", [
    ("báo cáo kết quả về UBND tỉnh trước ngày 25/11 hằng năm ./.", "--11-25", True),
    ("báo cáo năm gửi trước ngày 30 tháng 11", "--11-30", False),
    ("gửi Sở Tài chính trước ngày 15/6/2024 để tổng hợp", "2024-06-15", False),
    ("bao cao truéc ngay 25/11 hang nam dé tong hop", "--11-25", True),
    ("định kỳ báo cáo trước ngày 10 tháng 12 hàng năm", "--12-10", True),
    ("gửi báo cáo chậm nhất ngày 15/6/2024", "2024-06-15", False),
    ("báo cáo trước 30/11 hằng năm", "--11-30", True),
    ("hoàn thành trong quý III năm 2023", "2023-Q3", False),
    ("trước ngày 31 tháng 12 năm 2025 phải hoàn thành", "2025-12-31", False),
])
def test_deadlines(text, value, recurring):
    deadline, start, end = find_deadline(text)
    assert deadline.value == value and deadline.recurring == recurring
    assert text[start:end] == deadline.text


def test_no_deadline_without_a_date():
    assert find_deadline("định kỳ hằng năm báo cáo UBND tỉnh") is None
    assert find_deadline("trước ngày 45/13") is None


def test_coordinators_follow_phoi_hop_lists_only():
    duty = ("Chủ trì, phối hợp với Sở Tài chính, các sở, ban, ngành liên quan và UBND các huyện, thành phố xây dựng "
            "kế hoạch; báo cáo UBND tỉnh, Sở Nội vụ")
    found = coordinators(duty, find_agencies(duty, "Yên Bái"), "lead")
    assert [m.label for m in found] == ["Sở Tài chính", "Ủy ban nhân dân cấp huyện"]


def test_a_coordinating_duty_does_not_make_its_lead_a_coordinator():
    duty = "Phối hợp với Sở Văn hóa, Thể thao và Du lịch triển khai; phối hợp cùng Sở Y tế tuyên truyền"
    found = coordinators(duty, find_agencies(duty, "Lai Châu"), "coordinate")
    assert [m.label for m in found] == ["Sở Y tế"]


def test_owner_in_thuoc_phrase_is_skipped():
    duty = "phối hợp với các đơn vị thuộc Sở Văn hóa, Thể thao và Du lịch (Thư viện tỉnh, Bảo tàng tỉnh) triển khai"
    found = coordinators(duty, find_agencies(duty, "Lai Châu"), "lead")
    assert [m.label for m in found] == ["Thư viện tỉnh", "Bảo tàng tỉnh"]


def test_directed_bodies_get_no_role():
    duty = "Chỉ đạo Thư viện tỉnh, Bảo tàng tỉnh nâng cao chất lượng hoạt động"
    assert coordinators(duty, find_agencies(duty, "Lai Châu"), "lead") == []


def test_heading_with_inline_duty():
    heading = "7. Báo Hưng Yên, Đài Phát thanh và Truyền hình Hưng Yên Chủ trì, phối hợp với các Sở xây dựng chuyên mục"
    listed, request, inline = heading_agencies(heading, "Hưng Yên")
    assert [m.label for m in listed] == ["Báo Hưng Yên", "Đài Phát thanh và Truyền hình tỉnh"]
    assert not request and heading[inline:].strip().startswith("Chủ trì")


def test_heading_with_colon():
    heading = "4. S¢ Tai chinh: Chu tri, phdi hop Vvé6i S¢ Vin hoa va Thé thao"
    listed, request, inline = heading_agencies(heading, "Lào Cai")
    assert [m.key for m in listed] == ["so-tai-chinh"] and heading[inline:].strip().startswith("Chu tri")


def test_a_later_chu_tri_clause_adds_a_lead_role():
    from kehoach.ingest.responsibilities import leads_a_later_clause

    assert leads_a_later_clause("Phối hợp với Sở Y tế tuyên truyền; chủ trì, phối hợp cùng Tỉnh đoàn tổ chức cuộc thi")
    assert not leads_a_later_clause("Phối hợp với Sở Y tế tuyên truyền; tổ chức cuộc thi do Tỉnh đoàn chủ trì")


def test_heading_assigning_with_giao_and_lower_case_duty():
    listed, request, inline = heading_agencies("1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính thẩm định", "Quảng Ninh")
    assert [m.key for m in listed] == ["so-noi-vu"] and heading_agencies.__name__
    listed, _, inline2 = heading_agencies("2. Sở Y tế phối hợp với Sở Văn hóa, Thể thao và Du lịch tuyên truyền", "Quảng Ninh")
    assert [m.key for m in listed] == ["so-y-te"] and inline2 is not None
    listed, _, inline3 = heading_agencies("6. Đề nghị Hội Nông dân tỉnh và các tổ chức xã hội, nghề nghiệp", "Lai Châu")
    assert [m.key for m in listed] == ["hoi-nong-dan-tinh"] and inline3 is None


# ---- generalisation patterns of a blind evaluation (own wording, other provinces) -----------

from kehoach.ingest.layout import normalise_layout  # noqa: E402
from kehoach.ingest.records import Header, PlanRecord  # noqa: E402
from kehoach.ingest.responsibilities import extract_responsibilities  # noqa: E402


def record_of(text: str, province: str = "Quảng Trị") -> PlanRecord:
    n = normalise_layout(text)
    return PlanRecord(id="t", source_path="<t>", sha256="", original_text=text, text=n.text, offsets=n.offsets,
                      header=Header(province=province), references=[], segments=[])


def roles_of(text: str, province: str = "Quảng Trị") -> set[tuple[str, str]]:
    return {(r.agency_label, r.role) for r in extract_responsibilities(record_of(text, province))}


PROSE_CASES = [
    (  # a news report: the UBND assigns a standing body
        "Quảng Trị: Triển khai Kế hoạch số 88/KH-UBND về học tập suốt đời\n"
        "UBND tỉnh vừa ban hành Kế hoạch thực hiện Chương trình đến năm 2030. UBND tỉnh giao Sở Văn hóa, Thể thao "
        "và Du lịch là cơ quan thường trực, chủ trì, phối hợp với Sở Thông tin và Truyền thông và các địa phương tổ "
        "chức triển khai, định kỳ báo cáo kết quả.\n",
        {("Sở Văn hóa, Thể thao và Du lịch", "lead"), ("Sở Thông tin và Truyền thông", "coordinate")},
    ),
    (
        "Kế hoạch giao Sở Giáo dục và Đào tạo chủ trì lồng ghép nội dung học tập suốt đời vào hoạt động của nhà "
        "trường; Sở Tài chính bố trí kinh phí theo quy định.\n",
        {("Sở Giáo dục và Đào tạo", "lead"), ("Sở Tài chính", "lead")},
    ),
    (
        "Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh phối hợp tuyên truyền, vận động "
        "hội viên tham gia học tập suốt đời.\n",
        {("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "request"), ("Các tổ chức chính trị - xã hội tỉnh", "request")},
    ),
    (
        "Đài Phát thanh và Truyền hình tỉnh phối hợp với Sở Văn hóa, Thể thao và Du lịch xây dựng chuyên mục về "
        "văn hóa đọc.\n",
        {("Đài Phát thanh và Truyền hình tỉnh", "coordinate")},
    ),
    (
        "Để triển khai Kế hoạch, UBND tỉnh yêu cầu Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức thực hiện; Sở Giáo "
        "dục và Đào tạo, Sở Thông tin và Truyền thông phối hợp triển khai các nhiệm vụ liên quan.\n",
        {("Sở Văn hóa, Thể thao và Du lịch", "lead"), ("Sở Giáo dục và Đào tạo", "coordinate"),
         ("Sở Thông tin và Truyền thông", "coordinate")},
    ),
    (  # "Hội" after "Tỉnh đoàn" is the next body, not the end of "Hồ Chí Minh"
        "Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh phối hợp tuyên truyền đến đoàn viên, hội viên.\n",
        {("Tỉnh đoàn", "coordinate"), ("Hội Liên hiệp Phụ nữ tỉnh", "coordinate")},
    ),
    (
        "UBND các huyện, thị xã, thành phố căn cứ Kế hoạch này xây dựng kế hoạch của địa phương, báo cáo UBND tỉnh "
        "trước ngày 30/11 hằng năm.\n",
        {("Ủy ban nhân dân cấp huyện", "lead")},
    ),
    (  # a standing body named in brackets; "X sẽ phối hợp với Y": X coordinates, Y is not listed
        "Sở Văn hóa, Thể thao và Du lịch (cơ quan thường trực) chủ trì, hướng dẫn các địa phương triển khai Kế hoạch. "
        "Theo đó, Sở Giáo dục và Đào tạo sẽ phối hợp với Thư viện tỉnh tổ chức Ngày hội đọc sách cho học sinh.\n",
        {("Sở Văn hóa, Thể thao và Du lịch", "lead"), ("Sở Giáo dục và Đào tạo", "coordinate")},
    ),
    (  # reported facts and proposals assign nothing
        "Theo Sở Văn hóa, Thể thao và Du lịch, năm 2022 Thư viện tỉnh đã phục vụ 95.000 lượt bạn đọc. Theo đề nghị "
        "của Sở Nội vụ, UBND tỉnh đã phê duyệt đề án.\n",
        set(),
    ),
    (
        "Sở Tài chính có trách nhiệm cân đối, bố trí kinh phí. UBND các huyện, thị xã, thành phố chủ động xây dựng "
        "kế hoạch của địa phương.\n",
        {("Sở Tài chính", "lead"), ("Ủy ban nhân dân cấp huyện", "lead")},
    ),
]


@pytest.mark.parametrize("text,expected", PROSE_CASES)
def test_responsibilities_in_prose(text, expected):
    assert roles_of(text) == expected


def test_agency_name_stops_at_a_verb():
    duty = "Chủ trì, phối hợp với Văn phòng Sở thẩm định nội dung tài liệu"
    assert [m.as_written for m in coordinators(duty, find_agencies(duty, "Quảng Trị"), "lead")] == ["Văn phòng Sở"]


def test_long_agency_name_is_kept_whole():
    text = "phối hợp với Trung tâm Công nghệ thông tin và Truyền thông tỉnh xây dựng thư viện số"
    names = [m.as_written for m in find_agencies(text, "Quảng Trị")]
    assert names == ["Trung tâm Công nghệ thông tin và Truyền thông tỉnh"]


def test_reporting_deadline_belongs_to_the_reporting_agency():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Văn hóa, Thể thao và Du lịch\n"
        "Chủ trì, phối hợp với Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 15/12 hằng năm.\n"
    )
    got = {(r.agency_label, r.role, r.deadline.value if r.deadline else None)
           for r in extract_responsibilities(record_of(text))}
    assert got == {("Sở Văn hóa, Thể thao và Du lịch", "lead", "--12-15"), ("Sở Nội vụ", "coordinate", None)}


def test_time_column_gives_the_row_deadline():
    text = (
        "PHỤ LỤC\n"
        "| TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Tổ chức Tuần lễ học tập suốt đời | Sở Giáo dục và Đào tạo | Sở Nội vụ | Quý IV hằng năm |\n"
        "| 2 | Tuyên truyền trên báo, đài | Báo Quảng Trị | Sở Thông tin và Truyền thông | Thường xuyên |\n"
        "| 3 | Báo cáo kết quả thực hiện | Sở Văn hóa, Thể thao và Du lịch | Sở Nội vụ | Trước 15/12 hằng năm |\n"
    )
    got = {(r.agency_label, r.role, r.deadline.text if r.deadline else None, r.period)
           for r in extract_responsibilities(record_of(text))}
    assert got == {
        ("Sở Giáo dục và Đào tạo", "lead", "Quý IV hằng năm", "Quý IV hằng năm"),
        ("Sở Nội vụ", "coordinate", "Quý IV hằng năm", "Quý IV hằng năm"),
        ("Báo Quảng Trị", "lead", None, "Thường xuyên"),
        ("Sở Thông tin và Truyền thông", "coordinate", None, "Thường xuyên"),
        ("Sở Văn hóa, Thể thao và Du lịch", "lead", "Trước 15/12 hằng năm", "Trước 15/12 hằng năm"),
        ("Sở Nội vụ", "coordinate", None, "Trước 15/12 hằng năm"),
    }


@pytest.mark.parametrize("text,value", [
    ("Quý III hằng năm", "Q3"),
    ("quý II năm 2025", "2025-Q2"),
    ("Trước 15/12 hằng năm", "--12-15"),
])
def test_time_cell_deadlines(text, value):
    from kehoach.ingest.responsibilities import cell_deadline

    assert cell_deadline(text).value == value


def test_no_deadline_from_a_continuous_period():
    from kehoach.ingest.responsibilities import cell_deadline

    assert cell_deadline("Thường xuyên") is None and cell_deadline("2024 - 2025") is None


def test_prose_agencies_are_quoted_where_they_stand():
    text = ("Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì, phối hợp với Văn phòng Sở thẩm định tài liệu; giao Sở Tài "
            "chính tham mưu bố trí kinh phí.\n")
    got = [(r.agency, r.role) for r in extract_responsibilities(record_of(text))]
    assert got == [("Sở Nội vụ", "lead"), ("Văn phòng Sở", "coordinate"), ("Sở Tài chính", "lead")]
    for r in extract_responsibilities(record_of(text)):
        assert text[r.agency_span.start : r.agency_span.end] == r.agency_span.quote


# ---- patterns of the second blind set (tests/gold/heldout-blind-2), in other districts' words ----


def test_completion_column_states_the_deadline_even_in_words():
    """A "Thời gian hoàn thành" (or "Thời hạn") cell is the row's deadline whatever its form; a
    "Thời gian thực hiện" cell stays a period (see test_time_column_gives_the_row_deadline)."""
    text = (
        "PHỤ LỤC\n"
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn hoàn thành\n"
        "1\tPhát động phong trào đọc sách trong trường học\tPhòng Giáo dục và Đào tạo\tHuyện đoàn\tTháng 9 hằng năm\n"
        "2\tKiểm kê tài liệu của thư viện huyện\tPhòng Văn hóa và Thông tin\tPhòng Nội vụ\tNăm 2025\n"
        "3\tTuyên truyền trên đài truyền thanh\tĐài Truyền thanh - Truyền hình huyện\tUBND các xã, phường\tThường xuyên\n"
        "4\tBáo cáo sơ kết\tPhòng Văn hóa và Thông tin\tPhòng Nội vụ\tTrước ngày 05/12 hằng năm\n"
    )
    got = {(r.agency, r.role, r.to_json()["deadline"]["text"] if r.to_json()["deadline"] else None)
           for r in extract_responsibilities(record_of(text, "Hà Nam"))}
    assert got == {
        ("Phòng Giáo dục và Đào tạo", "lead", "Tháng 9 hằng năm"),
        ("Huyện đoàn", "coordinate", "Tháng 9 hằng năm"),
        ("Phòng Văn hóa và Thông tin", "lead", "Năm 2025"),
        ("Phòng Nội vụ", "coordinate", "Năm 2025"),
        ("Đài Truyền thanh - Truyền hình huyện", "lead", "Thường xuyên"),
        ("UBND các xã, phường", "coordinate", "Thường xuyên"),
        ("Phòng Văn hóa và Thông tin", "lead", "Trước ngày 05/12 hằng năm"),
        ("Phòng Nội vụ", "coordinate", None),  # a reporting deadline binds the reporting body only
    }
    for r in extract_responsibilities(record_of(text, "Hà Nam")):
        if r.deadline is None and r.stated_deadline:
            assert r.to_json()["deadline"]["value"] is None  # words only: no typed calendar value


@pytest.mark.parametrize("cell, expected", [
    # several bodies in one cell separated by ";" are several agencies, never one name across the ";"
    ("Phòng Tư pháp; Huyện đoàn; Hội Khuyến học huyện", ["Phòng Tư pháp", "Huyện đoàn", "Hội Khuyến học huyện"]),
    ("Phòng Giáo dục và Đào tạo; Hội Liên hiệp Phụ nữ huyện", ["Phòng Giáo dục và Đào tạo", "Hội Liên hiệp Phụ nữ huyện"]),
    # communes and district-level people's committees in any order of their kinds
    ("UBND các xã, thị trấn", ["UBND các xã, thị trấn"]),
    ("Ủy ban nhân dân các huyện, thành phố, thị xã", ["Ủy ban nhân dân các huyện, thành phố, thị xã"]),
    # district chapters of mass organisations keep their level word; a verb is no level word
    ("Ủy ban MTTQ Việt Nam huyện và các đoàn thể chính trị - xã hội huyện",
     ["Ủy ban MTTQ Việt Nam huyện", "các đoàn thể chính trị - xã hội huyện"]),
    ("Hội Nông dân tỉnh và các tổ chức chính trị - xã hội tuyên truyền", ["Hội Nông dân tỉnh", "các tổ chức chính trị - xã hội"]),
    # district bodies whose names share words with provincial ones
    ("Phòng Nội vụ; Công an huyện", ["Phòng Nội vụ", "Công an huyện"]),
    ("Văn phòng HĐND và UBND huyện", ["Văn phòng HĐND và UBND huyện"]),
    ("Văn phòng UBND tỉnh; Ban Chỉ huy Quân sự huyện", ["Văn phòng UBND tỉnh", "Ban Chỉ huy Quân sự huyện"]),
])
def test_district_bodies_and_cell_lists(cell, expected):
    assert [m.as_written for m in find_agencies(cell, "Hà Nam")] == expected


def test_district_and_province_chapters_are_different_nodes():
    [d] = find_agencies("Hội Khuyến học huyện", "Hà Nam")
    [p] = find_agencies("Hội Khuyến học tỉnh", "Hà Nam")
    assert d.key != p.key and d.level == "district"


def test_a_closing_exhortation_assigns_no_duty():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Văn hóa và Thông tin chủ trì theo dõi, tổng hợp kết quả.\n"
        "Trên đây là Kế hoạch của UBND huyện; yêu cầu các cơ quan, đơn vị, UBND các xã, phường khẩn trương triển khai thực hiện./.\n"
    )
    got = {(r.agency, r.role) for r in extract_responsibilities(record_of(text, "Hà Nam"))}
    assert ("UBND các xã, phường", "lead") not in got


def test_a_duty_task_reads_the_restored_text_and_quotes_the_original(records):
    """Lào Cai's organisation section is OCR'd: its duties as tasks read as restored ("Chủ
    trì, phối hợp") while their spans keep the raw characters ("Chq tri, phéi hop")."""
    record = records["lao-cai-2023-251-kh-ubnd"]
    duties = [t for t in record.tasks if t.source == "duty"]
    assert duties
    first = min(duties, key=lambda t: t.span.start)
    assert first.text.startswith("- Chủ trì, phối hợp") and first.span.quote.startswith("- Chq tri, phéi hop")
    assert all(t.text == record.text_of(t.span) for t in duties)

"""Task rules: themes, periods, appendix tables, on inputs beyond the five plans."""

from __future__ import annotations

import pytest

from kehoach.ingest.tasks import classify_theme, column_roles, parse_period, plan_lines, table_rows


@pytest.mark.parametrize("text,theme", [
    ("Đẩy mạnh công tác tuyên truyền, nâng cao nhận thức của người dân", "awareness-communication"),
    ("Tổ chức đào tạo, bồi dưỡng nghiệp vụ cho cán bộ thư viện", "human-resources-training"),
    ("Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động thư viện", "it-digital-transformation"),
    ("Huy động nguồn lực xã hội hóa, vận động tài trợ", "socialisation-resources"),
    ("Tăng cường hợp tác quốc tế với các tổ chức nước ngoài", "international-cooperation"),
    ("Kiểm tra, giám sát, sơ kết, tổng kết việc thực hiện", "inspection-reporting"),
    ("Nâng cấp cơ sở vật chất, trang thiết bị cho nhà văn hóa", "infrastructure-network"),
    ("Dao tao, boi duong nguon nhan luc", "human-resources-training"),  # without tone marks
])
def test_themes(text, theme):
    assert classify_theme(text) == theme


@pytest.mark.parametrize("cell,period", [
    ("2024- 2025", "2024-2025"), ("2023 – 2025", "2023-2025"), ("Hàng năm", "annual"), ("Hằng năm", "annual"),
    ("2030", "2030"), ("", None), ("Quý IV", None),
])
def test_periods(cell, period):
    assert parse_period(cell) == period


def test_column_roles_from_other_header_wordings():
    roles = column_roles(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tiến độ"])
    assert roles == {"number": 0, "content": 1, "lead": 2, "coordinate": 3, "period": 4}


def test_continuation_rows_are_merged():
    text = ("PHỤ LỤC\nTT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tTiến độ\n"
            "I\tTUYÊN TRUYỀN\t\t\t\n"
            "1\tTổ chức tuyên truyền về học\tSở Văn hóa,\tSở Tài chính\tHằng năm\n"
            "\ttập suốt đời\tThể thao và Du lịch\t\t\n"
            "2\tKiểm tra, đánh giá\tSở Nội vụ\t\t2025\n")
    rows = table_rows(plan_lines(text))
    assert [r.cell("content").text for r in rows] == ["Tổ chức tuyên truyền về học tập suốt đời", "Kiểm tra, đánh giá"]
    assert rows[0].cell("lead").text == "Sở Văn hóa, Thể thao và Du lịch"
    assert rows[0].group == "TUYÊN TRUYỀN" and rows[1].cell("period").text == "2025"
    cell = rows[0].cell("lead")
    assert all(text[o] == ch for o, ch in zip(cell.offsets, cell.text) if ch != " ")


def test_markdown_task_table_rows():
    from kehoach.ingest.layout import normalise_layout
    from kehoach.ingest.records import Header, PlanRecord
    from kehoach.ingest.tasks import appendix_tasks

    text = (
        "PHỤ LỤC\n"
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
        "|:---:|---|---|---|---|\n"
        "| 1 | Số hóa tài liệu địa chí | Thư viện tỉnh | Sở Thông tin và Truyền thông | 2024 - 2025 |\n"
        "| 2 | Tập huấn nghiệp vụ cho cán bộ thư viện cấp xã | Sở Văn hóa, Thể thao và Du lịch | | Hằng năm |\n"
    )
    n = normalise_layout(text)
    record = PlanRecord(id="t", source_path="<t>", sha256="", original_text=text, text=n.text, offsets=n.offsets,
                        header=Header(), references=[], segments=[])
    rows = table_rows(plan_lines(n.text))
    assert [(r.number, r.cell("lead").text, r.cell("period").text) for r in rows] == [
        ("1", "Thư viện tỉnh", "2024 - 2025"), ("2", "Sở Văn hóa, Thể thao và Du lịch", "Hằng năm")]
    tasks = appendix_tasks(record)
    assert [(t.theme, t.period) for t in tasks] == [
        ("it-digital-transformation", "2024-2025"), ("human-resources-training", "annual")]
    for t in tasks:
        assert text[t.span.start : t.span.end] == t.span.quote

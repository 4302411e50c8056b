"""The example queries about agencies and responsibilities, on the real corpus in a store."""

from __future__ import annotations

import pytest

from conftest import select_named



@pytest.fixture(scope="module")
def store(corpus_graph):
    return corpus_graph


def select(store, name):
    return select_named(store, name)


def test_what_so_tai_chinh_has_to_do_in_each_plan(store):
    rows = select(store, "responsibilities-of-agency.rq")
    plans = {str(r["plan"]).rsplit("/", 1)[-1] for r in rows}
    # Khánh Hòa's plan is the culture department's own: it assigns nothing to Sở Tài chính.
    assert plans == {"hung-yen-2023-kh-ubnd", "lai-chau-2015-1133-kh-ubnd", "ninh-binh-2023-kh-ubnd",
                     "lao-cai-2023-251-kh-ubnd"}
    assert any("kinh phí" in str(r["task"]) or "kinh phi" in str(r["task"]) for r in rows)


def test_who_leads_each_appendix_task_in_khanh_hoa(store):
    rows = select(store, "appendix-task-leads.rq")
    tasks = {str(r["t"]) for r in rows}
    assert len(tasks) == 30  # 13 rows in Phụ lục I, 17 in Phụ lục II
    assert all(any(str(r["lead"]) == "Phòng Quản lý Văn hóa và Gia đình" for r in rows if str(r["t"]) == t)
               for t in tasks)
    leads_of_row = {str(r["lead"]) for r in rows if str(r["task"]).startswith("Phổ biến tài liệu phương pháp")}
    assert leads_of_row == {"Phòng Quản lý Văn hóa và Gia đình", "Bảo tàng tỉnh"}


def test_agencies_query_lists_alt_labels(store):
    rows = select(store, "agencies.rq")
    lao_cai = [r for r in rows if str(r["label"]) == "Sở Văn hóa và Thể thao" and str(r["province"]).endswith("/10")]
    assert lao_cai and "S" in str(lao_cai[0]["altLabels"])

"""Tasks and responsibilities on the hand-made gold set; every quote matches the original text."""

from __future__ import annotations

import json

import pytest

from kehoach.ingest.eval_responsibilities import GOLD_DIR, evaluate, gold_plan_ids

PLANS = ["lao-cai-2023-251-kh-ubnd", "lai-chau-2015-1133-kh-ubnd", "hung-yen-2023-kh-ubnd",
         "ninh-binh-2023-kh-ubnd", "khanh-hoa-2023-kh-svhtt"]


def test_gold_covers_the_five_plans():
    assert sorted(gold_plan_ids()) == sorted(PLANS)


@pytest.mark.parametrize("plan_id", PLANS)
def test_gold_quotes_equal_the_original_text(plan_id, records):
    original = records[plan_id].original_text
    for kind, key in (("responsibilities", "responsibilities"), ("tasks", "tasks")):
        for item in json.loads((GOLD_DIR / f"{plan_id}.{kind}.json").read_text("utf-8"))[key]:
            assert original[item["start"] : item["end"]] == item["quote"]


@pytest.mark.parametrize("plan_id", PLANS)
def test_every_extracted_quote_equals_the_original_text(plan_id, records):
    record = records[plan_id]
    original = record.original_text
    for r in record.responsibilities:
        assert original[r.span.start : r.span.end] == r.span.quote
        assert original[r.agency_span.start : r.agency_span.end] == r.agency_span.quote
        assert r.role in ("lead", "coordinate", "request")
    for t in record.tasks:
        assert original[t.span.start : t.span.end] == t.span.quote
    for a in record.agencies:
        for s in a.spans:
            assert original[s.start : s.end] == s.quote


@pytest.fixture(scope="module")
def rows():
    return {(r["kind"], r["field"]): r for r in evaluate()}


def test_responsibilities_f1(rows):
    assert rows[("responsibilities", "all")]["f1"] >= 0.95


def test_lead_coordinate_role_accuracy(rows):
    assert rows[("responsibilities", "role")]["precision"] >= 0.95


def test_tasks_found(rows):
    assert rows[("tasks", "all")]["f1"] >= 0.9
    assert rows[("tasks", "period")]["f1"] >= 0.9
    assert rows[("tasks", "theme")]["f1"] >= 0.6


def test_json_shape(records):
    r = records["hung-yen-2023-kh-ubnd"].responsibilities[0].to_json()
    assert {"agency", "role", "task", "deadline", "span"} <= set(r)
    assert {"start", "end", "quote"} <= set(r["span"])
    t = records["khanh-hoa-2023-kh-svhtt"].tasks[0].to_json()
    assert {"id", "task", "section_path", "theme", "period", "span"} <= set(t)

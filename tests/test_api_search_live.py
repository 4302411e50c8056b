"""/api/search end to end: a real uvicorn server over the five plans, ingested with their real
search index (bundled embedder, FAISS and BM25 on disk), asked as a user's browser asks."""

from __future__ import annotations

import httpx
import pytest

from api_support import live_server, settings_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(searchable_store):
    with live_server(settings_for(searchable_store)) as url:
        yield url


def search(base: str, **params) -> httpx.Response:
    return httpx.get(f"{base}/api/search", params=params, timeout=60)


def test_a_question_without_diacritics_finds_the_plan_that_answers_it(base):
    body = search(base, q="thu vien tinh lai chau phuc vu bao nhieu luot doc gia", limit=3).json()
    assert len(body["items"]) == 3 and body["unmatched_filters"] == []
    top = body["items"][0]
    assert {"text", "score", "plan", "province", "year", "programme", "iri", "span"} <= set(top)
    assert top["province"] == "Lai Châu" and top["programme"] == "208/QĐ-TTg"


def test_filters_narrow_the_hits(base):
    items = search(base, q="thư viện cấp huyện", province="ninh binh", year="2023", limit=20).json()["items"]
    assert items and {h["province"] for h in items} == {"Ninh Bình"} and {h["year"] for h in items} == {2023}


def test_a_filter_nothing_matches_says_so(base):
    body = search(base, q="thư viện", province="Hà Nội").json()
    assert body["items"] == []
    assert body["unmatched_filters"] == [
        "no passage matches province 'Hà Nội' (this index has: Hưng Yên, Khánh Hòa, Lai Châu, Lào Cai, Ninh Bình)"
    ]


def test_per_plan_shows_one_passage_of_each_plan(base):
    q = "thư viện cấp xã có dịch vụ học tập suốt đời"
    everything = search(base, q=q, limit=50).json()["items"]
    one_each = search(base, q=q, per_plan=1, limit=50).json()["items"]
    first_of_each = [h for i, h in enumerate(everything) if h["plan"] not in {x["plan"] for x in everything[:i]}]
    assert [h["iri"] for h in one_each] == [h["iri"] for h in first_of_each]
    assert len(one_each) == 5  # every plan of the corpus speaks of it


@pytest.mark.parametrize(
    "params, message",
    [
        ({"kind": "heading"}, "no passage kind 'heading'"),
        ({"year": "2030-2020"}, "runs backwards"),
        ({"q": "x" * 501}, "at most 500"),
        ({"per_plan": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_filters_are_422_with_a_reason(base, params, message):
    response = search(base, **({"q": "thư viện"} | params))
    assert response.status_code == 422 and message in response.text

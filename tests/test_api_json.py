"""The JSON API and the plan pages over the real corpus, ingested into a temporary store."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import settings_for
from kehoach.api.app import create_app
from kehoach.api.pages import source_html

LAO_CAI = "lao-cai-2023-251-kh-ubnd"
LAI_CHAU = "lai-chau-2015-1133-kh-ubnd"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus-store")
    plans = [str(CORPUS / f"{name}.txt") for name in (LAO_CAI, LAI_CHAU)]  # two plans keep it quick
    done = subprocess.run(
        [sys.executable, "-c", "from kehoach.cli import main; main()", "ingest", *plans, "--store", str(directory), "--no-search", "--no-repair"],
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode not in (0, 1):  # 1: some file failed, the others are in
        pytest.fail(f"ingest failed: {done.stderr[-2000:]}")
    return directory


@pytest.fixture(scope="module")
def client(corpus_store):
    with TestClient(create_app(settings_for(corpus_store))) as test_client:
        yield test_client


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["store"] is True
    assert body["query_timeout_s"] == 5.0


def test_plans_list_and_pagination_are_consistent(client):
    everything = client.get("/api/plans", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) == 2
    ids = [p["id"] for p in everything["items"]]
    paged = []
    for offset in range(0, everything["total"], 2):
        page = client.get("/api/plans", params={"limit": 2, "offset": offset}).json()
        assert page["total"] == everything["total"] and page["limit"] == 2 and page["offset"] == offset
        paged += [p["id"] for p in page["items"]]
    assert paged == ids
    assert client.get("/api/plans", params={"offset": 10_000}).json()["items"] == []


def test_plan_filters_fold_diacritics(client):
    lao_cai = client.get("/api/plans", params={"province": "lao cai"}).json()
    assert [p["id"] for p in lao_cai["items"]] == [LAO_CAI]
    by_year = client.get("/api/plans", params={"year": 2015}).json()["items"]
    assert [p["id"] for p in by_year] == [LAI_CHAU]
    for year in ("2010-2016", "-2016", "2015-2015"):  # ranges, as /api/search takes
        assert [p["id"] for p in client.get("/api/plans", params={"year": year}).json()["items"]] == [LAI_CHAU], year
    assert LAI_CHAU not in {p["id"] for p in client.get("/api/plans", params={"year": "2016-"}).json()["items"]}
    backwards = client.get("/api/plans", params={"year": "2025-2020"})
    assert backwards.status_code == 422 and "runs backwards" in backwards.text
    old_programme = client.get("/api/plans", params={"programme": "208"}).json()["items"]
    assert [p["id"] for p in old_programme] == [LAI_CHAU]


def test_plan_detail_facts_carry_spans_that_quote_the_source(client):
    plan = client.get(f"/api/plans/{LAO_CAI}").json()
    assert plan["id"] == LAO_CAI and plan["province"] == "Lào Cai"
    for key in ("targets", "tasks", "responsibilities", "citations", "header_fields", "events"):
        assert isinstance(plan[key], list)
    text = client.get(f"/api/plans/{LAO_CAI}/source").json()["text"]
    facts = [f for key in ("targets", "tasks", "responsibilities", "citations", "header_fields") for f in plan[key]]
    spanned = [f for f in facts if f["span"]]
    assert len(spanned) >= 10
    for fact in spanned:
        span = fact["span"]
        assert text[span["start"] : span["end"]] == span["quote"], fact["iri"]
    assert any("1520" in (f["span"] or {}).get("quote", "") for f in plan["citations"])


def test_errors_are_clear(client):
    missing = client.get("/api/plans/no-such-plan")
    assert missing.status_code == 404 and "no-such-plan" in missing.json()["detail"]
    assert client.get("/api/plans/bad%20id!").status_code == 422
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"year": "abc"}):
        response = client.get("/api/plans", params=params)
        assert response.status_code == 422, params
    assert client.get("/api/agencies/no/such-agency").status_code == 404


def test_agencies_and_agency_detail(client):
    agencies = client.get("/api/agencies", params={"limit": 500}).json()
    assert agencies["total"] > 0
    issuer = client.get(f"/api/plans/{LAO_CAI}").json()["issuer_iri"]
    agency = next(a for a in agencies["items"] if a["iri"] == issuer)
    assert LAO_CAI in agency["plans"]
    detail = client.get(f"/api/agencies/{agency['id']}").json()
    assert detail["iri"] == issuer
    assert any(link["plan"] == LAO_CAI and link["type"] == "kh:Plan" for link in detail["links"])
    filtered = client.get("/api/agencies", params={"province": "lao cai"}).json()["items"]
    assert filtered and all(a["province"] == "Lào Cai" for a in filtered)


def test_targets_filters_narrow_the_table(client):
    everything = client.get("/api/targets", params={"limit": 500}).json()
    for item in everything["items"]:
        assert item["plan"] and "properties" in item
    lao_cai = client.get("/api/targets", params={"province": "Lào Cai", "limit": 500}).json()
    assert all(item["province"] == "Lào Cai" for item in lao_cai["items"])
    assert lao_cai["total"] <= everything["total"]
    assert everything["total"] > 0, "both plans state quantitative targets"
    in_2025 = client.get("/api/targets", params={"year": 2025, "limit": 500}).json()
    assert all(2025 in item["years"] for item in in_2025["items"])
    up_to_2025 = client.get("/api/targets", params={"year": "-2025", "limit": 500}).json()
    assert in_2025["total"] < up_to_2025["total"] and all(min(item["years"]) <= 2025 for item in up_to_2025["items"])
    libraries = client.get("/api/targets", params={"subject": "thu vien", "limit": 500}).json()["items"]
    assert 0 < len(libraries) < everything["total"]
    for item in libraries:
        labels = " ".join(v.get("label", "") for v in item["properties"]["kh:subject"])
        assert "thư viện" in labels.lower()


def test_search_without_an_index_is_503_with_what_to_run(client):
    response = client.get("/api/search", params={"q": "thư viện"})
    assert response.status_code == 503
    assert "ingest" in response.json()["detail"]
    assert client.get("/api/search").status_code == 422  # q is required
    assert client.get("/api/search", params={"q": "x", "year": "20x5"}).status_code == 422


class RecordingSearch:
    def __init__(self):
        self.calls = []

    def search(self, query, k=10, **filters):
        self.calls.append((query, k, filters))
        return [_Hit(i) for i in range(min(k, 7))]


class _Hit:
    def __init__(self, i):
        self.i = i

    def to_json(self):
        return {"text": f"passage {self.i}", "plan": LAO_CAI, "score": 1.0 / (self.i + 1)}


def test_search_pages_and_passes_filters(corpus_store):
    app = create_app(settings_for(corpus_store))
    engine = RecordingSearch()
    app.state.search_engine = engine
    with TestClient(app) as client:
        first = client.get("/api/search", params={"q": "thư viện", "limit": 3, "province": "Lào Cai", "year": "2020-2025"}).json()
        assert [h["text"] for h in first["items"]] == ["passage 0", "passage 1", "passage 2"] and first["more"]
        second = client.get("/api/search", params={"q": "thư viện", "limit": 3, "offset": 3}).json()
        assert [h["text"] for h in second["items"]] == ["passage 3", "passage 4", "passage 5"]
        last = client.get("/api/search", params={"q": "thư viện", "limit": 5, "offset": 5}).json()
        assert [h["text"] for h in last["items"]] == ["passage 5", "passage 6"] and last["total"] == 7
        query, _k, filters = engine.calls[0]
        assert query == "thư viện" and filters["province"] == "Lào Cai" and filters["year"] == "2020-2025"


def test_pages_render(client):
    assert "Tìm kiếm" in client.get("/").text
    plans = client.get("/plans").text
    assert f'href="/plans/{LAO_CAI}"' in plans
    page = client.get(f"/plans/{LAO_CAI}", params={"hl": "0-40"}).text
    assert 'class="g-hit"' in page and "<mark" in page
    missing = client.get("/plans/no-such-plan")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "No plan with id &#39;no-such-plan&#39;" in missing.text and f'href="/plans/{LAO_CAI}"' in missing.text
    sparql = client.get("/sparql", headers={"Accept": "text/html"}).text
    assert "PREFIX kh: &lt;https://w3id.org/kehoach/ontology#&gt;" in sparql


def test_pages_use_no_cdn(client):
    for path in ("/", "/plans", f"/plans/{LAO_CAI}", "/api/docs"):
        body = client.get(path, headers={"Accept": "text/html"}).text
        assert not re.search(r"""(src|href)=["']https?://""", body), path
    assert client.get("/api/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_source_html_marks_overlapping_spans():
    text = "abcdefghij<>"
    out = source_html(text, [(0, 6, "citations", "1"), (2, 4, "targets", "2"), (10, 12, "tasks", "3")])
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert '<mark class="g-targets" data-facts="2 1" data-starts="2">cd</mark>' in out
    assert '<mark class="g-citations" data-facts="1" data-starts="1">ab</mark>' in out
    assert "&lt;&gt;</mark>" in out
    # Spans outside the text are ignored rather than breaking the page.
    assert source_html("abc", [(2, 9, "tasks", "1")]) == "abc"


def test_compare_serves_the_cli_comparison_with_spans(client, corpus_store):
    from kehoach.compare.compare import compare_programmes, load_records
    from kehoach.ingest.pipeline import extract_plan

    body = client.get("/api/compare", params=[("programme", "208"), ("programme", "1520"), ("section", "targets")]).json()
    assert body["kind"] == "programmes" and body["rows"]
    direct = compare_programmes("208", "1520", load_records([CORPUS / f"{LAO_CAI}.txt", CORPUS / f"{LAI_CHAU}.txt"]), ("targets",))
    assert len(body["rows"]) == len(direct["rows"])
    originals = {pid: extract_plan(CORPUS / f"{pid}.txt").original_text for pid in (LAO_CAI, LAI_CHAU)}
    checked = 0

    def spans(node):
        if isinstance(node, dict):
            if {"plan", "start", "end", "quote"} <= node.keys():
                yield node
            for value in node.values():
                yield from spans(value)
        elif isinstance(node, list):
            for value in node:
                yield from spans(value)

    for span in spans(body["rows"]):
        assert originals[span["plan"]][span["start"] : span["end"]] == span["quote"]
        checked += 1
    assert checked >= len(body["rows"])


def test_compare_errors(client):
    assert client.get("/api/compare", params=[("section", "nonsense")]).status_code == 422
    assert client.get("/api/compare", params=[("plan", LAO_CAI)]).status_code == 422
    assert client.get("/api/compare", params=[("plan", LAO_CAI), ("plan", "no-such-plan")]).status_code == 404
    assert client.get("/api/compare", params=[("plan", LAO_CAI), ("plan", "x" * 5000)]).status_code == 422
    assert client.get("/api/compare", params=[("programme", "208"), ("programme", "208")]).status_code == 422


def test_ocr_plan_page_shows_the_restored_text_with_a_marker(client, corpus_store):
    """The corpus store is ingested with --no-repair; a repaired plan shows its restored text."""
    import subprocess
    import sys

    directory = corpus_store.parent / "repaired-store"
    subprocess.run(
        [sys.executable, "-m", "kehoach", "ingest", str(CORPUS / f"{LAO_CAI}.txt"), "--store", str(directory), "--no-search"],
        check=True, capture_output=True, timeout=300,
    )
    with TestClient(create_app(settings_for(directory))) as repaired_client:
        page = repaired_client.get(f"/plans/{LAO_CAI}").text
    assert "Văn bản đã phục hồi dấu" in page and "Machine-restored" in page
    assert "Đẩy mạnh các hoạt động phục vụ học tập suốt đời" in html.unescape(page)
    plain = client.get(f"/plans/{LAI_CHAU}").text
    assert "Văn bản đã phục hồi dấu" not in plain


def test_a_plan_without_an_issue_date_is_kept_only_by_ranges_it_is_certainly_in(tmp_path, records):
    """Hưng Yên's header gives no date; it cites 1520/QĐ-TTg (2022), so it is "≥ 2022":
    `/api/plans?year=2022-` keeps it (as `kehoach search --year 2022-` does), a closed range
    or a single year does not (its year could lie outside), and the list says the bound."""
    from kehoach.graph.store import PlanStore
    from kehoach.graph.to_rdf import record_to_quads

    store = PlanStore(tmp_path)
    for plan in ("hung-yen-2023-kh-ubnd", LAI_CHAU):
        store.replace_plan(plan, record_to_quads(records[plan]))
    del store  # the app opens the store itself
    with TestClient(create_app(settings_for(tmp_path))) as client:
        listed = {p["id"]: p for p in client.get("/api/plans").json()["items"]}
        assert listed["hung-yen-2023-kh-ubnd"]["year"] is None and listed["hung-yen-2023-kh-ubnd"]["year_not_before"] == 2022
        assert listed[LAI_CHAU]["year"] == 2015 and listed[LAI_CHAU]["year_not_before"] is None

        def ids(year):
            return {p["id"] for p in client.get("/api/plans", params={"year": year}).json()["items"]}

        assert ids("2022-") == ids("2020-") == {"hung-yen-2023-kh-ubnd"}
        assert ids("2023-") == set()  # it could be from 2022
        assert ids("2022-2025") == ids("2022") == set()
        assert ids("-2025") == {LAI_CHAU}
        assert ids("2010-") == {"hung-yen-2023-kh-ubnd", LAI_CHAU}

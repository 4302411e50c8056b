"""The search and SPARQL pages in a real headless Debian Chromium (selenium + chromedriver).

Chromium comes from Debian's packages (apt-get install chromium chromium-driver, done by
.ci/run); the test is skipped with the reason when they are absent, never downloads one.
Screenshots land in $KEHOACH_SCREENSHOTS (default: the test's tmp dir) for a person to see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from api_support import live_server, make_store, settings_for

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
        reason="Debian chromium/chromium-driver not installed (apt-get install -y chromium chromium-driver)",
    ),
]


class FakeHit:
    def __init__(self, **data):
        self.data = data

    def to_json(self):
        return self.data


class FakeSearch:
    """Stands in for kehoach.search's engine so the page test needs no embedding model."""

    def search(self, query, k=10, **filters):
        self.last = (query, filters)
        if filters.get("year") == "2030-":  # no plan from then
            return []
        text = "Phấn đấu đến năm 2025, 100% thư viện cấp tỉnh cung cấp dịch vụ học tập suốt đời."
        return [
            FakeHit(text=text, score=0.91, plan="lao-cai-2023-251-kh-ubnd", province="Lào Cai", province_code="10", year=2023,
                    programme="1520/QĐ-TTg", programmes=["1520/QĐ-TTg"], iri="urn:x", span={"start": 0, "end": 10, "quote": "x"},
                    section="II. Mục tiêu", kind="bullet", scores={}),
            FakeHit(text="Thư viện tỉnh hoạt động theo mô hình thư viện điện tử.", score=0.5, plan="hung-yen-2023-kh-ubnd",
                    province="Hưng Yên", province_code="33", year=None, year_not_before=2022, programme="1520/QĐ-TTg",
                    programmes=["1520/QĐ-TTg"], iri="urn:y", span={"start": 5, "end": 9, "quote": "y"}, section="II.", kind="bullet", scores={}),
        ][:k]

    def unmatched_filters(self, year=None, **filters):
        return [f"no passage matches year {year!r} (this index has: 2023)"] if year == "2030-" else []


FAKE_SEARCH = FakeSearch()


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=vi"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from kehoach.api.app import create_app

    directory = make_store(tmp_path_factory.mktemp("store"))
    settings = settings_for(directory)
    app = create_app(settings)
    app.state.search_engine = FAKE_SEARCH
    with live_server(settings, app) as base:
        yield base


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KEHOACH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for(driver, condition, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_sparql_page_runs_a_query_and_shows_a_table(driver, server, shots):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/sparql")
    assert "SPARQL" in driver.title
    highlighted = driver.find_elements(By.CSS_SELECTOR, "#highlight .tok-kw")
    assert any(el.text == "PREFIX" for el in highlighted), "the editor layer highlights keywords"
    editor = driver.find_element(By.ID, "query")
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
        editor,
        "SELECT ?s ?label WHERE { ?s <http://example.org/label> ?label } ORDER BY ?label",
    )
    driver.find_element(By.ID, "run").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#results table tbody tr"))
    cells = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#results td")]
    assert any("Thư viện tỉnh Lào Cai" in c for c in cells)
    assert driver.find_element(By.ID, "download-csv").is_enabled()
    assert "dòng" in driver.find_element(By.ID, "status").text
    driver.save_screenshot(str(shots / "sparql.png"))

    # A refused query shows the server's message, not a blank page.
    driver.execute_script(
        "arguments[0].value = 'SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }';", editor
    )
    driver.find_element(By.ID, "run").click()
    wait_for(driver, lambda d: "403" in d.find_element(By.ID, "status").text)
    assert "SERVICE" in driver.find_element(By.ID, "status").text


def test_sparql_gallery_loads_an_example(driver, server):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/sparql")
    examples = driver.find_elements(By.CSS_SELECTOR, "button.example")
    assert examples
    examples[-1].click()
    wait_for(driver, lambda d: "dòng" in d.find_element(By.ID, "status").text or "error" in d.find_element(By.ID, "status").get_attribute("class"))
    assert "error" not in driver.find_element(By.ID, "status").get_attribute("class")


def test_search_page_shows_highlighted_hits(driver, server, shots):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/")
    box = driver.find_element(By.ID, "q")
    box.send_keys("thu vien cap tinh")  # without diacritics: highlighting folds them
    driver.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#hits li"))
    marked = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#hits mark.term")]
    assert "thư" in marked and "viện" in marked and "tỉnh" in marked
    link = driver.find_element(By.CSS_SELECTOR, "#hits .hit-meta a")
    assert link.get_attribute("href").endswith("/plans/lao-cai-2023-251-kh-ubnd?hl=0-10")
    assert "Lào Cai" in driver.find_element(By.CSS_SELECTOR, "#hits .hit-meta").text
    metas = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#hits .hit-meta")]
    assert "Lào Cai · 2023" in metas[0] and "Hưng Yên · ≥ 2022" in metas[1]  # a plan without an issue date
    assert "q=thu+vien+cap+tinh" in driver.current_url
    driver.save_screenshot(str(shots / "search.png"))


def test_search_page_can_ask_for_one_passage_per_plan(driver, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{server}/?q=thư viện cấp tỉnh")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#hits li"))
    assert FAKE_SEARCH.last[1]["per_plan"] is None
    Select(driver.find_element(By.ID, "per_plan")).select_by_value("1")
    driver.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    wait_for(driver, lambda d: "per_plan=1" in d.current_url)
    wait_for(driver, lambda d: FAKE_SEARCH.last[1]["per_plan"] == 1)  # the API got it, as a number
    driver.get(driver.current_url)  # a shared link keeps the choice
    assert Select(driver.find_element(By.ID, "per_plan")).first_selected_option.get_attribute("value") == "1"


def test_search_page_says_which_filter_found_nothing(driver, server):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/?q=thư viện&year=2030-")
    wait_for(driver, lambda d: "Không tìm thấy" in d.find_element(By.ID, "status").text)
    assert "no passage matches year '2030-' (this index has: 2023)" in driver.find_element(By.ID, "status").text
    assert not driver.find_elements(By.CSS_SELECTOR, "#hits li")


def test_search_page_reports_a_missing_index(driver, tmp_path_factory):
    from selenium.webdriver.common.by import By

    directory = make_store(tmp_path_factory.mktemp("no-index"))
    with live_server(settings_for(directory)) as base:
        driver.get(f"{base}/?q=thư viện")
        wait_for(driver, lambda d: "search index" in d.find_element(By.ID, "status").text)

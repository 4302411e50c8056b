"""The HTML report renders with its charts (checked as an image in headless chromium), and the
`kehoach compare` CLI speaks table, JSON, CSV, HTML and PNG."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kehoach.cli import main
from kehoach.compare.compare import compare_programmes, compare_provinces
from kehoach.compare.report import render_html

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def html(records):
    recs = list(records.values())
    comparison = compare_programmes("208", "1520", recs, sections=("targets", "themes", "agencies"))
    provinces = compare_provinces("1520", recs, ["thu-vien-cap-huyen", "thu-vien-cap-xa"], [2025, 2030])
    return render_html(comparison, provinces)


def test_report_embeds_its_charts_as_png(html):
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3  # targets by province, rows per status, themes
    for data in images:
        png = base64.b64decode(data)
        assert png.startswith(PNG_MAGIC) and len(png) > 5000


def test_report_links_to_plan_pages_and_escapes_text(html):
    assert 'href="/plans/lai-chau-2015-1133-kh-ubnd"' in html
    assert re.search(r'href="/plans/ninh-binh-2023-kh-ubnd#\d+-\d+"', html)
    assert "skos:closeMatch" in html
    assert "<script" not in html


def _blank(png_path: Path) -> bool:
    """True when the screenshot is one flat colour (nothing rendered)."""
    from matplotlib.image import imread

    pixels = imread(str(png_path))
    return float(pixels[..., :3].std()) < 0.01


@pytest.mark.browser
def test_report_renders_in_chromium(html, tmp_path):
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    page = tmp_path / "report.html"
    page.write_text(html, "utf-8")
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2000",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120,
    )
    assert done.returncode == 0 and shot.is_file(), done.stderr[-500:]
    assert shot.read_bytes().startswith(PNG_MAGIC)
    assert not _blank(shot)
    # The charts occupy the top of the page: the upper half is not just text on white.
    from matplotlib.image import imread

    top = imread(str(shot))[300:1000, :, :3]
    coloured = ((top.max(axis=2) - top.min(axis=2)) > 0.2).mean()
    assert coloured > 0.005, "no coloured chart pixels in the rendered report"


# --- CLI ---------------------------------------------------------------------------------
SECTIONS = ["--section", "targets", "--section", "agencies"]


def _run(*args):
    result = CliRunner().invoke(main, ["compare", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_table():
    out = _run(*SECTIONS)
    assert "A = 208/QĐ-TTg: lai-chau-2015-1133-kh-ubnd" in out
    assert "== targets" in out and "== agencies" in out
    assert "lai-chau-2015-:" in out


def test_cli_json_rows_carry_both_sides_spans(records):
    data = json.loads(_run("--plan", "lai-chau", "--plan", "ninh-binh", "--format", "json", *SECTIONS))
    assert data["kind"] == "plans" and data["sections"] == ["targets", "agencies"]
    both = [r for r in data["rows"] if r["a"] and r["b"]]
    assert both
    for row in data["rows"]:
        for side in ("a", "b"):
            for e in row[side]:
                assert records[e["plan"]].original_text[e["start"] : e["end"]] == e["quote"]


def test_cli_csv():
    rows = list(csv.DictReader(io.StringIO(_run("--format", "csv", *SECTIONS))))
    assert rows and set(rows[0]) >= {"section", "status", "key", "a_spans", "b_spans", "a_quote", "b_quote"}
    spans = [r["a_spans"] for r in rows if r["a_spans"]]
    assert spans and all(re.fullmatch(r"([a-z0-9-]+:\d+-\d+)(; [a-z0-9-]+:\d+-\d+)*", s) for s in spans)


def test_cli_html_and_png_files(tmp_path):
    page = tmp_path / "c.html"
    _run("--format", "html", "--output", str(page), *SECTIONS)
    assert page.read_text("utf-8").count("data:image/png;base64,") >= 2
    chart = tmp_path / "c.png"
    _run("--format", "png", "--institution", "thu-vien-cap-huyen", "--year", "2025", "--output", str(chart), *SECTIONS)
    assert chart.read_bytes().startswith(PNG_MAGIC)


def test_cli_refuses_bad_arguments():
    runner = CliRunner()
    for args in (["--plan", "lai-chau"], ["--plan", "a", "--plan", "b", "--programme", "208"], ["--plan", "nowhere", "--plan", "ninh-binh"], ["--format", "png"],
                 ["--plan", "lai-chau", "--plan", "lai-chau"], ["--programme", "208", "--programme", "208"], ["--store", "/nowhere/store"],
                 ["--format", "png", "-o", "x.png", "--institution", "nope"], ["--institution", "thu-vien-cap-huyen"]):
        result = runner.invoke(main, ["compare", *args, *SECTIONS])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_cli_compares_the_plans_of_a_store(corpus_paths, tmp_path):
    """--store: the plans a store holds (what /api/compare reads), not the bundled files."""
    store = tmp_path / "store"
    files = [str(corpus_paths[p]) for p in ("lai-chau-2015-1133-kh-ubnd", "ninh-binh-2023-kh-ubnd")]
    ingested = CliRunner().invoke(main, ["ingest", "--no-search", "--store", str(store), *files])
    assert ingested.exit_code == 0, ingested.output
    data = json.loads(_run("--store", str(store), "--plan", "lai-chau", "--plan", "ninh-binh", "--format", "json", *SECTIONS))
    assert data["kind"] == "plans" and any(r["a"] and r["b"] for r in data["rows"])
    only_two = CliRunner().invoke(main, ["compare", "--store", str(store), "--plan", "lai-chau", "--plan", "lao-cai", *SECTIONS])
    assert only_two.exit_code == 2 and "lao-cai" in only_two.output  # the store holds two plans, not the bundled five


def test_eval_compare_is_registered():
    result = CliRunner().invoke(main, ["eval", "compare", "--help"])
    assert result.exit_code == 0 and "status" in result.output.lower()


@pytest.mark.slow
def test_eval_compare_prints_statuses_pairs_and_agreement(tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_CACHE", str(tmp_path))
    result = CliRunner().invoke(main, ["eval", "compare", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert set(data) == {"alignments", "pairs", "agreement"}
    assert all("fitted_on_others" in a for a in data["alignments"]["alignments"].values())
    empty = tmp_path / "none"
    empty.mkdir()
    refused = CliRunner().invoke(main, ["eval", "compare", "--alignments", str(empty)])
    assert refused.exit_code == 2 and "no hand alignments" in refused.output

"""`kehoach serve`: options reach the app's settings; the server runs for real in bench/tests."""

from __future__ import annotations

from click.testing import CliRunner

from kehoach.cli import main


def test_serve_passes_operator_limits_to_the_app(monkeypatch, tmp_path):
    seen = {}

    def fake_run(app, host, port, **kwargs):
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("KEHOACH_QUERY_TIMEOUT", raising=False)
    result = CliRunner().invoke(
        main, ["serve", "--store", str(tmp_path), "--port", "8123", "--query-timeout", "3.5", "--row-limit", "77", "--rate", "0"]
    )
    assert result.exit_code == 0, result.output
    settings = seen["app"].state.settings
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    assert settings.query_timeout == 3.5 and settings.row_limit == 77 and settings.rate_per_second == 0
    assert settings.store_dir == tmp_path
    assert "no store" in result.output  # warns that /sparql will answer 503 until ingest


def test_serve_reads_the_environment(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr("uvicorn.run", lambda app, host, port, **kw: seen.update(app=app))
    monkeypatch.setenv("KEHOACH_QUERY_TIMEOUT", "4")
    monkeypatch.setenv("KEHOACH_STORE", str(tmp_path))
    assert CliRunner().invoke(main, ["serve"]).exit_code == 0
    assert seen["app"].state.settings.query_timeout == 4.0
    assert seen["app"].state.settings.store_dir == tmp_path


def test_serve_rejects_a_bad_timeout():
    result = CliRunner().invoke(main, ["serve", "--query-timeout", "0"])
    assert result.exit_code != 0 and "query-timeout" in result.output

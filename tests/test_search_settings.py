"""Ranking settings stored with an index (search/settings.py, `kehoach search-settings`):
parsing, what an engine opened on the index ranks with, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from search_support import HashEmbedder

from kehoach.graph.store import read_generation
from kehoach.search import settings
from kehoach.search.engine import SearchEngine

PLAN = "ninh-binh-2023-kh-ubnd"
KEHOACH = [sys.executable, "-m", "kehoach"]


@pytest.fixture()
def store(tmp_path, records):
    engine = SearchEngine.open(tmp_path, embedder=HashEmbedder())
    engine.index_records([records[PLAN]])
    engine.close()
    return tmp_path


def manifest(store):
    return json.loads((store / "search" / "manifest.json").read_text())


def write_ranking(store, ranking):
    data = manifest(store)
    data["ranking"] = ranking
    (store / "search" / "manifest.json").write_text(json.dumps(data))


@pytest.mark.parametrize(
    "text, message",
    [
        ("weight.vi=1.5", "between 0 and 1"),
        ("province_boost=-1", "between 0 and 5"),
        ("weight.vi=abc", "must be a number"),
        ("english_vector_text=french", "original, translated, both"),
        ("expand_queries=foreign", "kinds among vi, vi-folded"),
        ("weights.vi=0.5", "unknown ranking setting"),
        ("weight.vi", "expected KEY=VALUE"),
    ],
)
def test_bad_assignments_say_what_is_allowed(text, message):
    with pytest.raises(ValueError, match=message):
        settings.parse_assignment(text)


def test_good_assignments_are_normalised():
    assert settings.parse_assignment(" weight.vi = 0.55 ") == ("weight.vi", 0.55)
    assert settings.parse_assignment("expand_queries=vi-folded,vi") == ("expand_queries", "vi,vi-folded")
    assert settings.parse_assignment("expand_queries=") == ("expand_queries", "")


def test_the_procedures_pick_becomes_a_command_with_only_the_changes():
    shipped_now = settings.shipped()
    choice = {
        "boost": 1.0,
        "target_boost": 0.5,
        "weights": {"vi": shipped_now["weight.vi"], "vi-folded": shipped_now["weight.vi-folded"], "foreign": 0.25},
        "aids": {"foreign": "en-vector-both", "vi": "skos-expansion", "vi-folded": "none"},
        "agency_boosts": {"vi": 0.0, "vi-folded": 0.0, "foreign": 0.0},
    }
    values = settings.from_procedure(choice)
    assert values["english_vector_text"] == "both" and values["expand_queries"] == "vi"
    shipped = settings.shipped()
    changed = settings.changes(values)
    assert set(changed) <= set(shipped) and all(shipped[k] != v for k, v in changed.items())
    assert "weight.foreign" in changed and "weight.vi" not in changed
    command = settings.command(values, "data/store")
    assert command.startswith("kehoach search-settings --store data/store --set ")
    assert "--set weight.foreign=0.25" in command and "weight.vi=" not in command
    assert settings.command(settings.shipped()).startswith("(the shipped settings")


def test_an_engine_ranks_with_the_settings_stored_in_its_index(store):
    query = "thư viện cấp huyện đến năm 2025"
    with SearchEngine.open(store, embedder=HashEmbedder()) as engine:
        assert engine.weights["vi"] == settings.shipped()["weight.vi"]
        before = engine.search(query, k=5)
    write_ranking(store, {"weight.vi": 1.0, "target_boost": 0.0, "english_vector_text": "both"})
    with SearchEngine.open(store, embedder=HashEmbedder()) as engine:
        assert engine.weights["vi"] == 1.0 and engine.target_boost == 0.0 and engine.foreign_vector_text == "both"
        after = engine.search(query, k=5)
        vector_only = engine.search(query, k=5, mode="vector")
    assert [h.iri for h in after] == [h.iri for h in vector_only]  # weight 1: the vector ranking alone
    assert [h.score for h in after] != [h.score for h in before]


def test_reindexing_keeps_the_stored_settings(store, records):
    write_ranking(store, {"weight.vi": 0.7})
    with SearchEngine.open(store, embedder=HashEmbedder()) as engine:
        engine.index_records([records[PLAN]])
    assert manifest(store)["ranking"] == {"weight.vi": 0.7}


def test_a_bad_value_in_the_manifest_is_a_clear_error(store):
    write_ranking(store, {"weight.vi": 3})
    with pytest.raises(ValueError, match="ranking settings of the search index.*weight.vi must be between 0 and 1"):
        SearchEngine.open(store, embedder=HashEmbedder())


def run(*args):
    return subprocess.run([*KEHOACH, *args], capture_output=True, text=True, timeout=120)


def test_cli_sets_shows_refuses_and_resets(store):
    shown = run("search-settings", "--store", str(store), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == {"settings": settings.shipped(), "stored": {}}

    done = run("search-settings", "--store", str(store), "--set", "weight.vi=0.55", "--set", "english_vector_text=both")
    assert done.returncode == 0, done.stderr
    assert manifest(store)["ranking"] == {"weight.vi": 0.55, "english_vector_text": "both"}
    assert "0.55" in done.stdout and "stored with the index" in done.stdout

    generation = read_generation(store)
    assert generation is not None  # the set above told a running server to reopen the index
    refused = run("search-settings", "--store", str(store), "--set", "weight.foreign=0.3", "--set", "weight.vi=7")
    assert refused.returncode == 2 and "weight.vi must be between 0 and 1" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert manifest(store)["ranking"] == {"weight.vi": 0.55, "english_vector_text": "both"}  # nothing written
    assert read_generation(store) == generation

    same = run("search-settings", "--store", str(store), "--set", f"weight.foreign={settings.shipped()['weight.foreign']}")
    assert same.returncode == 0 and "weight.foreign" not in manifest(store)["ranking"]  # a shipped value is not stored

    reset = run("search-settings", "--store", str(store), "--reset")
    assert reset.returncode == 0 and manifest(store)["ranking"] == {}


def test_cli_without_an_index_says_how_to_make_one(tmp_path):
    proc = run("search-settings", "--store", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and "no search index" in proc.stderr and "kehoach ingest" in proc.stderr


@pytest.mark.parametrize("same_model", [True, False])
def test_a_rebuild_keeps_the_settings_of_the_same_model_only(store, corpus_paths, monkeypatch, same_model):
    from click.testing import CliRunner

    import kehoach.search.engine as engine_module
    from kehoach.search.cli import index_command

    write_ranking(store, {"weight.vi": 0.7})
    rebuilt_with = HashEmbedder() if same_model else HashEmbedder(name="test/other")
    monkeypatch.setattr(engine_module, "make_embedder", lambda spec: rebuilt_with)
    plan_file = corpus_paths[PLAN]
    result = CliRunner().invoke(index_command, ["--rebuild", "--store", str(store), str(plan_file)])
    assert result.exit_code == 0, result.output
    assert manifest(store)["model_id"] == rebuilt_with.model_id
    if same_model:
        assert manifest(store)["ranking"] == {"weight.vi": 0.7}
    else:
        assert manifest(store)["ranking"] == {} and "ranking settings dropped" in result.output

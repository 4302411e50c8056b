"""Quality on the hand-restored Lào Cai lines (tests/gold/repair), and no change to clean plans."""

from __future__ import annotations

import pytest

from kehoach.ingest.repair.evaluate import GOLD_PLAN, clean_document_changes, evaluate_ocr_gold, load_gold, words
from kehoach.ingest.repair.model import load_model
from kehoach.ingest.repair.sources import corpus_plans

# Measured 97.0% (kehoach eval repair); the target is 97%. The test guards the
# level reached (less a few words of slack), so a regression fails it.
OCR_GOLD_MIN = 0.965


def test_gold_set_is_large_enough_and_matches_the_corpus():
    rows = load_gold()
    assert len(rows) >= 80
    assert sum(len(words(g)) for _, _, g in rows) > 1000


def test_gold_plan_never_trains_the_model():
    assert not any(GOLD_PLAN in s for s in load_model().sources)
    assert GOLD_PLAN not in corpus_plans()


def test_word_accuracy_on_ocr_gold():
    score = evaluate_ocr_gold()
    assert score.accuracy >= OCR_GOLD_MIN, score.errors[:30]


def test_clean_plans_are_not_changed():
    for pid, text in corpus_plans().items():
        gated, _ = clean_document_changes(text)
        assert gated == 0, pid


def test_word_comparison_accepts_listed_readings():
    from kehoach.ingest.repair.evaluate import Score

    s = Score()
    s.add("{Hằng|Hàng} năm, văn hoá", "Hàng năm, văn hóa")
    assert s.accuracy == 1.0
    s.add("tổ chức", "to chuc")
    assert s.correct == 4 and s.total == 6


@pytest.mark.slow
def test_shipped_model_is_rebuilt_byte_for_byte(tmp_path):
    from kehoach.ingest.repair.model import MODEL_PATH, build_model, save_model

    rebuilt = save_model(build_model(), tmp_path / "model.json.gz")
    assert rebuilt.read_bytes() == MODEL_PATH.read_bytes()


@pytest.mark.slow
def test_held_out_stripped_plan_accuracy():
    from kehoach.ingest.repair.evaluate import evaluate_stripped

    pid = "lai-chau-2015-1133-kh-ubnd"
    score = evaluate_stripped(pid, corpus_plans()[pid])
    assert score.accuracy >= 0.96, score.errors[:30]

"""Detection: clean plans are never repaired; OCR and stripped text are."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehoach.ingest.repair.detect import diacritic_score, line_scores, needs_repair
from kehoach.ingest.vietnamese import fold

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CLEAN = ["hung-yen-2023-kh-ubnd", "khanh-hoa-2023-kh-svhtt", "lai-chau-2015-1133-kh-ubnd", "ninh-binh-2023-kh-ubnd"]
OCR = "lao-cai-2023-251-kh-ubnd"


def _text(pid: str) -> str:
    return (CORPUS / f"{pid}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("pid", CLEAN)
def test_clean_plans_score_high_and_need_no_repair(pid):
    text = _text(pid)
    assert diacritic_score(text) > 0.8
    assert not needs_repair(text)


@pytest.mark.parametrize("pid", CLEAN)
def test_stripped_plans_need_repair(pid):
    assert needs_repair(fold(_text(pid)))
    assert diacritic_score(fold(_text(pid))) == 0.0


def test_ocr_plan_needs_repair_on_almost_every_line():
    text = _text(OCR)
    assert needs_repair(text)
    assert diacritic_score(text) < 0.15
    scored = [ls for ls in line_scores(text) if ls.words >= 3]
    assert sum(ls.score < 0.45 for ls in scored) / len(scored) > 0.95


def test_line_scores_cover_each_line():
    text = "Đẩy mạnh các hoạt động học tập\nDay manh cac hoat dong hoc tap\n"
    scores = line_scores(text)
    assert [text[s.start:s.end] for s in scores] == text.split("\n")
    assert scores[0].score == 1.0 and scores[1].score == 0.0


def test_short_or_empty_text_is_left_alone():
    assert not needs_repair("UBND")
    assert not needs_repair("")

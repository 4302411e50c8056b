"""The blind held-out gold stays intact and the scorer's rules behave as documented.

The texts, gold and concept map in tests/gold/heldout-blind/ were frozen before the extractor was
first run on them; if their hashes change, the set is no longer blind and the README figures no
longer apply.
"""

import hashlib
import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold" / "heldout-blind"


def _scorer():
    spec = importlib.util.spec_from_file_location("eval_heldout_blind", ROOT / "benchmarks" / "eval_heldout_blind.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_frozen_files_unchanged():
    for line in (GOLD_DIR / "SHA256SUMS.before-first-run").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((GOLD_DIR / name).read_bytes()).hexdigest() == digest, name


def test_every_gold_quote_is_in_its_text():
    for gold_path in GOLD_DIR.glob("*.gold.json"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (GOLD_DIR / gold["file"]).read_text(encoding="utf-8")
        assert 40 <= len(text.splitlines()) <= 120
        for fact in gold["targets"] + gold["responsibilities"]:
            assert text.count(fact["quote"]) > fact.get("occurrence", 0), fact["quote"]


def test_concept_map_covers_gold_words_with_real_scheme_keys():
    schemes = (ROOT / "ontology" / "schemes.ttl").read_text(encoding="utf-8")
    keys = set(re.findall(r"^(?:it|tm):([\w-]+) a skos:Concept", schemes, flags=re.M))
    cmap = json.loads((GOLD_DIR / "concept_map.json").read_text(encoding="utf-8"))
    for gold_path in GOLD_DIR.glob("*.gold.json"):
        for t in json.loads(gold_path.read_text(encoding="utf-8"))["targets"]:
            if t["subject"]:
                assert set(cmap["subject"][t["subject"]]) <= keys
            assert set(cmap["metric"][t["metric"]]) <= keys


def test_scorer_rules():
    s = _scorer()
    assert s.norm_unit("%/năm") == s.norm_unit("phan-tram-moi-nam") == "%/nam"
    assert s.norm_unit("%") == "%" and s.norm_unit("lượt bạn đọc") == "luot"
    assert s.deadline_ok("trước ngày 15/12 hằng năm", {"text": "trước ngày 15/12"})
    assert not s.deadline_ok("trước ngày 15/12 hằng năm", None)
    assert s.same_value(66.67, 66.6667) and not s.same_value(60, 65)
    assert s.norm_agency("Ủy ban MTTQ tỉnh", None) == s.norm_agency("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", None)
    assert s.norm_agency("Tỉnh đoàn Tuyên Quang", "Tuyên Quang") == s.norm_agency("Tỉnh đoàn", "Tuyên Quang")
    assert s.is_generic("các sở, ngành liên quan") and not s.is_generic("các tổ chức chính trị - xã hội tỉnh")
    assert s.prf(1, 2, 4)["f1"] == round(2 * 0.5 * 0.25 / 0.75, 3)

"""The offline texts the repair model is built from, each a function returning text.

Why these: the clean corpus plans are in-domain (the same programmes, agencies and
phrases); underthesea ships the Viet74K word list (every Vietnamese syllable and most
compound words) and, inside its POS-tagger package, about 97,000 words of running
VLSP 2013 text (news and legal prose); vietnamadminunits ships province and district
names. The OCR'd plans are never used: detection keeps them out, and the evaluation
holds each clean plan out in turn.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"


def _package_dir(name: str) -> Path:
    """A package's folder, found without importing it (importing underthesea costs seconds)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"package {name} is not installed")
    return Path(spec.origin).resolve().parent


def _underthesea_dir() -> Path:
    return _package_dir("underthesea")


def viet74k_words() -> list[str]:
    """underthesea's bundled Viet74K list: one word (one or more syllables) per line."""
    path = _underthesea_dir() / "corpus" / "data" / "Viet74K.txt"
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]


def vlsp2013_sentences() -> Iterator[str]:
    """Running text of the VLSP 2013 test set, from the tagged output underthesea ships."""
    path = _underthesea_dir() / "pipeline" / "pos_tag" / "models" / "pos_crf_vlsp2013_20230303" / "test_output.txt"
    if not path.exists():
        return
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield " ".join(words)
            words = []
            continue
        words.append(line.split("\t")[0])
    if words:
        yield " ".join(words)


def admin_unit_names() -> list[str]:
    """Province and district names (before and after the 2025 merger) from vietnamadminunits."""
    db = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    names: set[str] = set()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for (p, d, ps, ds) in conn.execute("select distinct province, district, provinceShort, districtShort from admin_units_legacy"):
            names.update(x for x in (p, d, ps, ds) if x)
        for (p, ps) in conn.execute("select distinct province, provinceShort from admin_units"):
            names.update(x for x in (p, ps) if x)
    return sorted(names)


def place_names() -> list[str]:
    """Short names of provinces, districts and communes, once per unit that bears them.

    For the name gazetteer (names.place_gazetteer), not for the language model: the
    repetition tells how many units share a spelling when two accentuations compete.
    """
    db = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    names: list[str] = []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names += [p for (p,) in conn.execute("select distinct provinceShort from admin_units_legacy") if p]
        for (d,) in conn.execute("select districtShort from (select distinct provinceShort, districtShort from admin_units_legacy)"):
            if d:
                names.append(d)
        for (w,) in conn.execute("select wardShort from (select distinct provinceShort, districtShort, wardShort from admin_units_legacy)"):
            if w:
                names.append(w)
        for (p,) in conn.execute("select distinct provinceShort from admin_units"):
            if p:
                names.append(p)
        for (w,) in conn.execute("select wardShort from (select distinct provinceShort, wardShort from admin_units)"):
            if w:
                names.append(w)
    return sorted(names)


def province_names() -> list[str]:
    """Short names of the provinces, before and after the 2025 merger."""
    db = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("select provinceShort from admin_units_legacy union select provinceShort from admin_units").fetchall()
    return sorted({p for (p,) in rows if p})


def corpus_plans(exclude: Iterable[str] = ()) -> dict[str, str]:
    """Clean plans of the corpus by id (file stem); documents that need repair are left out."""
    from .detect import needs_repair

    skip = set(exclude)
    plans = {}
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        if path.stem in skip:
            continue
        text = path.read_text(encoding="utf-8")
        if needs_repair(text):
            continue
        plans[path.stem] = text
    return plans

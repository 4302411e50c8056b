"""The repair model: a syllable trigram LM plus the indexes the decoder needs.

`build_model` derives everything from `sources` (deterministically, so the shipped
file can be rebuilt byte for byte by `python -m kehoach.ingest.repair.build`);
`load_model` reads the shipped file once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..vietnamese import fold
from . import sources
from .lm import NgramModel, train, unseen_rate
from .tokens import is_syllable_shaped, lm_units, split_line, syllable_key

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "repair-model.json.gz"
FORMAT = "kehoach-repair-2"
_VIETNAMESE_WORD = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+$")

END = "$"
RUNNING_TEXT = ("corpus:", "underthesea:vlsp2013")  # sources that are running prose, not lists
IN_DOMAIN_WEIGHT = 3
WORD_LIST_AS = "words"  # "words": each Viet74K entry is a sequence; "syllables": only its syllables


@dataclass
class RepairModel:
    lm: NgramModel
    abbreviations: dict[str, str]  # "QD" -> "QĐ": upper-case abbreviations whose Đ OCR loses
    sources: list[str]
    version: str
    names: dict = field(default_factory=dict)  # "places": key -> form; "surnames", "middle", "given": forms
    by_key: dict[str, list[int]] = field(default_factory=dict)  # key -> syllable ids
    trie: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_key:
            for i, w in enumerate(self.lm.vocab):
                if _VIETNAMESE_WORD.match(w) and is_syllable_shaped(w):
                    self.by_key.setdefault(syllable_key(w), []).append(i)
            for key in self.by_key:
                node = self.trie
                for ch in key:
                    node = node.setdefault(ch, {})
                node[END] = True

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "sources": self.sources,
            "abbreviations": dict(sorted(self.abbreviations.items())),
            "names": self.names,
            "lm": self.lm.to_json(),
        }


def training_texts(exclude_plans: Iterable[str] = ()) -> list[tuple[str, list[str]]]:
    """(source name, texts) for every source, in a fixed order."""
    plans = sources.corpus_plans(exclude=exclude_plans)
    return [
        *[(f"corpus:{pid}", [text]) for pid, text in plans.items()],
        ("underthesea:vlsp2013-test", list(sources.vlsp2013_sentences())),
        ("underthesea:Viet74K", sources.viet74k_words()),
        ("vietnamadminunits:names", sources.admin_unit_names()),
    ]


def _abbreviations(texts: Iterable[str]) -> dict[str, str]:
    seen: dict[str, Counter] = {}
    for text in texts:
        for line in text.split("\n"):
            for tok in split_line(line):
                w = tok.text
                if len(w) >= 2 and "Đ" in w and sum(c.isupper() for c in w) >= 2:
                    seen.setdefault(fold(w), Counter())[w] += 1
    out = {}
    for key, counts in seen.items():
        form, n = counts.most_common(1)[0]
        if n >= 2 and n >= 0.9 * sum(counts.values()):
            out[key] = form
    return out


def build_model(exclude_plans: Iterable[str] = (), word_list_as: str = WORD_LIST_AS) -> RepairModel:
    groups = training_texts(exclude_plans)
    if word_list_as == "syllables":
        # the word list gives the inventory of syllables, not their neighbours: its
        # compounds would otherwise weigh as much as running text in the n-gram counts
        groups = [
            (name, sorted({s for w in texts for s in w.lower().split()}) if name.endswith("Viet74K") else texts)
            for name, texts in groups
        ]
    sequences: list[list[str]] = []
    for name, texts in groups:
        # the plans are the only in-domain text: counted IN_DOMAIN_WEIGHT times
        repeat = IN_DOMAIN_WEIGHT if name.startswith("corpus:") else 1
        for text in texts:
            sequences.extend(lm_units(text) * repeat)
    prose = [seq for name, texts in groups if name.startswith(RUNNING_TEXT) for text in texts for seq in lm_units(text)]
    lm = train(sequences, unk_rate=round(unseen_rate(prose), 6))
    running = [t for name, texts in groups if not name.endswith("Viet74K") for t in texts]
    abbreviations = _abbreviations(running)
    names = [name for name, _ in groups]
    model = RepairModel(lm=lm, abbreviations={}, sources=[*names, "vietnamadminunits:places", "names:general"], version="", names=name_tables())
    # an all-caps syllable ("ĐÍCH" in a heading) is the decoder's job, not an abbreviation
    model.abbreviations = {k: v for k, v in abbreviations.items() if k.lower() not in model.by_key}
    model.version = _version(model)
    return model


def name_tables() -> dict:
    """The gazetteer the decoder uses for capitalised words (see names.py)."""
    from . import names

    return {
        "places": names.place_gazetteer(sources.place_names()),
        "provinces": sources.province_names(),
        "surnames": names.SURNAMES,
        "middle": names.MIDDLE_NAMES,
        "given": names.GIVEN_NAMES,
    }


def _version(model: RepairModel) -> str:
    blob = json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True).encode()
    return f"syl3kn-{hashlib.sha256(blob).hexdigest()[:12]}"


def save_model(model: RepairModel, path: Path = MODEL_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = model.to_json()
    data["version"] = model.version
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    with open(path, "wb") as fh:
        # mtime=0 and no file name: the same sources give the same bytes
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(blob)
    return path


def read_model(path: Path) -> RepairModel:
    with gzip.open(path, "rb") as fh:
        data = json.loads(fh.read().decode())
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} model file")
    return RepairModel(
        lm=NgramModel.from_json(data["lm"]),
        abbreviations=data["abbreviations"],
        names=data.get("names", {}),
        sources=data["sources"],
        version=data["version"],
    )


@lru_cache(maxsize=1)
def load_model() -> RepairModel:
    """The shipped model; built and cached on first use if the file is missing."""
    if not MODEL_PATH.exists():
        save_model(build_model())
    return read_model(MODEL_PATH)

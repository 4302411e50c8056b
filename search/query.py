"""Reading a query before searching: which language, and its diacritics restored if lost.

- Vietnamese typed without tone marks ("thu vien xa") is common. Keyword search folds
  diacritics anyway, but the e5 embedder reads "thu vien" as noise: on the question set,
  vector search on unaccented questions found almost nothing. So the text given to the
  embedder is first restored with the ingest repair model (the noisy-channel restorer
  built for the OCR plan, ingest/repair); keyword search keeps the folded original.
- The fusion weight depends on the kind of query ("vi", "vi-folded", "foreign"): the
  embedder is less reliable on restored text than on text typed with diacritics.
- A query whose words are mostly not Vietnamese syllables, or that holds English
  function words ("which", "of", "for"), is read as English: BM25 gets a Vietnamese
  rendering of its content words (search/bilingual.py: the ontology's bilingual SKOS
  labels plus a domain glossary) instead of the English words, which would otherwise
  fold into unrelated Vietnamese syllables ("to" = tổ). The embedder, multilingual,
  reads the English as typed. The fusion weight for this kind is cross-validated too.
- A query asking how a plan is organised ("được chia thành những nhóm nhiệm vụ nào?",
  "how many groups of tasks does it set out?") is answered by headings, which only a
  section's outline passage quotes (search/passages.py): `asks_about_structure` tells
  the engine to show outlines, which it otherwise leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from kehoach.ingest.vietnamese import fold, fold_lower

_WORD = re.compile(r"[^\W\d_]+")
VIETNAMESE_SHARE = 0.7  # share of words that must be Vietnamese syllables to call a query Vietnamese
ENGLISH_FUNCTION_WORDS = 2  # this many English function words that are not Vietnamese syllables -> English
ACCENTED_FOREIGN_SHARE = 0.5  # a query with diacritics is English only if under half its words are syllables


# How a question asks for the parts of a plan or a section, matched on the folded, lower-case
# text: a structural part ("phần", "đầu mục", "mảng", sections, headings) asked for with
# "nào/gì/which" or counted; a group *of tasks, solutions, activities* (a group alone is
# as often a group of people: "which groups is the museum meant to draw in?", a false alarm
# of a looser first version on held-out set 14); a verb of dividing "into"; words naming
# the layout. Written from the six structure questions of the first 1,087 and checked
# against all the other questions for false alarms ("bao nhiêu phần trăm", "những phần
# việc gì", "những chương trình nào", "kinh phí chia cho", "các nhóm sở thích").
_PARTS = r"(?:phan(?! viec| tram)|dau muc|hang muc|chuong(?! trinh)|muc lon|mang)"
_CONTENT = r"(?:nhiem vu|giai phap|noi dung|cong viec|hoat dong|linh vuc|viec)"
_CONTENT_EN = r"(?:tasks|solutions|measures|activities|actions|duties|work|objectives)"
STRUCTURE_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:nhung|cac) {_PARTS}(?: \w+){{0,3}} (?:nao|gi)\b",
        rf"\b(?:may|bao nhieu) {_PARTS}\b",
        rf"\b(?:nhung|cac|may|bao nhieu) nhom {_CONTENT}\b",
        r"\b(?:chia|phan chia) (?:thanh|lam|ra)\b|\bgom (?:lai )?thanh\b",
        r"\b(?:bo cuc|cau truc|de muc|muc luc)\b",
        rf"\b(?:groups?|sets?|categories|clusters) of (?:\w+ ){{0,2}}{_CONTENT_EN}\b",
        r"\b(?:how many|which|what)(?: are| were)?(?: the)? (?:main|major|key|broad) (?:groups|areas|parts|strands|pillars|components|headings)\b",
        r"\b(?:how many|which|what) (?:sections|headings|chapters)\b",
        r"\b(?:divided|grouped|split|organi[sz]ed|structured|broken down) into\b",
        r"\b(?:numbered headings?|table of contents)\b",
    )
)


def asks_about_structure(text: str) -> bool:
    """Whether a question asks how a plan (or a section) is divided into parts."""
    folded = " ".join(fold_lower(text).split())
    return any(p.search(folded) for p in STRUCTURE_PATTERNS)


@dataclass(frozen=True)
class QueryInfo:
    text: str
    language: str  # "vi" | "foreign"
    had_diacritics: bool
    kind: str  # "vi" | "vi-folded" (Vietnamese typed without diacritics) | "foreign": selects the fusion weight
    vector_text: str  # what the embedder reads (restored when diacritics were missing)
    keyword_text: str = ""  # what BM25 reads (a Vietnamese rendering for English queries)


@lru_cache(maxsize=1)
def _folded_syllables() -> frozenset[str]:
    from kehoach.ingest.repair.detect import known_syllables  # on first use: importing repair takes ~0.1 s

    return frozenset(fold_lower(s) for s in known_syllables())


def has_diacritics(text: str) -> bool:
    return fold(text) != text


def vietnamese_share(text: str, extra_vocabulary: frozenset[str] | set[str] = frozenset()) -> float:
    """Share of the query's words that are Vietnamese syllables (diacritics ignored)."""
    words = [fold_lower(w) for w in _WORD.findall(text)]
    if not words:
        return 1.0
    known = _folded_syllables()
    if not known:
        return 1.0
    return sum(1 for w in words if w in known or w in extra_vocabulary) / len(words)


@lru_cache(maxsize=2048)
def restore_diacritics(text: str) -> str:
    """Diacritics restored by the ingest repair model (the text unchanged if restoring fails)."""
    from kehoach.ingest.repair import repair_text  # on first use: importing repair takes ~0.1 s

    try:
        return repair_text(text).text
    except Exception:  # noqa: BLE001 - restoration is an aid; a failure must not break search
        return text


def english_words(text: str) -> int:
    """English function words in the text that cannot be Vietnamese syllables
    ("which", "of", "for"; not "to", "the", "an", which fold onto Vietnamese)."""
    from .bilingual import ENGLISH_STOPWORDS

    known = _folded_syllables()
    return sum(1 for w in _WORD.findall(text) if w.lower() in ENGLISH_STOPWORDS and fold_lower(w) not in known)


def detect_language(text: str) -> str:
    """"vi" or "foreign": a script/stopword test, no model. Diacritics alone do not make
    a query Vietnamese ("Which libraries in Lào Cai offer free internet?")."""
    from .bilingual import ENGLISH_STOPWORDS

    if has_diacritics(text):
        # cheap pre-test first: most Vietnamese queries hold no English function word
        if not any(w.lower() in ENGLISH_STOPWORDS for w in _WORD.findall(text)):
            return "vi"
        english = english_words(text) >= 1 and vietnamese_share(text) < ACCENTED_FOREIGN_SHARE
        return "foreign" if english else "vi"
    if vietnamese_share(text) < VIETNAMESE_SHARE or english_words(text) >= ENGLISH_FUNCTION_WORDS:
        return "foreign"
    return "vi"


def analyse_query(text: str, restore: bool = True, translate: bool = True, expand: Collection[str] = ()) -> QueryInfo:
    """How a query is read. `expand`: the kinds of query ("vi", "vi-folded") whose keyword
    text gets SKOS synonyms."""
    accented = has_diacritics(text)
    language = detect_language(text)
    kind = "foreign" if language == "foreign" else ("vi" if accented else "vi-folded")
    vector_text = text
    keyword_text = text
    if restore and language == "vi" and not accented:
        vector_text = restore_diacritics(text)
    if translate and language == "foreign":
        keyword_text = translate_query(text)
    elif kind in expand:
        from .bilingual import expand_vietnamese

        keyword_text = expand_vietnamese(text)
    return QueryInfo(text=text, language=language, had_diacritics=accented, kind=kind, vector_text=vector_text, keyword_text=keyword_text)


def without_names(text: str, names: Collection[str]) -> str:
    """`text` with every occurrence of the given names cut out, matched as whole words
    without case or diacritics ("Lai Châu", "lai chau", "LAI CHAU").

    Used for the provinces a query names: the province acts through the province boost
    (or the filter), so the methods should not also reward passages that merely mention
    its name, mostly preambles, headers and closing lines, while the content words of
    the question go unmatched. A text that is nothing but the names ("Lai Châu") is kept
    whole. (`fold_lower` keeps the length of an NFC text, so offsets in the folded text
    are offsets in the original.)"""
    folded = fold_lower(text)
    cuts: list[tuple[int, int]] = []
    for name in names:
        words = fold_lower(name).split()
        if words:
            pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
            cuts += [m.span() for m in re.finditer(pattern, folded)]
    if not cuts:
        return text
    kept, pos = [], 0
    for start, end in sorted(cuts):
        if start >= pos:
            kept.append(text[pos:start])
            pos = end
    kept.append(text[pos:])
    rest = " ".join("".join(kept).split())
    return rest if any(ch.isalnum() for ch in rest) else text


@lru_cache(maxsize=2048)
def translate_query(text: str) -> str:
    from .bilingual import translate

    return translate(text).text

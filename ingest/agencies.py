"""Canonical agencies: one node per agency *type* per province.

Plans name the same body in many ways: "Sở VH, TT&DL", "Sở Văn hóa Thể thao và Du lịch",
"Sở Văn hóa, Thể thao và Du lịch" and, in OCR text, "S¢ Vin héa va Thé thao". Matching
works on *tokens* of the folded text (no diacritics, lower case): abbreviations are
expanded (VH, TT&DL, GD&ĐT, TT&TT, UBND, MTTQ, LĐLĐ ...), connectors ("và", "các") and
punctuation are ignored, and each token may differ from the expected word by one edit
(OCR noise). The table below lists agency types of Vietnamese provincial administration
(general domain knowledge, not the five corpus files); a body that is not in it still
gets a node keyed by its normalised name.

The canonical key of an agency is the slug of its canonical label ("so-van-hoa-va-the-thao");
the province scopes it (graph/iris.agency_iri), so Lai Châu's Sở Văn hóa, Thể thao và
Du lịch and Ninh Bình's Sở Văn hóa và Thể thao are different nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .records import PlanRecord, Span
from .vietnamese import fold_lower, slugify


@dataclass(frozen=True)
class AgencyType:
    """A kind of body: its canonical label, the word forms that name it, and its place."""

    label: str  # canonical label; "{province}" is filled in for bodies named after the province
    forms: tuple[str, ...]  # token patterns: "word", "word?" optional, "a|b" alternatives, "{prov}"
    kind: str  # department | people-committee | unit | media | mass-organisation | party | armed-forces | ministry
    level: str = "province"  # national | province | district | commune
    under_ubnd: bool = False  # a specialised body of the provincial People's Committee

    @property
    def key(self) -> str:
        return slugify(self.label.replace("{province}", "tinh"))


_PROV_TAIL = "tinh? {prov}?"
_DISTRICT_TAIL = "cap? huyen? thi? xa? thanh? pho? thi? tran?"
_DISTRICT_LEVEL = "cap? =huyen|quan"  # a body of the district: the level word is required, spelt exactly ("tuyên" is no "huyện")


def _dept(label: str, *forms: str) -> AgencyType:
    return AgencyType(label, tuple(f"so {f} {_PROV_TAIL}" for f in forms), "department", under_ubnd=True)


# Agency types of a province (and a few national and district bodies plans assign work to).
AGENCY_TYPES: tuple[AgencyType, ...] = (
    _dept("Sở Văn hóa, Thể thao và Du lịch", "van hoa the thao du lich"),
    _dept("Sở Văn hóa và Thể thao", "van hoa the thao"),
    _dept("Sở Du lịch", "du lich"),
    _dept("Sở Giáo dục và Đào tạo", "giao duc dao tao"),
    _dept("Sở Thông tin và Truyền thông", "thong tin truyen thong"),
    _dept("Sở Tài chính", "tai chinh"),
    _dept("Sở Kế hoạch và Đầu tư", "ke hoach dau tu"),
    _dept("Sở Nội vụ", "noi vu"),
    _dept("Sở Lao động - Thương binh và Xã hội", "lao dong thuong binh xa hoi"),
    _dept("Sở Khoa học và Công nghệ", "khoa hoc cong nghe"),
    _dept("Sở Tư pháp", "tu phap"),
    _dept("Sở Y tế", "y te"),
    _dept("Sở Xây dựng", "xay dung"),
    _dept("Sở Công Thương", "cong thuong"),
    _dept("Sở Ngoại vụ", "ngoai vu"),
    _dept("Sở Giao thông vận tải", "giao thong van tai"),
    _dept("Sở Tài nguyên và Môi trường", "tai nguyen moi truong"),
    _dept("Sở Nông nghiệp và Phát triển nông thôn", "nong nghiep phat trien nong thon"),
    _dept("Sở Dân tộc và Tôn giáo", "dan toc ton giao"),
    AgencyType("Ban Dân tộc tỉnh", ("ban dan toc " + _PROV_TAIL,), "department", under_ubnd=True),
    AgencyType("Văn phòng Ủy ban nhân dân tỉnh", ("van phong uy ban nhan dan tinh {prov}?",), "department", under_ubnd=True),
    AgencyType("Ủy ban nhân dân tỉnh", ("uy ban nhan dan tinh {prov}?",), "people-committee"),
    AgencyType("Ủy ban nhân dân cấp huyện", ("uy ban nhan dan cap? huyen thi? xa? thanh? pho? thi? tran?",
                                             "uy ban nhan dan thi xa thanh? pho?",
                                             "uy ban nhan dan huyen|quan thanh pho|thi xa",
                                             "uy ban nhan dan cap? huyen thanh? pho? thi? xa?"), "people-committee", "district"),
    AgencyType("Ủy ban nhân dân cấp xã", ("uy ban nhan dan cap? xa phuong? thi? tran?",
                                          "uy ban nhan dan cap? phuong xa? thi? tran?"), "people-committee", "commune"),
    AgencyType("Thư viện tỉnh", ("thu vien tinh {prov}?", "thu vien tong hop tinh {prov}?"), "unit"),
    AgencyType("Bảo tàng tỉnh", ("bao tang tinh {prov}?", "bao tang {prov}"), "unit"),
    AgencyType("Trung tâm Văn hóa tỉnh", ("trung tam van hoa tinh {prov}?",
                                          "trung tam van hoa dien anh tinh {prov}?",
                                          "trung tam van hoa thong tin trien lam? tinh {prov}?",
                                          "trung tam van hoa nghe thuat tinh {prov}?",
                                          "trung tam van hoa the thao tinh {prov}?"), "unit"),
    AgencyType("Trung tâm Văn hóa - Thể thao cấp huyện", (
        "trung tam van hoa thong tin the thao " + _DISTRICT_TAIL,
        "trung tam van hoa the thao truyen thanh " + _DISTRICT_TAIL,
        "trung tam van hoa the thao truyen thong " + _DISTRICT_TAIL,
        "trung tam van hoa the thao cap huyen|huyen " + _DISTRICT_TAIL,
        "trung tam van hoa the thao thong tin " + _DISTRICT_TAIL,
    ), "unit", "district"),
    AgencyType("Phòng Văn hóa và Thông tin cấp huyện", ("phong van hoa thong tin " + _DISTRICT_TAIL,
                                                        "phong van hoa the thao " + _DISTRICT_TAIL), "department", "district"),
    AgencyType("Phòng Giáo dục và Đào tạo cấp huyện", ("phong giao duc dao tao " + _DISTRICT_TAIL,), "department", "district"),
    AgencyType("Đài Truyền thanh - Truyền hình cấp huyện", ("dai truyen thanh truyen hinh " + _DISTRICT_TAIL,), "media", "district"),
    AgencyType("Đài Phát thanh và Truyền hình tỉnh", ("dai phat thanh truyen hinh " + _PROV_TAIL,), "media"),
    AgencyType("Báo {province}", ("bao {prov}", "bao tinh {prov}?"), "media"),
    AgencyType("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", ("uy ban mat tran to quoc viet? nam? " + _PROV_TAIL,
                                                         "mat tran to quoc viet? nam? " + _PROV_TAIL), "mass-organisation"),
    AgencyType("Tỉnh đoàn", ("tinh doan thanh? nien? cong? san? ho? chi? minh?",
                              "doan thanh nien cong san ho chi minh " + _PROV_TAIL), "mass-organisation"),
    AgencyType("Hội Liên hiệp Phụ nữ tỉnh", ("hoi lien hiep phu nu viet? nam? " + _PROV_TAIL,), "mass-organisation"),
    AgencyType("Liên đoàn Lao động tỉnh", ("lien doan lao dong " + _PROV_TAIL,), "mass-organisation"),
    AgencyType("Hội Nông dân tỉnh", ("hoi nong dan viet? nam? " + _PROV_TAIL,), "mass-organisation"),
    AgencyType("Hội Cựu chiến binh tỉnh", ("hoi cuu chien binh " + _PROV_TAIL,), "mass-organisation"),
    AgencyType("Hội Khuyến học tỉnh", ("hoi khuyen hoc " + _PROV_TAIL,), "mass-organisation"),
    AgencyType("Các tổ chức chính trị - xã hội tỉnh", ("to chuc chinh tri xa hoi " + _PROV_TAIL,
                                                       "doan the chinh tri xa hoi " + _PROV_TAIL), "mass-organisation"),
    AgencyType("Ban Tuyên giáo Tỉnh ủy", ("ban tuyen giao tinh uy {prov}?",), "party"),
    AgencyType("Ban Dân vận Tỉnh ủy", ("ban dan van tinh uy {prov}?",), "party"),
    AgencyType("Công an tỉnh", ("cong an " + _PROV_TAIL,), "armed-forces"),
    AgencyType("Bộ Chỉ huy Quân sự tỉnh", ("bo chi huy quan su " + _PROV_TAIL,), "armed-forces"),
    AgencyType("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", ("bo chi huy bo doi bien phong " + _PROV_TAIL,), "armed-forces"),
    # District chapters of the mass organisations, named in plans of a UBND huyện ("Hội Khuyến học huyện")
    AgencyType("Ủy ban Mặt trận Tổ quốc Việt Nam cấp huyện", ("uy ban mat tran to quoc viet? nam? " + _DISTRICT_LEVEL,
                                                              "mat tran to quoc viet? nam? " + _DISTRICT_LEVEL),
               "mass-organisation", "district"),
    AgencyType("Công an cấp huyện", ("cong an " + _DISTRICT_LEVEL,), "armed-forces", "district"),
    AgencyType("Ban Chỉ huy Quân sự cấp huyện", ("ban chi huy quan su " + _DISTRICT_LEVEL,), "armed-forces", "district"),
    AgencyType("Văn phòng HĐND và UBND cấp huyện", ("van phong hoi dong nhan dan uy ban nhan dan " + _DISTRICT_LEVEL,
                                                    "van phong uy ban nhan dan " + _DISTRICT_LEVEL), "department", "district"),
    AgencyType("Huyện đoàn", ("huyen doan", "doan thanh nien cong san ho chi minh " + _DISTRICT_LEVEL), "mass-organisation", "district"),
    AgencyType("Hội Liên hiệp Phụ nữ cấp huyện", ("hoi lien hiep phu nu " + _DISTRICT_LEVEL,), "mass-organisation", "district"),
    AgencyType("Hội Nông dân cấp huyện", ("hoi nong dan " + _DISTRICT_LEVEL,), "mass-organisation", "district"),
    AgencyType("Hội Cựu chiến binh cấp huyện", ("hoi cuu chien binh " + _DISTRICT_LEVEL,), "mass-organisation", "district"),
    AgencyType("Hội Khuyến học cấp huyện", ("hoi khuyen hoc " + _DISTRICT_LEVEL,), "mass-organisation", "district"),
    AgencyType("Liên đoàn Lao động cấp huyện", ("lien doan lao dong " + _DISTRICT_LEVEL,), "mass-organisation", "district"),
    AgencyType("Các tổ chức chính trị - xã hội cấp huyện", ("to chuc chinh tri xa hoi " + _DISTRICT_LEVEL,
                                                            "doan the chinh tri xa hoi " + _DISTRICT_LEVEL),
               "mass-organisation", "district"),
    AgencyType("Bộ Văn hóa, Thể thao và Du lịch", ("bo van hoa the thao du lich",), "ministry", "national"),
    AgencyType("Bộ Giáo dục và Đào tạo", ("bo giao duc dao tao",), "ministry", "national"),
)

# Token sequences that stand for longer names; matched on folded lower-case tokens.
ABBREVIATIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("vhttdl",), "van hoa the thao du lich"),
    (("vh", "tt", "dl"), "van hoa the thao du lich"),
    (("vh", "tt"), "van hoa the thao"),
    (("vhtt",), "van hoa the thao"),
    (("tt", "tt"), "thong tin truyen thong"),
    (("tttt",), "thong tin truyen thong"),
    (("gd", "dt"), "giao duc dao tao"),
    (("gddt",), "giao duc dao tao"),
    (("kh", "dt"), "ke hoach dau tu"),
    (("khdt",), "ke hoach dau tu"),
    (("ld", "tb", "xh"), "lao dong thuong binh xa hoi"),
    (("ldtbxh",), "lao dong thuong binh xa hoi"),
    (("tn", "mt"), "tai nguyen moi truong"),
    (("kh", "cn"), "khoa hoc cong nghe"),
    (("nn", "ptnt"), "nong nghiep phat trien nong thon"),
    (("ubnd",), "uy ban nhan dan"),
    (("hdnd",), "hoi dong nhan dan"),
    (("ubmttqvn",), "uy ban mat tran to quoc viet nam"),
    (("ubmttq",), "uy ban mat tran to quoc"),
    (("mttqvn",), "mat tran to quoc viet nam"),
    (("mttq",), "mat tran to quoc"),
    (("ldld",), "lien doan lao dong"),
    (("lhpn",), "lien hiep phu nu"),
    (("pt", "th"), "phat thanh truyen hinh"),
    (("ptth",), "phat thanh truyen hinh"),
    (("tt", "th"), "truyen thanh truyen hinh"),
    (("tncs",), "thanh nien cong san"),
    (("hcm",), "ho chi minh"),
    (("bchqs",), "bo chi huy quan su"),
    (("ttvh",), "trung tam van hoa"),
)

# Words ignored when comparing names: connectors and plural markers.
CONNECTORS = frozenset({"va", "cac", "cua", "nhung"})

# First words of a body's name, used for bodies the table does not know.
HEAD_NOUNS = (
    "so", "phong", "ban", "hoi", "trung tam", "van phong", "bao", "dai", "thu vien", "bao tang",
    "cong an", "bo chi huy", "uy ban", "lien doan", "tinh doan", "vien", "truong", "cuc", "chi cuc",
    "nha hat", "doan", "bo", "hoc vien", "nha van hoa", "lien hiep",
)

_WORD = re.compile(r"[a-z0-9¢\u00c0-\u024f]+")


@dataclass(frozen=True)
class Token:
    word: str
    start: int  # offsets in the text the tokens were read from
    end: int


def tokenize(text: str) -> list[Token]:
    """Folded lower-case word tokens with their offsets, abbreviations expanded, connectors dropped.

    An expanded abbreviation yields several tokens sharing the abbreviation's offsets.
    """
    raw = [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold_lower(text))]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        for seq, expansion in ABBREVIATIONS:
            n = len(seq)
            if tuple(t.word for t in raw[i : i + n]) == seq:
                s, e = raw[i].start, raw[i + n - 1].end
                out.extend(Token(w, s, e) for w in expansion.split())
                i += n
                break
        else:
            word = raw[i].word
            glued = _glued_connector(word)
            if glued:
                out.append(Token(glued, raw[i].start, raw[i].end - 2))
            elif word not in CONNECTORS:
                out.append(raw[i])
            i += 1
    return out


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    words = set()
    for t in AGENCY_TYPES:
        for f in t.forms:
            words.update(w for part in f.split() for w in part.rstrip("?").lstrip("=").split("|") if not w.startswith("{"))
    return frozenset(words)


def _glued_connector(word: str) -> str | None:
    """"lichva" (source lost the space in "Du lịchvà") -> "lich"; None for ordinary words."""
    if len(word) > 4 and word.endswith("va") and word[:-2] in _vocabulary():
        return word[:-2]
    return None


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@lru_cache(maxsize=65536)
def word_matches(seen: str, expected: str) -> bool:
    """Equal, or one edit away (OCR: "vin"/"van", "s¢"/"so", "pai"/"dai"); short words must share their first letter."""
    if seen == expected:
        return True
    if len(expected) <= 1:
        return False
    if len(expected) == 2 and (seen[:1] != expected[:1] or len(seen) != 2):
        return False  # "s¢" may be "so", but "hội" is not "hồ"
    if len(seen) == 1 and len(expected) > 2:
        return False
    return edit_distance(seen, expected, 1) <= 1


@dataclass(frozen=True)
class _Slot:
    words: tuple[str, ...]  # alternatives
    optional: bool
    province: bool = False
    exact: bool = False  # no OCR tolerance ("=huyen")


def _parse_form(form: str) -> tuple[_Slot, ...]:
    slots = []
    for part in form.split():
        optional = part.endswith("?")
        part = part.rstrip("?")
        exact = part.startswith("=")
        part = part.lstrip("=")
        if part == "{prov}":
            slots.append(_Slot((), optional, province=True))
        else:
            slots.append(_Slot(tuple(part.split("|")), optional, exact=exact))
    return tuple(slots)


@lru_cache(maxsize=1)
def _compiled_types() -> tuple[tuple[AgencyType, tuple[_Slot, ...]], ...]:
    return tuple((t, _parse_form(f)) for t in AGENCY_TYPES for f in t.forms)


def _match_slots(tokens: list[Token], i: int, slots: tuple[_Slot, ...], prov: tuple[str, ...]) -> int | None:
    """Index just past the longest match of `slots` at tokens[i], or None."""
    if not slots:
        return i
    slot, rest = slots[0], slots[1:]
    best: int | None = None
    if slot.province:
        if prov and all(i + k < len(tokens) and word_matches(tokens[i + k].word, w) for k, w in enumerate(prov)):
            best = _match_slots(tokens, i + len(prov), rest, prov)
    elif i < len(tokens) and any(tokens[i].word == w if slot.exact else word_matches(tokens[i].word, w) for w in slot.words):
        best = _match_slots(tokens, i + 1, rest, prov)
    if slot.optional:
        skip = _match_slots(tokens, i, rest, prov)
        if skip is not None and (best is None or skip > best):
            best = skip
    return best


@dataclass
class AgencyMention:
    """One place where a body is named: offsets in the scanned text, and its canonical type."""

    start: int
    end: int
    as_written: str
    key: str  # canonical key (slug of the canonical label)
    label: str  # canonical label
    kind: str
    level: str
    under_ubnd: bool = False
    known: bool = True


def _fill_province(label: str, province: str | None) -> str:
    return label.replace("{province}", province or "tỉnh")


@lru_cache(maxsize=256)
def _province_words(province: str | None) -> tuple[str, ...]:
    return tuple(t.word for t in tokenize(province)) if province else ()


@lru_cache(maxsize=65536)
def _candidates(word: str) -> tuple[tuple[AgencyType, tuple[_Slot, ...]], ...]:
    """The table forms whose first word matches `word` (cached: the same words recur)."""
    return tuple((t, slots) for t, slots in _compiled_types()
                 if slots[0].province or any(word_matches(word, w) for w in slots[0].words))


def _capitalised(text: str, tokens: list[Token], i: int) -> bool:
    """The i-th token starts with a capital letter (or a digit/abbreviation) in the source text."""
    if i >= len(tokens):
        return False
    c = text[tokens[i].start]
    return not c.islower()


_SEPARATOR = re.compile(r"[;\t]")
# Words a district-level name may not end on: the first half of "thị xã", "thị trấn", "thành phố".
_DANGLING = frozenset({"thi", "thanh"})


def _segments(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Tokens cut at ";" and tabs: "Phòng Giáo dục và Đào tạo; Huyện đoàn" names two bodies."""
    out: list[list[Token]] = [[]]
    for k, t in enumerate(tokens):
        if k and out[-1] and _SEPARATOR.search(text, tokens[k - 1].end, max(tokens[k - 1].end, t.start)):
            out.append([])
        out[-1].append(t)
    return [seg for seg in out if seg]


def find_known_agencies(text: str, province: str | None = None) -> list[AgencyMention]:
    """Every body of the type table named in `text`, longest match first, left to right."""
    prov = _province_words(province)
    mentions: list[AgencyMention] = []
    for tokens in _segments(text, tokenize(text)):
        mentions.extend(_known_in(text, tokens, province, prov))
    return mentions


def _known_in(text: str, tokens: list[Token], province: str | None, prov: tuple[str, ...]) -> list[AgencyMention]:
    mentions: list[AgencyMention] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, AgencyType] | None = None
        for agency_type, slots in _candidates(tokens[i].word):
            end = _match_slots(tokens, i, slots, prov)
            head = 2 if tokens[i].word == "van" else 1  # "Văn phòng ...": the name starts after two words
            if end is not None and agency_type.kind == "department" and not _capitalised(text, tokens, i + head):
                continue  # "các Sở xây dựng kế hoạch" is a verb, not the Sở Xây dựng
            if end is not None and end > i + 1 and (best is None or end > best[0]):
                best = (end, agency_type)
        if best is None:
            i += 1
            continue
        end, agency_type = best
        while agency_type.level in ("district", "commune") and end > i + 2 and tokens[end - 1].word in _DANGLING:
            end -= 1  # "UBND các huyện, thành phố, thị xã": not "... thành phố, thị"
        s, e = tokens[i].start, tokens[end - 1].end
        if agency_type.label.startswith("Các ") and fold_lower(text[max(0, s - 4) : s]) == "cac ":
            s -= 4  # "các đoàn thể chính trị - xã hội": the plural is part of the name of a group of bodies
        label = _fill_province(agency_type.label, province)
        key = slugify(label) if "{province}" in agency_type.label else agency_type.key
        mentions.append(AgencyMention(s, e, text[s:e], key, label, agency_type.kind, agency_type.level,
                                      agency_type.under_ubnd))
        i = end
    return mentions


# A capitalised name run for bodies the table does not know: head noun, then capitalised
# words (connectors "và", "-", "," allowed between them), then an optional level word.
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Lower-case words that end a name: verbs of the duty that follows it ("Văn phòng Sở thẩm định ...")
# and function words. A name runs on through other lower-case words ("Trung tâm Công nghệ thông
# tin và Truyền thông tỉnh"), at most three after a capitalised one.
_NAME_STOP = (
    r"(?:và|các|của|những|tỉnh|huyện|xã|với|để|trong|theo|về|cho|là|có|được|tại|thuộc|từ|đến|nhằm|trình|giao|cùng"
    r"|thẩm\s+định|tổ\s+chức|triển\s+khai|thực\s+hiện|xây\s+dựng|chủ\s+trì|phối\s+hợp|tham\s+mưu|hướng\s+dẫn"
    r"|tuyên\s+truyền|báo\s+cáo|bố\s+trí|kiểm\s+tra|theo\s+dõi|đôn\s+đốc|rà\s+soát|nghiên\s+cứu|cung\s+cấp"
    r"|đẩy\s+mạnh|chỉ\s+đạo|lồng\s+ghép|vận\s+động|tiếp\s+tục|đề\s+xuất|tổng\s+hợp|quản\s+lý\s+nhà|biên\s+soạn)(?![^\W\d_])"
)
# A name word: a capitalised syllable, optionally followed by up to three lower-case syllables ("Quản lý").
_NAME_WORD = rf"[{_UPPER}][^\s,;:()]*(?:\s+(?!{_NAME_STOP})[a-zđà-ỹ][^\s,;:()A-Z]*){{0,3}}"
_NAME_RUN = re.compile(
    rf"(?:(?<=^)|(?<=[\s(\-–,;:]))(?P<name>{_NAME_WORD}(?:\s+(?:và\s+|-\s+|–\s+)?{_NAME_WORD})*"
    r"(?:\s+(?:tỉnh|huyện|cấp tỉnh|cấp huyện))?)"
)


def _starts_with_head_noun(name: str) -> bool:
    words = fold_lower(name).split()
    for head in HEAD_NOUNS:
        hw = head.split()
        if [w.strip("-–") for w in words[: len(hw)]] == hw:
            return len(words) > len(hw)
    return False


def _split_name_run(text: str, s: int, e: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces of a capitalised run outside known mentions, split at " - " before a head noun."""
    cuts = sorted((ts, te) for ts, te in taken if ts < e and s < te)
    pieces, pos = [], s
    for ts, te in cuts:
        pieces.append((pos, max(pos, ts)))
        pos = max(pos, te)
    pieces.append((pos, e))
    out = []
    for ps, pe in pieces:
        chunk_start = ps
        for dash in re.finditer(r"\s[-–]\s", text[ps:pe]):
            after = text[ps + dash.end() : pe]
            if _starts_with_head_noun(after):
                out.append((chunk_start, ps + dash.start()))
                chunk_start = ps + dash.end()
        out.append((chunk_start, pe))
    trimmed = []
    for ps, pe in out:
        piece = text[ps:pe]
        lead = len(piece) - len(piece.lstrip(" -–,;"))
        piece = piece.strip(" -–,;")
        if piece:
            trimmed.append((ps + lead, ps + lead + len(piece)))
    return trimmed


def normalised_key(name: str) -> str:
    """Canonical key of a body the table does not know: its expanded, connector-free tokens."""
    return "-".join(t.word for t in tokenize(name)) or slugify(name)


def find_agencies(text: str, province: str | None = None, unknown: bool = True) -> list[AgencyMention]:
    """Known bodies, plus (if `unknown`) capitalised names that start with a head noun ("Phòng Quản lý ...")."""
    mentions = find_known_agencies(text, province)
    if not unknown:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    for m in _NAME_RUN.finditer(text):
        s, e = m.span("name")
        for ps, pe in _split_name_run(text, s, e, taken):
            name = text[ps:pe]
            if _starts_with_head_noun(name):
                mentions.append(AgencyMention(ps, pe, name, normalised_key(name), name, "other", "province", False,
                                              known=False))
    return sorted(mentions, key=lambda x: x.start)


@dataclass
class Agency:
    """A canonical body of one province, with every way the plan wrote its name."""

    key: str
    label: str
    province: str | None
    province_code: str | None
    kind: str
    level: str
    sub_organization_of: str | None = None  # key of the body it belongs to (the provincial UBND)
    alt_labels: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    known: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "alt_labels": list(self.alt_labels),
            "province": self.province,
            "province_code": self.province_code,
            "kind": self.kind,
            "level": self.level,
            "sub_organization_of": self.sub_organization_of,
            "known": self.known,
            "spans": [s.to_json() for s in self.spans],
        }


UBND_KEY = slugify("Ủy ban nhân dân tỉnh")


def clean_as_written(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" ,;:-–.")


def written_forms(as_written: str, span: Span) -> list[str]:
    """The name as the source file writes it (the span's quote, e.g. raw OCR "S¢ Vin héa va Thé thao"),
    and as the extractor read it (possibly repaired) when that differs."""
    forms = []
    original = clean_as_written(span.quote)
    if original and len(original) <= 2 * len(as_written) + 10:  # a merged table cell can span other cells
        forms.append(original)
    read = clean_as_written(as_written)
    if read and read not in forms:
        forms.append(read)
    return forms


def merge_agencies(record: PlanRecord, mentions: list[tuple[AgencyMention, Span]]) -> list[Agency]:
    """One Agency per canonical key, collecting alternative labels and spans; departments belong to the UBND."""
    province = record.header.province if record.header else None
    code = record.header.province_code if record.header else None
    by_key: dict[str, Agency] = {}
    for mention, span in mentions:
        agency = by_key.get(mention.key)
        if agency is None:
            national = mention.level == "national"
            agency = by_key[mention.key] = Agency(
                key=mention.key,
                label=mention.label,
                province=None if national else province,
                province_code=None if national else code,
                kind=mention.kind,
                level=mention.level,
                sub_organization_of=UBND_KEY if mention.under_ubnd else None,
                known=mention.known,
            )
        for written in written_forms(mention.as_written, span):
            if written != agency.label and written not in agency.alt_labels:
                agency.alt_labels.append(written)
        if span not in agency.spans:
            agency.spans.append(span)
    return list(by_key.values())


def extract_agencies(record: PlanRecord) -> list[Agency]:
    """Canonical agencies of a plan: every body that a responsibility names (run after responsibilities)."""
    from .responsibilities import agency_mentions_of

    return merge_agencies(record, agency_mentions_of(record))

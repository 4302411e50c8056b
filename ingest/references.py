"""Find the legal documents a plan cites: "Quyết định số 1520/QĐ-TTg ngày 09/12/2022 của
Thủ tướng Chính phủ", "Kế hoạch số 24-KH/TU ngày 31/5/2021 của Ban Thường vụ Tỉnh ủy" ...

Rules run on folded text (same offsets as the normalised text), so OCR'd citations
("Quyét dinh sé 1520/QD-TTg ngay 09/12/2022") are found too. Document codes are found
with rules before any tokenizer sees them (underthesea tags them as places).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .records import LegalReference
from .vietnamese import fold

# The national programmes kehoach knows about, by the decision that approved them.
@dataclass(frozen=True)
class Programme:
    identifier: str
    date: str
    kind: str  # "Đề án" | "Chương trình"
    title: str
    horizon: int
    # folded phrases that identify the programme in a citation's context
    signature: tuple[str, ...]


PROGRAMMES = {
    "208/QĐ-TTg": Programme(
        "208/QĐ-TTg",
        "2014-01-27",
        "Đề án",
        "Đẩy mạnh các hoạt động học tập suốt đời trong các thư viện, bảo tàng, nhà văn hóa, câu lạc bộ",
        2020,
        ("nha van hoa, cau lac bo", "den nam 2020"),
    ),
    "1520/QĐ-TTg": Programme(
        "1520/QĐ-TTg",
        "2022-12-09",
        "Chương trình",
        "Đẩy mạnh các hoạt động phục vụ học tập suốt đời trong thư viện, bảo tàng, trung tâm văn hóa đến năm 2030",
        2030,
        ("trung tam van hoa den nam 2030", "van hoa den nam 2030", "suot doi trong thu vien, bao tang, trung tam van hoa"),
    ),
}

DOC_TYPES = {
    "quyet dinh": "Quyết định",
    "ke hoach": "Kế hoạch",
    "cong van": "Công văn",
    "nghi quyet": "Nghị quyết",
    "ket luan": "Kết luận",
    "chi thi": "Chỉ thị",
    "thong tu": "Thông tư",
    "nghi dinh": "Nghị định",
    "to trinh": "Tờ trình",
    "huong dan": "Hướng dẫn",
    "thong bao": "Thông báo",
    "chuong trinh": "Chương trình",
}
# The first part of a document symbol names its type ("QĐ-TTg" is a decision).
SYMBOL_TYPES = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "TTr": "Tờ trình",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "CTr": "Chương trình",
}
# The last part names the issuer, when the text does not say.
SYMBOL_ISSUERS = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "TW": "Ban Chấp hành Trung ương Đảng",
    "TU": "Tỉnh ủy",
    "UBND": "Ủy ban nhân dân tỉnh",
    "HĐND": "Hội đồng nhân dân tỉnh",
    "SVHTT": "Sở Văn hóa và Thể thao",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
}
# OCR and plain-ASCII spellings of symbol parts that carry "Đ".
_SYMBOL_REPAIRS = {"QD": "QĐ", "ND": "NĐ", "HDND": "HĐND", "BGDDT": "BGDĐT", "GDDT": "GDĐT"}

_TYPE_WORDS = "|".join(sorted(DOC_TYPES, key=len, reverse=True))
CITATION = re.compile(
    rf"""(?:(?P<type>{_TYPE_WORDS})\s+(?:so\s*|s[0-9o]\s*:?\s*)?)?
        (?<![\w/])(?P<number>\d{{1,5}}[a-z]?(?:/(?:19|20)\d\d)?)(?P<party>-[A-Z]{{1,4}})?\s?/\s?
        (?P<symbol>[A-Z][A-Za-z]{{0,9}}(?:\s?-\s?[A-Z][A-Za-z]{{0,9}})*)
        (?![\w])""",
    re.VERBOSE | re.IGNORECASE,
)
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:ngay|ngày)\s*(?P<d>\d{1,2})\s*(?:/|thang|tháng|-)\s*(?P<m>\d{1,2})\s*(?:/|nam|năm|-)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_ISSUER_AFTER = re.compile(r"^\s*(?:cua|của|cia|cta|ctia|cua)\s+(?P<issuer>[^;:(\"“”]{3,120})", re.IGNORECASE)
_ISSUER_STOP = re.compile(
    r"\s(?:về|ve|vé|phê duyệt|phe duyet|ban hành|ban hanh|hướng dẫn|huong dan|thực hiện|thuc hien|tại|tai|triển khai|trien khai)\b|,\s(?!(?:Thể|The|Thé|Thê)\s+thao)|\.\s|\.$",
    re.IGNORECASE,
)


def canonical_symbol(symbol: str) -> str:
    parts = [p.strip() for p in re.split(r"\s?-\s?", symbol)]
    return "-".join(_SYMBOL_REPAIRS.get(p.upper(), p) for p in parts)


def find_references(
    text: str, span_of, preamble: tuple[int, int] | None = None, skip: list[tuple[int, int]] = ()
) -> list[LegalReference]:
    """All cited documents, one per identifier (first mention), in order of appearance.

    `skip` holds ranges not to read (the plan's own "Số: .../KH-UBND" line); the text's own
    number is left out wherever it stands (see own_identifiers)."""
    folded = fold(text)
    seen: dict[str, LegalReference] = {}
    own = own_identifiers(text, folded)
    for m in CITATION.finditer(folded):
        if any(a <= m.start() < b for a, b in skip):
            continue
        symbol = canonical_symbol(text[m.start("symbol") : m.end("symbol")])
        if not re.search(r"[A-Z]", symbol[:1]) or symbol.upper() in {"NAM", "NĂM"}:
            continue
        number = m["number"]
        identifier = f"{number}{m['party'] or ''}/{symbol}" if not m["party"] else f"{number}{m['party'].upper()}/{symbol}"
        if identifier in own:
            continue  # the plan's own number is not a document it cites
        after = text[m.end() : m.end() + 250]
        folded_after = folded[m.end() : m.end() + 250]
        date_m = _DATE_AFTER.match(folded_after)
        iso, precision = None, "unknown"
        end = m.end()
        if date_m and _valid_date(date_m):
            iso = f"{int(date_m['y']):04d}-{int(date_m['m']):02d}-{int(date_m['d']):02d}"
            precision = "day"
            end += date_m.end()
            after = text[end : end + 200]
        issuer = _choose_issuer(_issuer(after), _issuer_from_symbol(symbol))
        start = m.start()
        doc_type = DOC_TYPES.get(m["type"].lower()) if m["type"] else None
        doc_type = doc_type or _type_from_symbol(symbol, m["party"])
        in_preamble = preamble is not None and preamble[0] <= start < preamble[1]
        is_basis = in_preamble and _is_basis_clause(folded, start, preamble)
        context = folded[start : _clause_end(folded, end)]
        ref = LegalReference(
            identifier=identifier,
            number=number,
            symbol=(m["party"].upper().lstrip("-") + "/" + symbol) if m["party"] else symbol,
            doc_type=doc_type,
            date=iso,
            date_precision=precision,
            issuer=issuer,
            span=span_of(start, end),
            is_basis=is_basis,
            programme=programme_of(identifier, context),
        )
        if identifier in seen:
            old = seen[identifier]
            old.is_basis = old.is_basis or ref.is_basis
            old.programme = old.programme or ref.programme
            old.date = old.date or ref.date
            if old.date_precision == "unknown":
                old.date_precision = ref.date_precision
            continue
        seen[identifier] = ref
    return list(seen.values())


# The document's own number: its "Số: 156/KH-UBND" line wherever it stands (a news page may put
# it below a lead paragraph) or, in a text with no such line, the plan a report says was issued
# ("UBND tỉnh vừa ban hành Kế hoạch số 156/KH-UBND ...").
_OWN_NUMBER_LINE = re.compile(r"(?m)^[ \t*_#>|]*s\S{0,2}\s*:\s*", re.IGNORECASE)
_ISSUED_PLAN = re.compile(r"ban\s+hanh\s+(?=ke\s+hoach\s+(?:so\s*)?\d)", re.IGNORECASE)


def own_identifiers(text: str, folded: str) -> set[str]:
    own: set[str] = set()
    for cue in list(_OWN_NUMBER_LINE.finditer(folded)) or list(_ISSUED_PLAN.finditer(folded))[:1]:
        m = CITATION.search(folded, cue.end(), cue.end() + 40)
        if m is None:
            continue
        symbol = canonical_symbol(text[m.start("symbol") : m.end("symbol")])
        party = m["party"].upper() if m["party"] else ""
        own.add(f"{m['number']}{party}/{symbol}")
    return own


def _valid_date(m: re.Match) -> bool:
    try:
        date(int(m["y"]), int(m["m"]), int(m["d"]))
        return True
    except ValueError:
        return False


def _issuer(after: str) -> str | None:
    m = _ISSUER_AFTER.match(after)
    if not m:
        return None
    issuer = _ISSUER_STOP.split(m["issuer"], maxsplit=1)[0].strip(" ,.")
    return issuer or None


def _choose_issuer(written: str | None, from_symbol: str | None) -> str | None:
    """The issuer as written, unless it merely starts with the one the symbol names and
    then runs on into the sentence ("Thủ tướng Chính phủ phù hợp với ...")."""
    if written and from_symbol:
        w, s = fold(written).lower(), fold(from_symbol).lower()
        rest = written[len(from_symbol) :].split()
        runs_on = len(rest) >= 3 and all(word[:1].islower() for word in rest)  # "khóa XI" is not a run-on
        if w.startswith(s) and runs_on:
            return from_symbol
    return written or from_symbol


def _issuer_from_symbol(symbol: str) -> str | None:
    last = symbol.split("-")[-1].split("/")[-1]
    return SYMBOL_ISSUERS.get(last)


def _type_from_symbol(symbol: str, party: str | None) -> str | None:
    if party:
        return SYMBOL_TYPES.get(party.strip("-").upper())
    first = symbol.split("-")[0]
    return SYMBOL_TYPES.get(first) or ("Công văn" if "-" in symbol and first not in SYMBOL_TYPES else None)


def _clause_end(folded: str, pos: int) -> int:
    m = re.compile(r";|\.\s|\n").search(folded, pos)
    return m.start() if m else len(folded)


def _is_basis_clause(folded: str, start: int, preamble: tuple[int, int]) -> bool:
    """Cited as the basis of the plan ("Thực hiện ...", "Căn cứ ..."), not as a proposal
    ("theo đề nghị của Sở ... tại Tờ trình số 83/TTr-SVHTT")."""
    clause_start = max(folded.rfind(";", preamble[0], start), folded.rfind("\n", preamble[0], start), preamble[0])
    clause = folded[clause_start:start].lower()
    return "de nghi" not in clause and "to trinh" not in folded[start - 12 : start].lower()


def programme_of(identifier: str, context_folded: str) -> str | None:
    """The national programme a cited document is, or implements (from its context)."""
    if identifier in PROGRAMMES:
        return identifier
    ctx = context_folded.lower()
    if "hoc tap suot doi" not in ctx:
        return None
    for prog in PROGRAMMES.values():
        if any(sig in ctx for sig in prog.signature):
            return prog.identifier
    return None

"""Read a plan's header: number and symbol, type, issuer, province, place and date,
title, the programme(s) it implements, and its signer.

Each rule is a small pure function over the normalised text (or one segment of it)
returning a value and the [start, end) range it was read from, so every header fact
can point at its source. Rules match on folded text (`vietnamese.fold`), which keeps
offsets and lets OCR'd headers ("S6: 251 /KH-UBND Lao Cai, ngay 25thang 05ndam 2023")
be read like clean ones. Nothing is invented: a blank number stays None, a date with no
day has month precision, and a missing date is inferred only as a lower bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .provinces import Province, find_province
from .records import Header, LegalReference, Segment
from .references import canonical_symbol
from .vietnamese import fold, normalize_space


@dataclass(frozen=True)
class Found:
    value: object
    start: int
    end: int


NUMBER_LINE = re.compile(r"(?:^|\s)(?:So|S6|S0|Sd|Sô)\s*[:.]?\s*(?P<number>\d*)\s*/\s*(?P<symbol>[A-Z][A-Za-z]*(?:\s?-\s?[A-Z][A-Za-z]*)*)", re.IGNORECASE)
DATE_LINE = re.compile(
    r"(?:(?<![\w-])(?P<place>[A-Z][^\W\d_]*(?:[ ][A-Z][^\W\d_]*){0,3}))?[ ]*,\s*ngay\s*(?P<d>\d{1,2})?\s*thang\s*(?P<m>\d{1,2})?\s*n\w{0,2}m\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
ISSUER_UBND = re.compile(r"(?:uy ban nhan dan|ubnd)\s+tinh(?:\s+[A-Z][^\W\d_]*(?:\s[A-Z][^\W\d_]*){0,2})?\s+(?:ban hanh|xay dung)", re.IGNORECASE)
ISSUER_DEPARTMENT = re.compile(r"(?P<name>(?-i:So)\s+[^,.;:“\"]{3,80}?)\s+(?:xay dung|ban hanh)\s+ke hoach", re.IGNORECASE)
SIGNER_TITLES = {
    "pho chu tich": "Phó Chủ tịch",
    "chu tich": "Chủ tịch",
    "pho giam doc": "Phó Giám đốc",
    "giam doc": "Giám đốc",
}
DEPARTMENT_SYMBOLS = {"SVHTT": "Sở Văn hóa và Thể thao", "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch"}


def read_header(text: str, segments: list[Segment], references: list[LegalReference], span_of) -> Header:
    """Assemble the Header from the rules below; `span_of(start, end)` maps to the original."""
    header = Header()
    front_end = _front_end(segments, text)
    folded = fold(text)

    def keep(field: str, found: Found | None):
        if found is None:
            return None
        note(field, found)
        return found.value

    def note(field: str, found: Found) -> None:
        if 0 <= found.start < found.end <= len(text):
            header.spans[field] = span_of(found.start, found.end)

    number = find_number(text[:front_end])
    if number:
        (num, symbol) = number.value
        header.number = num or None
        header.symbol = symbol
        note("number", number)
    header.doc_type = keep("doc_type", find_doc_type(text, folded, segments, header.symbol))
    dated = find_date(text[:front_end])
    if dated:
        place, iso, precision = dated.value
        header.date, header.date_precision = iso, precision
        note("date", dated)
        if place:
            header.place = normalize_space(place)
    title = _segment(segments, "title")
    if title is not None:
        header.title = normalize_space(title.text)
        header.spans["title"] = title.span
    province = keep("province", find_plan_province(text, segments, front_end))
    if province is not None:
        header.province = province.name
        header.province_code = province.code
        header.province_2025 = province.name_2025
        header.province_code_2025 = province.code_2025
    issuer = find_issuer(text, folded, segments, header.symbol, province)
    if issuer:
        header.issuer, header.issuer_kind = issuer.value
        note("issuer", issuer)
    signer = find_signer(text, segments)
    if signer:
        header.signer = signer.value
        note("signer", signer)
    signer_title = find_signer_title(text, segments)
    if signer_title:
        header.signer_title = signer_title.value
        note("signer_title", signer_title)
    header.implements = [r.identifier for r in references if r.is_basis]
    header.programmes = implemented_programmes(references, header.title)
    if header.date_precision != "day":
        bound = date_lower_bound(references, header.date)
        if bound:
            header.date_not_before, header.date_not_before_basis = bound
    return header


def _segment(segments: list[Segment], kind: str) -> Segment | None:
    return next((s for s in segments if s.kind == kind), None)


def _front_end(segments: list[Segment], text: str) -> int:
    """End (normalised offset) of the header block: where title or preamble begins."""
    for s in segments:
        if s.kind in ("title", "preamble", "part", "section"):
            return _norm_start(s, text)
    return min(len(text), 600)


def _norm_start(seg: Segment, text: str) -> int:
    # Segments store original spans; the header rules only need an upper bound on the
    # normalised front matter, for which the first line of the segment's text suffices.
    first = seg.text.split("\n")[0][:40]
    pos = text.find(first)
    return pos if pos >= 0 else len(text)


def find_number(front: str) -> Found | None:
    """"Số: 251/KH-UBND" -> ("251", "KH-UBND"); "Số: /KH-UBND" -> ("", "KH-UBND").
    Matched on folded text, the symbol read from the text itself (it may hold "Đ")."""
    m = NUMBER_LINE.search(fold(front))
    if not m:
        return None
    symbol = front[m.start("symbol") : m.end("symbol")]
    return Found((m["number"], canonical_symbol(symbol)), m.start("number") if m["number"] else m.start(), m.end())


def find_doc_type(text: str, folded: str, segments: list[Segment], symbol: str | None) -> Found | None:
    """The document type from the heading line ("KẾ HOẠCH"), else from the symbol (KH-...)."""
    from .references import SYMBOL_TYPES

    for s in segments:
        if s.kind == "header" and s.title and fold(s.title).upper().split() == ["KE", "HOACH"]:
            start = text.find(s.title)
            return Found("Kế hoạch", start, start + len(s.title))
    if symbol and symbol.split("-")[0] in SYMBOL_TYPES:
        at = folded.find(symbol.split("-")[0])
        return Found(SYMBOL_TYPES[symbol.split("-")[0]], at, at + len(symbol))
    return None


def find_date(front: str) -> Found | None:
    """"Lào Cai, ngày 25 tháng 05 năm 2023" -> ("Lào Cai", "2023-05-25", "day");
    "ngày tháng 5 năm 2023" -> (place, "2023-05", "month")."""
    m = DATE_LINE.search(fold(front))
    if not m:
        return None
    year = int(m["y"])
    month = int(m["m"]) if m["m"] else None
    day = int(m["d"]) if m["d"] else None
    if month and day:
        try:
            iso, precision = date(year, month, day).isoformat(), "day"
        except ValueError:
            iso, precision = f"{year:04d}-{month:02d}", "month"
    elif month and 1 <= month <= 12:
        iso, precision = f"{year:04d}-{month:02d}", "month"
    else:
        iso, precision = f"{year:04d}", "year"
    start = m.start("place") if m["place"] else m.start()
    place = front[m.start("place") : m.end("place")] if m["place"] else None
    return Found((place, iso, precision), start, m.end())


def find_plan_province(text: str, segments: list[Segment], front_end: int) -> Found | None:
    """The province: from the header block (UBND/TỈNH line, place of issue), else the
    title ("trên địa bàn tỉnh X"), else the preamble."""
    regions = [(0, front_end)]
    for kind in ("title", "preamble"):
        seg = _segment(segments, kind)
        if seg is not None:
            start = _norm_start(seg, text)
            regions.append((start, start + len(seg.text)))
    for start, end in regions:
        found = find_province(text[start:end])
        if found:
            province, a, b = found
            return Found(province, start + a, start + b)
    return None


def find_issuer(text: str, folded: str, segments: list[Segment], symbol: str | None, province: Province | None) -> Found | None:
    """Who issued the plan: "Sở ... xây dựng Kế hoạch", "Ủy ban nhân dân tỉnh ... ban hành
    Kế hoạch", else the signature block, else the symbol's issuer part (KH-UBND, KH-SVHTT)."""
    where = province.name if province else None
    m = ISSUER_DEPARTMENT.search(folded[:6000])
    if m:
        name = normalize_space(text[m.start("name") : m.end("name")])
        return Found((_in_province(name, where), "department"), m.start("name"), m.end("name"))
    m = ISSUER_UBND.search(folded[:6000])
    if m:
        return Found((_in_province("Ủy ban nhân dân tỉnh", where), "provincial-people-committee"), m.start(), m.end())
    last = (symbol or "").split("-")[-1].upper()
    signed = _from_signature(text, segments, where, DEPARTMENT_SYMBOLS.get(last))
    if signed:
        return signed
    if last == "UBND":
        at = folded.find(symbol or "")
        return Found((_in_province("Ủy ban nhân dân tỉnh", where), "provincial-people-committee"), at, at + len(symbol or ""))
    if last in DEPARTMENT_SYMBOLS:
        at = folded.find(symbol or "")
        return Found((_in_province(DEPARTMENT_SYMBOLS[last], where), "department"), at, at + len(symbol or ""))
    return None


def _in_province(name: str, where: str | None) -> str:
    return f"{name} {where}" if where and name.endswith("tỉnh") else (f"{name} tỉnh {where}" if where and where not in name else name)


def _from_signature(text: str, segments: list[Segment], where: str | None, department: str | None = None) -> Found | None:
    for s in segments:
        if s.kind != "signature":
            continue
        f = fold(s.text).upper()
        start = text.find(s.text)
        if "UY BAN NHAN DAN" in f or "UBND" in f:
            return Found((_in_province("Ủy ban nhân dân tỉnh", where), "provincial-people-committee"), start, start + len(s.text))
        if "GIAM DOC" in f and department:
            return Found((_in_province(department, where), "department"), start, start + len(s.text))
    return None


def _looks_like_person(line: str) -> bool:
    words = line.strip().split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words)


def find_signer(text: str, segments: list[Segment]) -> Found | None:
    """The signer is the last person's name of the closing block."""
    names = [s for s in segments if s.kind == "signature" and _looks_like_person(s.text)]
    if not names:
        return None
    seg = names[-1]
    start = text.find(seg.text)
    return Found(seg.text.strip(), start, start + len(seg.text))


def find_signer_title(text: str, segments: list[Segment]) -> Found | None:
    """The signer's own title: the last title line of the signature block
    ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" -> "Phó Chủ tịch")."""
    for s in reversed([s for s in segments if s.kind == "signature"]):
        f = re.sub(r"^(?:tm|kt|tl|q)\.\s*", "", fold(s.text).lower().strip())
        for key, title in SIGNER_TITLES.items():
            if f.startswith(key) and not fold(s.text).lower().startswith(("tm.", "kt.")):
                start = text.find(s.text)
                return Found(title, start, start + len(s.text))
    return None


def implemented_programmes(references: list[LegalReference], title: str | None) -> list[str]:
    """Programmes the plan implements: cited as its basis directly (208/QĐ-TTg), or
    through a basis document that itself implements one (1346/QĐ-BVHTTDL -> 1520/QĐ-TTg).
    Only when no basis names one, the title's programme name decides."""
    found: list[str] = []
    for ref in references:
        if ref.is_basis and ref.programme and ref.programme not in found:
            found.append(ref.programme)
    if not found and title:
        from .references import programme_of

        prog = programme_of("", fold(title).lower())
        if prog:
            found.append(prog)
    return found


def date_lower_bound(references: list[LegalReference], partial: str | None) -> tuple[str, str] | None:
    """"Not earlier than the latest cited document": (ISO date, identifier of that document)."""
    dated = [(r.date, r.identifier) for r in references if r.date and r.date_precision == "day"]
    if not dated:
        return None
    latest = max(dated)
    if partial and not latest[0].startswith(partial) and latest[0] < partial:
        return None  # the partial date itself is the tighter bound
    return latest

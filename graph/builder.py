"""Small building blocks every records -> RDF mapper shares.

`graph/to_rdf.py` maps the plan header, references and document tree; the fact
mappers of the extraction work (`graph/rdf_targets.py`, `rdf_tasks.py` ...) map
targets, tasks, responsibilities, agencies and events. They all use these helpers so
that the same thing is written the same way everywhere:

- literals typed the way the SHACL shapes expect (`vi`, `string`, `integer`,
  `decimal`, `boolean`, `date_literal`);
- provenance: `provenance(plan_id, fact, span)` gives the `kh:sourceSpan` node with
  its Web Annotation selectors (start/end offsets into the original text and the
  exact quote) and the extractor version;
- shared nodes (provinces, agencies, programmes, concepts) built from one place.

Everything is a `pyoxigraph.Triple`; `to_rdf.record_to_quads` puts them all into the
plan's named graph. No blank nodes: every node has a stable IRI, so the same record
always gives the same triples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Triple

from kehoach import __version__
from kehoach.graph.iris import (
    agency_iri,
    concept_iri,
    fact_iri,
    plan_iri,
    source_iri,
    span_iri,
)
from kehoach.ingest.records import Span
from kehoach.ingest.vietnamese import fold_lower, normalize_space, slugify
from kehoach.ontology.namespaces import ID, KH, OA, ORG, QB, RDF, RDFS, SKOS, XSD, DCT

EXTRACTOR_VERSION = __version__

# ---------------------------------------------------------------- literals


def en(value: str) -> Literal:
    """An English language-tagged literal."""
    return Literal(value, language="en")


def string(value: str) -> Literal:
    return Literal(value)


def vi(value: str) -> Literal:
    """A Vietnamese language-tagged literal."""
    return Literal(value, language="vi")


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def non_negative(value: int) -> Literal:
    """Offsets: xsd:integer (shapes add minInclusive 0).

    Web Annotation suggests xsd:nonNegativeInteger, but Oxigraph stores derived integer
    types as xsd:integer; writing xsd:integer keeps the quads identical after a round trip.
    """
    if value < 0:
        raise ValueError(f"negative offset {value}")
    return Literal(str(int(value)), datatype=XSD.integer)


def decimal(value: float | int | str | Decimal) -> Literal:
    """xsd:decimal without float noise: 70 -> "70", 12.5 -> "12.5"."""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    return Literal(text, datatype=XSD.decimal)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


_DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}


def date_literal(iso: str) -> Literal:
    """"2023-05-25" -> xsd:date, "2023-05" -> xsd:gYearMonth, "2023" -> xsd:gYear.

    The datatype says how much of the date the text gives; nothing is padded.
    """
    datatype = _DATE_TYPES.get(len(iso))
    if datatype is None:
        raise ValueError(f"not an ISO date, year-month or year: {iso!r}")
    return Literal(iso, datatype=datatype)


def month_day_literal(day: int, month: int) -> Literal:
    """A recurring day of the year (commemorations): 21/4 -> "--04-21"^^xsd:gMonthDay."""
    return Literal(f"--{month:02d}-{day:02d}", datatype=XSD.gMonthDay)


# ---------------------------------------------------------------- concepts


def concept_scheme_iri(scheme: str) -> NamedNode:
    """The skos:ConceptScheme that concept_iri(scheme, key) belongs to."""
    return ID[f"concept/{scheme}"]


def concept(scheme: str, key: str) -> NamedNode:
    """Alias of iris.concept_iri, here so mappers import their helpers from one module."""
    return concept_iri(scheme, key)


# ---------------------------------------------------------------- provenance


def provenance(plan_id: str, fact: NamedNode, span: Span, *, version: str = EXTRACTOR_VERSION) -> list[Triple]:
    """The source span of a fact, as a Web Annotation specific resource.

    <fact> kh:sourceSpan <fact/span> ; kh:extractorVersion "0.1.0" .
    <fact/span> a oa:SpecificResource ; oa:hasSource <source/{plan}> ;
        oa:hasSelector <fact/span/position> , <fact/span/quote> .
    <fact/span/position> a oa:TextPositionSelector ; oa:start 12 ; oa:end 40 .
    <fact/span/quote> a oa:TextQuoteSelector ; oa:exact "..." .
    """
    node = span_iri(fact)
    position = NamedNode(node.value + "/position")
    quote = NamedNode(node.value + "/quote")
    return [
        Triple(fact, KH.sourceSpan, node),
        Triple(fact, KH.extractorVersion, string(version)),
        Triple(node, RDF.type, OA.SpecificResource),
        Triple(node, OA.hasSource, source_iri(plan_id)),
        Triple(node, OA.hasSelector, position),
        Triple(node, OA.hasSelector, quote),
        Triple(position, RDF.type, OA.TextPositionSelector),
        Triple(position, OA.start, non_negative(span.start)),
        Triple(position, OA.end, non_negative(span.end)),
        Triple(quote, RDF.type, OA.TextQuoteSelector),
        Triple(quote, OA.exact, string(span.quote)),
    ]


# ---------------------------------------------------------------- agencies

def canonical_agency_name(name: str, province: str | None = None) -> str:
    """The name an agency's IRI is built from, within its province.

    Expands "UBND" and drops a trailing province name, so "UBND tỉnh Lào Cai" and
    "Ủy ban nhân dân tỉnh Lào Cai" both give "Ủy ban nhân dân tỉnh" (the province is
    already in the IRI: agency/10/uy-ban-nhan-dan-tinh).
    """
    text = normalize_space(name)
    if fold_lower(text).startswith("ubnd "):
        text = "Ủy ban nhân dân " + text[5:]
    if province:
        folded, folded_province = fold_lower(text), fold_lower(province)
        if folded.endswith(" " + folded_province):
            text = text[: len(text) - len(province)].rstrip(" ,")
    return text


def agency_type_key(name: str) -> str:
    """A guess of an agency's kind (agency-type scheme key) from its name."""
    f = fold_lower(normalize_space(name))
    if f.startswith("thu tuong") or f.startswith("chinh phu"):
        return "government"
    if ("tinh uy" in f or "bo chinh tri" in f or "ban thuong vu" in f or "trung uong dang" in f
            or f.startswith(("ban tuyen giao", "ban chap hanh", "ban bi thu"))):
        return "party"
    if f.startswith("bo ") or f.startswith("bo,"):
        return "ministry"
    if f.startswith("hoi dong nhan dan") or f.startswith("hdnd"):
        return "peoples-council"
    if f.startswith(("uy ban nhan dan tinh", "ubnd tinh")):
        return "provincial-people-committee"
    if f.startswith(("uy ban nhan dan huyen", "ubnd huyen", "uy ban nhan dan cac huyen", "ubnd cac huyen", "ubnd cap huyen")):
        return "district-people-committee"
    if f.startswith(("uy ban nhan dan xa", "ubnd xa", "ubnd cap xa", "ubnd cac xa")):
        return "commune-people-committee"
    if f.startswith("so ") or f.startswith("ban "):
        return "department"
    if "mat tran to quoc" in f or "mttq" in f or f.startswith(("tinh doan", "hoi lien hiep", "hoi ")):
        return "mass-organisation"
    if f.startswith(("thu vien", "bao tang", "trung tam")):
        return "unit"
    if f.startswith(("truong ", "dai hoc")):
        return "education-institution"
    if f.startswith(("bao ", "dai phat thanh")):
        return "media"
    return "other"


def is_provincial_agency(name: str) -> bool:
    """True for bodies of a province (its UBND, Sở, Tỉnh ủy ...), false for national ones."""
    f = fold_lower(normalize_space(name))
    if f.startswith(("bo ", "thu tuong", "chinh phu", "quoc hoi", "ban chap hanh trung uong")):
        return False
    return "tinh" in f.split() or f.startswith(("so ", "ubnd", "uy ban nhan dan", "tinh uy"))


def agency_triples(
    iri: NamedNode,
    label: str,
    *,
    province: NamedNode | None = None,
    type_key: str | None = None,
    alt_labels: Iterable[str] = (),
    parent: NamedNode | None = None,
) -> list[Triple]:
    """An agency node: kh:Agency with its labels, province and kind."""
    triples = [
        Triple(iri, RDF.type, KH.Agency),
        Triple(iri, SKOS.prefLabel, vi(label)),
        Triple(iri, RDFS.label, vi(label)),
        Triple(iri, ORG.classification, concept_iri("agency-type", type_key or agency_type_key(label))),
    ]
    if province is not None:
        triples.append(Triple(iri, DCT.spatial, province))
    for alt in sorted(set(alt_labels) - {label}):
        triples.append(Triple(iri, SKOS.altLabel, vi(alt)))
    if parent is not None and parent != iri:
        triples.append(Triple(iri, ORG.subOrganizationOf, parent))
    return triples


def agency_for(name: str, province_code: str | None, province_name: str | None) -> NamedNode:
    """IRI of a named agency: scoped to the plan's province when it is a provincial body."""
    return resolve_agency(name, province_code, province_name).iri


@dataclass(frozen=True)
class ResolvedAgency:
    iri: NamedNode
    label: str  # canonical label (skos:prefLabel)
    type_key: str  # agency-type scheme key
    provincial: bool


# ingest/agencies.py kind (+ level) -> agency-type key
_KIND_KEYS = {"party": "party", "ministry": "ministry", "department": "department", "unit": "unit",
              "media": "media", "mass-organisation": "mass-organisation", "armed-forces": "armed-forces",
              "people-committee": "people-committee"}


# Bodies outside the agency table that citations name, so OCR forms ("Thu tudng Chinh phu",
# "Tinh uy") resolve to the same node as the clean spelling.
KNOWN_BODIES = (
    "Thủ tướng Chính phủ",
    "Chính phủ",
    "Quốc hội",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ban Chấp hành Trung ương Đảng",
    "Tỉnh ủy",
    "Ban Thường vụ Tỉnh ủy",
    "Hội đồng nhân dân tỉnh",
)


def _known_body(name: str) -> str | None:
    """The KNOWN_BODIES spelling of `name` when every word matches (one OCR edit allowed)."""
    from kehoach.ingest.agencies import tokenize, word_matches

    seen = [t.word for t in tokenize(name)]
    for body in KNOWN_BODIES:
        expected = [t.word for t in tokenize(body)]
        if len(seen) == len(expected) and all(word_matches(a, b_) for a, b_ in zip(seen, expected)):
            return body
    return None


def resolve_agency(name: str, province_code: str | None, province_name: str | None) -> ResolvedAgency:
    """The canonical node of a body named in a header or citation.

    Uses the agency table of ingest/agencies.py (the same canonical keys the
    responsibility extraction uses), so "UBND tỉnh Khánh Hòa" in a citation and
    "Ủy ban nhân dân tỉnh" in "Tổ chức thực hiện" are one node; a name the table does
    not know falls back to its cleaned name, scoped by `is_provincial_agency`.
    """
    from kehoach.ingest.agencies import find_agencies

    clean = _known_body(normalize_space(name).strip(" ,;:.")) or normalize_space(name).strip(" ,;:.")
    mentions = find_agencies(clean, province_name)
    head = mentions[0] if mentions and mentions[0].start == 0 else None
    if head is not None and head.known:
        provincial = head.level != "national" and bool(province_code)
        key, label, type_key = head.key, head.label, _KIND_KEYS.get(head.kind, "other")
    else:
        provincial = is_provincial_agency(clean) and bool(province_code)
        label = canonical_agency_name(clean, province_name if provincial else None)
        key, type_key = (head.key if head is not None else slugify(label)), agency_type_key(label)
    iri = agency_iri(province_code if provincial else None, key)
    return ResolvedAgency(iri, label, type_key, provincial)


# ---------------------------------------------------------------- targets

_UNIT_KEYS = {"%": "phan-tram", "%/nam": "phan-tram-moi-nam", "% moi nam": "phan-tram-moi-nam", "": "so-luong"}


def unit_key(unit: str | None, per_year: bool = False) -> str:
    """Key in the unit scheme for a unit as written: "%" -> phan-tram, "lượt" -> luot.

    `per_year` marks growth rates ("tăng bình quân 5%/năm") -> phan-tram-moi-nam.
    """
    text = fold_lower(normalize_space(unit or ""))
    key = _UNIT_KEYS.get(text) or slugify(text)
    if per_year and key == "phan-tram":
        return "phan-tram-moi-nam"
    return key


def unit_concept(unit: str | None, per_year: bool = False) -> NamedNode:
    return concept_iri("unit", unit_key(unit, per_year))


def targets_dataset_iri(plan_id: str) -> NamedNode:
    """The qb:DataSet holding one plan's targets (every kh:Target has qb:dataSet this)."""
    return fact_iri(plan_id, "dataset", "targets")


def targets_dataset_triples(plan_id: str) -> list[Triple]:
    ds = targets_dataset_iri(plan_id)
    return [
        Triple(ds, RDF.type, QB.DataSet),
        Triple(ds, QB.structure, KH.targetStructure),
        Triple(ds, KH.plan, plan_iri(plan_id)),
        Triple(ds, RDFS.label, vi(f"Chỉ tiêu của kế hoạch {plan_id}")),
    ]


def fact_key(*parts: object) -> str:
    """A slug key for fact_iri from stable parts (segment id, index ...)."""
    return "-".join(slugify(str(p)) for p in parts if p is not None and str(p) != "")

"""Records -> RDF: one PlanRecord becomes the quads of its own named graph.

Everything read from one plan, including copies of the shared nodes it mentions
(its province, programmes, cited documents, agencies, the SKOS concepts it uses),
goes into `plan_graph_iri(record.id)`, so replacing one plan's graph is atomic and
self-contained. Queries read the union of the graphs (pyoxigraph:
`store.query(q, use_default_graph_as_union=True)`); a shared triple then appears
once per plan graph that holds it, so queries use DISTINCT.

Header, references, source text and document tree are mapped here. Targets, tasks,
responsibilities, agencies and events are mapped by *fact mappers*: functions
`record -> Iterable[Triple | Quad]` either registered with `register_fact_mapper`
or found as a `quads(record)` function in any module `kehoach.graph.rdf_*`
(e.g. graph/rdf_targets.py). So the extraction work adds a module, not an edit here.
Whatever graph a mapper puts on its quads, they are moved into the plan's graph.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path, PurePath

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from kehoach.graph import builder as b
from kehoach.graph.iris import (
    concept_iri,
    document_iri,
    fact_iri,
    person_iri,
    plan_graph_iri,
    plan_iri,
    programme_iri,
    province_2025_iri,
    province_iri,
    source_iri,
)
from kehoach.ingest.records import Header, LegalReference, PlanRecord, Segment, offset_runs
from kehoach.ingest.vietnamese import slugify
from kehoach.ontology.namespaces import (
    CNT,
    DCT,
    ELI,
    ID,
    KH,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
)

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILES = ("kehoach.ttl", "schemes.ttl")
# The named graph `ontology_quads()` fills: the ontology and the concept schemes.
ONTOLOGY_GRAPH = ID["graph/ontology"]

FactMapper = Callable[[PlanRecord], Iterable["Triple | Quad"]]
FACT_MAPPERS: list[FactMapper] = []

# Segment kinds that are headed containers (kh:Section); every other kind is a kh:Passage.
SECTION_KINDS = frozenset({"part", "section", "appendix", "table"})

# The national programmes the plans implement, named by their approving decision.
KNOWN_PROGRAMMES: dict[str, tuple[str, str]] = {
    "208/QĐ-TTg": (
        "Đề án \"Đẩy mạnh các hoạt động học tập suốt đời trong các thư viện, bảo tàng, nhà văn hóa, câu lạc bộ\"",
        "Scheme \"Promoting lifelong-learning activities in libraries, museums, cultural houses and clubs\" (2014)",
    ),
    "1520/QĐ-TTg": (
        "Chương trình \"Đẩy mạnh các hoạt động phục vụ học tập suốt đời trong thư viện, bảo tàng, "
        "trung tâm văn hóa đến năm 2030\"",
        "Programme \"Promoting lifelong-learning services in libraries, museums and cultural centres to 2030\" (2022)",
    ),
}

# Header field (record.header.spans key) -> the plan property whose value it gives.
HEADER_FIELD_PROPERTIES: dict[str, NamedNode] = {
    "number": ELI.number,
    "symbol": KH.symbol,
    "identifier": ELI.id_local,
    "doc_type": ELI.type_document,
    "issuer": ELI.passed_by,
    "province": DCT.spatial,
    "place": KH.place,
    "date": DCT.issued,
    "title": ELI.title,
    "signer": KH.signedBy,
    "signer_title": KH.signerTitle,
    "programmes": KH.implementsProgramme,
}

DOC_TYPE_KEYS = frozenset(
    "ke-hoach quyet-dinh cong-van nghi-quyet chi-thi ket-luan nghi-dinh thong-tu thong-tu-lien-tich "
    "luat to-trinh thong-bao huong-dan chuong-trinh de-an bao-cao".split()
)


# ---------------------------------------------------------------- registry


def register_fact_mapper(mapper: FactMapper) -> FactMapper:
    """Decorator: add a mapper that `record_to_quads` calls for every plan."""
    if mapper not in FACT_MAPPERS:
        FACT_MAPPERS.append(mapper)
    return mapper


def discovered_fact_mappers() -> list[FactMapper]:
    """`quads(record)` of every module kehoach.graph.rdf_* (sorted by name), then registered ones."""
    import kehoach.graph as package

    found: list[FactMapper] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("rdf_"):
            module = importlib.import_module(f"kehoach.graph.{info.name}")
            mapper = getattr(module, "quads", None)
            if callable(mapper):
                found.append(mapper)
    return found + [m for m in FACT_MAPPERS if m not in found]


# ---------------------------------------------------------------- entry point


def record_to_quads(record: PlanRecord) -> list[Quad]:
    """All quads of one plan, in its named graph, sorted and without duplicates."""
    triples: list[Triple] = []
    triples += source_triples(record)
    triples += header_triples(record)
    triples += reference_triples(record)
    triples += segment_triples(record)
    triples += b.targets_dataset_triples(record.id)
    for mapper in discovered_fact_mappers():
        for item in mapper(record):
            triples.append(item.triple if isinstance(item, Quad) else item)
    triples += concept_triples(triples)
    graph = plan_graph_iri(record.id)
    unique = {Quad(t.subject, t.predicate, t.object, graph) for t in triples}
    return sorted(unique, key=str)


# ---------------------------------------------------------------- source text


def source_triples(record: PlanRecord) -> list[Triple]:
    """The original characters every span points into, and the repaired text if any."""
    src = source_iri(record.id)
    name = PurePath(record.source_path).name if record.source_path else record.id
    out = [
        Triple(src, RDF.type, KH.SourceText),
        Triple(src, RDFS.label, b.string(name)),
        Triple(src, CNT.chars, b.string(record.original_text)),
        Triple(src, CNT.characterEncoding, b.string(record.encoding)),
        Triple(src, KH.sha256, b.string(record.sha256)),
        Triple(src, KH.fileName, b.string(name)),
        Triple(src, DCT.format, b.string("text/plain")),
    ]
    repair = record.repair
    if repair:
        fixed = NamedNode(src.value + "/repaired")
        activity = NamedNode(src.value + "/repair")
        out += [
            Triple(src, KH.repairedText, fixed),
            Triple(fixed, RDF.type, KH.SourceText),
            Triple(fixed, PROV.wasDerivedFrom, src),
            Triple(fixed, PROV.wasGeneratedBy, activity),
            Triple(activity, RDF.type, PROV.Activity),
            Triple(activity, PROV.used, src),
        ]
        # The text the extractors read (layout-normalised, diacritics restored), and the
        # map from each of its characters back to the original: every span stays exact.
        out.append(Triple(fixed, CNT.chars, b.string(record.text)))
        out.append(Triple(fixed, KH.offsetMap, b.string(json.dumps(offset_runs(record.offsets), separators=(",", ":")))))
        version = repair.get("model_version") or repair.get("version") or repair.get("model")
        if version:
            out.append(Triple(activity, KH.modelVersion, b.string(str(version))))
        for key in ("score", "accuracy"):
            if repair.get(key) is not None:
                out.append(Triple(activity, RDFS.comment, b.string(f"{key}={repair[key]}")))
    return out


# ---------------------------------------------------------------- header


def _province_nodes(h: Header) -> tuple[NamedNode | None, list[Triple]]:
    if not (h.province_code or h.province):
        return None, []
    node = province_iri(h.province_code or slugify(h.province or ""))
    out = [Triple(node, RDF.type, KH.Province)]
    if h.province:
        out += [Triple(node, SKOS.prefLabel, b.vi(h.province)), Triple(node, RDFS.label, b.vi(h.province))]
    if h.province_code:
        out.append(Triple(node, KH.provinceCode, b.string(h.province_code)))
    if h.province_code_2025:
        new = province_2025_iri(h.province_code_2025)
        out += [
            Triple(new, RDF.type, KH.Province),
            Triple(new, KH.provinceCode2025, b.string(h.province_code_2025)),
            Triple(node, DCT.isReplacedBy, new),
            Triple(new, DCT.replaces, node),
        ]
        if h.province_2025:
            out += [Triple(new, SKOS.prefLabel, b.vi(h.province_2025)), Triple(new, RDFS.label, b.vi(h.province_2025))]
    return node, out


def _doc_type(node: NamedNode, doc_type: str | None) -> list[Triple]:
    if not doc_type:
        return []
    key = slugify(doc_type)
    if key in DOC_TYPE_KEYS:
        return [Triple(node, ELI.type_document, concept_iri("doc-type", key))]
    return [
        Triple(node, ELI.type_document, concept_iri("doc-type", "other")),
        Triple(node, KH.documentTypeLabel, b.vi(doc_type)),
    ]


def _date(node: NamedNode, iso: str | None, precision: str) -> list[Triple]:
    """dct:issued typed by precision, eli:date_document only for full dates, and the precision."""
    out = [Triple(node, KH.datePrecision, concept_iri("date-precision", precision or "unknown"))]
    if iso and precision != "unknown":
        out.append(Triple(node, DCT.issued, b.date_literal(iso)))
        if len(iso) == 10:
            out.append(Triple(node, ELI.date_document, b.date_literal(iso)))
    return out


def programme_triples(identifier: str) -> list[Triple]:
    """A national programme and the decision that approved it (shared nodes)."""
    prog = programme_iri(identifier)
    decision = document_iri(identifier)
    vi_label, en_label = KNOWN_PROGRAMMES.get(identifier, (f"Chương trình theo {identifier}", f"Programme of {identifier}"))
    return [
        Triple(prog, RDF.type, KH.Programme),
        Triple(prog, DCT.identifier, b.string(identifier)),
        Triple(prog, SKOS.prefLabel, b.vi(vi_label)),
        Triple(prog, RDFS.label, b.vi(vi_label)),
        Triple(prog, SKOS.prefLabel, b.en(en_label)),
        Triple(prog, KH.approvedBy, decision),
        Triple(decision, RDF.type, KH.LegalReference),
        Triple(decision, ELI.id_local, b.string(identifier)),
        Triple(decision, RDFS.label, b.string(identifier)),
    ]


def header_triples(record: PlanRecord) -> list[Triple]:
    h = record.header
    plan = plan_iri(record.id)
    out = [
        Triple(plan, RDF.type, KH.Plan),
        Triple(plan, KH.sourceText, source_iri(record.id)),
        Triple(plan, DCT.identifier, b.string(record.id)),
    ]
    if h.identifier:
        out += [Triple(plan, ELI.id_local, b.string(h.identifier))]
    if h.number:
        out.append(Triple(plan, ELI.number, b.string(h.number)))
    if h.symbol:
        out.append(Triple(plan, KH.symbol, b.string(h.symbol)))
    out += _doc_type(plan, h.doc_type)
    province, province_out = _province_nodes(h)
    out += province_out
    if province is not None:
        out.append(Triple(plan, DCT.spatial, province))
    if h.issuer:
        out += issuer_triples(plan, h.issuer, h, province)
    if h.place:
        out.append(Triple(plan, KH.place, b.vi(h.place)))
    out += _date(plan, h.date, h.date_precision)
    if h.date_not_before:
        bound = fact_iri(record.id, "date", "not-before")
        out += [
            Triple(plan, KH.notIssuedBefore, bound),
            Triple(bound, RDF.type, KH.DateBound),
            Triple(bound, KH.inferred, b.boolean(True)),
            Triple(bound, _time_property(h.date_not_before), b.date_literal(h.date_not_before)),
            Triple(bound, RDFS.comment, b.vi("Suy ra từ văn bản được dẫn chiếu mới nhất; không ghi trong văn bản.")),
        ]
        if h.date_not_before_basis:
            out.append(Triple(bound, PROV.wasDerivedFrom, _reference_doc_iri(record.id, h.date_not_before_basis)))
    if h.title:
        out += [Triple(plan, ELI.title, b.vi(h.title)), Triple(plan, RDFS.label, b.vi(h.title))]
    if h.signer:
        person = person_iri(h.signer)
        out += [
            Triple(plan, KH.signedBy, person),
            Triple(person, RDF.type, SCHEMA.Person),
            Triple(person, SCHEMA.name, b.vi(h.signer)),
            Triple(person, RDFS.label, b.vi(h.signer)),
        ]
    if h.signer_title:
        out.append(Triple(plan, KH.signerTitle, b.vi(h.signer_title)))
    for identifier in h.programmes:
        out.append(Triple(plan, KH.implementsProgramme, programme_iri(identifier)))
        out += programme_triples(identifier)
    for identifier in h.implements:
        out.append(Triple(plan, ELI.based_on, _reference_doc_iri(record.id, identifier)))
    for name, span in sorted(h.spans.items()):
        out += header_field_triples(record, name, span)
    return out


def _time_property(iso: str) -> NamedNode:
    return {10: TIME.inXSDDate, 7: TIME.inXSDgYearMonth, 4: TIME.inXSDgYear}[len(iso)]


def issuer_iri(h: Header) -> NamedNode:
    """The issuing agency's node (province-scoped for provincial bodies)."""
    return b.resolve_agency(h.issuer or "", h.province_code, h.province).iri


def header_field_triples(record: PlanRecord, name: str, span) -> list[Triple]:
    field = fact_iri(record.id, "header", slugify(name))
    out = [
        Triple(field, RDF.type, KH.HeaderField),
        Triple(field, KH.fieldName, b.string(name)),
        Triple(field, KH.describes, plan_iri(record.id)),
    ]
    prop = HEADER_FIELD_PROPERTIES.get(name)
    if prop is not None:
        out.append(Triple(field, KH.forProperty, prop))
    return out + b.provenance(record.id, field, span)


# ---------------------------------------------------------------- references


def issuer_triples(document: NamedNode, issuer: str, h: Header, province: NamedNode | None) -> list[Triple]:
    """`document eli:passed_by agency`, the agency resolved to its canonical node in the
    plan's province (the name as written kept as an alternative label)."""
    agency = b.resolve_agency(issuer, h.province_code, h.province)
    return [
        Triple(document, ELI.passed_by, agency.iri),
        *b.agency_triples(
            agency.iri,
            agency.label,
            province=province if agency.provincial else None,
            type_key=agency.type_key,
            alt_labels=[issuer],
        ),
    ]


def _reference_doc_iri(plan_id: str, identifier: str) -> NamedNode:
    """Shared IRI for a numbered document; a plan-local one when the number is blank."""
    number = identifier.split("/", 1)[0].strip()
    if number:
        return document_iri(identifier)
    return fact_iri(plan_id, "doc", slugify(identifier))


def reference_triples(record: PlanRecord) -> list[Triple]:
    h = record.header
    plan = plan_iri(record.id)
    province = province_iri(h.province_code or slugify(h.province or "")) if (h.province_code or h.province) else None
    out: list[Triple] = []
    seen: dict[str, int] = {}
    for ref in record.references:
        doc = _reference_doc_iri(record.id, ref.identifier)
        out += document_triples(doc, ref, h, province)
        out.append(Triple(plan, ELI.cites, doc))
        if ref.is_basis:
            out.append(Triple(plan, ELI.based_on, doc))
        key = slugify(ref.identifier)
        seen[key] = seen.get(key, 0) + 1
        citation = fact_iri(record.id, "citation", key if seen[key] == 1 else f"{key}-{seen[key]}")
        out += [
            Triple(citation, RDF.type, KH.Citation),
            Triple(citation, KH.citedDocument, doc),
            Triple(citation, KH.plan, plan),
            Triple(citation, KH.isBasis, b.boolean(ref.is_basis)),
        ]
        out += b.provenance(record.id, citation, ref.span)
    return out


def document_triples(doc: NamedNode, ref: LegalReference, h: Header, province: NamedNode | None) -> list[Triple]:
    out = [
        Triple(doc, RDF.type, KH.LegalReference),
        Triple(doc, ELI.id_local, b.string(ref.identifier)),
        Triple(doc, RDFS.label, b.string(ref.identifier)),
        Triple(doc, KH.symbol, b.string(ref.symbol)),
    ]
    if ref.number:
        out.append(Triple(doc, ELI.number, b.string(ref.number)))
    out += _doc_type(doc, ref.doc_type)
    out += _date(doc, ref.date, ref.date_precision)
    if ref.issuer:
        out += issuer_triples(doc, ref.issuer, h, province)
    if ref.programme:
        out.append(Triple(doc, KH.implementsProgramme, programme_iri(ref.programme)))
        out += programme_triples(ref.programme)
    return out


# ---------------------------------------------------------------- document tree


def segment_iri(plan_id: str, segment_id: str) -> NamedNode:
    return fact_iri(plan_id, "segment", segment_id)


def segment_triples(record: PlanRecord) -> list[Triple]:
    plan = plan_iri(record.id)
    known = {s.id for s in record.segments}
    out: list[Triple] = []
    for seg in record.segments:
        node = segment_iri(record.id, seg.id)
        parent = segment_iri(record.id, seg.parent) if seg.parent in known else plan
        out += [
            Triple(node, RDF.type, KH.Section if seg.kind in SECTION_KINDS else KH.Passage),
            Triple(node, KH.segmentKind, concept_iri("segment-kind", seg.kind)),
            Triple(node, KH.plan, plan),
            Triple(node, ELI.is_part_of, parent),
            Triple(parent, ELI.has_part, node),
            Triple(node, SCHEMA.position, b.integer(seg.order)),
            Triple(node, KH.level, b.integer(seg.level)),
            Triple(node, SCHEMA.text, b.vi(seg.text)),
        ]
        if seg.label:
            out.append(Triple(node, ELI.number, b.string(seg.label)))
        if seg.title:
            out.append(Triple(node, ELI.title, b.vi(seg.title)))
        out += _cell_triples(node, seg)
        out += b.provenance(record.id, node, seg.span)
    return out


def _cell_triples(row: NamedNode, seg: Segment) -> list[Triple]:
    out: list[Triple] = []
    columns = seg.columns or []
    for i, text in enumerate(seg.cells or []):
        cell = NamedNode(f"{row.value}/cell/{i}")
        out += [
            Triple(row, KH.cell, cell),
            Triple(cell, RDF.type, KH.TableCell),
            Triple(cell, SCHEMA.position, b.integer(i)),
            Triple(cell, SCHEMA.text, b.vi(text)),
        ]
        if i < len(columns) and columns[i]:
            out.append(Triple(cell, KH.column, b.vi(columns[i])))
    return out


# ---------------------------------------------------------------- ontology and concepts


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[Triple, ...]:
    out: list[Triple] = []
    for name in ONTOLOGY_FILES:
        with open(ONTOLOGY_DIR / name, "rb") as f:
            out += list(parse(f, format=RdfFormat.TURTLE))
    return tuple(out)


@lru_cache(maxsize=1)
def _concept_index() -> dict[NamedNode, tuple[Triple, ...]]:
    index: dict[NamedNode, list[Triple]] = {}
    for t in _ontology_triples():
        if isinstance(t.subject, NamedNode) and t.subject.value.startswith(ID.base + "concept/"):
            index.setdefault(t.subject, []).append(t)
    return {k: tuple(v) for k, v in index.items()}


def concept_triples(triples: Iterable[Triple]) -> list[Triple]:
    """Copies of the SKOS concepts (and their schemes and broader concepts) the triples use.

    A plan graph thus carries the labels and scheme membership of every concept it
    points to, so it can be validated and queried on its own.
    """
    index = _concept_index()
    todo = [t.object for t in triples if isinstance(t.object, NamedNode) and t.object in index]
    done: set[NamedNode] = set()
    out: list[Triple] = []
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for t in index[node]:
            out.append(t)
            if t.predicate in (SKOS.inScheme, SKOS.broader, SKOS.topConceptOf) and t.object in index:
                todo.append(t.object)
    return out


def ontology_quads(graph: NamedNode = ONTOLOGY_GRAPH) -> list[Quad]:
    """The ontology and all concept schemes, for a store to hold in their own graph."""
    return [Quad(t.subject, t.predicate, t.object, graph) for t in _ontology_triples()]

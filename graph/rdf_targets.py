"""Targets and commemoration events of a plan as RDF (found by graph/to_rdf.py as a
`kehoach.graph.rdf_*` mapper).

- Target: kh:Target, a qb:Observation in the plan's targets qb:DataSet (structure
  kh:targetStructure). Dimensions: sdmx-dimension:refArea (the plan's province),
  kh:subject (institution-type scheme), kh:metric (target-metric scheme),
  sdmx-dimension:refPeriod (the deadline year, xsd:gYear; absent for annual targets).
  Measures: sdmx-measure:obsValue (the value, or a range's lower end) and kh:valueMax.
  Attributes: sdmx-attribute:unitMeasure (unit scheme), kh:periodKind (period-kind scheme).
  Also kh:baseline when stated, rdfs:label (the quote), kh:plan, and provenance.
- Event: kh:Event (schema:Event) with kh:commemoration (commemoration scheme), kh:day
  (xsd:gMonthDay), rdfs:label (the name as written), kh:plan, and provenance.
The provenance of each is builder.provenance: kh:sourceSpan -> oa:SpecificResource with a
TextPositionSelector and a TextQuoteSelector into the original text, and kh:extractorVersion.
The target IRIs put the same triples into province queries side by side: ask for
?t kh:subject it:thu-vien-cap-huyen ; sdmx-dimension:refPeriod ?y ; sdmx-measure:obsValue ?v.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Triple

from kehoach.graph import builder as b
from kehoach.graph.iris import fact_iri, plan_iri, province_iri
from kehoach.ingest.events import Event, extract_events
from kehoach.ingest.records import PlanRecord
from kehoach.ingest.targets import Target, extract_targets
from kehoach.ontology.namespaces import DCT, KH, QB, RDF, RDFS, SDMX_ATT, SDMX_DIM, SDMX_MEAS, TIME

# Units of ingest/quantities.py -> keys of the unit scheme (ontology/schemes.ttl).
UNIT_KEYS = {
    "%": "phan-tram",
    "%/năm": "phan-tram-moi-nam",
    "lượt": "luot",
    "bản": "ban",
    "đầu sách": "dau-sach",
    "loại": "loai",
    "cuộc": "cuoc",
    "lần": "lan",
    "đợt": "dot",
    "buổi": "buoi",
    "lớp": "lop",
    "câu lạc bộ": "cau-lac-bo",
    "chuyên đề": "chuyen-de",
    "mô hình": "mo-hinh",
    "người": "nguoi",
    "liên hoan": "lien-hoan",
    "hội thi": "hoi-thi",
    "hội diễn": "hoi-dien",
}
PERIOD_KEYS = {"by_year": "deadline", "annual": "annual", "over_period": "period"}


def unit_key(unit: str) -> str:
    """Unit scheme key; a unit the scheme lacks ("hoạt động") is a plain count."""
    return UNIT_KEYS.get(unit, "so-luong")


def period_key(period: str) -> str | None:
    if period in PERIOD_KEYS:
        return PERIOD_KEYS[period]
    if period.startswith("every "):
        return "period"
    return None


def target_keys(targets: list[Target]) -> list[str]:
    """Stable local keys: where the target is, what it is about and for when."""
    keys, seen = [], {}
    for t in targets:
        base = b.fact_key(t.span.start, t.subject, t.year or t.period)
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(base if n == 0 else f"{base}-{n + 1}")
    return keys


def target_triples(record: PlanRecord, target: Target, node: NamedNode) -> list[Triple]:
    triples = [
        Triple(node, RDF.type, KH.Target),
        Triple(node, RDF.type, QB.Observation),
        Triple(node, QB.dataSet, b.targets_dataset_iri(record.id)),
        Triple(node, KH.plan, plan_iri(record.id)),
        Triple(node, KH.subject, b.concept("institution-type", target.subject)),
        Triple(node, KH.metric, b.concept("target-metric", target.metric)),
        Triple(node, SDMX_MEAS.obsValue, b.decimal(target.value)),
        Triple(node, SDMX_ATT.unitMeasure, b.concept("unit", unit_key(target.unit))),
        Triple(node, RDFS.label, b.vi(" ".join(target.span.quote.split())[:200] or target.subject)),
    ]
    code = record.header.province_code if record.header else None
    if code:
        triples.append(Triple(node, SDMX_DIM.refArea, province_iri(code)))
    if target.value_max is not None:
        triples.append(Triple(node, KH.valueMax, b.decimal(target.value_max)))
    if target.year is not None:
        triples.append(Triple(node, SDMX_DIM.refPeriod, b.date_literal(str(target.year))))
    pk = period_key(target.period)
    if pk:
        triples.append(Triple(node, KH.periodKind, b.concept("period-kind", pk)))
    if target.baseline is not None:
        triples.append(Triple(node, KH.baseline, b.decimal(target.baseline)))
    triples += period_triples(node, getattr(target, "period_start", None), getattr(target, "period_end", None))
    triples += b.provenance(record.id, node, target.span)
    return triples


def period_triples(node: NamedNode, start: int | None, end: int | None) -> list[Triple]:
    """"giai đoạn 2026 - 2030" as an OWL-Time interval: dct:temporal -> time:ProperInterval
    with a beginning and an end instant, each a calendar year."""
    if start is None and end is None:
        return []
    interval = NamedNode(node.value + "/period")
    triples = [Triple(node, DCT.temporal, interval), Triple(interval, RDF.type, TIME.ProperInterval)]
    for link, year, name in ((TIME.hasBeginning, start, "start"), (TIME.hasEnd, end, "end")):
        if year is not None:
            instant = NamedNode(f"{interval.value}/{name}")
            triples += [
                Triple(interval, link, instant),
                Triple(instant, RDF.type, TIME.Instant),
                Triple(instant, TIME.inXSDgYear, b.date_literal(str(year))),
            ]
    return triples


def event_triples(record: PlanRecord, event: Event, node: NamedNode) -> list[Triple]:
    triples = [
        Triple(node, RDF.type, KH.Event),
        Triple(node, KH.plan, plan_iri(record.id)),
        Triple(node, RDFS.label, b.vi(event.name or event.label)),
    ]
    if not event.key.startswith("ngay-") or event.key in _known_events():
        triples.append(Triple(node, KH.commemoration, b.concept("commemoration", event.key)))
    if event.day is not None and event.month is not None:
        triples.append(Triple(node, KH.day, b.month_day_literal(event.day, event.month)))
    triples += b.provenance(record.id, node, event.span)
    return triples


def _known_events() -> set[str]:
    from kehoach.ingest.concepts import COMMEMORATIONS

    return set(COMMEMORATIONS)


def quads(record: PlanRecord) -> list[Triple]:
    """Triples of the plan's targets and events (to_rdf moves them into the plan's graph)."""
    targets = record.targets or extract_targets(record)
    events = record.events or extract_events(record)
    triples: list[Triple] = []
    if targets:
        triples += b.targets_dataset_triples(record.id)
    for t, key in zip(targets, target_keys(targets)):
        triples += target_triples(record, t, fact_iri(record.id, "target", key))
    for e in events:
        node = fact_iri(record.id, "event", b.fact_key(e.span.start, e.key))
        triples += event_triples(record, e, node)
    return triples


__all__ = ["quads", "target_triples", "event_triples", "unit_key"]

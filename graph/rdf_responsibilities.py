"""Agencies, tasks and responsibilities of a plan as RDF (found by to_rdf as a `kehoach.graph.rdf_*` mapper).

- Agency: kh:Agency (org:Organization) with skos:prefLabel/altLabel, org:classification
  (agency-type scheme), dct:spatial its province, org:subOrganizationOf the provincial UBND
  for departments; IRI agency/{province code}/{canonical key} (graph/iris.agency_iri).
- Task: kh:Task (p-plan:Step), p-plan:isStepOfPlan the plan, schema:text, kh:theme
  (task-theme scheme), dct:temporal its period, kh:level its section path.
- Responsibility: kh:Responsibility (prov:Association) with prov:agent, prov:hadRole
  (responsibility-role scheme), kh:task, kh:plan, kh:deadline; the task also points to it
  with prov:qualifiedAssociation.
Every task and responsibility carries its source span and extractor version (builder.provenance).
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from kehoach.graph import builder as b
from kehoach.graph.iris import agency_iri, fact_iri, plan_iri, province_iri
from kehoach.ingest.agencies import Agency, extract_agencies
from kehoach.ingest.records import PlanRecord
from kehoach.ingest.responsibilities import Responsibility, extract_responsibilities
from kehoach.ingest.tasks import Task, extract_tasks
from kehoach.ontology.namespaces import DCT, KH, ORG, PPLAN, PROV, RDF, SCHEMA, SKOS, XSD

_TYPE_KEYS = {"ministry": "ministry", "party": "party", "department": "department", "unit": "unit", "media": "media",
              "mass-organisation": "mass-organisation", "armed-forces": "armed-forces"}


def agency_type_key(agency: Agency) -> str:
    if agency.kind == "people-committee":
        return {"district": "district-people-committee", "commune": "commune-people-committee"}.get(
            agency.level, "provincial-people-committee")
    return _TYPE_KEYS.get(agency.kind) or b.agency_type_key(agency.label)


def agency_node(record: PlanRecord, key: str, level: str | None = None) -> NamedNode:
    code = record.header.province_code if record.header else None
    return agency_iri(None if level == "national" else code, key)


def agency_triples(record: PlanRecord, agency: Agency) -> list[Triple]:
    iri = agency_node(record, agency.key, agency.level)
    province = province_iri(agency.province_code) if agency.province_code else None
    parent = None
    if agency.sub_organization_of and agency.province_code:
        parent = agency_iri(agency.province_code, agency.sub_organization_of)
    triples = b.agency_triples(iri, agency.label, province=province, type_key=agency_type_key(agency),
                               alt_labels=agency.alt_labels, parent=parent)
    triples.append(Triple(iri, RDF.type, ORG.Organization))
    if parent is not None:
        triples += b.agency_triples(parent, "Ủy ban nhân dân tỉnh", province=province,
                                    type_key="provincial-people-committee")
    return triples


def task_iri(plan_id: str, task_id: str) -> NamedNode:
    return fact_iri(plan_id, "task", task_id)


def task_triples(record: PlanRecord, task: Task) -> list[Triple]:
    node = task_iri(record.id, task.id)
    triples = [
        Triple(node, RDF.type, KH.Task),
        Triple(node, RDF.type, PPLAN.Step),
        Triple(node, PPLAN.isStepOfPlan, plan_iri(record.id)),
        Triple(node, KH.plan, plan_iri(record.id)),
        Triple(node, SCHEMA.text, b.vi(task.text)),
        Triple(node, SKOS.prefLabel, b.vi(task.summary)),
        Triple(node, KH.theme, b.concept("task-theme", task.theme)),
        Triple(node, DCT.source, Literal(task.source)),
    ]
    if task.section_path:
        triples.append(Triple(node, KH.level, Literal(".".join(task.section_path))))
    if task.period:
        triples.append(Triple(node, DCT.temporal, Literal(task.period)))
    if task.product:
        triples.append(Triple(node, SCHEMA.result, b.vi(task.product)))
    triples += b.provenance(record.id, node, task.span, version=task.extractor_version)
    return triples


def responsibility_triples(record: PlanRecord, index: int, r: Responsibility) -> list[Triple]:
    node = fact_iri(record.id, "responsibility", f"{r.task_id}-{r.agency_key}-{r.role}")
    level = r.mention.level if r.mention else None
    triples = [
        Triple(node, RDF.type, KH.Responsibility),
        Triple(node, RDF.type, PROV.Association),
        Triple(node, PROV.agent, agency_node(record, r.agency_key, level)),
        Triple(node, PROV.hadRole, b.concept("responsibility-role", r.role)),
        Triple(node, KH.task, task_iri(record.id, r.task_id)),
        Triple(node, KH.plan, plan_iri(record.id)),
        Triple(task_iri(record.id, r.task_id), PROV.qualifiedAssociation, node),
    ]
    if r.deadline:
        if r.deadline.quarter:  # no XSD type for a quarter: the value as text ("2023-Q3")
            triples.append(Triple(node, KH.deadline, Literal(r.deadline.value)))
        else:
            datatype = XSD.date if r.deadline.year else XSD.gMonthDay
            triples.append(Triple(node, KH.deadline, Literal(r.deadline.value, datatype=datatype)))
    triples += b.provenance(record.id, node, r.span, version=r.extractor_version)
    return triples


def quads(record: PlanRecord) -> list[Triple]:
    """Triples of the plan's agencies, tasks and responsibilities (to_rdf moves them into the plan graph)."""
    responsibilities = [r for r in (record.responsibilities or extract_responsibilities(record))
                        if isinstance(r, Responsibility)]
    if not record.responsibilities:
        record.responsibilities = responsibilities
    tasks = [t for t in (record.tasks or extract_tasks(record)) if isinstance(t, Task)]
    agencies = [a for a in (record.agencies or extract_agencies(record)) if isinstance(a, Agency)]
    triples: list[Triple] = []
    for agency in agencies:
        triples += agency_triples(record, agency)
    task_ids = set()
    for task in tasks:
        task_ids.add(task.id)
        triples += task_triples(record, task)
    for i, r in enumerate(responsibilities):
        if r.task_id in task_ids:
            triples += responsibility_triples(record, i, r)
    return triples




"""Stable IRIs for everything kehoach mints.

An IRI depends only on what identifies the thing, never on ingest order, so
re-ingesting a plan gives the same IRIs:
- a plan: its id (the file's stem, slugified, unless the caller gives one);
- a cited document: its canonical identifier ("1520/QĐ-TTg" -> doc/1520-qd-ttg);
- a province: its code in the 63-province system (province/10);
- an agency: its province code and the slug of its canonical name (agency/10/so-van-hoa-va-the-thao);
- a fact inside a plan (segment, target, task ...): the plan IRI + kind + a local key.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kehoach.ingest.vietnamese import slugify
from kehoach.ontology.namespaces import ID


def plan_iri(plan_id: str) -> NamedNode:
    return ID[f"plan/{plan_id}"]


def plan_graph_iri(plan_id: str) -> NamedNode:
    """The named graph that holds everything read from one plan."""
    return ID[f"graph/{plan_id}"]


def source_iri(plan_id: str) -> NamedNode:
    return ID[f"source/{plan_id}"]


def fact_iri(plan_id: str, kind: str, key: str) -> NamedNode:
    """A fact of a plan: segment, target, task, responsibility, event, reference use ..."""
    return ID[f"plan/{plan_id}/{kind}/{key}"]


def span_iri(fact: NamedNode) -> NamedNode:
    return NamedNode(fact.value + "/span")


def document_iri(identifier: str) -> NamedNode:
    """A cited legal document, shared across plans: "1520/QĐ-TTg" -> doc/1520-qd-ttg."""
    return ID[f"doc/{slugify(identifier)}"]


def programme_iri(identifier: str) -> NamedNode:
    """A national programme, named by the decision that approved it."""
    return ID[f"programme/{slugify(identifier)}"]


def province_iri(code: str) -> NamedNode:
    return ID[f"province/{code}"]


def province_2025_iri(code: str) -> NamedNode:
    return ID[f"province-2025/{code}"]


def agency_iri(province_code: str | None, canonical_name: str) -> NamedNode:
    scope = province_code or "national"
    return ID[f"agency/{scope}/{slugify(canonical_name)}"]


def concept_iri(scheme: str, key: str) -> NamedNode:
    return ID[f"concept/{scheme}/{slugify(key)}"]


def person_iri(name: str) -> NamedNode:
    return ID[f"person/{slugify(name)}"]

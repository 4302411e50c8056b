"""Plans, facts, agencies and targets read from the graph for the JSON API and the pages.

Every read is a named query (graph/queries/api-*.rq) run with pyoxigraph substitutions for
the values a request supplies, so request input never becomes SPARQL text. Facts are
returned generically (their type, every property with its values and labels, their source
span), so facts added by new extractors appear in the API without changes here.
"""

from __future__ import annotations

import re
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Store, Variable

from kehoach.api.data import named_query
from kehoach.graph.iris import plan_graph_iri, plan_iri
from kehoach.ontology.namespaces import ID, KH, PREFIXES

FACT_GROUPS = {
    KH.Target.value: "targets",
    KH.Task.value: "tasks",
    KH.Responsibility.value: "responsibilities",
    KH.Event.value: "events",
    KH.Citation.value: "citations",
    KH.HeaderField.value: "header_fields",
}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
PLAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def compact(iri: str) -> str:
    """kh:Target for the full IRI, when a project prefix covers it."""
    for prefix, base in _BY_LENGTH:
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def plain(term) -> Any:
    """A term as JSON: IRIs and blank nodes as strings, literals as their Python value."""
    if term is None:
        return None
    if isinstance(term, (NamedNode, BlankNode)):
        return term.value
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#nonNegativeInteger", "#positiveInteger", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if datatype.endswith(("#decimal", "#double", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if datatype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return str(term)


def select(store: Store, name: str, **bindings) -> list[dict[str, Any]]:
    """Rows of named query `name`, with `bindings` substituted for its variables."""
    substitutions = {Variable(key): value for key, value in bindings.items()}
    result = store.query(named_query(name), prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=substitutions)
    assert isinstance(result, QuerySolutions)
    variables = [v.value for v in result.variables]
    return [{v: solution[v] for v in variables} for solution in result]


def _plan_summary(row: dict[str, Any]) -> dict[str, Any]:
    programmes = plain(row["programmes"]) or ""
    return {
        "id": plain(row["id"]),
        "iri": plain(row["plan"]),
        "identifier": plain(row["identifier"]),
        "title": plain(row["title"]),
        "issued": plain(row["issued"]),
        "year": _year(plain(row["issued"])),
        # no issue date in the header: the earliest year it can have (from the documents it cites)
        "year_not_before": None if row["issued"] is not None else _year(plain(row["notBefore"])),
        "province": plain(row["provinceName"]),
        "province_code": plain(row["provinceCode"]),
        "issuer": plain(row["issuerName"]),
        "issuer_iri": plain(row["issuer"]),
        "signer": plain(row["signer"]),
        "signer_title": plain(row["signerTitle"]),
        "programmes": sorted(p for p in programmes.split("|") if p),
    }


def _year(issued: Any) -> int | None:
    match = re.match(r"^(\d{4})", str(issued or ""))
    return int(match.group(1)) if match else None


def list_plans(store: Store) -> list[dict[str, Any]]:
    return [_plan_summary(row) for row in select(store, "api-plans")]


def source_text(store: Store, plan_id: str) -> str | None:
    rows = select(store, "api-plan-source", plan=plan_iri(plan_id))
    return plain(rows[0]["text"]) if rows else None


def repaired_text(store: Store, plan_id: str) -> dict[str, Any] | None:
    """The diacritic-restored text of an OCR'd plan and the repair model's version, if any."""
    rows = select(store, "api-plan-repaired", plan=plan_iri(plan_id))
    if not rows:
        return None
    return {"text": plain(rows[0]["text"]), "model_version": plain(rows[0]["modelVersion"]) if rows[0]["modelVersion"] else None}


def plan_facts(store: Store, plan_id: str) -> dict[str, list[dict[str, Any]]]:
    """Facts of one plan grouped by kind, each with its properties and source span."""
    graph = plan_graph_iri(plan_id)
    spans = {
        row["fact"].value: {"start": plain(row["start"]), "end": plain(row["end"]), "quote": plain(row["quote"])}
        for row in select(store, "api-plan-spans", g=graph)
    }
    facts: dict[str, dict[str, Any]] = {}
    for row in select(store, "api-plan-facts", g=graph):
        iri = row["fact"].value
        fact = facts.setdefault(
            iri,
            {"iri": iri, "type": compact(row["type"].value), "group": FACT_GROUPS[row["type"].value], "properties": {}, "span": spans.get(iri)},
        )
        predicate = compact(row["p"].value)
        if predicate == "rdf:type":
            continue
        value: dict[str, Any] = {"value": plain(row["o"])}
        if isinstance(row["o"], NamedNode):
            value["iri"] = True
        if row["label"] is not None:
            value["label"] = plain(row["label"])
        fact["properties"].setdefault(predicate, []).append(value)
    grouped: dict[str, list[dict[str, Any]]] = {group: [] for group in FACT_GROUPS.values()}
    for fact in facts.values():
        grouped[fact.pop("group")].append(fact)
    for items in grouped.values():
        items.sort(key=lambda f: ((f["span"] or {}).get("start", 1 << 60), f["iri"]))
    return grouped


def agency_key(iri: str) -> str | None:
    prefix = ID.base + "agency/"
    return iri[len(prefix):] if iri.startswith(prefix) else None


def list_agencies(store: Store) -> list[dict[str, Any]]:
    out = []
    for row in select(store, "api-agencies"):
        iri = plain(row["agency"])
        out.append(
            {
                "id": agency_key(iri) or iri,
                "iri": iri,
                "name": plain(row["name"]),
                "kind": plain(row["kind"]),
                "province": plain(row["provinceName"]),
                "plans": sorted(p for p in (plain(row["plans"]) or "").split("|") if p),
            }
        )
    return out


def agency_links(store: Store, agency_iri: str) -> list[dict[str, Any]]:
    return [
        {
            "plan": plain(row["planId"]),
            "subject": plain(row["subject"]),
            "type": compact(row["type"].value),
            "property": compact(row["p"].value),
        }
        for row in select(store, "api-agency-links", agency=NamedNode(agency_iri))
    ]


def fact_values(fact: dict[str, Any]) -> list[str]:
    """Every value and label of a fact, as text, for filtering."""
    texts = []
    for values in fact["properties"].values():
        for value in values:
            texts.append(str(value.get("value", "")))
            if value.get("label"):
                texts.append(str(value["label"]))
    return texts

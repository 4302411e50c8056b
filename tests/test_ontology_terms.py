"""The ontology, concept schemes and shapes: they parse, every minted term is documented
in Vietnamese and English, and code and shapes only use terms the ontology defines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
KH = rdflib.Namespace("https://w3id.org/kehoach/ontology#")
CONCEPT_BASE = "https://w3id.org/kehoach/id/concept/"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "kehoach.ttl", format="turtle")


@pytest.fixture(scope="module")
def schemes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "schemes.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def minted_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(KH))}


def langs(g: rdflib.Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, rdflib.Literal)}


def test_ontology_declares_the_required_classes(ontology):
    for name in ["Plan", "Programme", "LegalReference", "Agency", "Province", "Section", "Passage",
                 "SourceText", "Target", "Task", "Responsibility", "Event"]:
        assert (KH[name], RDF.type, OWL.Class) in ontology, name


def test_required_classes_reuse_standard_vocabularies(ontology):
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    expected = {
        "Plan": eli.LegalResource,
        "LegalReference": eli.LegalResource,
        "Agency": rdflib.URIRef("http://www.w3.org/ns/org#Organization"),
        "Province": rdflib.URIRef("http://purl.org/dc/terms/Location"),
        "Section": eli.LegalResourceSubdivision,
        "Passage": eli.LegalResourceSubdivision,
        "SourceText": rdflib.URIRef("http://www.w3.org/ns/prov#Entity"),
        "Target": rdflib.URIRef("http://purl.org/linked-data/cube#Observation"),
        "Task": rdflib.URIRef("http://purl.org/net/p-plan#Step"),
        "Responsibility": rdflib.URIRef("http://www.w3.org/ns/prov#Association"),
    }
    for name, parent in expected.items():
        assert (KH[name], RDFS.subClassOf, parent) in ontology, name


def test_every_minted_term_has_vietnamese_and_english_labels_and_a_definition(ontology):
    terms = minted_terms(ontology)
    assert len(terms) > 40
    for term in terms:
        assert {"vi", "en"} <= langs(ontology, term, RDFS.label), f"{term}: rdfs:label @vi and @en"
        definitions = langs(ontology, term, SKOS.definition) | langs(ontology, term, RDFS.comment)
        assert definitions, f"{term}: skos:definition or rdfs:comment"


def _kh_terms_used_in_python() -> set[str]:
    names: set[str] = set()
    for folder in ("graph", "ingest", "api", "search", "kehoach"):
        for path in (ROOT / folder).rglob("*.py"):
            names.update(re.findall(r"\bKH\.([A-Za-z_][A-Za-z0-9_]*)", path.read_text(encoding="utf-8")))
    return names


def test_code_uses_only_terms_the_ontology_defines(ontology):
    defined = {str(t)[len(str(KH)):] for t in minted_terms(ontology)}
    missing = sorted(_kh_terms_used_in_python() - defined)
    assert not missing, f"KH terms used in code but not defined in ontology/kehoach.ttl: {missing}"


def test_queries_use_only_terms_the_ontology_defines(ontology):
    defined = {str(t)[len(str(KH)):] for t in minted_terms(ontology)}
    used: set[str] = set()
    for path in (ROOT / "graph" / "queries").glob("*.rq"):
        used.update(re.findall(r"\bkh:([A-Za-z_][A-Za-z0-9_]*)", path.read_text(encoding="utf-8")))
    assert not sorted(used - defined)


def test_shapes_use_only_defined_terms(ontology, shapes):
    defined = minted_terms(ontology)
    used = {o for o in shapes.objects() if isinstance(o, rdflib.URIRef) and str(o).startswith(str(KH))}
    used |= {s for s in shapes.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(KH))}
    assert not sorted(used - defined)


def test_every_query_file_starts_with_a_describing_comment():
    files = sorted((ROOT / "graph" / "queries").glob("*.rq"))
    assert {"plans.rq", "references.rq", "sections.rq", "programmes.rq"} <= {f.name for f in files}
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, path.name


# ---------------------------------------------------------------- concept schemes


def test_every_concept_is_in_a_declared_scheme_with_vi_and_en_labels(schemes):
    declared = set(schemes.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = set(schemes.subjects(RDF.type, SKOS.Concept))
    assert len(declared) >= 10 and len(concepts) > 100
    for c in concepts:
        in_schemes = set(schemes.objects(c, SKOS.inScheme))
        assert len(in_schemes) == 1 and in_schemes <= declared, c
        assert {"vi", "en"} <= langs(schemes, c, SKOS.prefLabel), c
        # concept_iri(scheme, key) gives exactly this IRI
        scheme = str(next(iter(in_schemes)))
        assert str(c).startswith(scheme + "/"), c
        key = str(c)[len(scheme) + 1:]
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key), c
        for broader in schemes.objects(c, SKOS.broader):
            assert (broader, SKOS.inScheme, next(iter(in_schemes))) in schemes, (c, broader)


def test_concept_iri_matches_the_schemes(schemes):
    from kehoach.graph.iris import concept_iri

    assert (rdflib.URIRef(concept_iri("responsibility-role", "lead").value), RDF.type, SKOS.Concept) in schemes
    assert (rdflib.URIRef(concept_iri("doc-type", "Kế hoạch").value), RDF.type, SKOS.Concept) in schemes
    assert (rdflib.URIRef(concept_iri("date-precision", "month").value), RDF.type, SKOS.Concept) in schemes


def _keys(schemes: rdflib.Graph, scheme: str) -> set[str]:
    base = rdflib.URIRef(CONCEPT_BASE + scheme)
    return {str(c)[len(base) + 1:] for c in schemes.subjects(SKOS.inScheme, base)}


def test_roles_are_lead_coordinate_request(schemes):
    assert _keys(schemes, "responsibility-role") == {"lead", "coordinate", "request"}


def test_schemes_cover_the_extractors_vocabularies(schemes):
    """The extraction code maps onto these keys; a key it uses must exist in schemes.ttl."""
    from kehoach.ingest import agencies, concepts

    assert set(concepts.INSTITUTION_TYPES) <= _keys(schemes, "institution-type")
    assert set(concepts.METRICS) <= _keys(schemes, "target-metric")
    assert set(concepts.COMMEMORATIONS) <= _keys(schemes, "commemoration")
    kinds = {t.kind for t in agencies.AGENCY_TYPES}
    assert kinds <= _keys(schemes, "agency-type")
    assert {"provincial-people-committee", "department", "other"} <= _keys(schemes, "agency-type")
    assert {"day", "month", "year", "unknown"} == _keys(schemes, "date-precision")


def test_units_of_the_quantity_reader_have_concepts(schemes):
    from kehoach.graph.builder import unit_key
    from kehoach.ingest.quantities import UNITS

    keys = _keys(schemes, "unit")
    for display in set(UNITS.values()):
        assert unit_key(display) in keys, display
    assert unit_key("%", per_year=True) == "phan-tram-moi-nam" in keys


def test_task_themes_cover_the_issue_list(schemes):
    assert {
        "awareness-communication", "infrastructure-network", "it-digital-transformation",
        "human-resources-training", "international-cooperation", "socialisation-resources",
        "funding", "inspection-reporting", "events",
    } <= _keys(schemes, "task-theme")

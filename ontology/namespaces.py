"""Every vocabulary term kehoach writes, in one place, as pyoxigraph NamedNodes.

Reused vocabularies come first; `KH` holds the few terms minted by kehoach itself
(each defined with Vietnamese and English labels in ontology/kehoach.ttl).
Use: `from kehoach.ontology.namespaces import ELI, KH, RDF` then `ELI.passed_by`.
"""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    """`NS.term` and `NS["term"]` give NamedNode(base + term)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __str__(self) -> str:
        return self.base


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATT = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEAS = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
OA = Namespace("http://www.w3.org/ns/oa#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
# W3C Representing Content in RDF: the characters of a source file (cnt:chars).
CNT = Namespace("http://www.w3.org/2011/content#")

# kehoach's own terms and its data.
KH = Namespace("https://w3id.org/kehoach/ontology#")
ID = Namespace("https://w3id.org/kehoach/id/")

PREFIXES: dict[str, str] = {
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "owl": OWL.base,
    "xsd": XSD.base,
    "skos": SKOS.base,
    "dct": DCT.base,
    "eli": ELI.base,
    "org": ORG.base,
    "prov": PROV.base,
    "time": TIME.base,
    "qb": QB.base,
    "sdmx-dimension": SDMX_DIM.base,
    "sdmx-attribute": SDMX_ATT.base,
    "sdmx-measure": SDMX_MEAS.base,
    "oa": OA.base,
    "p-plan": PPLAN.base,
    "schema": SCHEMA.base,
    "foaf": FOAF.base,
    "cnt": CNT.base,
    "kh": KH.base,
    "khid": ID.base,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

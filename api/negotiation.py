"""Content negotiation for /sparql: which result format a client gets.

SELECT and ASK answer in SPARQL JSON (the default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
in Turtle (the default), N-Triples, TriG, N-Quads, JSON-LD or RDF/XML. A `format=` parameter (json,
xml, csv, tsv, turtle, ntriples, trig, nquads, jsonld, rdfxml), as Fuseki and Virtuoso accept, wins
over the Accept header so a plain link can download a given format.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultFormat:
    key: str  # short name, also the `format=` value
    media_type: str  # what Content-Type says
    aliases: tuple[str, ...] = ()  # other media types that select it

    @property
    def content_type(self) -> str:
        """Every format we write is UTF-8 text."""
        return f"{self.media_type}; charset=utf-8"


SOLUTION_FORMATS = [
    ResultFormat("json", "application/sparql-results+json", ("application/json",)),
    ResultFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    ResultFormat("csv", "text/csv"),
    ResultFormat("tsv", "text/tab-separated-values"),
]
GRAPH_FORMATS = [
    ResultFormat("turtle", "text/turtle", ("application/x-turtle",)),
    ResultFormat("ntriples", "application/n-triples", ("text/plain",)),
    ResultFormat("trig", "application/trig"),
    ResultFormat("nquads", "application/n-quads"),
    ResultFormat("jsonld", "application/ld+json", ("application/json",)),
    ResultFormat("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),  # rdflib's SPARQLStore asks for it
]
# `format=` names other endpoints use for the graph forms (format=json on a CONSTRUCT ...).
GRAPH_KEY_ALIASES = {"json": "jsonld", "xml": "rdfxml", "ttl": "turtle", "nt": "ntriples", "n3": "turtle"}
FORMS_WITH_SOLUTIONS = {"select", "ask"}


def formats_for(form: str) -> list[ResultFormat]:
    return SOLUTION_FORMATS if form in FORMS_WITH_SOLUTIONS else GRAPH_FORMATS


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def _matches(media_range: str, fmt: ResultFormat) -> bool:
    if media_range == "*/*":
        return True
    types = (fmt.media_type, *fmt.aliases)
    if media_range.endswith("/*"):
        return any(t.startswith(media_range[:-1]) for t in types)
    return media_range in types


def choose_format(form: str, accept: str | None, format_param: str | None = None) -> ResultFormat | None:
    """The format to answer a `form` query in, or None when the client accepts none we write."""
    candidates = formats_for(form)
    if format_param:
        wanted = format_param.strip().lower()
        if form not in FORMS_WITH_SOLUTIONS:
            wanted = GRAPH_KEY_ALIASES.get(wanted, wanted)
        for fmt in candidates:
            if wanted in (fmt.key, fmt.media_type, *fmt.aliases):
                return fmt
        return None
    for media_range, _quality in parse_accept(accept):
        for fmt in candidates:
            if _matches(media_range, fmt):
                return fmt
    return None


def acceptable_names(form: str) -> str:
    return ", ".join(f.media_type for f in formats_for(form))

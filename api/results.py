"""Writers for SPARQL SELECT results in the four W3C formats, over a list of rows.

pyoxigraph serialises only a whole result iterator; the endpoint must stop at the row limit
and say so inside the body, so it writes the rows it kept itself. Output follows the W3C
SPARQL 1.1 Query Results JSON, XML, CSV and TSV specifications and is checked against
pyoxigraph's own writer in tests/test_api_sparql_protocol.py.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TRUNCATION_LINK = "urn:kehoach:result-truncated"


def truncation_note(limit: int, unit: str = "rows") -> str:
    return (
        f"Result truncated: only the first {limit} {unit} are returned (the endpoint's limit). "
        "Add LIMIT/OFFSET to page through the rest."
    )


def term_json(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        data = {"type": "literal", "value": term.value}
        if term.language:
            data["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            data["datatype"] = term.datatype.value
        return data
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def write_json(variables: list[str], rows: list[list], truncated_at: int | None = None) -> bytes:
    head: dict = {"vars": variables}
    document: dict = {"head": head}
    if truncated_at is not None:
        head["link"] = [TRUNCATION_LINK]
        # Placed before "results": strict streaming readers (pyoxigraph) reject keys after it.
        document["truncated"] = {"limit": truncated_at, "message": truncation_note(truncated_at)}
    document["results"] = {
        "bindings": [
            {name: term_json(value) for name, value in zip(variables, row) if value is not None}
            for row in rows
        ]
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def term_xml(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        return (
            f"<triple><subject>{term_xml(term.subject)}</subject>"
            f"<predicate>{term_xml(term.predicate)}</predicate>"
            f"<object>{term_xml(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def write_xml(variables: list[str], rows: list[list], truncated_at: int | None = None) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out.extend(f"<variable name={quoteattr(name)}/>" for name in variables)
    if truncated_at is not None:
        out.append(f"<link href={quoteattr(TRUNCATION_LINK)}/>")
    out.append("</head>\n")
    if truncated_at is not None:
        out.append(f"<!-- {escape(truncation_note(truncated_at))} -->\n")
    out.append("<results>\n")
    for row in rows:
        out.append("<result>")
        for name, value in zip(variables, row):
            if value is not None:
                out.append(f"<binding name={quoteattr(name)}>{term_xml(value)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def term_csv(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)  # quoted triple: its N-Triples form


def write_csv(variables: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([term_csv(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list[list]) -> bytes:
    """TSV cells are terms in Turtle/N-Triples syntax, which escapes tabs and newlines."""
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines.extend("\t".join("" if value is None else str(value) for value in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


SOLUTION_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
FORMATS_THAT_MARK_TRUNCATION = {"json", "xml", "turtle", "ntriples", "trig", "nquads", "jsonld"}

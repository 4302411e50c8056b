"""Decide, before any store is touched, whether a request's SPARQL may run here.

The endpoint is read-only and must never reach other machines, so SPARQL Update (INSERT,
DELETE, LOAD, CLEAR ...) and federated `SERVICE` are refused. The decision is made on
rdflib's parse tree, which names every `ServiceGraphPattern` wherever it sits (sub-query,
EXISTS, OPTIONAL ...). A query rdflib cannot parse (Oxigraph accepts a few extensions and
SPARQL 1.2 syntax rdflib does not) gets a token scan that skips strings, IRIs and comments
and refuses any bare SERVICE keyword; Oxigraph then judges its syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

UPDATE_OPERATIONS = {
    "Load", "Clear", "Drop", "Create", "Add", "Move", "Copy",
    "InsertData", "DeleteData", "DeleteWhere", "Modify",
}
QUERY_FORMS = {"SelectQuery": "select", "ConstructQuery": "construct", "AskQuery": "ask", "DescribeQuery": "describe"}


# Why a query is refused, in words; `who` names what refuses it ("this endpoint", or
# "kehoach sparql" on the command line).
REFUSALS = {
    "load": "LOAD is not allowed: {who} is read-only and does not fetch remote data.",
    "update": "SPARQL Update is not allowed: {who} is read-only (queries only).",
    "service": "SERVICE (federated query) is not allowed: {who} does not contact other servers.",
}


class Refused(Exception):
    """The request is understood but not allowed here (HTTP 403). `kind`: a key of REFUSALS."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(self.message())

    def message(self, who: str = "this endpoint") -> str:
        return REFUSALS[self.kind].format(who=who)


@dataclass(frozen=True)
class Verdict:
    """What we know about an accepted query before running it."""

    form: str | None  # select | construct | ask | describe; None when rdflib could not parse it
    has_dataset_clause: bool = False  # FROM / FROM NAMED: the query names its own dataset


def _node_names(node) -> "list[str]":
    """Every CompValue name in an rdflib parse tree, depth first (iterative: deep trees exist)."""
    names: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            names.append(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))
    return names


_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # IRIs
    r"|#[^\n]*",  # comments
    re.DOTALL,
)
def _keyword(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w:?$@.\-]){word}(?![\w:\-])", re.IGNORECASE)


_SERVICE_KEYWORD = _keyword("SERVICE")
_FROM_KEYWORD = _keyword("FROM")


def mentions_service_keyword(query: str) -> bool:
    """A bare SERVICE keyword outside strings, IRIs, comments, variables and prefixed names."""
    return bool(_SERVICE_KEYWORD.search(_SKIPPED.sub(" ", query)))


def mentions_from_keyword(query: str) -> bool:
    return bool(_FROM_KEYWORD.search(_SKIPPED.sub(" ", query)))


def check_query(query: str) -> Verdict:
    """Raise Refused for updates and SERVICE; return the query form when rdflib can tell it.

    Verdicts are cached by query text: rdflib's parser costs milliseconds, and endpoints see
    the same queries again and again (example galleries, dashboards, API clients)."""
    verdict = _cached_verdict(query)
    if isinstance(verdict, str):
        raise Refused(verdict)
    return verdict


@lru_cache(maxsize=1024)
def _cached_verdict(query: str) -> "Verdict | str":
    try:
        return _verdict(query)
    except Refused as refusal:
        return refusal.kind


def _verdict(query: str) -> Verdict:
    try:
        tree = parseQuery(query)
    except Exception:  # noqa: BLE001 - any parse failure just means "not a query rdflib knows"
        tree = None
    if tree is not None:
        names = _node_names(tree)
        if "ServiceGraphPattern" in names:
            raise Refused("service")
        form = next((QUERY_FORMS[n] for n in names if n in QUERY_FORMS), None)
        return Verdict(form=form, has_dataset_clause="DatasetClause" in names)
    try:
        update = parseUpdate(query)
    except Exception:  # noqa: BLE001
        update = None
    update_names = _node_names(update) if update is not None else []
    if UPDATE_OPERATIONS.intersection(update_names):
        raise Refused("load" if "Load" in update_names else "update")
    if mentions_service_keyword(query):
        raise Refused("service")
    return Verdict(form=None, has_dataset_clause=mentions_from_keyword(query))

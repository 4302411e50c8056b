"""The web pages: search (/), plans (/plans, /plans/{id}) and SPARQL (/sparql in a browser).

Pages are Jinja templates plus plain JavaScript in api/static; nothing is fetched from a
CDN. The plan page is rendered on the server: the source text with every fact's span
wrapped in <mark>, so it reads without JavaScript; the script only links list and text.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kehoach import __version__
from kehoach.api import graph_reader as gr
from kehoach.api.data import Unavailable, example_queries, get_store, named_query
from kehoach.ontology.namespaces import PREFIXES, sparql_prefixes

router = APIRouter(include_in_schema=False)
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]))
TEMPLATES.globals["static"] = lambda name: f"/static/{name}?v={__version__}"

FACT_GROUPS = [
    ("targets", "Chỉ tiêu", "Targets"),
    ("tasks", "Nhiệm vụ", "Tasks"),
    ("responsibilities", "Trách nhiệm", "Responsibilities"),
    ("events", "Sự kiện", "Events"),
    ("citations", "Văn bản dẫn chiếu", "Citations"),
    ("header_fields", "Thông tin đầu văn bản", "Header fields"),
]
# Properties that say where a fact sits rather than what it says.
SUMMARY_SKIP = {"kh:plan", "kh:describes", "kh:inSegment", "kh:forProperty", "qb:dataSet", "p-plan:isStepOfPlan", "prov:hadPlan"}

STARTING_QUERY = "plans-in-short"  # graph/queries/plans-in-short.rq, in the editor when the page opens


def render(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context))


def _plans_or_problem(request: Request) -> tuple[list[dict[str, Any]], str | None]:
    from kehoach.api.api_routes import cached

    try:
        store = get_store(request.app)
    except Unavailable as error:
        return [], str(error)
    return cached(request, "plans", lambda: gr.list_plans(store)), None


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    plans, _problem = _plans_or_problem(request)
    provinces = sorted({p["province"] for p in plans if p["province"]})
    return render("search.html", active="search", provinces=provinces)


def sparql_page(request: Request) -> HTMLResponse:
    settings = request.app.state.settings
    examples = example_queries()
    initial = sparql_prefixes() + "\n" + named_query(STARTING_QUERY)
    return render(
        "sparql.html",
        active="sparql",
        endpoint=str(request.url_for("sparql_get")),
        timeout=f"{settings.query_timeout:g}",
        row_limit=settings.row_limit,
        initial_query=initial,
        examples=examples,
        examples_json=_script_json(examples),
        prefixes_json=_script_json(PREFIXES),
    )


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request) -> HTMLResponse:
    plans, problem = _plans_or_problem(request)
    return render("plans.html", active="plans", plans=plans, problem=problem)


SUMMARY_MAX_VALUE = 90


def fact_summary(fact: dict[str, Any]) -> str:
    """The short values of a fact (agency, role, deadline, metric ...), not the long texts the
    quote already shows."""
    quote = (fact.get("span") or {}).get("quote") or ""
    parts = []
    for predicate, values in fact["properties"].items():
        if predicate in SUMMARY_SKIP:
            continue
        shown = []
        for value in values:
            if not (value.get("label") or not value.get("iri")):
                continue
            raw = value.get("label") or value["value"]
            text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
            if len(text) <= SUMMARY_MAX_VALUE and not (len(text) > 12 and text in quote):
                shown.append(text)
        if shown:
            parts.append(f"{predicate.split(':')[-1]}: {', '.join(shown)}")
    return " · ".join(parts)[:400]


def source_html(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """`text` escaped, with each (start, end, group, fact number) range wrapped in <mark>.

    Overlapping ranges are cut at every boundary; each piece lists all the facts covering it
    (data-facts) and takes the class of the innermost (shortest) one.
    """
    points = {0, len(text)}
    valid = [(s, e, g, n) for s, e, g, n in marks if 0 <= s < e <= len(text)]
    for start, end, _group, _n in valid:
        points.update((start, end))
    cuts = sorted(points)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(e - s, g, n, s) for s, e, g, n in valid if s <= a and b <= e]
        piece = html.escape(text[a:b])
        if not covering:
            out.append(piece)
            continue
        covering.sort()
        facts = " ".join(n for _len, _g, n, _s in covering)
        starts = " ".join(n for _len, _g, n, s in covering if s == a)
        id_attr = f' data-starts="{starts}"' if starts else ""
        out.append(f'<mark class="g-{covering[0][1]}" data-facts="{facts}"{id_attr}>{piece}</mark>')
    return "".join(out)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: str, hl: str | None = Query(None, pattern=r"^\d{1,9}-\d{1,9}$")) -> HTMLResponse:
    from kehoach.api.api_routes import _facts, _plan, _store, cached

    try:
        plan = _plan(request, plan_id)
    except HTTPException as error:  # a browser gets a page (the plans there are, and why), not the API's JSON
        plans, problem = _plans_or_problem(request)
        page = render("plans.html", active="plans", plans=plans, problem=problem or error.detail)
        page.status_code = error.status_code
        return page
    store = _store(request)
    facts = _facts(request, plan_id)
    text = cached(request, f"source:{plan_id}", lambda: gr.source_text(store, plan_id)) or ""
    repaired = cached(request, f"repaired:{plan_id}", lambda: gr.repaired_text(store, plan_id))
    groups, marks, number = [], [], 0
    for key, vi, en in FACT_GROUPS:
        shown = []
        for fact in facts.get(key, []):
            number += 1
            shown.append({"n": str(number), "span": fact["span"], "summary": fact_summary(fact)})
            if fact["span"]:
                marks.append((fact["span"]["start"], fact["span"]["end"], key, str(number)))
        groups.append({"key": key, "vi": vi, "en": en, "facts": shown})
    if hl:  # a search hit's span, passed by the search page
        start, end = (int(x) for x in hl.split("-"))
        marks.append((start, end, "hit", "hit"))
    return render(
        "plan.html",
        active="plans",
        plan={**plan, "doc_label": "Kế hoạch"},
        groups=groups,
        source_html=source_html(text, marks),
        repaired=repaired,
        describe_query=f"DESCRIBE <{plan['iri']}>",
    )

"""The JSON API under /api: health, plans, agencies, targets and search.

Lists answer {"total", "limit", "offset", "items"} and take `limit` (1-500) and `offset`;
unknown ids answer 404, bad parameters 422 (FastAPI's validation, or ours with the same
shape), and a missing store or search index 503 with what to run.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from kehoach import __version__
from kehoach.api import graph_reader as gr
from kehoach.api.data import Unavailable, get_search, get_store
from kehoach.ingest.vietnamese import fold_lower
from kehoach.search.years import YEAR_PATTERN, in_year_range, parse_year_filter

router = APIRouter(prefix="/api", tags=["API"])

LIMIT = Query(50, ge=1, le=500, description="Items per page")
OFFSET = Query(0, ge=0, le=1_000_000, description="Items to skip")
ERRORS = {404: {"description": "Not found"}, 422: {"description": "Invalid parameter"}, 503: {"description": "No store or search index yet"}}


def _year_range(year: str | None) -> tuple[int | None, int | None] | None:
    """A `year` parameter as a range; one that runs backwards is a 422 saying so."""
    try:
        return parse_year_filter(year)
    except ValueError as error:
        raise HTTPException(422, str(error)) from error


def page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset : offset + limit]}


def _store(request: Request):
    try:
        return get_store(request.app)
    except Unavailable as error:
        raise HTTPException(503, str(error)) from error


def cached(request: Request, key: str, compute):
    """Per-app cache of answers read from the store; emptied when an ingest changes the
    store (api/data.py `reopen_if_changed`), so answers never go stale."""
    cache = getattr(request.app.state, "api_cache", None)
    if cache is None:
        cache = request.app.state.api_cache = {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _plans(request: Request) -> list[dict[str, Any]]:
    store = _store(request)
    return cached(request, "plans", lambda: gr.list_plans(store))


def _plan(request: Request, plan_id: str) -> dict[str, Any]:
    if not gr.PLAN_ID.match(plan_id):
        raise HTTPException(422, "A plan id is letters, digits, '.', '_' and '-' (e.g. lao-cai-2023-251-kh-ubnd).")
    for plan in _plans(request):
        if plan["id"] == plan_id:
            return plan
    raise HTTPException(404, f"No plan with id {plan_id!r}; GET /api/plans lists them.")


def _facts(request: Request, plan_id: str) -> dict[str, list[dict[str, Any]]]:
    store = _store(request)
    return cached(request, f"facts:{plan_id}", lambda: gr.plan_facts(store, plan_id))


@router.get("/health", summary="Liveness and what the service has loaded")
async def health(request: Request) -> dict:
    settings = request.app.state.settings
    pool = request.app.state.pool
    return {
        "status": "ok",
        "version": __version__,
        "store": settings.oxigraph_dir.is_dir(),
        "search_index": (settings.search_dir / "manifest.json").exists(),
        "query_timeout_s": settings.query_timeout,
        "row_limit": settings.row_limit,
        "sparql_workers": pool.size,
        "store_generation": getattr(getattr(request.app.state, "generation_watch", None), "seen", None),
        "sparql": {"queries": pool.stats.queries, "timeouts": pool.stats.timeouts, "respawns": pool.stats.respawns, "reloads": pool.stats.reloads},
    }


def _matches(needle: str | None, *haystacks: Any) -> bool:
    if not needle:
        return True
    folded = fold_lower(needle.strip())
    return any(folded in fold_lower(str(h)) for h in haystacks if h is not None)


@router.get("/plans", summary="Plans (header of each)", responses=ERRORS)
def plans(
    request: Request,
    province: str | None = Query(None, max_length=100, description="Province name or code, diacritics optional"),
    year: str | None = Query(None, max_length=20, pattern=YEAR_PATTERN, description="Year the plan was issued: 2023, 2020-2025, 2020- or -2025"),
    programme: str | None = Query(None, max_length=50, description="Programme decision, e.g. 1520/QĐ-TTg or 1520"),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> dict:
    years = _year_range(year)
    items = [
        p for p in _plans(request)
        if _matches(province, p["province"], p["province_code"])
        and in_year_range(p["year"], years, p["year_not_before"])
        and (not programme or any(_matches(programme, prog) for prog in p["programmes"]))
    ]
    return page(items, limit, offset)


@router.get("/plans/{plan_id}", summary="One plan: header, targets, tasks, responsibilities, each with its source span", responses=ERRORS)
def plan_detail(request: Request, plan_id: str) -> dict:
    plan = _plan(request, plan_id)
    return {**plan, **_facts(request, plan_id)}


@router.get("/plans/{plan_id}/source", summary="The plan's source text, which every span's offsets point into", responses=ERRORS)
def plan_source(request: Request, plan_id: str) -> dict:
    _plan(request, plan_id)
    store = _store(request)
    text = cached(request, f"source:{plan_id}", lambda: gr.source_text(store, plan_id))
    if text is None:
        raise HTTPException(404, f"Plan {plan_id!r} has no source text in the store.")
    return {"id": plan_id, "length": len(text), "text": text}


def _agencies(request: Request) -> list[dict[str, Any]]:
    store = _store(request)
    return cached(request, "agencies", lambda: gr.list_agencies(store))


@router.get("/agencies", summary="Agencies named in the plans", responses=ERRORS)
def agencies(
    request: Request,
    q: str | None = Query(None, max_length=200, description="Part of the name, diacritics optional"),
    province: str | None = Query(None, max_length=100),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> dict:
    items = [a for a in _agencies(request) if _matches(q, a["name"]) and _matches(province, a["province"])]
    return page(items, limit, offset)


@router.get("/agencies/{agency_id:path}", summary="One agency and its responsibilities across plans", responses=ERRORS)
def agency_detail(request: Request, agency_id: str) -> dict:
    if len(agency_id) > 300:
        raise HTTPException(422, "Agency id too long.")
    for agency in _agencies(request):
        if agency["id"] == agency_id:
            store = _store(request)
            links = cached(request, f"agency:{agency_id}", lambda: gr.agency_links(store, agency["iri"]))
            responsibilities = []
            for plan_id in sorted({link["plan"] for link in links if link["type"] == "kh:Responsibility"}):
                wanted = {link["subject"] for link in links if link["plan"] == plan_id}
                responsibilities += [
                    {"plan": plan_id, **fact} for fact in _facts(request, plan_id)["responsibilities"] if fact["iri"] in wanted
                ]
            return {**agency, "links": links, "responsibilities": responsibilities}
    raise HTTPException(404, f"No agency with id {agency_id!r}; GET /api/agencies lists them.")


YEAR_HINTS = ("year", "period", "date", "time")


def target_years(fact: dict[str, Any]) -> set[int]:
    """Years a target is about: 4-digit years in its period/year/date properties."""
    years = set()
    for predicate, values in fact["properties"].items():
        if any(hint in predicate.lower() for hint in YEAR_HINTS):
            for value in values:
                for text in (str(value.get("value", "")), str(value.get("label", ""))):
                    years.update(int(y) for y in re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text))
    return years


def _property_text(fact: dict[str, Any], suffix: str) -> list[str]:
    texts = []
    for predicate, values in fact["properties"].items():
        if predicate.split(":")[-1].lower() == suffix:
            for value in values:
                texts += [str(value.get("value", "")), str(value.get("label", ""))]
    return texts


@router.get("/targets", summary="Targets across plans: the cross-province table", responses=ERRORS)
def targets(
    request: Request,
    subject: str | None = Query(None, max_length=100, description="Institution kind (concept label or key), e.g. 'thư viện'"),
    metric: str | None = Query(None, max_length=100, description="What is measured (concept label or key)"),
    province: str | None = Query(None, max_length=100),
    year: str | None = Query(None, max_length=20, pattern=YEAR_PATTERN, description="Year the target is for: 2025, 2025-2030, 2025- or -2025"),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> dict:
    wanted = _year_range(year)
    rows = []
    for plan in _plans(request):
        if not _matches(province, plan["province"], plan["province_code"]):
            continue
        for fact in _facts(request, plan["id"])["targets"]:
            if subject and not _matches(subject, *_property_text(fact, "subject")):
                continue
            if metric and not _matches(metric, *_property_text(fact, "metric")):
                continue
            years = sorted(target_years(fact))
            if wanted is not None and not any(in_year_range(y, wanted) for y in years):
                continue
            rows.append({"plan": plan["id"], "province": plan["province"], "plan_year": plan["year"], "years": years, **fact})
    return page(rows, limit, offset)


@router.get("/search", summary="Search the plans' passages (Vietnamese, diacritics optional)", responses=ERRORS)
async def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=500, description="Question or keywords"),
    province: str | None = Query(None, max_length=100),
    year: str | None = Query(None, max_length=20, pattern=YEAR_PATTERN, description="2023, 2020-2025, 2020- or -2025"),
    programme: str | None = Query(None, max_length=50, description="208/QĐ-TTg or 1520/QĐ-TTg"),
    kind: str | None = Query(None, max_length=50, description="Passage kind (section, bullet, row ...)"),
    agency: str | None = Query(None, max_length=200),
    plan: str | None = Query(None, max_length=200),
    mode: str = Query("hybrid", pattern="^(hybrid|keyword|vector)$"),
    per_plan: int | None = Query(None, ge=1, le=1000, description="At most this many passages of any one plan"),
    limit: int = Query(10, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1000),
) -> dict:
    try:
        engine = get_search(request.app)
    except Unavailable as error:
        raise HTTPException(503, str(error)) from error
    depth = min(offset + limit, request.app.state.settings.search_limit_max + 1000)
    try:
        hits = await run_in_threadpool(
            engine.search, q, k=depth, province=province, year=year, programme=programme,
            kind=kind, agency=agency, plan=plan, mode=mode, per_plan=per_plan,
        )
    except ValueError as error:
        raise HTTPException(422, str(error)) from error
    items = [hit.to_json() for hit in hits[offset : offset + limit]]
    unmatched = [] if hits else await run_in_threadpool(
        engine.unmatched_filters, province=province, year=year, programme=programme, kind=kind, agency=agency, plan=plan
    )
    return {
        "query": q,
        "total": len(hits) if len(hits) < depth else None,
        "more": len(hits) >= depth,
        "limit": limit,
        "offset": offset,
        "items": items,
        "unmatched_filters": unmatched,  # why nothing was found: the filters no passage matches
    }


COMPARE_SECTIONS = ("targets", "tasks", "themes", "agencies")
COMPARE_VALUE_MAX = 200  # a plan id, id prefix, province or programme


@router.get("/compare", summary="Compare programmes (208 vs 1520) or two plans, with source spans on both sides", responses=ERRORS)
async def compare(
    request: Request,
    programme: list[str] = Query([], max_length=2, description="Two programmes, e.g. 208 and 1520 (the default)"),
    plan: list[str] = Query([], max_length=2, description="Two plan ids (instead of programmes)"),
    section: list[str] = Query([], description="targets, tasks, themes, agencies (default: all)"),
) -> dict:
    """The comparison of `kehoach compare`, over the plans in this service's store. Every row
    carries the plan, offsets and quote of the text on each side."""
    from kehoach.compare.compare import compare_plans, compare_programmes
    from kehoach.ingestion import records_from_store

    sections = tuple(section) or COMPARE_SECTIONS
    unknown = [s for s in sections if s not in COMPARE_SECTIONS]
    if unknown:
        raise HTTPException(422, f"Unknown section(s) {unknown}; choose from {list(COMPARE_SECTIONS)}.")
    if plan and programme:
        raise HTTPException(422, "Give either two plans or two programmes, not both.")
    if len(plan) not in (0, 2) or len(programme) not in (0, 2):
        raise HTTPException(422, "Give exactly two plans or two programmes.")
    if any(len(value) > COMPARE_VALUE_MAX for value in (*plan, *programme)):
        raise HTTPException(422, f"A plan or programme is at most {COMPARE_VALUE_MAX} characters.")
    if len(set(plan or programme)) == 1:
        raise HTTPException(422, "Both sides are the same: give two different plans or programmes.")
    store = _store(request)
    records = cached(request, "compare-records", lambda: records_from_store(store))
    key = f"compare:{plan}:{programme}:{sections}"
    try:
        if plan:
            return await run_in_threadpool(cached, request, key, lambda: compare_plans(plan[0], plan[1], records, sections))
        a, b = programme or ["208", "1520"]
        return await run_in_threadpool(cached, request, key, lambda: compare_programmes(a, b, records, sections))
    except KeyError as error:
        raise HTTPException(404, str(error.args[0] if error.args else error)) from error

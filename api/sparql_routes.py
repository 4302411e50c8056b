"""/sparql: the SPARQL 1.1 Protocol (query operation) over the worker pool.

GET ?query=, POST application/x-www-form-urlencoded (query=) and POST
application/sparql-query (the body is the query); default-graph-uri and named-graph-uri
select the dataset, as the protocol says (they override FROM / FROM NAMED). Updates are
refused (403) whatever way they arrive. A GET with no query from a browser shows the
SPARQL page instead of an error, as Oxigraph's and Fuseki's servers do.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from kehoach.api.execute import Outcome, QueryRequest

router = APIRouter(tags=["SPARQL"])

UPDATE_REFUSAL = "SPARQL Update is not allowed: this endpoint is read-only (queries only)."
POST_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
        },
    }
}
SPARQL_RESPONSES = {
    200: {
        "description": "Query results, in the negotiated format",
        "content": {
            "application/sparql-results+json": {},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/tab-separated-values": {},
            "text/turtle": {},
            "application/n-triples": {},
            "application/trig": {},
            "application/ld+json": {},
        },
    },
    400: {"description": "Malformed query (the parser's message) or missing query"},
    403: {"description": "Update, LOAD or SERVICE refused"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query or request body too large"},
    415: {"description": "Unsupported request content type"},
    422: {"description": "Result over the row limit in a format that cannot mark truncation"},
    429: {"description": "Rate limit; see Retry-After"},
    503: {"description": "Query stopped at the time limit, workers busy, or no store"},
}


def _to_response(outcome: Outcome) -> Response:
    headers = {"Vary": "Accept", **outcome.headers}
    return Response(content=outcome.body, status_code=outcome.status, media_type=outcome.content_type, headers=headers)


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


async def _answer(
    request: Request, query: str | None, default_graphs: list[str], named_graphs: list[str], fmt: str | None
) -> Response:
    settings = request.app.state.settings
    if query is None or not query.strip():
        return PlainTextResponse("Missing SPARQL query: send it as `query` (GET or form POST) or as an application/sparql-query body.", 400)
    if len(query) > settings.max_query_chars:
        return PlainTextResponse(f"Query longer than {settings.max_query_chars} characters, the endpoint's limit.", 413)
    job = QueryRequest(
        query=query,
        accept=request.headers.get("accept"),
        format=fmt,
        default_graph_uris=list(default_graphs),
        named_graph_uris=list(named_graphs),
        row_limit=settings.row_limit,
        union_default_graph=settings.union_default_graph,
    )
    return _to_response(await request.app.state.pool.run(job))


@router.get("/sparql", responses=SPARQL_RESPONSES, summary="SPARQL query (GET)")
async def sparql_get(
    request: Request,
    query: str | None = Query(None, description="SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)"),
    default_graph_uri: list[str] = Query([], alias="default-graph-uri"),
    named_graph_uri: list[str] = Query([], alias="named-graph-uri"),
    format: str | None = Query(None, description="json|xml|csv|tsv|turtle|ntriples|trig|nquads|jsonld; overrides Accept"),
) -> Response:
    if query is None and _wants_html(request):
        from kehoach.api.pages import sparql_page

        return sparql_page(request)
    if "update" in request.query_params:
        return PlainTextResponse(UPDATE_REFUSAL, 403)
    return await _answer(request, query, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", responses=SPARQL_RESPONSES, summary="SPARQL query (POST)", openapi_extra=POST_BODY_DOC)
async def sparql_post(request: Request) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    fmt = params.get("format")
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return PlainTextResponse("The request body is not UTF-8.", 400)
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            return PlainTextResponse(UPDATE_REFUSAL, 403)
        queries = form.get("query", [])
        if len(queries) > 1:
            return PlainTextResponse("More than one `query` parameter.", 400)
        return await _answer(
            request,
            queries[0] if queries else None,
            default_graphs + form.get("default-graph-uri", []),
            named_graphs + form.get("named-graph-uri", []),
            fmt or (form.get("format") or [None])[0],
        )
    if content_type == "application/sparql-query":
        return await _answer(request, text, default_graphs, named_graphs, fmt)
    if content_type == "application/sparql-update":
        return PlainTextResponse(UPDATE_REFUSAL, 403)
    return PlainTextResponse(
        "Unsupported Content-Type: send application/sparql-query or application/x-www-form-urlencoded.", 415
    )

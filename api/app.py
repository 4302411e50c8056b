"""The kehoach web application: /sparql, the JSON API under /api, and the web pages.

`create_app(settings)` builds it; `kehoach serve` runs it with uvicorn. SPARQL queries run
in a pool of killable worker processes (api/pool.py); the JSON API runs the project's own
named queries on a read-only store opened in the server process.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kehoach import __version__
from kehoach.api.data import GenerationWatch, reopen_if_changed
from kehoach.api.limits import BodySizeLimit, RateLimit
from kehoach.api.pool import QueryPool
from kehoach.api.settings import Settings

log = logging.getLogger("kehoach.api")
STATIC_DIR = Path(__file__).parent / "static"

DESCRIPTION = """\
Knowledge graph and search over Vietnamese provincial plans (Kế hoạch) implementing the
national lifelong-learning programmes 208/QĐ-TTg and 1520/QĐ-TTg.

* `/sparql` — SPARQL 1.1 Protocol endpoint (read-only; time and row limits are the operator's).
* `/api/...` — JSON API: plans, agencies, targets, search. Lists are paged with `limit`/`offset`
  and answer `{"total", "limit", "offset", "items"}`.
"""


def _warm_up(app: FastAPI) -> None:
    """Open the store and the search engine (model load: seconds) before the first request needs them."""
    from kehoach.api.data import Unavailable, get_search, get_store

    for opener in (get_store, get_search):
        try:
            opener(app)
        except Unavailable:
            pass
        except Exception:  # noqa: BLE001 - the request that needs it will report the problem
            log.exception("warm-up failed")


def _mount_api_docs(app: FastAPI) -> None:
    """/api/docs with Swagger UI from the swagger-ui-bundle-v2 package (vendored, no CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # docs page unavailable; /api/openapi.json still is
        return
    app.mount("/api/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="kehoach API",
            swagger_js_url="/api/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/api/docs-assets/swagger-ui.css",
            swagger_favicon_url="/api/docs-assets/favicon-32x32.png",
        )


class ReopenAfterIngest:
    """Before each request, reopen the store and index if an ingest changed them (api/data.py)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            reopen_if_changed(scope["app"])
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = QueryPool(str(settings.oxigraph_dir), settings.sparql_workers, settings.query_timeout, settings.queue_wait)
        await pool.start()
        app.state.pool = pool
        app.state.generation_watch = GenerationWatch(settings.store_dir)
        warm = asyncio.create_task(asyncio.to_thread(_warm_up, app))
        try:
            yield
        finally:
            warm.cancel()
            await pool.stop()
            from kehoach.api.data import close_resources

            close_resources(app)

    app = FastAPI(
        title="kehoach",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the vendored Swagger UI, not a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings

    from kehoach.api import api_routes, pages, sparql_routes

    app.include_router(sparql_routes.router)
    app.include_router(api_routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _mount_api_docs(app)
    app.add_middleware(ReopenAfterIngest)
    # Outermost first: a flood is turned away before its body is read.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimit, rate=settings.rate_per_second, burst=settings.rate_burst)
    return app

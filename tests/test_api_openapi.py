"""Schemathesis over the service's own OpenAPI document: generated requests to every
operation (valid and invalid parameters, odd bodies) never get a server error."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, settings  # noqa: E402

from api_support import live_server, make_store, settings_for  # noqa: E402


class EmptySearch:
    """A search engine with no passages, so /api/search answers instead of 503 (no index)."""

    def search(self, query, k=10, **filters):
        from kehoach.search.engine import parse_year_filter

        parse_year_filter(filters.get("year"))  # the real engine's check of the year filter
        return []

    def unmatched_filters(self, **filters):
        return []


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from kehoach.api.app import create_app

    directory = make_store(tmp_path_factory.mktemp("store"))
    settings = settings_for(directory, query_timeout=5.0)
    app = create_app(settings)
    app.state.search_engine = EmptySearch()
    with live_server(settings, app) as base:
        yield base


def test_no_server_errors(base_url):
    """Every operation, ~30 generated cases each (schemathesis' pytest plugin does not load under
    pytest 9, so its strategies are driven with hypothesis directly)."""
    from hypothesis import given

    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def check(case):
            response = case.call(base_url=base_url, timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}: {response.text[:300]}")

        check()
    assert operations >= 9
    assert not failures, "\n".join(failures[:10])

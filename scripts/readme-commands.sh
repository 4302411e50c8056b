# The two set-up commands of the README, verbatim (tests/test_readme.py checks they match).
# shellcheck disable=SC2034
MAIN_COMMAND='python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/kehoach ingest && .venv/bin/kehoach plans'
TEST_COMMAND='python3 -m venv .venv && .venv/bin/pip install -q torch==2.13.0 && .venv/bin/pip install -q -e ".[test]" && (command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) || echo "no chromium: browser tests will be skipped") && .venv/bin/python -m pytest -q'

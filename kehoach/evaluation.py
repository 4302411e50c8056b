"""`kehoach eval extraction`: precision, recall and F1 of the fact extractors against the
hand-written gold set in tests/gold/extraction, per kind and per field.

Each extractor family scores itself (ingest/eval_targets.py, ingest/eval_responsibilities.py);
this module only gathers their rows and prints one table.
"""

from __future__ import annotations

import importlib

EVALUATORS = ("kehoach.ingest.eval_targets", "kehoach.ingest.eval_responsibilities")


def extraction_rows(plan_ids: list[str] | None = None) -> list[dict]:
    rows: list[dict] = []
    for name in EVALUATORS:
        module = importlib.import_module(name)
        rows.extend(module.evaluate(plan_ids))
    return rows


def format_rows(rows: list[dict]) -> str:
    from kehoach.cli import format_table

    headers = ["kind", "field", "precision", "recall", "f1", "tp", "fp", "fn"]

    def cell(row: dict, key: str) -> str:
        value = row.get(key)
        if isinstance(value, float):
            return f"{value:.3f}"
        return "" if value is None else str(value)

    return format_table(headers, [[cell(r, h) for h in headers] for r in rows])

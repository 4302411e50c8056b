"""Run the fact extractors (targets, tasks, responsibilities, agencies, events) on a record.

Each extractor is a function PlanRecord -> list of facts, in its own module; this is
the one place that lists them, in the order they depend on each other.
"""

from __future__ import annotations

from .records import PlanRecord


def extract_facts(record: PlanRecord) -> PlanRecord:
    """Fill the record's fact lists in place and return it."""
    return record

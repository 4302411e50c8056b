"""Run the fact extractors (targets, tasks, responsibilities, agencies, events) on a record.

Each extractor is a function PlanRecord -> list of facts, in its own module; this is
the one place that lists them, in the order they depend on each other.
"""

from __future__ import annotations

from .records import PlanRecord


def extract_facts(record: PlanRecord) -> PlanRecord:
    """Fill the record's fact lists in place and return it."""
    from .responsibilities import extract_responsibilities; record.responsibilities = extract_responsibilities(record)
    from .tasks import extract_tasks; record.tasks = extract_tasks(record)
    from .agencies import extract_agencies; record.agencies = extract_agencies(record)
    from .targets import extract_targets; record.targets = extract_targets(record)
    from .events import extract_events; record.events = extract_events(record)
    return record

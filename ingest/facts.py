"""Run the fact extractors (targets, tasks, responsibilities, agencies, events) on a record.

Each extractor is a function PlanRecord -> list of facts, in its own module; this is
the one place that lists them, in the order they depend on each other.
"""

from __future__ import annotations

from .records import PlanRecord


def extract_facts(record: PlanRecord) -> PlanRecord:
    """Fill the record's fact lists in place and return it."""
    from .agencies import extract_agencies
    from .events import extract_events
    from .responsibilities import extract_responsibilities
    from .targets import extract_targets
    from .tasks import extract_tasks

    record.responsibilities = extract_responsibilities(record)
    record.tasks = extract_tasks(record)
    record.agencies = extract_agencies(record)
    record.targets = extract_targets(record)
    record.events = extract_events(record)
    return record

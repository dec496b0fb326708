"""Great Expectations suites for the content of the extracted frames.

Ownership (see CONVENTIONS.md, habit 5): dbt tests keys, uniqueness, not-null of keys,
relationships and the accepted values of the enumerations in `orchestration.extract.schemas`.
These suites check what dbt does not: that a frame has exactly the contract's columns, null shares,
value ranges, ordered count triples, character spans, identifier and ISO-code patterns, and that
event types are pairs of the reference ontology. A foreign id is not pattern-checked here: dbt's
relationship test ties it to a parent id whose pattern is checked in the parent's suite.

`SUITES` maps each checked table (the dbt source / Dagster asset name) to the function building its
suite; `validate(table, frame)` runs it on a polars frame, `combine` joins the outcomes of a table
validated in chunks.

`BLOCKING` holds every checked table. Each suite only states rules whose violation means the
extraction is wrong (an inverted count range, a span that does not fit its evidence, an event type
outside the ontology), never a judgement on the corpus (a corpus of undated wire copy, or one with no
events at all, is legal input), and an empty frame passes. A failure in any of these frames would flow
silently into the marts (`event_actors` included: a broken span there mislabels who did what), so
all of them block downstream.
"""

import os

# Set before great_expectations is first imported (by the table modules below), so that no usage
# statistics are ever sent; setdefault leaves an explicit choice by the operator alone.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from expectations import (  # noqa: E402
    actors,
    articles,
    casualties,
    event_actors,
    events,
    locations,
)
from expectations._runner import ValidationOutcome, combine, validate  # noqa: E402

SUITES = {
    "articles": articles.suite,
    "events": events.suite,
    "actors": actors.suite,
    "event_actors": event_actors.suite,
    "casualties": casualties.suite,
    "locations": locations.suite,
}

BLOCKING = frozenset(SUITES)

__all__ = ["BLOCKING", "SUITES", "ValidationOutcome", "combine", "validate"]

"""Content of the extracted `event_actors` frame: one row per actor taking a role in an event.

Both ids are foreign keys (dbt's relationship tests) and the role is an enumeration (dbt's accepted
values), so what is left here is the mention that ties the actor to the event's text.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations._common import new_suite, optional_text, span


def suite() -> gx.ExpectationSuite:
    mentioned = Column("mention_text").is_not_null()
    return new_suite(
        "event_actors",
        [
            *optional_text("mention_text"),
            # An actor can be implied rather than named, but a quoted mention is always located.
            gxe.ExpectColumnValuesToNotBeNull(column="char_start", row_condition=mentioned),
            gxe.ExpectColumnValuesToNotBeNull(column="char_end", row_condition=mentioned),
            *span("mention_text"),
        ],
    )

"""Content of the extracted `locations` frame: one row per distinct place, admin area or country."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations._common import hex_id, iso3, new_suite, optional_text, required_text


def suite() -> gx.ExpectationSuite:
    return new_suite(
        "locations",
        [
            *hex_id("location_id"),
            *required_text("location_name"),
            *optional_text("admin1"),
            *iso3("country_iso3"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="country_iso3", row_condition=Column("location_type") == "country"
            ),
            gxe.ExpectColumnValuesToBeBetween(column="latitude", min_value=-90, max_value=90),
            gxe.ExpectColumnValuesToBeBetween(column="longitude", min_value=-180, max_value=180),
            # A coordinate is a pair: half of one is a geocoding bug.
            gxe.ExpectColumnValuesToNotBeNull(
                column="latitude", row_condition=Column("longitude").is_not_null()
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="longitude", row_condition=Column("latitude").is_not_null()
            ),
        ],
    )

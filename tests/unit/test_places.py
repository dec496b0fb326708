"""Where events happen: place mentions, their resolution and the place each event takes."""

from __future__ import annotations


from orchestration.extract.pipeline import extract
from tests.conftest import article_frame


def _event_places(text: str) -> list[tuple]:
    tables = extract(article_frame({"a": text}))
    events = tables["events"].join(
        tables["locations"].select("location_id", "location_name", "admin1"), on="location_id", how="left"
    )
    return events.select("trigger_text", "country_iso3", "location_name").rows()


def test_an_event_takes_the_place_of_its_own_sentence_even_after_another_trigger():
    # "in Kisumu" is nearest to "curfew"; the riot of the same sentence happened there too.
    places = _event_places(
        "On 12 April 2021, police were pelted with stones while enforcing the curfew in Kisumu."
    )
    assert ("pelted", "KEN", "Kisumu") in places

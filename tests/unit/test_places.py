"""Where events happen: place mentions, their resolution and the place each event takes."""

from __future__ import annotations


import polars as pl

from orchestration.extract.mentions import ngrams, place_mentions
from orchestration.extract.pipeline import extract
from orchestration.extract.sentences import split_sentences
from tests.conftest import article_frame


def _event_places(text: str) -> list[tuple]:
    """(trigger, country, place name) of each event."""
    tables = extract(article_frame({"a": text}))
    events = tables["events"].join(
        tables["locations"].select("location_id", "location_name", "admin1"), on="location_id", how="left"
    )
    return events.select("trigger_text", "country_iso3", "location_name").rows()


def test_an_event_takes_the_place_of_its_own_sentence_even_after_another_trigger():
    # The town is nearest to "curfew"; the riot of the same sentence happened there too.
    places = _event_places(
        "On 3 April 2031, police were pelted with rocks while enforcing the curfew in Eldoret."
    )
    assert ("pelted", "KEN", "Eldoret") in places


def _where(text: str) -> set[tuple]:
    """(country, place name) of the events, whichever triggers the event step chooses."""
    return {(country, place) for _, country, place in _event_places(text)}


def _places(text: str) -> list[tuple]:
    sentences = split_sentences(article_frame({"a": text}))
    found = place_mentions(sentences, ngrams(sentences))
    return found.select("mention_text", "admin1", "country_iso3", pl.col("latitude").is_not_null()).rows()


def test_letters_without_a_decomposition_fold_to_their_transliteration():
    # Turkish dotless i has no accent to strip: "Ağrı" must still read "Agri".
    assert _places("Turkish police dispersed a rally in Ağrı.") == [("Ağrı", "Agri", "TUR", True)]


def test_generic_unit_words_are_not_part_of_a_region_name():
    # GeoNames names the county with the unit, ISO 3166-2 without: one region, named without it.
    assert _places("Kenyan herders fought in Kericho County.")[0][1:] == ("Kericho", "KEN", True)


def test_iso_spellings_are_aliases_of_the_geonames_region():
    # Spelling variants (c/k) and adjectival forms ("Donetska oblast") find the region and its centre.
    assert _places("Gunmen attacked a village in Atacora department, Benin.")[0] == (
        "Atacora department",
        "Atakora",
        "BEN",
        True,
    )
    assert _places("Shelling hit Donetska oblast in Ukraine.")[0][1:] == ("Donetsk", "UKR", True)


def test_places_of_an_unnamed_country_count_beside_the_countries_named():
    # The article names only Venezuela (its people), but both places it uses are Colombian.
    assert _where(
        "On 14 May 2031, dozens of Venezuelan migrants protested in Bucaramanga and in Villa del Rosario."
    ) == {("COL", "Bucaramanga")}
    assert _where(
        "On 6 March 2031, students rallied in Pabna town and in Bogra town, denouncing Israeli raids "
        "on Gaza and voicing support for Palestine."
    ) == {("BGD", "Pabna")}


def test_an_event_no_sentence_near_it_places_falls_in_the_country_the_article_speaks_of():
    # Wire copy in capitals: the killings are four sentences away from any place.
    text = (
        "MEDELLIN, 3 MAR 91 (AFP) -- [TEXT] THE PEASANT LEAGUE TODAY ASKED COLOMBIAN LEADERS FOR A "
        "SEAT ON THE LAND BOARD. THE LEAGUE MET TODAY WITH THE MINISTER. IT ASKED FOR PROTECTION. "
        "ITS CHIEFS ALSO SPOKE ABOUT LAND. SINCE IT WAS FORMED IN 1986, MORE THAN 300 LEAGUE MEMBERS "
        "HAVE BEEN KILLED ACROSS THE COUNTRY."
    )
    assert _where(text) == {("COL", "Colombia")}


def test_a_wire_dateline_yields_to_the_place_the_event_names():
    # Filed in Guatemala City (Guatemala), the assassination was in Tegucigalpa.
    text = (
        "GUATEMALA CITY (GUATEMALA), 4 MAR 91 (AFP) -- [TEXT] GUATEMALAN PRESIDENT JORGE TARSK HAS "
        "SAID HE IS SHOCKED BY THE ASSASSINATION OF RAUL DUNMORE, HONDURAN MINISTER OF LABOUR, "
        "BY SUSPECTED URBAN COMMANDOS LATE LAST NIGHT IN TEGUCIGALPA."
    )
    assert _event_places(text) == [("ASSASSINATION", "HND", "Tegucigalpa")]


def test_a_name_inside_a_longer_name_is_no_mention_and_settlement_words_must_be_there():
    # "Kota" (an Indian city) inside "Kota Kinabalu" names nothing; nor is "Cape" Cape Town.
    assert _where("On 2 March 2031, about 300 nurses in Kota Kinabalu demonstrated over pay.") == {
        ("MYS", "Kota Kinabalu")
    }
    assert _where("On 2 March 2031, about 300 nurses in Cape Girardeau demonstrated over pay.") == {
        ("USA", "Cape Girardeau")
    }
    # "Upper" is not Upper Town (Gibraltar) just because keys drop "town".
    found = _places("On 5 May 2031, farmers from the Upper Velmar District demonstrated over land sales.")
    assert all(mention != "Upper" for mention, *_ in found)


def test_residents_of_a_town_use_its_name_as_a_place():
    text = "On 10 June 2031, residents of Savalou blocked a highway to protest detentions."
    assert _where(text) == {("BEN", "Savalou")}


def test_wire_copy_dateline_and_a_city_sharing_a_region_name():
    # Santa Cruz names regions in several countries (too generic as a region) but is still a
    # city; the dateline counts as a place, "IN FRONT" is one common word however often
    # it recurs, and "EVENING, ONE" in capitals is no "Name, Place".
    text = (
        "SANTA CRUZ, 5 MAR 91 (AFP) -- [TEXT] TWO DYNAMITE ATTACKS WERE STAGED IN SANTA CRUZ THIS "
        "EVENING, ONE IN FRONT OF A BANK. THE SECOND CHARGE BLEW UP IN FRONT OF THE CENTRAL MARKET."
    )
    assert {country for country, _ in _where(text)} == {"BOL"}


def test_a_region_name_inside_an_organisation_name_does_not_add_its_country():
    # "Unity" is a South Sudanese region; here it is a word of a council's name.
    text = "On 9 March 2031, members of the Bangladesh Peace and Unity Council rallied in Pabna."
    assert [(mention, country) for mention, _, country, _ in _places(text)] == [
        ("Bangladesh", "BGD"),
        ("Pabna", "BGD"),
    ]


def test_an_event_introduced_as_the_cause_of_another_does_not_take_that_events_place():
    # The bombing is why the strikes happened, not where: "in Homs" belongs to the strikes.
    text = (
        "Government jets carried out air strikes in Homs on Monday over a car bombing that killed "
        "12 people earlier this month."
    )
    tables = extract(article_frame({"a": text}, published={"a": "2024-01-18"}))
    events = tables["events"].join(
        tables["locations"].select("location_id", "location_name"), on="location_id", how="left"
    )
    places = events.select("trigger_text", "country_iso3", "location_name").rows()
    strikes = [p for p in places if p[0] == "air strikes"]
    bombing = [p for p in places if "bomb" in p[0]]
    assert strikes and strikes[0][2] == "Homs", places
    assert bombing and bombing[0][2] != "Homs", places


def test_a_capital_named_with_its_settlement_noun_is_the_events_place():
    # "Kathmandu city" matches Kathmandu whole: the noun inside the name makes it a place, not an
    # actor.
    assert _where("On 3 March 2031, students blocked a road near a new flyover, Kathmandu city.") == {
        ("NPL", "Kathmandu")
    }


def test_a_place_outside_the_region_that_qualifies_it_yields_to_the_region():
    # The Ukrainian town called Izyum lies in another oblast than the one the text names.
    assert _places("On 4 June 2031, shelling hit houses near Izyum, Donetsk.") == [
        ("Donetsk", "Donetsk", "UKR", True)
    ]
    # A namesake inside the qualifying region is kept ("Berezan" of Odessa, not of Kiev).
    kept = _places("On 4 June 2031, farmers protested in Berezan (Odessa).")
    assert kept[0][:3] == ("Berezan", "Odessa", "UKR")


def test_common_english_country_names_and_demonyms_give_the_country():
    # ISO calls it Türkiye; news and GeoNames say Turkey, and its people are Turkish.
    assert _where("On 5 May 2021, Turkish police detained protesters in Turkey.") == {("TUR", "Turkey")}
    assert _places("Afghan refugees marched in Kabul.")[0][2] == "AFG"


def test_a_compass_name_of_one_countrys_region_names_it_and_a_bare_compass_word_no_place():
    # Only Cameroon has a "Far North" region; "Central" alone is a region of many countries and the
    # name of small towns elsewhere: it places nothing.
    assert _places("On 2 March 2031, youths fought in a village (Mokolo, Far North).")[-1][1:3] == (
        "Far North",
        "CMR",
    )
    assert _places("On 2 March 2021, traders protested in Central.") == []


def test_the_head_of_a_longer_name_is_no_place():
    # "University of ..." names an institution, not the American town called University.
    assert _places("Students marched at the University of Velmar.") == []


def test_a_towns_other_spelling_finds_it():
    # GeoNames lists "Tambawal" among the names of Tambuwal (Sokoto, a town of some 20,000).
    assert _places("Herders clashed with farmers in Tambawal, Nigeria.")[0][:3] == (
        "Tambawal",
        "Sokoto",
        "NGA",
    )


def test_a_word_of_position_between_preposition_and_capital_keeps_it_a_place():
    assert _where("On 6 May 2031, students rallied in central Tbilisi against exam rules.") == {
        ("GEO", "Tbilisi")
    }


def test_administrative_unit_nouns_after_a_name_make_it_a_place():
    # Nothing else in the text names a country: "Kumbo subdivision" alone places it.
    assert _places("Gendarmes beat two traders at a market, Kumbo subdivision.")[0][1:3] == (
        "North-West",
        "CMR",
    )


def test_a_name_a_named_country_has_does_not_vote_for_another_country():
    # Russia has a Donetsk too; with Ukraine named, that reading must not make Perm a place here.
    found = _places("Ukrainian troops fired mortars near Perm Heights, Donetsk.")
    assert {country for _, _, country, _ in found} == {"UKR"}

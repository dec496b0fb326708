"""Each extraction step on small frames of real-style sentences; one linguistic case per test."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from orchestration.extract.actors import actor_mentions
from orchestration.extract.casualties import extract_casualties
from orchestration.extract.dates import date_mentions
from orchestration.extract.mentions import ngrams, place_mentions
from orchestration.extract.numbers import parse_numbers
from orchestration.extract.pipeline import extract
from orchestration.extract.sentences import split_sentences
from tests.conftest import article_frame


def _casualties(text: str) -> list[tuple]:
    found = extract_casualties(split_sentences(article_frame({"a": text})))
    return [
        (r["outcome"], r["victim_group"], r["count_low"], r["count_best"], r["count_high"])
        for r in found.iter_rows(named=True)
    ]


def test_sentences_keep_offsets_and_do_not_split_titles():
    text = "Gen. Ahmed said 2.5 million people fled. Troops left on Monday!\nNext paragraph here."
    sentences = split_sentences(article_frame({"a": text}))
    assert sentences["sentence_text"].to_list() == [
        "Gen. Ahmed said 2.5 million people fled.",
        "Troops left on Monday!",
        "Next paragraph here.",
    ]
    for row in sentences.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["sentence_text"]


def test_hard_wrapped_wire_copy_is_read_across_line_breaks():
    text = "AREQUIPA, 14 MAR 91 -- [TEXT] THREE GUARDS WERE KILLED\nYESTERDAY IN PUNO.\n\n   A SECOND PARAGRAPH\nFOLLOWS HERE."
    sentences = split_sentences(article_frame({"a": text}))
    assert sentences["sentence_text"][0].endswith("KILLED YESTERDAY IN PUNO.")
    assert sentences["block_kind"].to_list() == ["body", "body"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("twenty-one", 21), ("1,250", 1250), ("seven", 7), ("one hundred and five", 105), ("dozens", 24)],
)
def test_number_words_and_digits(phrase, expected):
    parsed = parse_numbers(pl.DataFrame({"n": [phrase]}), "n")
    assert parsed["n_best"][0] == expected


def test_vague_quantity_has_stated_bounds():
    parsed = parse_numbers(pl.DataFrame({"n": ["several"]}), "n").row(0, named=True)
    assert (parsed["n_low"], parsed["n_best"], parsed["n_high"]) == (3, 3, 9)


def test_figures_summed_over_coordinated_victim_groups_stay_separate_rows():
    assert _casualties("Two farmers and five herders were killed in the raid.") == [
        ("killed", "farmers", 2, 2, 2),
        ("killed", "herders", 5, 5, 5),
    ]


def test_outcome_verb_before_figure_with_two_outcomes():
    assert _casualties("The raid killed two porters and wounded four others.") == [
        ("killed", "porters", 2, 2, 2),
        ("injured", "others", 4, 4, 4),
    ]


def test_qualifiers_bound_the_figure():
    assert _casualties("At least nine traders were killed.") == [("killed", "traders", 9, 9, None)]
    assert _casualties("Up to 12 soldiers were wounded.") == [("injured", "soldiers", 1, 12, 12)]


def test_upper_case_wire_copy():
    assert _casualties("ONE GUERRILLA WAS KILLED AND SIX OTHERS WERE WOUNDED IN A SKIRMISH.") == [
        ("killed", "guerrilla", 1, 1, 1),
        ("injured", "others", 6, 6, 6),
    ]


def test_a_unit_number_is_not_a_casualty_count():
    assert _casualties("INFANTRY BATTALION NO.7 SAID THAT A REBEL WAS KILLED.") == [
        ("killed", "rebel", 1, 1, 1)
    ]


def test_cumulative_war_tolls_are_not_event_casualties():
    assert _casualties("A CONFLICT THAT HAS LEFT OVER 40,000 DEAD IN 11 YEARS.") == []


def test_claimant_of_a_figure():
    found = extract_casualties(
        split_sentences(article_frame({"a": "Six traders were killed, according to the district governor."}))
    )
    assert found["claimed_by"].to_list() == ["the district governor"]


def test_relative_dates_resolve_against_publication():
    text = (
        "Strikes hit on Thursday. Rebels struck late Monday. A bombing earlier this month. Clashes yesterday."
    )
    articles = article_frame({"a": text}, {"a": "2031-03-06"})
    found = date_mentions(split_sentences(articles), articles)
    resolved = {
        r["date_text"].lower(): (r["date_value"], r["date_precision"]) for r in found.iter_rows(named=True)
    }
    assert resolved == {
        "thursday": (dt.date(2031, 3, 6), "day"),
        "monday": (dt.date(2031, 3, 3), "day"),
        "earlier this month": (dt.date(2031, 3, 1), "month"),
        "yesterday": (dt.date(2031, 3, 5), "day"),
    }


def test_day_and_month_without_year_take_the_year_before_publication_when_later():
    articles = article_frame(
        {"a": "THE AMBUSH HAPPENED ON 28 DECEMBER NEAR THE BORDER."}, {"a": "1991-01-04"}
    )
    found = date_mentions(split_sentences(articles), articles)
    assert found["date_value"].to_list() == [dt.date(1990, 12, 28)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a later day and month belong to the year the narrative gave
        (
            "On 11 October 2031, a mob burned a depot. One guard died on 14 October.",
            [dt.date(2031, 10, 11), dt.date(2031, 10, 14)],
        ),
        # ... in the year that puts them nearest to it
        (
            "On 30 December 2030, youths rioted. The curfew ended on 2 January.",
            [dt.date(2030, 12, 30), dt.date(2031, 1, 2)],
        ),
        # a bare day and month before the full date take its year too
        (
            "On Oct 31, traders rioted. Calm returned on 2 November 2030.",
            [dt.date(2030, 10, 31), dt.date(2030, 11, 2)],
        ),
    ],
)
def test_day_and_month_without_year_take_the_year_of_the_narrative(text, expected):
    articles = article_frame({"a": text})
    found = date_mentions(split_sentences(articles), articles)
    assert found.sort("date_char_start")["date_value"].to_list() == expected


def test_an_unresolvable_date_still_marks_a_reported_incident():
    # no year and no publication date: the date stays unknown, but the attack is reported, dated
    text = "On March 3rd, unknown gunmen attacked a bus on a rural road."
    events = extract(article_frame({"a": text}))["events"]
    assert events.select("event_type", "event_date", "date_precision", "date_text").rows() == [
        ("Violence against civilians", None, "unknown", "March 3rd")
    ]


def test_a_date_holds_for_the_whole_report():
    text = (
        "On 4 June 2022, villagers clashed with herders in the valley. Houses were burned. "
        "Cattle were driven away. The herders fled. Two people were killed in total."
    )
    events = extract(article_frame({"a": text}))["events"]
    toll = events.filter(pl.col("fatalities_best") == 2)
    assert toll["event_date"].to_list() == [dt.date(2022, 6, 4)]


def test_regions_resolve_through_spelling_variants_and_context():
    text = "Iran hit targets in Pakistan. Two died in Khyber Pakhtoonkhwa province. Missiles hit Kordestan."
    sentences = split_sentences(article_frame({"a": text}))
    places = place_mentions(sentences, ngrams(sentences))
    regions = {
        r["mention_text"]: (r["admin1"], r["country_iso3"])
        for r in places.filter(pl.col("location_type") == "admin1").iter_rows(named=True)
    }
    assert regions == {
        "Khyber Pakhtoonkhwa province": ("Khyber Pakhtunkhwa", "PAK"),
        "Kordestan": ("Kurdistan", "IRN"),
    }


def test_common_words_in_capitals_are_not_places():
    text = "TEGUCIGALPA, 5 MAR 91 -- [REPORT] [ARMY PRESS OFFICE] THE SOURCE ADDED THAT IT WAS CONFIRMED."
    sentences = split_sentences(article_frame({"a": text}))
    places = place_mentions(sentences, ngrams(sentences))
    assert places["mention_text"].to_list() == ["TEGUCIGALPA"]


def test_named_group_acronym_and_country():
    text = (
        "India hit the Sindh Liberation Front (SLF) in Pakistan. Jets returned after targeting SLF hideouts."
    )
    sentences = split_sentences(article_frame({"a": text}))
    grams = ngrams(sentences)
    actors = actor_mentions(sentences, grams, place_mentions(sentences, grams))
    groups = actors.filter(pl.col("actor_kind") == "group")
    assert groups["actor_name"].to_list() == ["Sindh Liberation Front", "Sindh Liberation Front"]
    assert groups["mention_text"].to_list() == ["Sindh Liberation Front (SLF)", "SLF"]
    assert groups["country_iso3"].to_list() == ["PAK", "PAK"]


def test_demonyms_before_territory_and_civilian_nouns():
    text = "Kenyan nationals were not among the dead on Somali soil, said Nairobi."
    sentences = split_sentences(article_frame({"a": text}))
    actors = actor_mentions(sentences, ngrams(sentences))
    assert [(r["mention_text"], r["actor_name"], r["actor_type"]) for r in actors.iter_rows(named=True)] == [
        ("Kenyan", "Civilians (Kenya)", "Civilians"),
        ("Nairobi", "Kenya", "State forces"),
    ]


def test_passive_summons_swaps_the_roles():
    text = "The Kenyan envoy in Kampala was summoned to the Foreign Office."
    tables = extract(article_frame({"a": text}, {"a": "2031-03-06"}))
    roles = tables["event_actors"].join(tables["actors"], on="actor_id")
    assert dict(zip(roles["role"], roles["actor_name"])) == {"actor2": "Kenya"}
    assert tables["events"]["sub_event_type"].to_list() == ["Summon or protest"]


def test_deaths_never_attach_to_a_non_violent_event():
    text = "THEY AGREED TO DRAFT A CEASE-FIRE. GUERRILLAS KILLED 10 POLICEMEN AND PROTESTERS MARCHED."
    tables = extract(article_frame({"a": text}, {"a": "1989-07-13"}))
    events = tables["events"]
    # guerrillas killing policemen: an attack on an armed side is a battle in ACLED's coding
    assert events.filter(pl.col("fatalities_best") > 0)["event_type"].to_list() == ["Battles"]


@pytest.mark.parametrize(
    "text",
    [
        "CUZCO, 14 MAR 91 -- THE REBELS SAID TODAY THAT THEY WILL ATTACK ANY FOREIGN TARGET IN CUZCO.",
        "CUZCO, 14 MAR 91 -- THE CARTEL HAS THREATENED TO KILL 12 JUDGES IN CUZCO.",
        "On 3 May 2021, the army denied that its troops attacked the village of Kora.",
        "On 3 May 2021, the minister said no pilgrim has ever been murdered in Kora.",
        "On 3 May 2021, police said the gang was preparing an attack on a bank in Kora.",
        "On 3 May 2021, villagers in Kora commemorated the massacre of their elders.",
        "On 3 May 2021, the governor of Kora praised the battle against drug trafficking.",
    ],
)
def test_threatened_or_denied_violence_is_no_incident(text):
    events = extract(article_frame({"a": text}, {"a": "1990-01-09"}))["events"]
    assert events.filter(pl.col("event_type").is_in(["Battles", "Violence against civilians"])).is_empty()


@pytest.mark.parametrize(
    ("last_sentence", "reported"),
    [
        ("HE THEN RECALLED THE BOMBINGS IN CUZCO.", False),
        ("HE THEN SAID THREE GUARDS WERE KILLED IN THE BOMBINGS IN CUZCO.", True),
    ],
)
def test_a_passing_mention_with_only_a_place_is_no_incident(last_sentence, reported):
    text = (
        "AREQUIPA, 14 MAR 91 -- THE MINISTER MET UNION LEADERS TODAY. HE SPOKE ABOUT SCHOOLS. "
        "THEY DISCUSSED WAGES AND PRICES. " + last_sentence
    )
    events = extract(article_frame({"a": text}))["events"]
    violent = events.filter(pl.col("event_type") == "Explosions/Remote violence")
    assert violent.height == int(reported)


@pytest.mark.parametrize(
    "text",
    [
        "On 3 May 2021, students marched in Kora demanding justice for two classmates killed by police.",
        "On 3 May 2021, villagers in Kora burned tyres following the death of a boy in a road accident.",
        "On 3 May 2021, a crowd in Kora torched the house of a man accused of killing two neighbours.",
        "On 3 May 2021, residents rioted in Kora after two pupils were killed by bandits.",
        "On 2 June 2031, about 200 people marched in Kora after police fatally shot a bus driver.",
        "On 1 May 2023, colleagues of a nurse who was shot dead by robbers staged a protest rally in Kora.",
        "On 3 March 2031, relatives of two farmers killed in a boundary dispute held a protest on a highway in Kora.",
        "On 2 January 2023, neighbours staged a protest in Kora, claiming that a guard beat a boy to death.",
    ],
)
def test_deaths_a_demonstration_is_about_are_not_its_toll(text):
    events = extract(article_frame({"a": text}))["events"]
    assert events["event_type"].is_in(["Protests", "Riots"]).any()
    assert events["fatalities_best"].drop_nulls().to_list() == []


def test_an_earlier_killing_named_outside_a_demonstration_keeps_its_toll():
    # the article may report nothing but that killing (MUC-4 codes it)
    text = "TEGUCIGALPA, 6 MAR 91 -- THE TALKS WERE CALLED OFF AFTER THE ASSASSINATION OF TEN FARM LEADERS."
    events = extract(article_frame({"a": text}))["events"]
    assert events["fatalities_best"].drop_nulls().to_list() == [10]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a death told by its means, the victims standing between verb and outcome
        (
            "A crowd burned two alleged thieves to death at the market.",
            [("killed", "alleged thieves", 2, 2, 2)],
        ),
        ("Villagers stoned a man suspected of arson to death.", [("killed", "man", 1, 1, 1)]),
        # "fatally" with any act of violence, and a further act on the same victim
        ("A hawker was fatally assaulted by guards.", [("killed", "hawker", 1, 1, 1)]),
        (
            "Residents fatally lynched and burnt an alleged thief.",
            [("killed", "alleged thief", 1, 1, 1)],
        ),
        ("A mob killed a suspected smuggler near the bridge.", [("killed", "suspected smuggler", 1, 1, 1)]),
        ("Youths lynch a man they accuse of theft.", [("killed", "man", 1, 1, 1)]),
        # dying later of one's injuries
        ("One of the porters succumbed to his injuries.", [("killed", "porters", 1, 1, 1)]),
        ("The victim later died in hospital.", [("killed", None, 1, 1, 1)]),
        ("He later died in hospital.", [("killed", None, 1, 1, 1)]),
        ("Three herders are feared dead.", [("killed", "herders", 3, 3, 3)]),
        # a further outcome is no further act: the figure is not read as deaths
        ("Gunmen killed and injured 5 people.", [("injured", "people", 5, 5, 5)]),
    ],
)
def test_deaths_told_by_means_manner_and_aftermath(sentence, expected):
    assert _casualties(sentence) == expected


def test_an_all_caps_common_word_named_nowhere_as_a_place_places_no_event():
    # "EARLY" is a town in Texas, and the article names the United States; but it stands in no
    # place's position, so the murder stays in the country of the dateline.
    text = (
        "CALI, 7 MAR 91 -- GUNMEN MURDERED A JUDGE EARLY TODAY. "
        "THE CARTEL WOULD RATHER FIGHT IN COLOMBIA THAN FACE TRIAL IN THE UNITED STATES."
    )
    events = extract(article_frame({"a": text}))["events"]
    assert events.filter(pl.col("event_type") == "Violence against civilians")["country_iso3"].to_list() == [
        "COL"
    ]


def test_a_toll_restated_later_is_counted_once():
    text = (
        "TEGUCIGALPA, 6 MAR 91 -- FIVE MONKS WERE MURDERED IN THEIR CONVENT. "
        "THE BISHOP DENOUNCED THE MURDER OF THE FIVE MONKS. "
        "IN ANOTHER ATTACK, THREE SOLDIERS WERE KILLED IN OLANCHO."
    )
    events = extract(article_frame({"a": text}))["events"]
    assert events["fatalities_best"].drop_nulls().sum() == 8


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the victims of one act listed after an active verb or a nominal
        (
            "THEY DENOUNCED THE MURDER OF FOUR NUNS AND TWO DRIVERS.",
            [("killed", "nuns", 4, 4, 4), ("killed", "drivers", 2, 2, 2)],
        ),
        (
            "The raid killed three guards and a driver.",
            [("killed", "guards", 3, 3, 3), ("killed", "driver", 1, 1, 1)],
        ),
        # a trailing subset names no further victims
        ("Gunmen wounded 5 people, 2 of them seriously.", [("injured", "people", 5, 5, 5)]),
        # one figure for several outcomes is no death count
        ("FOUR GUARDS WERE KILLED OR WOUNDED DURING THE RAID.", []),
        ("Two rebels were killed, injured or captured in the sweep.", []),
        # a war's toll is no event's
        ("THE CONFLICT, WHICH BEGAN IN THE SEVENTIES, HAS CLAIMED 30,000 LIVES AND LEFT 9,000 DEAD.", []),
    ],
)
def test_casualty_lists_and_joint_figures(sentence, expected):
    assert _casualties(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an acronym in capitals inside mixed-case text is no clause word
        ("Coalition aircraft killed 5 IS fighters near Hajin.", [("killed", "is fighters", 5, 5, 5)]),
        # ... but in upper-case wire copy "WHO WERE" still ends the group
        ("TWO SOLDIERS WHO WERE WOUNDED", []),
        # the group stops before a clause: "one and wounding another" is one dead
        ("A mine blew up under a truck, killing one and wounding another.", [("killed", None, 1, 1, 1)]),
        # "the" and a singular person noun is one victim
        ("Rangers returned fire and killed the poacher.", [("killed", None, 1, 1, 1)]),
        ("The ambush caused the death of the convoy commander.", [("killed", None, 1, 1, 1)]),
        ("The fighting caused the death of the two drivers.", [("killed", "drivers", 2, 2, 2)]),
        ("Militants beheaded 2 villagers.", [("killed", "villagers", 2, 2, 2)]),
        ("The body of a missing taxi driver was found in a ditch.", [("killed", None, 1, 1, 1)]),
    ],
)
def test_victims_named_without_a_plain_figure(sentence, expected):
    assert _casualties(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the victim as the possessor of the death, and a name or a title after "the murder of"
        (
            "CONCERNING JUAN CARLOS VELMAR'S DEATH, THE FRONT SAID NOTHING.",
            [("killed", None, 1, 1, 1)],
        ),
        ("THE MINISTER DENOUNCED ANDRES TARSK VELAZQUEZ' ASSASSINATION.", [("killed", None, 1, 1, 1)]),
        ("The police solved the murder of Maria Okafor.", [("killed", None, 1, 1, 1)]),
        (
            "THREE MEN SUSPECTED OF KILLING RADICAL MAYORAL CANDIDATE PEDRO TARSK WERE HELD.",
            [("killed", None, 1, 1, 1)],
        ),
        (
            "They urged an inquiry into the murder of opposition councillor Tomas Velmar.",
            [("killed", None, 1, 1, 1)],
        ),
        # ... but a group, a killer's possessive or a pronoun names no new victim
        ("The council condemned the killing of Velmari civilians in the north.", []),
        ("THE MURDER OF THE MONKS SHOCKED THE NATION.", []),
        ("The army's killing of five farmers was condemned.", [("killed", "farmers", 5, 5, 5)]),
        ("The country's death toll rose to 12.", [("killed", None, 12, 12, 12)]),
        ("The family mourned his death.", []),
        # "killing livestock and damaging farm buildings": a title has no function words
        ("Shells struck the village, killing livestock and damaging farm buildings.", []),
        # a group named by what it belongs to, and bodies counted after the noun
        (
            "THREE MEMBERS OF HIS CONVOY WERE ALSO KILLED IN THE AMBUSH.",
            [("killed", "members", 3, 3, 3)],
        ),
        ("THE BODIES OF FIVE HERDERS WERE FOUND IN THE CANAL.", [("killed", "herders", 5, 5, 5)]),
        # a death that people protest or mourn is their grievance, not a new toll
        ("Youths hurled stones at the police over the death of militant Omar Tarsk.", []),
        ("Rioters torched two kiosks over Omar Tarsk's death.", []),
        # ... but indignation over the news about a massacre still reports it
        (
            "THE GOVERNMENT VOICED OUTRAGE OVER THE NEWS ABOUT THE MURDER OF FIVE MONKS.",
            [("killed", "monks", 5, 5, 5)],
        ),
        # a singular "has died" is one death
        ("THE PEASANT LEADER, 41, HAS DIED FROM BULLET WOUNDS.", [("killed", None, 1, 1, 1)]),
    ],
)
def test_named_and_described_victims(sentence, expected):
    assert _casualties(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # one figure, read once, though two forms match it ("one person was killed", "was killed")
        (
            "On 2 June 2021, one person was killed and 9 injured in a blast.",
            [("killed", "person", 1, 1, 1), ("injured", None, 9, 9, 9)],
        ),
        # a participle with an object is active: the gunman is not a victim
        ("On 2 June 2021, a gunman killed a shopkeeper in Mombasa.", [("killed", "shopkeeper", 1, 1, 1)]),
        # ... a headline passive has none
        ("Three soldiers killed in ambush near Gao.", [("killed", "soldiers", 3, 3, 3)]),
    ],
)
def test_each_figure_is_read_once_and_in_its_voice(sentence, expected):
    assert _casualties(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an age and a date are not counts
        ("THE BISHOP CONDEMNED THE KILLING OF 35-YEAR-OLD PEDRO LUNA.", []),
        ("ON 14 MARCH GUERRILLA COLUMNS MURDERED TWO MAYORS.", [("killed", "mayors", 2, 2, 2)]),
        # running totals over a period are no event's toll
        ("MORE THAN 200 CIVILIANS HAVE DIED SO FAR THIS MONTH IN THE CLASHES.", []),
        ("OVER 5,000 PEOPLE DIED DURING 12 YEARS OF CONFLICT.", []),
    ],
)
def test_ages_dates_and_running_totals_are_not_tolls(sentence, expected):
    assert _casualties(sentence) == expected


def test_bodies_found_are_deaths():
    assert _casualties("THREE BODIES WERE FOUND THIS MORNING SHOT TO DEATH NEAR THE MARKET.") == [
        ("killed", "bodies", 3, 3, 3)
    ]


def test_a_singular_passive_is_one_victim():
    assert _casualties("The mayor was assassinated in his office.") == [("killed", None, 1, 1, 1)]


def test_named_victims_count_one_each():
    assert _casualties("THE GOVERNMENT CONDEMNED THE ASSASSINATION OF TOMAS VELMAR.") == [
        ("killed", None, 1, 1, 1)
    ]
    assert _casualties("Both bodies were found near the border.") == [("killed", "bodies", 2, 2, 2)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a singular subject before "was": the verb is not read as a plural noun ("wa-s")
        ("On 4 March 2021, a radio host was shot dead in Tamale.", [("killed", None, 1, 1, 1)]),
        (
            "One rebel was killed and two were arrested.",
            [("killed", "rebel", 1, 1, 1), ("arrested", None, 2, 2, 2)],
        ),
        # one person named by an agent suffix after an active verb
        ("Bandits shot and killed a cattle dealer near Kano.", [("killed", "cattle dealer", 1, 1, 1)]),
        ("Gunmen killed a 16-year-old boy.", [("killed", "16-year-old boy", 1, 1, 1)]),
        # a count out of a named group
        ("Police chased four burglars. Two of them died.", [("killed", None, 2, 2, 2)]),
        # the verb carries the death: to death, alive, fatally, lynched, present tense
        ("A crowd beat to death two suspected thieves.", [("killed", "suspected thieves", 2, 2, 2)]),
        ("Villagers lynched a suspected kidnapper.", [("killed", "suspected kidnapper", 1, 1, 1)]),
        ("Two herders were burnt alive.", [("killed", "herders", 2, 2, 2)]),
        ("Soldiers shoot and kill a woman at a roadblock.", [("killed", "woman", 1, 1, 1)]),
        # adverbs and reporting verbs between the figure and the outcome
        ("Three guards were reportedly seriously injured.", [("injured", "guards", 3, 3, 3)]),
        # a nominal: the death / murder of N
        ("THE JUDGE IS INVESTIGATING THE MURDER OF TWO NURSES.", [("killed", "nurses", 2, 2, 2)]),
        ("The clash led to the death of a bystander.", [("killed", "bystander", 1, 1, 1)]),
    ],
)
def test_casualty_surface_forms(sentence, expected):
    assert _casualties(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "No one was killed in the blast.",
        "Nobody was injured.",
        "The group threatened to kill two reporters.",
        "A mob tried to burn to death a suspected thief.",
        "The militia did not kill the hostages.",
        "Soldiers killed a number of cattle.",
        # animals, however the group runs on or however bare the figure
        "Soldiers killed about 40 cows belonging to herders.",
        "Raiders killed 12 livestock.",
    ],
)
def test_denied_or_unrealised_casualties_are_not_counted(sentence):
    assert _casualties(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Velmar's body was found near the border.",
        "He died in hospital.",
        "They condemned the assassination of Tomas Velmar.",
        "The death toll rose to 12.",
        "Twenty people were abducted.",
        "Police arrested 12 protesters.",
    ],
)
def test_every_casualty_form_names_its_outcome(sentence):
    found = _casualties(sentence)
    assert found and all(outcome is not None for outcome, *_ in found)


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        (
            "On 11 November 2031, unknown individuals burned the village church in Velmar.",
            "Looting/property destruction",
        ),
        (
            "On 5 May 2031, scores of residents gathered outside the town hall and voiced their opposition.",
            "Peaceful protest",
        ),
        ("On 29 May 2031, armed land guards stormed a church compound in Velmar.", "Attack"),
    ],
)
def test_property_destruction_gatherings_and_raids_are_events(sentence, sub_event_type):
    tables = extract(article_frame({"a": sentence}))
    assert tables["events"]["sub_event_type"].to_list() == [sub_event_type]


def _coded(sentence: str) -> list[tuple]:
    """(sub-event type, actor 1 type, actor 2 type) of each event extracted from `sentence`."""
    tables = extract(article_frame({"a": sentence}))
    roles = tables["event_actors"].join(tables["actors"].select("actor_id", "actor_type"), on="actor_id")
    type_of = {(r["event_id"], r["role"]): r["actor_type"] for r in roles.iter_rows(named=True)}
    return [
        (e["sub_event_type"], type_of.get((e["event_id"], "actor1")), type_of.get((e["event_id"], "actor2")))
        for e in tables["events"].sort("char_start").iter_rows(named=True)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On 2 March 2022, backers of two rival candidates clashed with sticks in Ranipur.",
            ("Mob violence", "Rioters", "Rioters"),
        ),
        (
            "On 2 March 2022, locals beat a suspected thief in Ranipur.",
            ("Mob violence", "Rioters", None),
        ),
        (
            "On 2 March 2022, a clash between two groups of residents left one man dead in Ranipur.",
            ("Mob violence", "Rioters", "Rioters"),
        ),
    ],
)
def test_violence_by_unarmed_collectives_is_mob_violence(sentence, expected):
    sub_type, actor1, actor2 = _coded(sentence)[0]
    assert (sub_type, actor1) == expected[:2]
    if expected[2] is not None:
        assert actor2 == expected[2]


def test_crowd_violence_at_a_demonstration_is_a_violent_demonstration():
    sentence = (
        "On 2 March 2022, members of the teachers' union clashed with police during their rally in Ranipur."
    )
    assert _coded(sentence)[0] == ("Violent demonstration", "Rioters", "State forces")


def test_vandalism_without_a_demonstration_is_mob_violence():
    sentence = "On 2 March 2022, a group of youths vandalized the office of a local councillor in Ranipur."
    assert _coded(sentence)[0][:2] == ("Mob violence", "Rioters")


@pytest.mark.parametrize(
    "sentence",
    [
        "On 2 March 2031, Al Shabaab militants raided a police station in Ranipur.",
        "On 2 March 2031, members of Al Shabaab raided a police station in Ranipur.",
    ],
)
def test_a_noun_naming_members_of_a_group_is_that_group(sentence):
    tables = extract(article_frame({"a": sentence}))
    actor1 = tables["event_actors"].filter(pl.col("role") == "actor1").join(tables["actors"], on="actor_id")
    assert actor1["actor_name"].to_list() == ["Al Shabaab"]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 2 March 2022, four people were killed and two wounded in an ambush on a lorry in Ranipur.",
        "On 2 March 2022, residents said the massive attack on the market in Ranipur killed four.",
        "On 2 March 2022, rebel groups launched attacks on three villages near Ranipur.",
    ],
)
def test_a_crowd_only_does_what_it_is_the_subject_of(sentence):
    assert all(sub_type != "Mob violence" for sub_type, *_ in _coded(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On 3 June 2023, students staged a protest in Kelton demanding the release of classmates detained by police.",
            ("Peaceful protest", "Protesters", None),
        ),
        (
            "On 3 June 2023, teachers marched in Kelton and the protesters dispersed peacefully.",
            ("Peaceful protest", "Protesters", None),
        ),
        (
            "On 3 June 2023, demonstrators clashed with police in Kelton.",
            ("Violent demonstration", "Rioters", "State forces"),
        ),
        (
            "On 3 June 2023, villagers burned down the house of a suspected witch in Kelton.",
            ("Mob violence", "Rioters", None),
        ),
    ],
)
def test_protests_their_grievances_and_crowd_violence(sentence, expected):
    assert _coded(sentence)[0] == expected


def test_a_death_a_protest_is_about_is_no_event_of_its_own():
    sentence = "On 3 June 2023, residents of Kelton protested the death of a cyclist hit by a lorry."
    tables = extract(article_frame({"a": sentence}))
    assert tables["events"]["sub_event_type"].to_list() == ["Peaceful protest"]
    assert tables["events"]["fatalities_best"].to_list() == [None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On 4 July 2021, clashes broke out between two pastoralist communities in Lomara.",
            ("Armed clash", "Identity militia", "Identity militia"),
        ),
        (
            "On 4 July 2021, a clash erupted in Lomara over a land dispute and five people were injured.",
            ("Mob violence", "Rioters", "Rioters"),
        ),
        (
            "On 4 July 2021, Kaloti militia attacked a village near Lomara and killed two residents.",
            ("Attack", "Identity militia", "Civilians"),
        ),
    ],
)
def test_fights_that_name_no_armed_actor(sentence, expected):
    assert _coded(sentence)[0] == expected


def test_a_clash_mentioned_as_past_is_no_event_of_this_report():
    sentence = "On 4 July 2021, teachers protested in Lomara against the strike called over prior clashes."
    assert [sub_type for sub_type, *_ in _coded(sentence)] == ["Peaceful protest"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On 9 May 2020, rebel forces fired 120mm mortars at government positions near Kelton.",
            ("Shelling/artillery/missile attack", "Rebel group", "State forces"),
        ),
        (
            "On 9 May 2020, troops fired rocket launchers at bases of the Kelton People's Militia.",
            ("Shelling/artillery/missile attack", "State forces", "Political militia"),
        ),
        (
            "On 9 May 2020, a man was beaten to death by villagers in Kelton.",
            ("Mob violence", "Rioters", None),
        ),
    ],
)
def test_weapons_inside_a_firing_phrase_and_targets_inside_it(sentence, expected):
    sub_type, actor1, actor2 = _coded(sentence)[0]
    assert (sub_type, actor1) == expected[:2]
    if expected[2] is not None:
        assert actor2 == expected[2]


def test_barricades_and_fires_make_a_violent_demonstration():
    sentence = "On 5 May 2021, youths barricaded the main road in Kelton and lit bonfires."
    assert _coded(sentence)[0][:2] == ("Violent demonstration", "Rioters")


def test_demonstrations_named_as_background_do_not_make_a_riot_a_demonstration():
    sentence = (
        "On 5 May 2021, locals vandalized the office of a councillor in Kelton, "
        "following anti-government demonstrations in the capital."
    )
    assert _coded(sentence)[0][:2] == ("Mob violence", "Rioters")


def test_police_intervening_in_a_protest():
    text = (
        "On 9 May 2020, residents staged a protest outside the ration shop in Kelton. The police intervened."
    )
    assert _coded(text)[0] == ("Protest with intervention", "Protesters", "State forces")


def test_an_intervention_without_a_protest_is_no_protest():
    text = "On 9 May 2020, gunmen shot dead a trader in Kelton. The police intervened."
    assert "Protests" not in extract(article_frame({"a": text}))["events"]["event_type"].to_list()


@pytest.mark.parametrize(
    "sentence",
    [
        "On 9 May 2020, a shopkeeper was hacked to death in Kelton.",
        "On 9 May 2020, gunmen shot dead in Kelton.",
    ],
)
def test_violence_against_civilians_has_civilian_targets_even_unnamed(sentence):
    sub_type, _, actor2 = _coded(sentence)[0]
    assert (sub_type, actor2) == ("Attack", "Civilians")


@pytest.mark.parametrize(
    "sentence",
    [
        "On 9 May 2020, villagers in Kelton (Dara, North) beat a suspected thief.",
        "On 9 May 2020, a number of residents, including two women, beat a suspected thief in Kelton.",
        "On 9 May 2020, residents caught, tied up, and beat a suspected thief in Kelton.",
    ],
)
def test_a_crowd_stays_the_subject_across_brackets_appositives_and_verb_lists(sentence):
    assert _coded(sentence)[0][:2] == ("Mob violence", "Rioters")


def test_an_upper_case_acronym_before_the_verb_is_no_passive():
    sentence = "On 9 May 2031, IS militants attacked a border post near Kelton."
    tables = extract(article_frame({"a": sentence}))
    roles = tables["event_actors"].join(tables["actors"], on="actor_id")
    actor1 = roles.filter(pl.col("role") == "actor1")
    assert actor1["actor_name"].to_list() == ["Islamic State"]


@pytest.mark.parametrize(
    ("sentence", "agent"),
    [
        ("On 9 May 2020, a trader was shot dead by two masked gunmen in Kelton.", "gunmen"),
        (
            "On 9 May 2020, rockets fired by suspected rebel forces killed three civilians in Kelton.",
            "rebel forces",
        ),
    ],
)
def test_the_agent_after_by_may_carry_modifiers(sentence, agent):
    tables = extract(article_frame({"a": sentence}))
    actor1 = tables["event_actors"].filter(pl.col("role") == "actor1")
    assert actor1["mention_text"].to_list() == [agent]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 June 2023, police clashed with residents defying a curfew in Kelton.",
        "On 3 June 2023, members of UDP clashed with police officers in Kelton.",
    ],
)
def test_police_clashing_with_a_crowd_is_a_riot_with_the_crowd_first(sentence):
    sub_type, actor1, actor2 = _coded(sentence)[0]
    assert (sub_type, actor1, actor2) == ("Mob violence", "Rioters", "State forces")


def test_collectives_of_clans_fighting_are_communal_militias():
    sentence = "On 4 July 2021, members of two rival clans clashed over grazing land in Lomara."
    assert _coded(sentence)[0] == ("Armed clash", "Identity militia", "Identity militia")


def test_a_toll_after_a_clash_between_militias_stays_with_the_clash():
    text = (
        "On 4 July 2021, Kaloti ethnic militia clashed with Bemba ethnic militia near Lomara. "
        "Six people were killed."
    )
    tables = extract(article_frame({"a": text}))
    assert tables["events"].select("event_type", "fatalities_best").rows() == [("Battles", 6)]


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        (
            "On 9 Sep 2019, Kelton residents held violent demonstrations against the arrest of their MP.",
            "Violent demonstration",
        ),
        (
            "On 9 Sep 2019, Kelton residents held a non-violent protest against the arrest of their MP.",
            "Peaceful protest",
        ),
        (
            "On 9 Sep 2019, students staged a demonstration in Kelton and later clashed with police officers.",
            "Violent demonstration",
        ),
        (
            "On 9 Sep 2019, teachers staged a protest in Kelton demanding justice for a colleague who was attacked.",
            "Peaceful protest",
        ),
    ],
)
def test_a_demonstration_turns_violent_by_its_adjective_or_a_coordinated_fight(sentence, sub_type):
    assert _coded(sentence)[0][0] == sub_type


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("On 9 Sep 2019, a vigilante mob lynches an alleged thief in Kelton.", "Mob violence"),
        ("On 9 Sep 2019, soldiers shot down a drone over Kelton.", "Disrupted weapons use"),
        ("On 9 Sep 2019, unknown men looted a warehouse in Kelton.", "Looting/property destruction"),
        ("On 9 Sep 2019, a crowd of residents looted a warehouse in Kelton.", "Mob violence"),
    ],
)
def test_looting_lynching_and_downing_a_drone_are_events(sentence, sub_type):
    assert _coded(sentence)[0][0] == sub_type


def test_a_crowd_and_the_police_clashing_is_a_riot_against_the_state():
    sentence = "On 6 June 2031, youths and police forces clashed in Kelton over the closure of a party."
    assert _coded(sentence)[0] == ("Mob violence", "Rioters", "State forces")


def test_a_states_forces_abroad_are_external_forces():
    sentence = (
        "On 6 June 2031, Ugandan soldiers crossed the border and killed three fishermen in Kitale, Kenya."
    )
    tables = extract(article_frame({"a": sentence}))
    roles = tables["event_actors"].join(tables["actors"], on="actor_id")
    actor1 = roles.filter(pl.col("role") == "actor1")
    assert actor1.select("actor_name", "actor_type").rows() == [("Uganda", "External/Other forces")]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 1 May 2023, colleagues of a teacher who was shot dead by gunmen staged a protest in Kelton.",
        "On 1 May 2023, residents protested in Kelton against the rape and killing of a schoolgirl.",
        "On 1 May 2023, drivers staged a protest in Kelton demanding the body of a colleague killed in a crash.",
    ],
)
def test_violence_a_protest_is_about_is_no_event_of_its_own(sentence):
    tables = extract(article_frame({"a": sentence}))
    assert tables["events"]["event_type"].to_list() == ["Protests"]


def test_people_arrested_are_civilians_unless_named_as_armed():
    sentence = "On 2 May 2021, police arrested the suspects in Kelton."
    assert _coded(sentence)[0] == ("Arrests", "State forces", "Civilians")


@pytest.mark.parametrize(
    ("text", "high"),
    [
        # the headline states no toll: the body's exact figure closes the bound
        (
            "Gunmen attack bus near Velmar\nOn 3 May 2031, gunmen attacked a bus near Velmar, killing five passengers.",
            5,
        ),
        ("On 3 May 2031, gunmen attacked a bus near Velmar, killing at least five passengers.", None),
    ],
)
def test_only_a_mention_with_a_toll_can_leave_the_upper_bound_open(text, high):
    events = extract(article_frame({"a": text}))["events"]
    assert events["fatalities_best"].to_list() == [5]
    assert events["fatalities_high"].to_list() == [high]

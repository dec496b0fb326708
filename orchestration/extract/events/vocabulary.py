"""The words and type sets event building shares: violent and demonstration types, armed and civilian victims, the phrases that find agents, subjects and passives."""

from __future__ import annotations

import polars as pl

VIOLENT_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians"]
DEMONSTRATION_TYPES = ["Protests", "Riots"]
# One demonstration is reported as a protest, the police's response and the crowd's violence; the
# event takes the most severe reading (ACLED: violent demonstrators make it a riot).
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 1,
    "Protest with intervention": 2,
    "Excessive force against protesters": 3,
    "Violent demonstration": 4,
    "Mob violence": 5,
}
# Event types a death or injury can belong to. A protest does not own deaths by itself: deaths of
# protesters become their own event, typed excessive force against protesters.
_HARMFUL_TYPES = [*VIOLENT_TYPES, "Riots"]
_PROTESTER_VICTIMS = r"(?i)\b(?:protesters?|protestors?|demonstrators?|marchers?)\b"
_EVENT_BLOCKS = ["headline", "standfirst", "body"]
# Victims are civilians unless the text names them as armed (soldiers, police, militants ...).
_ARMED_VICTIMS = (
    r"soldiers?|troops?|servicem[ae]n|police|policem[ae]n|officers?|guards?|gendarmes?|militants?|fighters?|"
    r"rebels?|terrorists?|subversives?|guerrillas?|insurgents?|extremists?|gunm[ae]n|attackers?|assailants?|"
    r"jihadists?|combatants?|militiam[ae]n|militias?|elements?|personnel|commanders?|cadres?|recruits?|"
    r"paramilitaries|members|suicide bombers?|bombers?|snipers?|forces"
)


def _is_civilian(victim_group: pl.Expr) -> pl.Expr:
    return victim_group.is_not_null() & ~victim_group.str.contains(rf"(?i)\b(?:{_ARMED_VICTIMS})\b")


# What an event carries about each role's actor (prefixed a1_ / a2_).
_ACTOR_FIELDS = (
    "actor_name",
    "actor_type",
    "actor_kind",
    "actor_country",
    "mention_text",
    "char_start",
    "char_end",
)
_ARMED_TYPES = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "External/Other forces",
]
# "shot dead by two masked men", "rockets fired by suspected KLF units": a determiner or a
# couple of modifiers may stand between "by" and the agent's noun.
_AGENT_BY = r"^\s*(?:[\w'’-]+\s+){0,2}?by\s+(?:[\w'’-]+\s+){0,2}$"
# "rockets from Velmar" names who fired; "withdrew its envoy from Velmar" does not.
_AGENT_FROM = r"^\s*(?:[\w'’-]+\s+){0,2}?from\s+(?:the\s+)?$"
_PASSIVE_AUX = r"was|were|been|being|be|is|are|got"
# Case matters in mixed-case text: "IS fighters stormed" names the Islamic State, not a passive.
_PASSIVE_BEFORE = (
    rf"\b(?:{_PASSIVE_AUX}|{'|'.join(a.capitalize() for a in _PASSIVE_AUX.split('|'))})\s+(?:\w+\s+)?$"
)
_PASSIVE_BEFORE_UPPER = rf"\b(?:{_PASSIVE_AUX.upper()})\s+(?:\w+\s+)?$"
# Between a subject and its verb: a few words ("backers of both mayors clashed"), no clause
# break, no verb of its own ("traders were hurt in a raid", "relatives of tortured persons").
_SUBJECT_GAP = r"(?i)^(?:\s*[\w'’()-]+){0,10}\s*$"
_NOT_SUBJECT_GAP = r"(?i)[;:,]|\b(?:that|which|who|whom|was|were|been|be|is|are|will|would|have|has|had|said|says)\b|^\s*of\s*$|['’]s\b"
# Material that sits between a subject and its verb without breaking the clause: a bracketed place
# ("villagers in Kalo (Dara, North) beat"), an appositive ("people, including two guards, beat") and
# earlier verbs of a coordinated list ("residents caught, tied up, and beat").
_PARENTHESIS = r"\s*\([^()]*\)"
_APPOSITIVE = (
    r"(?i),\s*(?:including|led by|along with|together with|backed by|armed with|among them|mostly|"
    r"reportedly|allegedly)\b[^,;:]*,"
)
_COORDINATED_VERBS = r"(?i)(?:\b[a-z]+(?:\s+(?:up|down|out|off|away))?,\s+)+(?:and\s+)?$"


def _clause_gap(gap: pl.Expr) -> pl.Expr:
    """`gap` (text between a subject and a verb) without insertions that leave the clause whole."""
    return (
        gap.str.replace_all(_PARENTHESIS, "")
        .str.replace_all(_APPOSITIVE, "")
        .str.replace(_COORDINATED_VERBS, "")
    )


# A trigger that is a noun after a preposition or determiner is not the crowd's own act ("people
# joined during the fighting", "chiefs and the mass killing of herders"), unless a light verb
# makes it one ("engaged in a clash", "carried out an attack").
_NOUN_TRIGGER_BEFORE = (
    r"(?i)\b(?:during|in|of|after|before|following|amid|from|by|for|over|at|on|into|against|"
    # a modifier may stand before the noun ("in heavy fighting"); a name does not ("in Kelton beat",
    # "members of KLF clashed")
    r"the|a|an|this|that|these|those|their|its|his|her)\s+(?:(?-i:[\p{Ll}\d-][\w-]*)\s+)?$"
)
_LIGHT_VERB_BEFORE = (
    r"(?i)\b(?:(?:engaged|involved|took part|participated|joined)\s+in|carried out|launched|staged|mounted)\s+"
    r"(?:(?:the|a|an)\s+)?(?:[\w-]+\s+)?$"
)
_CLAUSE_BREAK = r"[;:,]|\b(?:that|which|who|after|before|while|when|as|but|following|amid|since|because)\b"
_COMMUNAL_CONTEXT = (
    r"(?i)\b(?:ethnic|inter-?ethnic|communal|inter-?communal|tribal|clan|communit(?:y|ies)|pastoralists?|"
    r"herders?|herdsm[ae]n|famil(?:y|ies))\b"
)
# A fight, not an exchange of fire ("shots", "exchanged fire" need arms) nor a bare casualty figure.
_FIGHT_WORD = r"(?i)^(?:clash|fight|fought|skirmish|scuffle|brawl)"
# Collectives that name a community by descent or way of life (not a village's or a family's members).
_COMMUNITIES = (
    r"(?i)\b(?:ethnic|inter-?ethnic|communal|inter-?communal|tribal|tribes?|clans?|inter-?clan|pastoralists?|"
    r"herders?|herdsm[ae]n)\b"
)
_CASUALTY_DEFAULTS = {
    "killed": ("Violence against civilians", "Attack"),
    "injured": ("Violence against civilians", "Attack"),
    "abducted": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrested": ("Strategic developments", "Arrests"),
}
_TYPE_SPECIFICITY = {"place": 0, "admin1": 1, "country": 2}

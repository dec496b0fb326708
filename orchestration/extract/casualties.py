"""Casualty figures: who was killed, injured, missing, abducted or arrested, and how many.

Three surface forms cover most news sentences:
- figure before the outcome: "two farmers and five herders were killed", "ONE PATROLMAN WAS KILLED";
- outcome before the figure: "killed at least nine traders", "wounding four others";
- figure with a casualty noun: "23 fatalities", "one dead raider", "the death toll rose to 17".
A coordinated list ("two farmers and five herders") yields one row per victim group.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.dates import MONTH
from orchestration.extract.numbers import NUMBER, QUALIFIERS, apply_qualifier, parse_numbers
from orchestration.extract.spans import find_all, strip_span

_GROUP_NOUNS = (
    r"people|persons?|civilians?|wom[ae]n|children|child|kids|boys?|girls?|m[ae]n|babies|infants|"
    r"soldiers?|troops?|servicem[ae]n|police(?:m[ae]n)?|police officers?|officers?|policem[ae]n|guards?|"
    r"militants?|fighters?|rebels?|terrorists?|subversives?|guerrillas?|insurgents?|extremists?|"
    r"gunm[ae]n|attackers?|assailants?|jihadists?|combatants?|militiam[ae]n|members?|"
    r"students?|villagers?|residents?|peasants?|farmers?|workers?|journalists?|protesters?|demonstrators?|"
    r"worshippers?|pilgrims?|passengers?|migrants?|refugees?|prisoners?|inmates?|officials?|leaders?|"
    r"individuals?|adults?|victims?|bodies|others|relatives|family members|security personnel|personnel|"
    r"elements?|supporters?|nationals|citizens|doctors?|nurses?|teachers?|traders?|shepherds?|herders?|"
    r"drivers?|miners?|musicians?|activists?|priests?|pastors?|imams?|chiefs?|businessm[ae]n|"
    r"gendarmes?|sons?|daughters?|wives|wife|husbands?|brothers?|sisters?|fathers?|mothers?|"
    r"rangers?|fishermen|fisherman|motorists?|pedestrians?|suspects?|robbers?|thieves|thief|"
    r"commanders?|cadres?|recruits?|policewom[ae]n|paramilitaries|youths?|minors?|criminals?|bandits?|thugs?|teens?"
)
# A person named by an agent suffix ("pastoralist", "merchant", "bystander", "chairperson").
_PERSON_SUFFIX = r"[\p{L}-]+(?:ists?|ers?|ors?|ants?|ents?|ians?|ees?|m[ae]n|wom[ae]n|persons?)"
# Up to three modifiers before the noun ("pro-Houthi", "Somali", "other", "17-year-old"); a
# modifier starts with a letter or digit, so a dateline's "90 --" is not read as "90 ... people".
# A victim group ends in a known person noun, a person suffix, or any plural noun of four letters
# or more ("tribesmen", "pastoralists"): shorter words ending in -s are function words ("was",
# "has", "his"), and reading "a reporter was" as a group hides the verb after it.
GROUP = rf"(?:[\p{{L}}\d][\p{{L}}\d'’-]* ){{0,3}}?(?:{_GROUP_NOUNS}|{_PERSON_SUFFIX}|[\p{{L}}-]{{3,}}s|[\p{{L}}-]+men)\b"
_QUAL = rf"(?:(?i:{QUALIFIERS}) )"
# "one of the robbers", "two of his brothers", "one of them": a count out of a named group.
_PARTITIVE = r"of (?:them|the|those|these|his|her|their)"
# "three members of his convoy": a group named by what it belongs to.
_OF_WHAT = r"(?: of (?:the |his |her |their |its )?[\p{L}-]+)"
_ITEM = rf"(?:^|\s){_QUAL}?{NUMBER}\b(?: {_PARTITIVE})?(?: {GROUP})?"
_BE = (
    r"(?:(?:were|was|have been|has been|had been|are|is|being|got|been|be|have|to|reportedly|reported|"
    r"confirmed|believed|presumed|feared|said|also|allegedly|later|all|both|then|subsequently|eventually|"
    r"instantly|seriously|severely|critically|badly|slightly|lightly|mortally) ){0,4}"
)

# Ways of dying that name the means: "beaten to death", "burnt alive", "fatally shot", "lynched".
_TO_DEATH = (
    r"(?:shot|beaten|beat|hacked|burned|burnt|stabbed|stoned|clubbed|tortured|crushed|trampled|"
    r"strangled|macheted|lynched|bludgeoned) to death|burn(?:ed|t) alive|"
    r"fatally (?:shot|stabbed|wounded|injured|hit|assaulted|attacked|beaten|lynched|burned|burnt|hacked|struck)|"
    r"gunned down|lynched|beheaded|decapitated"
)
_PASSIVE_OUTCOMES = (
    rf"{_TO_DEATH}|found dead|shot and killed|stabbed and killed|"
    r"killed|dead|died|succumbed|murdered|massacred|shot dead|executed|slain|wounded|injured|hurt|missing|"
    r"kidnapped|abducted|taken hostage|arrested|detained|captured"
)
_ACTIVE_OUTCOMES = (
    rf"{_TO_DEATH}|fatally (?:shooting|stabbing|wounding|injuring)|lynching|lynches|lynch|"
    r"killed|killing|kills|kill|murdered|murdering|assassinated|executed|massacred|slew|shot dead|"
    r"wounded|wounding|wounds|injured|injuring|injures|kidnapped|kidnapping|abducted|abducting|"
    r"arrested|arresting|detained|detaining"
)
_NOUN_OUTCOMES = r"dead|deaths?|fatalit(?:y|ies)|killed|casualties|injured|wounded|injuries"

PASSIVE = rf"(?i:{_ITEM}(?:(?:,| and|, and){_ITEM})*{_OF_WHAT}?) {_BE}(?i:{_PASSIVE_OUTCOMES})\b"
# Further victim groups of one act: "killed two soldiers and a civilian". Each names its group, so a
# trailing "..., two of them seriously" (a subset) does not add up.
_LISTED = rf"(?:,| and|, and)\s{_QUAL}?{NUMBER} {GROUP}"
# "lynched and burnt an alleged cattle thief": a further act on the same victims, not a further outcome
# ("killed and injured 5 people" is one figure for both, see _JOINT_OUTCOMES).
_AND_ACT = r"(?: and (?:burnt|burned|mutilated|robbed|dumped|beheaded|dismembered|hanged|buried))?"
ACTIVE = rf"\b(?i:{_ACTIVE_OUTCOMES}){_AND_ACT}{_ITEM}(?i:{_LISTED})*"
NOUN_FORM = rf"(?i:(?:^|\s){_QUAL}?{NUMBER} (?:[\p{{L}}-]+ ){{0,2}}?(?:{_NOUN_OUTCOMES})(?: {GROUP})?)"
# "leaving 3 KLF fighters dead", "left four people injured"
LEFT = rf"(?i:\b(?:leaving|left){_ITEM} (?:dead|killed|injured|wounded)\b)"
# "opened fire on a civilian ..., killing him"
PRONOUN = r"(?i:\b(?:killing|killed|wounding|wounded|injuring|injured) (?:him|her)\b)"
TOLL = rf"(?i:death toll (?:\w+ ){{0,3}}?(?:to|at|of|reached|is|was|stands at|stood at) {_QUAL}?{NUMBER})"
# "the death of a passer-by", "the murder of two Velmari traders", "the killing of 3 farmers".
_NOMINAL_OUTCOMES = r"deaths?|killings?|murders?|assassinations?|executions?"
NOMINAL = rf"(?i:\b(?:{_NOMINAL_OUTCOMES}) of(?: the)?{_ITEM}(?:{_LISTED})*)"
# "killed the farmer", "the death of the garrison chief": one person, named by a singular noun.
_ONE_PERSON = (
    r"(?:[\p{L}-]+(?:ist|er|or|ant|ent|ian|ee|man|woman|person)|man|woman|boy|girl|child|baby|soldier|"
    r"chief|victim|suspect|thief|leader|official|civilian|guard|resident|student|journalist|priest|"
    r"pastor|imam|doctor|nurse|husband|wife|son|daughter|brother|sister|father|mother|mayor|judge|"
    # offices held by one person, named before the holder ("killing presidential candidate X")
    r"candidate|minister|deputy|bishop|archbishop|colonel|general|captain|magistrate|attorney|nun)"
)
# "killed the farmer", "the murder of opposition councillor X": one person named by a singular
# noun; without an article it needs a modifier or two before it as a title ("murdered Minister X").
_GERUND_OUTCOMES = r"killing|murdering|assassinating|executing"
THE_ONE = (
    rf"(?i:\b(?:{_ACTIVE_OUTCOMES}|(?:{_NOMINAL_OUTCOMES}) of) the (?:[\p{{L}}\d][\p{{L}}\d'’-]* ){{0,2}}?"
    rf"{_ONE_PERSON}\b"
    rf"|\b(?:{_GERUND_OUTCOMES}|(?:{_NOMINAL_OUTCOMES}) of) (?:[\p{{L}}][\p{{L}}'’-]* ){{1,3}}?{_ONE_PERSON}\b)"
)
# Title words are content words: "killing livestock and damaging civilian property" names no one.
_TITLE_GAP = r"(?i)\b(?:and|or|but|with|in|on|at|of|to|for|by|from|his|her|their|its|a|an|who|which|that)\b"
# "burned two alleged thieves to death", "stoned a man suspected of arson to death": the means, the
# victims, then the outcome.
_MEANS = (
    r"burned|burnt|stoned|beat|beaten|hacked|stabbed|clubbed|tortured|crushed|trampled|strangled|lynched|"
    r"bludgeoned|kicked|starved|shot"
)
MEANS_TO_DEATH = rf"(?i:\b(?:{_MEANS}){_ITEM}(?: [\p{{L}}'’-]+){{0,4}}? to death)"
# "TWO BODIES WERE FOUND": the dead, counted by their bodies.
BODIES = (
    rf"(?i:(?:^|\s){_QUAL}?{NUMBER} (?:[\p{{L}}-]+ ){{0,2}}?(?:bodies|corpses)"
    # "the bodies of four peasants"
    rf"|\b(?:bodies|corpses) of (?:the )?{_QUAL}?{NUMBER} {GROUP})"
)
# "ANA VELMAR WAS KILLED", "the mayor was assassinated": one person, named or described.
SINGULAR = (
    rf"(?i:\b(?:was|has been|had been) (?:\w+ )?(?:{_TO_DEATH}|killed|murdered|assassinated|executed|shot dead|slain)"
    # "the assassination of Tomas Dunmore", "Dunmore's body was found", "he died"
    r"|\b(?:assassination|murder|killing|execution) of (?:the |a )?(?:[\p{L}.'’-]+ ){0,4}?(?-i:\p{Lu})[\p{L}.'’-]+"
    r"|\bbody (?:of (?:[\p{L}'’-]+ ){1,5}?)?(?:was|has been|had been) (?:found|discovered|recovered)"
    r"|\b(?:he|she) (?:later |subsequently |eventually |also )?(?:died|succumbed)"
    # "The victim later died in hospital", "the cashier died in the blaze"
    rf"|\bthe (?:[\p{{L}}-]+ ){{0,2}}?{_ONE_PERSON} (?:later |subsequently |eventually |also )?(?:died|succumbed)"
    r"|\b(?:has|had) died\b"
    # "Tomas Dunmore's death", "Ana Kores' assassination": a possessor who is the victim
    r"|\b[\p{L}.-]+['’]s? (?:(?:violent|brutal|tragic|recent|cowardly|treacherous) )?"
    r"(?:death|murder|assassination|killing|execution)\b)"
)
_POSSESSED_DEATH = r"(?i)['’]s? (?:\w+ )?(?:death|murder|assassination|killing|execution)$"
# "the army's killing of five farmers", "the country's death toll": the possessor is the killer or
# the place; the figure, if any, comes after. Pronouns ("his death") point back at a victim named
# before, who is counted there.
_NOT_VICTIM_POSSESSOR = (
    r"(?i)^\s+(?:of|toll|tolls|squads?|spree|threats?|sentences?|penalty|rates?|lists?|count|figures?)\b"
)
# "the murder of Hector Oqueli" names one victim; "the killing of Palestinian civilians", "THE
# MURDER OF THE JESUITS" name a group (a figure, where there is one, is read by the counted forms).
_NAMED_OF = r"(?i)^(?:assassination|murder|killing|execution) of (?:the |a )?"
_GROUP_AFTER_NAME = r"^\s+\p{Ll}[\p{L}-]*s\b"
_PLURAL_NAMED = rf"(?i)^(?:{_GROUP_NOUNS})$|^(?:[\p{{L}}-]+men|[\p{{L}}-]+ers|[\p{{L}}-]+ists|[\p{{L}}-]+ians|[\p{{L}}-]+ants)$"
_PRONOUN_POSSESSOR = r"(?i)^(?:his|her|its|their|one|whose|it|anyone|everyone|someone)(?:['’]s)?\s"
# In order of precedence where two forms match at the same place. Each form is searched on its
# own: one alternation of all of them compiles to an automaton several times slower than the parts.
CASUALTY_FORMS = (
    TOLL,
    LEFT,
    PASSIVE,
    ACTIVE,
    NOMINAL,
    NOUN_FORM,
    BODIES,
    MEANS_TO_DEATH,
    PRONOUN,
    THE_ONE,
    SINGULAR,
)
# Forms that state no figure: each is one victim.
_ONE_VICTIM_FORMS = [CASUALTY_FORMS.index(THE_ONE), CASUALTY_FORMS.index(SINGULAR)]
_OVERLAP_ROUNDS = 4
# Every form names an outcome with one of these stems: sentences without any are skipped before
# the (costlier) form patterns run.
_ANY_OUTCOME = (
    r"(?i)kill|dead|death|died|murder|massacr|execut|slain|slew|wound|injur|hurt|missing|kidnap|abduct|"
    r"hostage|arrest|detain|captur|assassin|fatal|lynch|gunned|alive|behead|decapitat|bod(?:y|ies)|succumb|"
    r"corpse|casualt"
)

_OUTCOME_OF = {
    "killed": (
        r"kill|dead|died|succumb|murder|massacre|execut|slain|death|fatal|assassinat|slew|bod(?:y|ies)|corpses?|"
        r"lynch|gunned down|alive|behead|decapitat"
    ),
    "injured": r"wound|injur|hurt|casualt",
    "missing": r"missing",
    "abducted": r"kidnap|abduct|hostage",
    "arrested": r"arrest|detain|captur",
}
_SAY = r"(?:said|says|told|reported|claimed|announced|confirmed|stated)"
# "according to X", "X said that ...", "..., X said."
_CLAIM = (
    r"(?i:according to) (?P<by>[^,.;:\"“”]{3,80})"
    rf"|^(?P<by2>[^,.;:\"“”]{{3,60}}?) (?i:{_SAY})\b"
    rf"|, (?P<by3>[^,.;:\"“”]{{3,60}}?) (?i:{_SAY})[.!]?$"
)
# Totals over months or years ("40,000 dead in 11 years", "over the past 3 months, 150 killed")
# describe a conflict, not one event.
CUMULATIVE = (
    r"(?i)\b(?:in|over|during|for|within) (?:the )?(?:past|last|first|previous) (?:\d+ |\w+ )?(?:years?|months?|decades?)\b"
    r"|(?i)\b(?:in|during|over|after) (?:\d+|\w+) (?:years|months|decades)\b|(?i)\bsince (?:19|20)\d\d\b"
    r"|(?i)\bso far this (?:year|month|week)\b"
    r"|(?i)\b(?:in|over|during) the (?:past|last) (?:few |several |\d+ )?(?:days|weeks)\b"
    # "the war that began 10 years ago has left 70,000 dead", "a 10-year-old war": a war's toll
    r"|(?i)\b(?:war|conflict|insurgency|struggle)\b[^.;]{0,80}?\b(?:has|have|had) (?:left|claimed|caused|cost)\b"
    r"|(?i)\b(?:years|decades) ago\b|(?i)\b(?:during|since) the (?:civil )?war\b"
)
# One figure for several outcomes together ("killed or wounded", "killed, injured or captured",
# "were killed and wounded in the fighting") counts no one as dead.
_JOINT_OUTCOMES = (
    r"(?i)^(?:,\s*[a-z]+)?,?\s+(?:or|and/or)\s+(?:wounded|injured|hurt|captured|arrested|missing)"
    r"|(?i)^\s+and\s+(?:wounded|injured)(?:\s*[.,;]|\s*$|\s+(?:in|during|by|at|on|when|since)\b)"
)
# Animals and property are not casualties ("killed about 40 goats owned by herders"), unless
# the animal only qualifies a person ("a cattle trader", "a goat thief").
_NOT_PEOPLE = r"(?i)\b(?:oxen|cattle|cows?|goats?|sheep|camels?|animals|livestock|dogs?|donkeys?|horses?|chickens|pigs|heads)\b"
_PERSON_HEAD = rf"(?i)(?:{_GROUP_NOUNS}|{_PERSON_SUFFIX})$"
_CLAUSE_WORD = r"\b(?:that|the|who|which|were|was|is|are|reported|said|of|to|in|and|after|when)\b"
# Units, and a month name: "26 January" is a date, not 26 people.
_NON_VICTIM = (
    r"(?i)^(?:years?|days?|hours?|minutes?|km|kilometers?|miles?|percent|times|months?|number|total|"
    rf"majority|quarter|further|{MONTH})\b"
)
# "the killing of 42-year-old X": an age, not a count.
_AGE_AFTER = r"(?i)^-?\s*(?:years?|months?)[- ]old\b|^-(?:year|month)\b"
# A figure that is denied ("no one was killed", "nobody was hurt") or an act that did not happen
# ("tried to kill", "threatened to kill", "will kill", "did not kill") is no casualty.
_NEGATED = r"(?i)\b(?:no|nobody|none|not|never|neither|nor|without)\s*$"
_IRREALIS = r"(?i)\b(?:to|will|would|could|might|may|can|cannot|should|must|shall|not|never)\s+$"
# A death named as the ground or antecedent of another act ("protested against the killing of three
# people", "rioted after a rider was shot dead", "demanding justice for a student killed by police",
# "a man accused of murdering his neighbour"): an earlier incident. Flagged, not dropped: whether it
# is another event's toll depends on what the sentence reports (see events.build_events).
_BACKGROUND_LINK = (
    r"after|following|against|over the|protest(?:ed|ing|s)?(?: at| over)?|mourn(?:ed|ing)?|"
    r"in (?:the wake|remembrance|memory|protest|connection|response|retaliation|revenge) (?:of|at|over|with|to|for)|"
    r"justice for|probe into|investigation into|inquiry into|"
    r"(?:accused|suspected|convicted|charged|arrested|detained|held|blamed|responsible|jailed|sentenced) "
    r"(?:\w+ ){0,2}?(?:of|in|for|with|over|to have)"
)
_BACKGROUND = (
    rf"(?i)\b(?:{_BACKGROUND_LINK})\s+(?:(?:the|a|an|his|her|their|its|this|that|these)\s+)?"
    r"(?:(?:prior|previous|earlier|recent|alleged|reported|brutal|suspected|mysterious|gruesome)\s+)*"
    rf"(?:(?:{_NOMINAL_OUTCOMES}|death|killing) of\s+(?:the\s+)?)?$"
)

# ... or as the content of a clause that gives the ground ("demonstrated after police fatally shot a
# man", "demanding punishment for culprits who killed a farmer"), up to the clause's end.
_GROUND_CLAUSE = (
    r"(?i)\b(?:after|following|over|justice|punishment|to protest|protesting|claim(?:ed|ing|s)?|"
    r"in (?:remembrance|memory|retaliation|reaction|response|the wake|protest))\b[^;,]*$"
    # ... or describes a person the demonstrators speak for or against ("colleagues of a teacher who
    # was shot dead", "relatives of two brothers killed in a feud", "culprits who killed a farmer")
    r"|(?i)\b(?:who|whom)\b[^;,]*$"
    r"|(?i)\b(?:relatives|family|families|colleagues|friends|parents|widows?|funeral|burial|vigil) (?:of|for)\b"
    r"\s*(?:(?:the|a|an|his|her|their)\s+)?[^;,]{0,30}$"
)


def _outcome(text: pl.Expr) -> pl.Expr:
    lowered = text.str.to_lowercase()
    expr = pl.lit(None, pl.String)
    for outcome, pattern in reversed(list(_OUTCOME_OF.items())):
        expr = pl.when(lowered.str.contains(pattern)).then(pl.lit(outcome)).otherwise(expr)
    return expr


def _clause_tail() -> pl.Expr:
    """The part of an item from the first clause word on ("one and injuring another", "soldiers
    who were"): not part of the victim group. In mixed-case text a word in capitals is an acronym,
    not a clause word ("4 IS militants"); upper-case wire copy is read case-blind."""
    words = (
        pl.col("item_text")
        .str.replace(rf"^(?i:(?:{QUALIFIERS}) )?(?i:{NUMBER})\b\s*", "")
        .str.replace(rf"^(?i:{_PARTITIVE})\b\s*", "")
    )
    mixed_case = pl.col("sentence_text").str.contains(r"\p{Ll}")
    return (
        pl.when(mixed_case)
        .then(words.str.extract(rf"(\s*{_CLAUSE_WORD}.*)$", 1))
        .otherwise(words.str.extract(rf"(?i)(\s*{_CLAUSE_WORD}.*)$", 1))
        .fill_null("")
    )


def _phrases(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Casualty phrases of every form, without overlaps: at one place the earlier form wins, and a
    phrase starting inside an earlier one is part of it (the reading of one alternation)."""
    found = pl.concat(
        [
            find_all(
                sentences,
                text="sentence_text",
                pattern=f"(?i:{form})",
                keep=["article_id", "sentence_index", "char_start", "sentence_text"],
                prefix="phrase",
            ).with_columns(pl.lit(index, pl.Int32).alias("form"))
            for index, form in enumerate(CASUALTY_FORMS)
        ]
    )
    sentence = ["article_id", "sentence_index"]
    # "a guard killed a porter": a participle with no auxiliary that takes an object is an active
    # verb, not a headline passive ("three soldiers killed in ambush"); the active form reads it.
    from_phrase = pl.col("sentence_text").str.slice(pl.col("phrase_start"))
    active_read_as_passive = (
        pl.col("form").is_in([CASUALTY_FORMS.index(PASSIVE), CASUALTY_FORMS.index(NOUN_FORM)])
        & ~pl.col("phrase_text").str.contains(r"(?i)\b(?:were|was|been|are|is|being|got|be)\b")
        & from_phrase.str.contains(rf"(?i)\b(?:{_PASSIVE_OUTCOMES})\s+(?:the|his|her|their|its|{NUMBER})\s")
    )
    after_phrase = pl.col("sentence_text").str.slice(
        pl.col("phrase_start") + pl.col("phrase_text").str.len_chars()
    )
    possessed_death = (pl.col("form") == CASUALTY_FORMS.index(SINGULAR)) & pl.col("phrase_text").str.contains(
        _POSSESSED_DEATH
    )
    not_the_victim = possessed_death & (
        after_phrase.str.contains(_NOT_VICTIM_POSSESSOR)
        | pl.col("phrase_text").str.contains(_PRONOUN_POSSESSOR)
    )
    untitled = (pl.col("form") == CASUALTY_FORMS.index(THE_ONE)) & (
        pl.col("phrase_text").str.replace(r"(?i)^\S+(?: of)?\s", "").str.contains(_TITLE_GAP)
    )
    named_of = (pl.col("form") == CASUALTY_FORMS.index(SINGULAR)) & pl.col("phrase_text").str.contains(
        _NAMED_OF
    )
    first_named = pl.col("phrase_text").str.replace(_NAMED_OF, "").str.extract(r"^([\p{L}.'’-]+)", 1)
    upper_case = ~pl.col("sentence_text").str.contains(r"\p{Ll}")
    one_named = (pl.col("form") == CASUALTY_FORMS.index(THE_ONE)) | named_of
    group_named = (one_named & after_phrase.str.contains(_GROUP_AFTER_NAME)) | named_of & (
        (
            first_named.str.contains(_PLURAL_NAMED)
            & first_named.str.contains(r"(?i)(?:s|men|children|people)$")
        )
        | (upper_case & pl.col("phrase_text").str.contains(r"(?i) of the \S+S$"))
    )
    found = (
        found.filter(
            ~active_read_as_passive
            & ~not_the_victim
            & ~untitled
            & ~group_named.fill_null(False)
        )
        .sort([*sentence, "phrase_start", "form"])
        .unique([*sentence, "phrase_start"], keep="first", maintain_order=True)
        .with_columns(pl.lit(None, pl.Boolean).alias("__kept"))
    )

    def reach(rows: pl.Expr) -> pl.Expr:
        """How far the phrases before this one that satisfy `rows` extend."""
        end = pl.when(rows).then(pl.col("phrase_end")).otherwise(0)
        return end.cum_max().shift(1).over(sentence).fill_null(0)

    # Left to right, a phrase is kept unless it starts inside a kept one. Settled in rounds: a phrase
    # clear of every earlier candidate is kept, one inside a kept phrase is dropped; chains of
    # overlaps are short, so a few rounds settle them all.
    for _ in range(_OVERLAP_ROUNDS):
        undecided = pl.col("__kept").is_null()
        found = found.with_columns(
            pl.when(undecided & (pl.col("phrase_start") < reach(pl.col("__kept").fill_null(False))))
            .then(pl.lit(False))
            .when(undecided & (pl.col("phrase_start") >= reach(pl.col("__kept").fill_null(True))))
            .then(pl.lit(True))
            .otherwise(pl.col("__kept"))
            .alias("__kept")
        )
    return found.filter(pl.col("__kept").fill_null(True)).drop("__kept")


# "pelted stones over the death of a militant", "marched against the killing of X": a death named
# as what people protest or mourn happened before; the report is of the protest.
_GRIEVANCE = (
    r"(?i)\b(?:over|against|protest(?:s|ed|ing)?(?: at)?|in memory of|in memoriam(?: of| to)?|"
    r"mourn(?:s|ed|ing)?|justice for)\s+"
)
# "against the cruel killing of"; the possessive phrase starts at the name's last word ("over Ali
# Khan's death").
_GRIEVANCE_BEFORE_NOMINAL = _GRIEVANCE + r"(?:the\s+)?(?:[\p{L}-]+\s+)?$"
_GRIEVANCE_BEFORE_POSSESSIVE = _GRIEVANCE + r"(?:the\s+)?(?:[\p{L}.'’-]+\s+){0,3}$"
_NOMINAL_START = rf"(?i)^\s*(?:{_NOMINAL_OUTCOMES}) of\b"


def _drop_unreal(items: pl.DataFrame) -> pl.DataFrame:
    """Drop denied figures and casualties of acts that are intended, threatened or negated."""
    before_phrase = pl.col("sentence_text").str.slice(0, pl.col("phrase_start"))
    before_item = pl.col("sentence_text").str.slice(0, pl.col("phrase_start") + pl.col("item_start"))
    after_phrase = pl.col("sentence_text").str.slice(
        pl.col("phrase_start") + pl.col("phrase_text").str.len_chars()
    )
    verb_first = pl.col("phrase_text").str.strip_chars_start().str.contains(rf"^(?i:{_ACTIVE_OUTCOMES})\b")
    after_number = pl.col("sentence_text").str.slice(
        pl.col("phrase_start") + pl.col("item_start") + pl.col("item_text").str.len_chars()
    )
    return items.filter(
        ~(pl.col("victim_group").is_null() & after_number.str.contains(_AGE_AFTER))
        # "killed 15 livestock", "one oxen killed": a bare figure counting animals
        & ~(pl.col("victim_group").is_null() & after_number.str.contains(rf"^\s+{_NOT_PEOPLE}"))
        & ~before_item.str.contains(_NEGATED)
        & ~(verb_first & before_phrase.str.contains(_IRREALIS))
        & ~after_phrase.str.contains(_JOINT_OUTCOMES)
        & ~(
            pl.col("phrase_text").str.contains(_NOMINAL_START)
            & before_phrase.str.contains(_GRIEVANCE_BEFORE_NOMINAL)
        )
        & ~(
            pl.col("phrase_text").str.contains(_POSSESSED_DEATH)
            & before_phrase.str.contains(_GRIEVANCE_BEFORE_POSSESSIVE)
        )
    )


def _named_as_background() -> pl.Expr:
    """The figure is named as the ground or antecedent of another act (_BACKGROUND)."""
    before_phrase = pl.col("sentence_text").str.slice(0, pl.col("phrase_start"))
    before_item = pl.col("sentence_text").str.slice(0, pl.col("phrase_start") + pl.col("item_start"))
    return (
        before_item.str.contains(_BACKGROUND)
        | before_phrase.str.contains(_BACKGROUND)
        | before_phrase.str.contains(_GROUND_CLAUSE)
    )


def extract_casualties(sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per casualty figure: outcome, victim group, bounds, qualifier, claimant, span.

    Offsets are article offsets. `event_id` is left for the event step to fill.
    """
    lf = sentences.lazy().filter(
        (pl.col("block_kind") != "embed")
        & pl.col("sentence_text").str.contains(_ANY_OUTCOME)
        & ~pl.col("sentence_text").str.contains(CUMULATIVE)
    )
    # Collected once: both the counted and the one-victim branches read it.
    phrases = _phrases(lf).with_columns(_outcome(pl.col("phrase_text")).alias("outcome")).collect().lazy()
    # Split coordinated figures: each item is qualifier? number group?
    keep = [
        "article_id",
        "sentence_index",
        "char_start",
        "sentence_text",
        "phrase_start",
        "phrase_text",
        "outcome",
        "form",
    ]
    singular = pl.col("form").is_in(_ONE_VICTIM_FORMS)
    counted = find_all(
        phrases.filter(~singular),
        text="phrase_text",
        pattern=rf"(?i:{_ITEM})",
        keep=keep,
        prefix="item",
    )
    # A singular passive is one victim; the item is the whole phrase, read as "one".
    one_victim = phrases.filter(singular).select(
        *keep,
        pl.lit(0, pl.UInt32).alias("item_start"),
        pl.col("phrase_text").str.len_chars().alias("item_end"),
        pl.col("phrase_text").alias("item_text"),
    )
    items = pl.concat([counted, one_victim], how="diagonal_relaxed")
    items = (
        items.with_columns(strip_span("item_text", "item_start", "item_end"))
        .with_columns(
            pl.when(pl.col("form").is_in(_ONE_VICTIM_FORMS))
            .then(pl.lit(0, pl.Int64))
            .otherwise(_clause_tail().str.len_chars().cast(pl.Int64))
            .alias("__tail")
        )
        .with_columns(
            pl.col("item_text")
            .str.slice(0, pl.col("item_text").str.len_chars() - pl.col("__tail"))
            .str.strip_chars_end()
        )
        .with_columns(
            (pl.col("item_start").cast(pl.Int64) + pl.col("item_text").str.len_chars()).alias("item_end")
        )
        .drop("__tail")
        .with_columns(
            pl.col("item_text")
            .str.extract(rf"^(?i:({QUALIFIERS})) ", 1)
            .str.to_lowercase()
            .alias("qualifier"),
            pl.when(pl.col("form").is_in(_ONE_VICTIM_FORMS))
            .then(pl.lit("one"))
            .otherwise(
                pl.col("item_text")
                .str.replace(rf"^(?i:(?:{QUALIFIERS}) )", "")
                .str.extract(rf"^(?i:({NUMBER}))\b", 1)
            )
            .alias("number_text"),
            pl.when(pl.col("form").is_in(_ONE_VICTIM_FORMS))
            .then(pl.lit(None, pl.String))
            .otherwise(
                pl.col("item_text")
                .str.replace(rf"^(?i:(?:{QUALIFIERS}) )?(?i:{NUMBER})\b\s*", "")
                .str.replace(rf"^(?i:{_PARTITIVE})\b\s*", "")
                .str.to_lowercase()
            )
            .alias("victim_group"),
        )
        .with_columns(
            pl.when(pl.col("victim_group").str.len_chars() > 0)
            .then(pl.col("victim_group"))
            .alias("victim_group")
        )
    )
    frame = _drop_unreal(items.collect()).with_columns(_named_as_background().alias("background"))
    frame = frame.filter(
        pl.col("number_text").is_not_null()
        & ~pl.col("victim_group").fill_null("").str.contains(_NON_VICTIM)
        & ~(
            pl.col("victim_group").fill_null("").str.contains(_NOT_PEOPLE)
            & ~pl.col("victim_group").fill_null("").str.contains(_PERSON_HEAD)
        )
        # A bare year is a date, not a count ("... firefight in 2023").
        & ~(pl.col("number_text").str.contains(r"^(?:19|20)\d\d$") & pl.col("victim_group").is_null())
        # "a"/"an" counts as one only before a victim noun ("a soldier was wounded").
        & ~(pl.col("number_text").str.to_lowercase().is_in(["a", "an"]) & pl.col("victim_group").is_null())
    )
    frame = parse_numbers(frame, "number_text")
    claims = (
        sentences.lazy()
        .select(
            "article_id",
            "sentence_index",
            pl.col("sentence_text").str.extract_groups(_CLAIM).alias("__claim"),
        )
        .select(
            "article_id",
            "sentence_index",
            pl.coalesce(*(pl.col("__claim").struct.field(f) for f in ("by", "by2", "by3")))
            .str.strip_chars()
            .alias("claimed_by"),
        )
    )
    frame = frame.join(claims.collect(), on=["article_id", "sentence_index"], how="left")
    start = pl.col("char_start") + pl.col("phrase_start") + pl.col("item_start")
    return (
        frame.with_columns(
            *apply_qualifier(
                pl.col("qualifier"),
                pl.col("number_text_low"),
                pl.col("number_text_best"),
                pl.col("number_text_high"),
            ),
            pl.when(pl.col("number_text_is_vague") & pl.col("qualifier").is_null())
            .then(pl.col("number_text").str.to_lowercase())
            .otherwise(pl.col("qualifier"))
            .alias("qualifier"),
            start.cast(pl.Int64).alias("item_char_start"),
            (pl.col("char_start") + pl.col("phrase_start") + pl.col("item_end"))
            .cast(pl.Int64)
            .alias("item_char_end"),
            (pl.col("char_start") + pl.col("phrase_start")).cast(pl.Int64).alias("phrase_char_start"),
        )
        .filter(pl.col("count_best").is_not_null() & (pl.col("count_best") > 0))
        .unique(["article_id", "item_char_start"], keep="first", maintain_order=True)
        .select(
            "article_id",
            "sentence_index",
            "outcome",
            "victim_group",
            "count_low",
            "count_best",
            "count_high",
            "qualifier",
            "claimed_by",
            pl.col("sentence_text").alias("evidence_text"),
            pl.col("item_char_start").alias("char_start"),
            pl.col("item_char_end").alias("char_end"),
            pl.col("phrase_char_start"),
            pl.col("item_text").alias("figure_text"),
            "background",
        )
        .sort("article_id", "char_start")
    )

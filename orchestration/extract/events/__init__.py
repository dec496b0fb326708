"""Event mentions -> events: triggers, their arguments, and one event per real-world event.

1. Triggers from the lexicon (seeds/reference/event_triggers.csv) in headline, standfirst and body
   sentences (never in embedded tweets or subheads). A generic trigger ("the strikes", "the
   attack") takes the type of the latest specific violent mention before it in the article, else
   its own default type, else it is dropped; in a sentence that has a specific trigger, generic ones
   are dropped (they refer to it). A sentence with a casualty figure and no trigger is a mention too.
2. Arguments: each casualty figure, place and date goes to the nearest trigger before it in its
   sentence, else the nearest after it. Actor 1 is the nearest actor before the trigger (not in a
   locative phrase, not the source of a claim), or its agent ("attack by X", "missiles from X");
   in the passive ("was summoned") the actor before the trigger is actor 2. Actor 2 is otherwise
   the first actor after the trigger in the same clause that is not a possessive; failing that,
   civilian victims of the event's casualties.
3. Mentions of one event in one article (headline, body, later back-references) are merged when
   they share the event type and nothing conflicts: same actor 1, same country, region and place,
   same date, and the same death toll, where both mentions state one.

Modules: vocabulary (shared words and type sets), triggers (trigger mentions and what is no act),
roles (actor 1 and actor 2), context (dateline, focus country, narrative date and place),
clustering (mentions -> events, repeated tolls), default_actors (implied actors), assemble (the
output tables), build (build_events: the steps in order).
"""

from orchestration.extract.events.build import build_events

__all__ = ["build_events"]

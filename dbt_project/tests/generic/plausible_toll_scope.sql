{#- Plausibility: a stated toll is one incident's, not a rate ("500 a year") or a total over a
    period ("since 1980", "in this 10-year war"). Extraction gives no such flag, so the evidence
    sentence is read for the cue patterns of reference.toll_period_cues. A cue in the sentence
    does not prove the toll is a total, hence a warning. The failing rows are the events with a
    stated toll whose sentence has a cue, with the cues matched. -#}
{% test plausible_toll_scope(model) %}

with

cues as (

    select * from {{ ref('toll_period_cues') }}

),

matches as (

    select
        events.event_id,
        string_agg(cues.cue_id, ', ' order by cues.cue_id) as cues_matched

    from {{ model }} as events
    inner join cues
        on regexp_matches(events.notes, cues.pattern, 'i')
    where events.fatalities_stated
    group by events.event_id

)

select
    events.event_id_cnty,
    events.event_id,
    events.sub_event_type,
    events.fatalities,
    matches.cues_matched,
    events.notes

from {{ model }} as events
inner join matches
    on events.event_id = matches.event_id

{% endtest %}

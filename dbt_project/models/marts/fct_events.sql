with

events as (

    select * from {{ ref('stg_extracted__events') }}

),

events_actors as (

    select * from {{ ref('int_events_actors_pivoted') }}

),

joined as (

    select
        events.event_id,
        events.article_id,
        events.event_date,
        events.date_precision,
        events.event_type,
        events.sub_event_type,
        events_actors.actor1_id,
        events_actors.actor2_id,
        events.location_id,
        events.country_iso3,
        events.fatalities_best,
        events.fatalities_low,
        events.fatalities_high,
        events.injured_best,
        events.evidence_text,
        events.char_start,
        events.char_end,
        events.trigger_text,
        events.sentence_index,
        events.n_mentions,
        -- same key as dim_event_types; null when either part is missing, which the tests reject
        md5(events.event_type || '|' || events.sub_event_type) as event_type_id

    from events
    left join events_actors
        on events.event_id = events_actors.event_id

)

select * from joined

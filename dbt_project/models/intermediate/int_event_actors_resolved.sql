{#- One row per mention of an actor in an event role, with the actor resolved to its canonical key.
    Extraction keys an actor by (name, type, country), so one name can hold several keys ("Iran" as
    State forces in its own country and as External/Other forces abroad). The warehouse keys an
    actor by its name alone; the type and country it had in this mention stay on the mention
    (actor_type_in_event, actor_country_iso3_in_event). rank_in_role orders the mentions of a role
    as int_events_actors_pivoted and the bridge read them: first mentioned first. -#}

with

event_actors as (

    select * from {{ ref('stg_extracted__event_actors') }}

),

actors as (

    select * from {{ ref('stg_extracted__actors') }}

),

actors_deduplicated as (

    -- One row per extraction key: every part that uses it carries the same row; the order makes
    -- the pick independent of how articles were cut into parts.
    select
        actor_id,
        actor_name,
        actor_type,
        country_iso3

    from actors
    qualify row_number() over (partition by actor_id order by actor_name, actor_type, country_iso3) = 1

),

resolved as (

    select
        event_actors.event_id,
        substr(md5('actor|' || actors_deduplicated.actor_name), 1, 16) as actor_id,
        event_actors.actor_id as extracted_actor_id,
        event_actors.role,
        actors_deduplicated.actor_name,
        actors_deduplicated.actor_type as actor_type_in_event,
        actors_deduplicated.country_iso3 as actor_country_iso3_in_event,
        event_actors.mention_text,
        event_actors.char_start,
        event_actors.char_end

    from event_actors
    inner join actors_deduplicated
        on event_actors.actor_id = actors_deduplicated.actor_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by event_id, role
            order by char_start nulls last, char_end nulls last, extracted_actor_id
        ) as rank_in_role

    from resolved

)

select * from ranked

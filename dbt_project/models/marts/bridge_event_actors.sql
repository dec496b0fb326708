{#- One row per event, actor and role. An actor named several times in the same role of one event
    is one link here, carrying the type and country of its first mention in that role. -#}

with

event_actors as (

    select * from {{ ref('int_event_actors_resolved') }}

),

first_mention_in_role as (

    select
        event_id,
        actor_id,
        role,
        actor_type_in_event,
        actor_country_iso3_in_event,
        rank_in_role

    from event_actors
    qualify row_number() over (partition by event_id, actor_id, role order by rank_in_role) = 1

),

final as (

    select
        event_id,
        actor_id,
        role,
        actor_type_in_event,
        actor_country_iso3_in_event,
        rank_in_role = 1 as is_first_in_role

    from first_mention_in_role

)

select * from final

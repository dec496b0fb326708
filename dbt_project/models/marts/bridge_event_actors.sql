{#- event_actors holds one row per mention; an actor named twice in the same role of one event is
    one link here. -#}

with

event_actors as (

    select * from {{ ref('stg_extracted__event_actors') }}

),

deduplicated as (

    select distinct
        event_id,
        actor_id,
        role

    from event_actors

)

select * from deduplicated

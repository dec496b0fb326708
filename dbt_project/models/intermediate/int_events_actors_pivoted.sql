{#- One actor per role per event, in the shape of ACLED's actor1/actor2 columns. An event can name
    several actors in one role; the first mentioned (smallest char_start) is the one kept here, and
    the bridge keeps them all. -#}

with

event_actors as (

    select * from {{ ref('stg_extracted__event_actors') }}

),

ranked as (

    select
        event_id,
        actor_id,
        role,
        row_number() over (
            partition by event_id, role
            order by char_start nulls last, char_end nulls last, actor_id
        ) as rank_in_role

    from event_actors

),

pivoted as (

    select
        event_id,
        max(case when role = 'actor1' then actor_id end) as actor1_id,
        max(case when role = 'actor2' then actor_id end) as actor2_id

    from ranked
    where rank_in_role = 1
    group by event_id

)

select * from pivoted

{#- One actor per role per event, in the shape of ACLED's actor1/actor2 columns. An event can name
    several actors in one role; the first mentioned (smallest char_start) is the one kept here with
    the type it has in this event, the others of the role are listed as its associates (ACLED's
    assoc_actor_1/2, names joined by '; ' in order of mention), and the bridge keeps them all. -#}

with

event_actors as (

    select * from {{ ref('int_event_actors_resolved') }}

),

associates_ranked as (

    -- an associate is another actor of the role; an actor named twice in a role is listed once
    select
        event_id,
        role,
        actor_id,
        actor_name,
        min(rank_in_role) as first_rank

    from event_actors
    group by event_id, role, actor_id, actor_name

),

associates as (

    select
        associates_ranked.event_id,
        associates_ranked.role,
        string_agg(associates_ranked.actor_name, '; ' order by associates_ranked.first_rank) as associate_names

    from associates_ranked
    inner join event_actors as first_actors
        on associates_ranked.event_id = first_actors.event_id
        and associates_ranked.role = first_actors.role
        and first_actors.rank_in_role = 1
        and associates_ranked.actor_id <> first_actors.actor_id
    group by associates_ranked.event_id, associates_ranked.role

),

pivoted as (

    select
        event_id,
        max(case when role = 'actor1' then actor_id end) as actor1_id,
        max(case when role = 'actor1' then actor_type_in_event end) as actor1_type,
        max(case when role = 'actor2' then actor_id end) as actor2_id,
        max(case when role = 'actor2' then actor_type_in_event end) as actor2_type

    from event_actors
    where rank_in_role = 1
    group by event_id

),

final as (

    select
        pivoted.event_id,
        pivoted.actor1_id,
        pivoted.actor1_type,
        associates_1.associate_names as assoc_actor_1,
        pivoted.actor2_id,
        pivoted.actor2_type,
        associates_2.associate_names as assoc_actor_2

    from pivoted
    left join associates as associates_1
        on pivoted.event_id = associates_1.event_id and associates_1.role = 'actor1'
    left join associates as associates_2
        on pivoted.event_id = associates_2.event_id and associates_2.role = 'actor2'

)

select * from final

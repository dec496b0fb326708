{#- One row per actor name. An actor's type can differ between events (a state's forces at home
    are State forces, abroad External/Other forces): actor_type here is the type it has in most of
    its events (ties: the lower ACLED inter code), and bridge_event_actors.actor_type_in_event is
    the type it has in each event. -#}

with

event_actors as (

    select * from {{ ref('int_event_actors_resolved') }}

),

actor_types as (

    select * from {{ ref('actor_types') }}

),

type_counts as (

    select
        event_actors.actor_id,
        event_actors.actor_type_in_event as actor_type,
        actor_types.inter_code,
        count(distinct event_actors.event_id) as n_events

    from event_actors
    left join actor_types
        on event_actors.actor_type_in_event = actor_types.actor_type
    group by all

),

main_type as (

    select
        actor_id,
        actor_type

    from type_counts
    qualify row_number() over (
        partition by actor_id order by n_events desc, inter_code nulls last, actor_type
    ) = 1

),

country_counts as (

    select
        actor_id,
        actor_country_iso3_in_event as country_iso3,
        count(distinct event_id) as n_events

    from event_actors
    group by all

),

main_country as (

    select
        actor_id,
        country_iso3

    from country_counts
    qualify row_number() over (
        partition by actor_id order by country_iso3 is null, n_events desc, country_iso3
    ) = 1

),

actors as (

    select
        actor_id,
        min(actor_name) as actor_name,
        count(distinct event_id) as n_events

    from event_actors
    group by actor_id

),

final as (

    select
        actors.actor_id,
        actors.actor_name,
        main_type.actor_type,
        main_country.country_iso3,
        actors.n_events

    from actors
    left join main_type
        on actors.actor_id = main_type.actor_id
    left join main_country
        on actors.actor_id = main_country.actor_id

)

select * from final

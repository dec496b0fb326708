{#- Who acts on whom: events and tolls per ordered pair of actors (actor 1 acting on actor 2, as
    ACLED's actor1/actor2). An event without actor 2 counts under a null actor2; events without
    actor 1 are left out. -#}

with

events as (

    select * from {{ ref('acled_events') }}

),

aggregated as (

    select
        actor1,
        actor2,
        count(*) as n_events,
        count(distinct iso3) as n_countries,
        count(*) filter (where fatalities_stated) as n_events_fatalities_stated,
        sum(fatalities) as fatalities,
        sum(injured) as injured,
        min(event_date) as first_event_date,
        max(event_date) as last_event_date,
        mode(event_type order by event_type) as most_common_event_type,
        mode(interaction order by interaction) as most_common_interaction

    from events
    where actor1 is not null
    group by actor1, actor2

),

final as (

    select
        md5(actor1 || '|' || coalesce(actor2, '')) as dyad_id,
        actor1,
        actor2,
        n_events,
        n_countries,
        n_events_fatalities_stated,
        fatalities,
        injured,
        first_event_date,
        last_event_date,
        most_common_event_type,
        most_common_interaction

    from aggregated

)

select * from final

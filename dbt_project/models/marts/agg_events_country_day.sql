{#- Events and their tolls per country, day and event type. Events with an unknown country or date
    are counted under a null iso3 or event_date, so the counts add up to acled_events. -#}

with

events as (

    select * from {{ ref('acled_events') }}

),

aggregated as (

    select
        iso3,
        event_date,
        event_type,
        min(country) as country,
        count(*) as n_events,
        count(*) filter (where time_precision = 1) as n_events_day_precise,
        count(*) filter (where fatalities_stated) as n_events_fatalities_stated,
        sum(fatalities) as fatalities,
        sum(fatalities_low) as fatalities_low,
        count(*) filter (where fatalities_high_is_open) as n_events_fatalities_open,
        sum(injured) as injured

    from events
    group by iso3, event_date, event_type

),

final as (

    select
        md5(coalesce(iso3, '') || '|' || coalesce(cast(event_date as varchar), '') || '|' || event_type)
            as country_day_type_id,
        iso3,
        country,
        event_date,
        year(event_date) as year,
        event_type,
        n_events,
        n_events_day_precise,
        n_events_fatalities_stated,
        fatalities,
        fatalities_low,
        n_events_fatalities_open,
        injured

    from aggregated

)

select * from final

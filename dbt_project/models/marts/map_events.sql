{#- The events a map can draw: those with coordinates, with what a tooltip needs. -#}

with

events as (

    select * from {{ ref('acled_events') }}

),

coordinates_checked as (

    select * from {{ ref('int_event_coordinates_checked') }}

),

final as (

    select
        events.event_id,
        events.event_id_cnty,
        events.event_date,
        events.year,
        events.time_precision,
        events.disorder_type,
        events.event_type,
        events.sub_event_type,
        events.actor1,
        events.actor2,
        events.iso3,
        events.country,
        events.admin1,
        events.location,
        events.latitude,
        events.longitude,
        events.geo_precision,
        events.fatalities,
        events.fatalities_stated,
        events.injured,
        events.notes,
        events.url,
        coordinates_checked.is_in_country

    from events
    left join coordinates_checked
        on events.event_id = coordinates_checked.event_id
    where events.latitude is not null and events.longitude is not null

)

select * from final

{#- Plausibility: an event is located in its country, and in a country where people live. The
    failing rows are the events
    - whose point lies outside the country's Natural Earth polygon by more than the tolerance
      (reference.plausibility_limits: coordinates_tolerance_km; countries without a polygon at the
      1:110m scale are not checked, see int_event_coordinates_checked), reason 'outside country';
    - placed in a territory without permanent population (reference.countries.is_inhabited
      false, e.g. Antarctica), with or without coordinates, reason 'uninhabited territory'. -#}
{% test plausible_location(model) %}

with

outside as (

    select
        checked.event_id,
        'outside country' as reason,
        checked.km_outside_country

    from {{ ref('int_event_coordinates_checked') }} as checked
    where not checked.is_in_country

),

uninhabited as (

    select
        events.event_id,
        'uninhabited territory' as reason,
        cast(null as double) as km_outside_country

    from {{ model }} as events
    inner join {{ ref('countries') }} as countries
        on events.iso3 = countries.country_iso3
    where not countries.is_inhabited

),

flagged as (

    select * from outside
    union all
    select * from uninhabited

)

select
    events.event_id_cnty,
    events.event_id,
    flagged.reason,
    events.iso3,
    events.country,
    events.location,
    events.latitude,
    events.longitude,
    flagged.km_outside_country,
    events.notes

from flagged
inner join {{ model }} as events
    on flagged.event_id = events.event_id

{% endtest %}

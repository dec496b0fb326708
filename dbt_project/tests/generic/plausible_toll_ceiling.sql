{#- Plausibility: one event's death toll stays under a ceiling (reference.plausibility_limits:
    max_fatalities_per_event). The failing rows are the events above it. -#}
{% test plausible_toll_ceiling(model) %}

select
    event_id_cnty,
    event_id,
    sub_event_type,
    fatalities,
    {{ plausibility_limit('max_fatalities_per_event') }} as max_fatalities,
    notes

from {{ model }}
where fatalities > {{ plausibility_limit('max_fatalities_per_event') }}

{% endtest %}

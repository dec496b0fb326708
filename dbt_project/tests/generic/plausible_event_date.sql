{#- Plausibility: an event cannot happen after the article that reports it was published. The
    failing rows are the events dated later than their article's publication date. -#}
{% test plausible_event_date(model) %}

select
    event_id_cnty,
    event_id,
    article_id,
    event_date,
    published_date,
    date_diff('day', published_date, event_date) as days_after_publication,
    notes

from {{ model }}
where event_date > published_date

{% endtest %}

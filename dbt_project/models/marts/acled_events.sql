{#- The flat table for analysts and ACLED scripts: one row per event, in ACLED's column names and
    types, then this project's extras. Not stated is not zero: `fatalities` is 0 when the text
    states no death toll, as ACLED codes it, and `fatalities_stated` says whether it did. -#}

with

events as (

    select * from {{ ref('fct_events') }}

),

events_actors as (

    select * from {{ ref('int_events_actors_pivoted') }}

),

actors as (

    select * from {{ ref('dim_actors') }}

),

actor_types as (

    select * from {{ ref('actor_types') }}

),

locations as (

    select * from {{ ref('dim_locations') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

event_types as (

    select * from {{ ref('dim_event_types') }}

),

countries as (

    select * from {{ ref('countries') }}

),

joined as (

    select
        events.event_id,
        events.article_id,
        events.event_date,
        events.date_precision,
        event_types.disorder_type,
        events.event_type,
        events.sub_event_type,
        actor1.actor_name as actor1,
        events_actors.assoc_actor_1,
        inter1.inter_code as inter1,
        actor2.actor_name as actor2,
        events_actors.assoc_actor_2,
        inter2.inter_code as inter2,
        coalesce(locations.country_iso3, events.country_iso3) as iso3,
        locations.location_type,
        locations.location_name,
        locations.admin1,
        locations.latitude,
        locations.longitude,
        locations.geo_precision as location_precision,
        articles.source as article_source,
        articles.url,
        articles.published_date,
        events.evidence_text,
        events.fatalities_best,
        events.fatalities_low,
        events.fatalities_high,
        events.injured_best,
        events.char_start,
        events.char_end

    from events
    left join events_actors
        on events.event_id = events_actors.event_id
    left join actors as actor1
        on events_actors.actor1_id = actor1.actor_id
    left join actors as actor2
        on events_actors.actor2_id = actor2.actor_id
    left join actor_types as inter1
        on events_actors.actor1_type = inter1.actor_type
    left join actor_types as inter2
        on events_actors.actor2_type = inter2.actor_type
    left join locations
        on events.location_id = locations.location_id
    left join articles
        on events.article_id = articles.article_id
    left join event_types
        on events.event_type_id = event_types.event_type_id

),

coded as (

    select
        joined.*,
        countries.iso_numeric,
        countries.country_name,
        -- ACLED: 1 day, 2 week (or a few days), 3 month; a year-precise date is coded at the
        -- coarsest level, an unknown date has no precision
        case joined.date_precision
            when 'day' then 1
            when 'week' then 2
            when 'month' then 3
            when 'year' then 3
        end as time_precision,
        -- ACLED's interaction: the two inter codes, lower first; an actor alone is its code * 10
        case
            when joined.inter1 is not null and joined.inter2 is not null
                then 10 * least(joined.inter1, joined.inter2) + greatest(joined.inter1, joined.inter2)
            else 10 * coalesce(joined.inter1, joined.inter2)
        end as interaction,
        -- ACLED: 1 the named town, 2 near a town or part of a region, 3 a larger region (its
        -- capital's coordinates); a country-level location is coded 3 as well
        case joined.location_precision
            when 'place' then 1
            when 'admin1' then 3
            when 'country' then 3
        end as geo_precision

    from joined
    left join countries
        on joined.iso3 = countries.country_iso3

),

final as (

    select
        coalesce(iso3, 'XXX') || '-' || event_id as event_id_cnty,
        event_date,
        cast(year(event_date) as integer) as year,
        cast(time_precision as integer) as time_precision,
        disorder_type,
        event_type,
        sub_event_type,
        actor1,
        assoc_actor_1,
        cast(inter1 as integer) as inter1,
        actor2,
        assoc_actor_2,
        cast(inter2 as integer) as inter2,
        cast(interaction as integer) as interaction,
        case
            when inter2 = 7 and disorder_type = 'Political violence' then 'Civilian targeting'
        end as civilian_targeting,
        cast(iso_numeric as integer) as iso,
        iso3,
        country_name as country,
        admin1,
        cast(null as varchar) as admin2,
        cast(null as varchar) as admin3,
        location_name as location,
        latitude,
        longitude,
        cast(geo_precision as integer) as geo_precision,
        article_source as source,
        evidence_text as notes,
        cast(coalesce(fatalities_best, 0) as integer) as fatalities,
        fatalities_best is not null as fatalities_stated,
        cast(fatalities_low as integer) as fatalities_low,
        cast(fatalities_high as integer) as fatalities_high,
        fatalities_best is not null and fatalities_high is null as fatalities_high_is_open,
        cast(injured_best as integer) as injured,
        published_date,
        event_id,
        article_id,
        url,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end

    from coded

)

select * from final

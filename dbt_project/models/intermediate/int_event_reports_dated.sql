-- Each report (fct_event_reports row) with its article's publication date and outlet, and the
-- ranks the incident rules order by.
with

reports as (

    select * from {{ ref('fct_event_reports') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

locations as (

    select * from {{ ref('dim_locations') }}

),

final as (

    select
        reports.event_id,
        reports.incident_id,
        reports.article_id,
        reports.event_date,
        reports.date_precision,
        reports.event_type,
        reports.sub_event_type,
        reports.event_type_id,
        reports.actor1_id,
        reports.actor2_id,
        reports.location_id,
        locations.location_type,
        locations.admin1,
        coalesce(locations.country_iso3, reports.country_iso3) as country_iso3,
        reports.fatalities_low,
        reports.fatalities_best,
        reports.fatalities_high,
        reports.injured_best,
        articles.published_date,
        articles.source,
        case reports.date_precision
            when 'day' then 1 when 'week' then 2 when 'month' then 3 when 'year' then 4 else 5
        end as date_rank,
        case locations.location_type when 'place' then 1 when 'admin1' then 2 when 'country' then 3 end
            as place_rank

    from reports
    left join articles
        on reports.article_id = articles.article_id
    left join locations
        on reports.location_id = locations.location_id

)

select * from final

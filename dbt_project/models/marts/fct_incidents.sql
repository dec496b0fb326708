-- One row per incident. Each attribute is chosen from the incident's reports by a stated rule
-- (README, "Incidents and reports"); ties always go to the earliest-published report, then the
-- smallest key, so a rebuild picks the same values.
with

reports as (

    select * from {{ ref('int_event_reports_dated') }}

),

counts as (

    select
        incident_id,
        count(*) as n_reports,
        count(distinct article_id) as n_articles,
        -- an article whose outlet is unknown counts as a source of its own
        count(distinct coalesce(source, 'article ' || article_id)) as n_sources,
        min(published_date) as first_report_date,
        max(published_date) as last_report_date,
        arg_min(event_id, (published_date, event_id)) as first_event_id

    from reports
    group by incident_id

),

-- date: the earliest of the most precise dates the reports state
dates as (

    select incident_id, event_date, date_precision
    from reports
    where event_date is not null
    qualify row_number() over (partition by incident_id order by date_rank, event_date, event_id) = 1

),

-- type: the sub-type most reports give
types as (

    select incident_id, event_type, sub_event_type, event_type_id
    from (
        select
            incident_id,
            event_type,
            sub_event_type,
            event_type_id,
            count(*) as n_reports,
            min(published_date) as first_published,
            min(event_id) as first_event_id
        from reports
        group by incident_id, event_type, sub_event_type, event_type_id
    )
    qualify row_number() over (
        partition by incident_id order by n_reports desc, first_published nulls last, first_event_id
    ) = 1

),

-- actors: the actor 1 (and actor 2) most reports give
actors_1 as (

    {{ most_reported('reports', 'actor1_id') }}

),

actors_2 as (

    {{ most_reported('reports', 'actor2_id') }}

),

-- place: the location most reports agree with (a report agrees with a location when it names it,
-- a coarser one containing it, or a finer one inside it), then the most precise of those
placed as (

    select * from reports where location_id is not null

),

place_votes as (

    select
        candidate.incident_id,
        candidate.location_id,
        candidate.country_iso3,
        candidate.place_rank,
        count(distinct other.event_id) as n_agreeing,
        min(candidate.published_date) as first_published

    from placed as candidate
    inner join placed as other
        on candidate.incident_id = other.incident_id
        and candidate.country_iso3 = other.country_iso3
        and (
            candidate.location_id = other.location_id
            or candidate.location_type = 'country'
            or other.location_type = 'country'
            or (
                (candidate.location_type = 'admin1' or other.location_type = 'admin1')
                and candidate.admin1 = other.admin1
            )
        )
    group by candidate.incident_id, candidate.location_id, candidate.country_iso3, candidate.place_rank

),

places as (

    select incident_id, location_id, country_iso3
    from place_votes
    qualify row_number() over (
        partition by incident_id
        order by n_agreeing desc, place_rank, first_published nulls last, location_id
    ) = 1

),

countries as (

    select incident_id, country_iso3
    from (
        select incident_id, country_iso3, count(*) as n_reports, min(published_date) as first_published
        from reports
        where country_iso3 is not null
        group by incident_id, country_iso3
    )
    qualify row_number() over (
        partition by incident_id order by n_reports desc, first_published nulls last, country_iso3
    ) = 1

),

-- casualties, rule claims-v1: low = the lowest figure any report gives, high = the highest, best =
-- the figure of the latest-published report that gives one (tolls rise as victims are counted;
-- ties: the larger). Over the reports' totals, each the sum of that article's casualty claims.
killed as (

    select
        incident_id,
        min(coalesce(fatalities_low, fatalities_best)) over (partition by incident_id) as killed_low,
        fatalities_best as killed_best,
        max(coalesce(fatalities_high, fatalities_best)) over (partition by incident_id) as killed_high
    from reports
    where fatalities_best is not null
    qualify row_number() over (
        partition by incident_id order by published_date desc nulls last, fatalities_best desc
    ) = 1

),

injured as (

    select
        incident_id,
        min(injured_best) over (partition by incident_id) as injured_low,
        injured_best,
        max(injured_best) over (partition by incident_id) as injured_high
    from reports
    where injured_best is not null
    qualify row_number() over (
        partition by incident_id order by published_date desc nulls last, injured_best desc
    ) = 1

),

final as (

    select
        counts.incident_id,
        counts.first_event_id,
        dates.event_date,
        coalesce(dates.date_precision, 'unknown') as date_precision,
        types.event_type,
        types.sub_event_type,
        types.event_type_id,
        actors_1.actor1_id,
        actors_2.actor2_id,
        places.location_id,
        coalesce(places.country_iso3, countries.country_iso3) as country_iso3,
        counts.first_report_date,
        counts.last_report_date,
        counts.n_reports,
        counts.n_articles,
        counts.n_sources,
        killed.killed_low,
        killed.killed_best,
        killed.killed_high,
        injured.injured_low,
        injured.injured_best,
        injured.injured_high,
        'claims-v1' as casualty_rule

    from counts
    left join dates on counts.incident_id = dates.incident_id
    left join types on counts.incident_id = types.incident_id
    left join actors_1 on counts.incident_id = actors_1.incident_id
    left join actors_2 on counts.incident_id = actors_2.incident_id
    left join places on counts.incident_id = places.incident_id
    left join countries on counts.incident_id = countries.incident_id
    left join killed on counts.incident_id = killed.incident_id
    left join injured on counts.incident_id = injured.incident_id

)

select * from final

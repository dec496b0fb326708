{#- One row per event with coordinates and a country: is the point inside the country's Natural
    Earth polygon (1:110m, reference.country_borders), and if not, how far outside? Point in polygon
    by the even-odd rule (a ray to the east crosses the rings' edges an odd number of times); the
    distance to the nearest edge in km on a local flat projection around the point (good to a few
    percent at these distances). is_in_country allows the tolerance of reference.plausibility_limits
    (coordinates_tolerance_km) for the coarse coastlines and borders of the 1:110m scale. Countries
    without polygons at that scale are not checkable (is_checkable false, the other columns null). Done in SQL over the edge list rather than with
    DuckDB's spatial extension, whose PyPI build is tied to another DuckDB version than the
    project's. -#}

with

events as (

    select * from {{ ref('acled_events') }}

),

borders as (

    select * from {{ ref('country_borders') }}

),

points as (

    select distinct
        iso3,
        latitude,
        longitude

    from events
    where iso3 is not null and latitude is not null and longitude is not null

),

edges_near_points as (

    select
        points.iso3,
        points.latitude,
        points.longitude,
        -- does the ray from the point towards the east cross this edge?
        (borders.lat1 > points.latitude) <> (borders.lat2 > points.latitude)
        and points.longitude < borders.lon1
        + (borders.lon2 - borders.lon1) * (points.latitude - borders.lat1) / (borders.lat2 - borders.lat1)
            as crosses,
        -- the edge in km relative to the point (x east, y north)
        (borders.lon1 - points.longitude) * 111.32 * cos(radians(points.latitude)) as x1,
        (borders.lat1 - points.latitude) * 110.57 as y1,
        (borders.lon2 - points.longitude) * 111.32 * cos(radians(points.latitude)) as x2,
        (borders.lat2 - points.latitude) * 110.57 as y2

    from points
    inner join borders
        on points.iso3 = borders.country_iso3

),

edge_distances as (

    select
        iso3,
        latitude,
        longitude,
        crosses,
        -- distance from the origin (the point) to the segment, the projection clamped to its ends
        sqrt(
            power(x1 + t * (x2 - x1), 2) + power(y1 + t * (y2 - y1), 2)
        ) as distance_km

    from (
        select
            *,
            case
                when (x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1) = 0 then 0
                else greatest(0, least(1,
                    -(x1 * (x2 - x1) + y1 * (y2 - y1)) / ((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1))
                ))
            end as t
        from edges_near_points
    )

),

points_checked as (

    select
        iso3,
        latitude,
        longitude,
        count(*) filter (where crosses) % 2 = 1 as is_inside,
        min(distance_km) as border_distance_km

    from edge_distances
    group by iso3, latitude, longitude

),

final as (

    select
        events.event_id,
        events.iso3,
        events.latitude,
        events.longitude,
        points_checked.iso3 is not null as is_checkable,
        points_checked.is_inside,
        case when not points_checked.is_inside then round(points_checked.border_distance_km, 1) end
            as km_outside_country,
        points_checked.is_inside
        or points_checked.border_distance_km <= {{ plausibility_limit('coordinates_tolerance_km') }}
            as is_in_country

    from events
    left join points_checked
        on events.iso3 = points_checked.iso3
        and events.latitude = points_checked.latitude
        and events.longitude = points_checked.longitude
    where events.iso3 is not null and events.latitude is not null and events.longitude is not null

)

select * from final

with

locations as (

    select * from {{ ref('stg_extracted__locations') }}

),

final as (

    select
        location_id,
        location_name,
        location_type,
        admin1,
        country_iso3,
        latitude,
        longitude,
        geo_precision

    from locations
    -- One row per key: every part that uses it carries the same row; the order makes the
    -- pick independent of how articles were cut into parts.
    qualify row_number() over (partition by location_id order by location_name, location_type, admin1, country_iso3, latitude, longitude, geo_precision) = 1

)

select * from final

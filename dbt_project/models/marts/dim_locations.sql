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

)

select * from final

{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('locations') }}",
    )
}}

with

source as (

    {{ new_parts_of('locations') }}

),

renamed as (

    select
        cast(location_id as varchar) as location_id,
        cast(location_name as varchar) as location_name,
        cast(location_type as varchar) as location_type,
        cast(admin1 as varchar) as admin1,
        cast(country_iso3 as varchar) as country_iso3,
        cast(geo_precision as varchar) as geo_precision,
        cast(latitude as double) as latitude,
        cast(longitude as double) as longitude,
        extraction_part

    from source

)

select * from renamed

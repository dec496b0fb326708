{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('actors') }}",
    )
}}

with

source as (

    {{ new_parts_of('actors') }}

),

renamed as (

    select
        cast(actor_id as varchar) as actor_id,
        cast(actor_name as varchar) as actor_name,
        cast(actor_type as varchar) as actor_type,
        cast(country_iso3 as varchar) as country_iso3,
        extraction_part

    from source

)

select * from renamed

with

source as (

    select * from {{ source('extracted', 'actors') }}

),

renamed as (

    select
        cast(actor_id as varchar) as actor_id,
        cast(actor_name as varchar) as actor_name,
        cast(actor_type as varchar) as actor_type,
        cast(country_iso3 as varchar) as country_iso3

    from source

)

select * from renamed

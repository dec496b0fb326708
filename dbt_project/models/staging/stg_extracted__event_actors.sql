{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('event_actors') }}",
    )
}}

with

source as (

    {{ new_parts_of('event_actors') }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(actor_id as varchar) as actor_id,
        cast(role as varchar) as role,
        cast(mention_text as varchar) as mention_text,
        cast(char_start as bigint) as char_start,
        cast(char_end as bigint) as char_end,
        extraction_part

    from source

)

select * from renamed

with

source as (

    select * from {{ source('extracted', 'event_actors') }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(actor_id as varchar) as actor_id,
        cast(role as varchar) as role,
        cast(mention_text as varchar) as mention_text,
        cast(char_start as bigint) as char_start,
        cast(char_end as bigint) as char_end

    from source

)

select * from renamed

with

actors as (

    select * from {{ ref('stg_extracted__actors') }}

),

final as (

    select
        actor_id,
        actor_name,
        actor_type,
        country_iso3

    from actors

)

select * from final

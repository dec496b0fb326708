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
    -- One row per key: every part that uses it carries the same row; the order makes the
    -- pick independent of how articles were cut into parts.
    qualify row_number() over (partition by actor_id order by actor_name, actor_type, country_iso3) = 1

)

select * from final

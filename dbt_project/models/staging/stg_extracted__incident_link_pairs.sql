-- Written whole by every run (linking reads all reports), so a plain table, not incremental.
with

source as (

    select * from {{ source('extracted', 'incident_link_pairs') }}

),

renamed as (

    select
        cast(event_id_l as varchar) as event_id_l,
        cast(event_id_r as varchar) as event_id_r,
        cast(match_weight as double) as match_weight,
        cast(match_probability as double) as match_probability,
        cast(is_kept as boolean) as is_kept,
        cast(gamma_event_date as integer) as gamma_event_date,
        cast(bf_event_date as double) as bf_event_date,
        cast(gamma_place as integer) as gamma_place,
        cast(bf_place as double) as bf_place,
        cast(gamma_actors as integer) as gamma_actors,
        cast(bf_actors as double) as bf_actors,
        cast(gamma_keywords as integer) as gamma_keywords,
        cast(bf_keywords as double) as bf_keywords,
        cast(gamma_killed as integer) as gamma_killed,
        cast(bf_killed as double) as bf_killed,
        cast(gamma_injured as integer) as gamma_injured,
        cast(bf_injured as double) as bf_injured,
        cast(gamma_type as integer) as gamma_type,
        cast(bf_type as double) as bf_type,
        cast(gamma_published as integer) as gamma_published,
        cast(bf_published as double) as bf_published

    from source

)

select * from renamed

with

events as (

    select * from {{ ref('fct_events') }}

),

links as (

    select * from {{ ref('stg_extracted__incident_links') }}

),

final as (

    select
        events.event_id,
        links.incident_id,
        events.* exclude (event_id)

    from events
    left join links
        on events.event_id = links.event_id

)

select * from final

-- Written whole by every run (linking reads all reports), so a plain table, not incremental.
with

source as (

    select * from {{ source('extracted', 'incident_links') }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(incident_id as varchar) as incident_id,
        cast(article_id as varchar) as article_id

    from source

)

select * from renamed

with

source as (

    select * from {{ source('extracted', 'ingest_log') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(line_number as bigint) as line_number,
        cast(article_id as varchar) as article_id,
        cast(status as varchar) as status,
        cast(reason as varchar) as reason

    from source

)

select * from renamed

with

ingest_log as (

    select * from {{ ref('stg_extracted__ingest_log') }}

),

final as (

    select
        source_file,
        line_number,
        status,
        reason,
        article_id

    from ingest_log

)

select * from final

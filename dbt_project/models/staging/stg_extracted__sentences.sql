{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('sentences') }}",
    )
}}

with

source as (

    {{ new_parts_of('sentences') }}

),

renamed as (

    select
        cast(article_id as varchar) as article_id,
        cast(sentence_index as bigint) as sentence_index,
        cast(block_kind as varchar) as block_kind,
        cast(sentence_text as varchar) as sentence_text,
        cast(char_start as bigint) as char_start,
        cast(char_end as bigint) as char_end,
        extraction_part

    from source

)

select * from renamed

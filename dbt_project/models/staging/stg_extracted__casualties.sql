{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('casualties') }}",
    )
}}

with

source as (

    {{ new_parts_of('casualties') }}

),

renamed as (

    select
        cast(casualty_id as varchar) as casualty_id,
        cast(event_id as varchar) as event_id,
        cast(article_id as varchar) as article_id,
        cast(sentence_index as bigint) as sentence_index,
        cast(outcome as varchar) as outcome,
        cast(victim_group as varchar) as victim_group,
        cast(qualifier as varchar) as qualifier,
        cast(claimed_by as varchar) as claimed_by,
        cast(evidence_text as varchar) as evidence_text,
        cast(char_start as bigint) as char_start,
        cast(char_end as bigint) as char_end,
        cast(count_low as bigint) as count_low,
        cast(count_best as bigint) as count_best,
        cast(count_high as bigint) as count_high,
        extraction_part

    from source

)

select * from renamed

{{
    config(
        materialized='incremental',
        on_schema_change='fail',
        post_hook="{{ delete_removed_parts('events') }}",
    )
}}

with

source as (

    {{ new_parts_of('events') }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(article_id as varchar) as article_id,
        cast(location_id as varchar) as location_id,
        cast(sentence_index as bigint) as sentence_index,
        cast(event_type as varchar) as event_type,
        cast(sub_event_type as varchar) as sub_event_type,
        cast(trigger_text as varchar) as trigger_text,
        cast(event_date as date) as event_date,
        cast(date_precision as varchar) as date_precision,
        cast(date_text as varchar) as date_text,
        cast(country_iso3 as varchar) as country_iso3,
        cast(evidence_text as varchar) as evidence_text,
        cast(char_start as bigint) as char_start,
        cast(char_end as bigint) as char_end,
        cast(fatalities_low as bigint) as fatalities_low,
        cast(fatalities_best as bigint) as fatalities_best,
        cast(fatalities_high as bigint) as fatalities_high,
        cast(injured_best as bigint) as injured_best,
        cast(n_mentions as bigint) as n_mentions,
        extraction_part

    from source

)

select * from renamed

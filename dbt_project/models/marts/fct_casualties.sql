with

casualties as (

    select * from {{ ref('stg_extracted__casualties') }}

),

final as (

    select
        casualty_id,
        event_id,
        article_id,
        outcome,
        victim_group,
        count_low,
        count_best,
        count_high,
        qualifier,
        claimed_by,
        evidence_text,
        char_start,
        char_end

    from casualties

)

select * from final

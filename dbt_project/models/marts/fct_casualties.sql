with

casualties as (

    select * from {{ ref('stg_extracted__casualties') }}

),

victim_groups as (

    select * from {{ ref('int_casualties_victim_groups_normalised') }}

),

final as (

    select
        casualties.casualty_id,
        casualties.event_id,
        casualties.article_id,
        casualties.outcome,
        victim_groups.victim_group,
        victim_groups.victim_group_raw,
        casualties.count_low,
        casualties.count_best,
        casualties.count_high,
        casualties.count_best is not null and casualties.count_high is null as count_high_is_open,
        casualties.qualifier,
        casualties.claimed_by,
        casualties.evidence_text,
        casualties.char_start,
        casualties.char_end

    from casualties
    left join victim_groups
        on casualties.casualty_id = victim_groups.casualty_id

)

select * from final

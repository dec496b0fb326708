-- Why two reports were (or were not) merged: every pair Splink scored above the floor, with the
-- level and Bayes factor of each comparison.
with

pairs as (

    select * from {{ ref('stg_extracted__incident_link_pairs') }}

),

reports as (

    select * from {{ ref('fct_event_reports') }}

),

final as (

    select
        pairs.event_id_l,
        pairs.event_id_r,
        left_report.article_id as article_id_l,
        right_report.article_id as article_id_r,
        left_report.incident_id as incident_id_l,
        right_report.incident_id as incident_id_r,
        pairs.is_kept,
        left_report.incident_id = right_report.incident_id as is_same_incident,
        pairs.* exclude (event_id_l, event_id_r, is_kept)

    from pairs
    inner join reports as left_report
        on pairs.event_id_l = left_report.event_id
    inner join reports as right_report
        on pairs.event_id_r = right_report.event_id

)

select * from final

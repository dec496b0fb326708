-- The claim ledger: every casualty figure as a claim, kept when claims conflict, beside the figure
-- its incident's rule chose.
with

claims as (

    select * from {{ ref('int_casualty_claims_categorised') }}

),

reports as (

    select * from {{ ref('int_event_reports_dated') }}

),

incidents as (

    select * from {{ ref('fct_incidents') }}

),

final as (

    select
        claims.casualty_id,
        reports.incident_id,
        claims.event_id,
        claims.article_id,
        reports.source,
        reports.published_date,
        claims.claimed_by,
        claims.claimant_category,
        claims.outcome,
        claims.victim_group,
        claims.qualifier,
        claims.evidence_text,
        claims.char_start,
        claims.char_end,
        claims.count_low,
        claims.count_best,
        claims.count_high,
        case claims.outcome
            when 'killed' then incidents.killed_best
            when 'injured' then incidents.injured_best
        end as incident_best,
        incidents.casualty_rule

    from claims
    left join reports
        on claims.event_id = reports.event_id
    left join incidents
        on reports.incident_id = incidents.incident_id

)

select * from final

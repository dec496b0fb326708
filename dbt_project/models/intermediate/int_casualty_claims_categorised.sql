-- Each casualty figure with its claimant category: the first pattern of the claimant_categories
-- seed (by priority) that matches claimed_by; a figure nobody is said to claim is unattributed.
with

casualties as (

    select * from {{ ref('fct_casualties') }}

),

categories as (

    select * from {{ ref('claimant_categories') }}

),

matched as (

    select
        casualties.casualty_id,
        categories.claimant_category

    from casualties
    inner join categories
        on regexp_matches(casualties.claimed_by, categories.pattern, 'i')
    qualify row_number() over (partition by casualties.casualty_id order by categories.priority) = 1

),

final as (

    select
        casualties.*,
        coalesce(
            matched.claimant_category,
            case when casualties.claimed_by is null then 'unattributed' end
        ) as claimant_category

    from casualties
    left join matched
        on casualties.casualty_id = matched.casualty_id

)

select * from final

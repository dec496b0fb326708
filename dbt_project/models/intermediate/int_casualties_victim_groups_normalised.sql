{#- Each casualty figure's victim group, normalised to the small vocabulary of
    reference.victim_groups through reference.victim_group_terms. The raw phrase ("six jesuit
    priests", "army casualties") is matched as a whole, then by its last two words, then by its
    last word (its head noun); the longest match wins. A figure with no group stated is
    'unspecified'; a group the terms do not know is 'other'. -#}

with

casualties as (

    select * from {{ ref('stg_extracted__casualties') }}

),

terms as (

    select * from {{ ref('victim_group_terms') }}

),

phrases as (

    select
        casualty_id,
        victim_group as victim_group_raw,
        string_split(regexp_replace(lower(trim(victim_group)), '\s+', ' ', 'g'), ' ') as words

    from casualties

),

candidates as (

    select
        casualty_id,
        array_to_string(words, ' ') as candidate,
        len(words) as n_words

    from phrases
    where victim_group_raw is not null

    union all

    select
        casualty_id,
        array_to_string(words[-2:], ' ') as candidate,
        2 as n_words

    from phrases
    where victim_group_raw is not null and len(words) > 2

    union all

    select
        casualty_id,
        words[-1] as candidate,
        1 as n_words

    from phrases
    where victim_group_raw is not null and len(words) > 1

),

matched as (

    select
        candidates.casualty_id,
        terms.victim_group

    from candidates
    inner join terms
        on candidates.candidate = terms.term
    qualify row_number() over (partition by candidates.casualty_id order by candidates.n_words desc) = 1

),

final as (

    select
        phrases.casualty_id,
        phrases.victim_group_raw,
        case
            when phrases.victim_group_raw is null then 'unspecified'
            else coalesce(matched.victim_group, 'other')
        end as victim_group

    from phrases
    left join matched
        on phrases.casualty_id = matched.casualty_id

)

select * from final

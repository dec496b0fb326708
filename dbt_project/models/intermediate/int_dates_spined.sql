{#- Every calendar day between the earliest and the latest date the marts refer to (event dates and
    publication dates). With no dates at all the bounds are null and the spine is empty. -#}

with

events as (

    select * from {{ ref('stg_extracted__events') }}

),

articles as (

    select * from {{ ref('stg_extracted__articles') }}

),

all_dates as (

    select event_date as date_day from events
    union all
    select published_date as date_day from articles

),

bounds as (

    select
        min(date_day) as first_day,
        max(date_day) as last_day

    from all_dates

),

spined as (

    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as date_day

    from bounds
    where first_day is not null

)

select * from spined

with

dates as (

    select * from {{ ref('int_dates_spined') }}

),

final as (

    select
        date_day,
        year(date_day) as year,
        quarter(date_day) as quarter,
        month(date_day) as month,
        monthname(date_day) as month_name,
        weekofyear(date_day) as iso_week,
        isodow(date_day) as day_of_week,
        dayname(date_day) as day_name

    from dates

)

select * from final

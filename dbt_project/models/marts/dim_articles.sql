with

articles as (

    select * from {{ ref('stg_extracted__articles') }}

),

final as (

    select
        article_id,
        title,
        published_date,
        published_date_basis,
        source,
        url,
        source_file,
        line_number,
        n_chars,
        article_text

    from articles

)

select * from final

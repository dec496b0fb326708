with

source as (

    select * from {{ source('extracted', 'articles') }}

),

renamed as (

    select
        cast(article_id as varchar) as article_id,
        cast(source_file as varchar) as source_file,
        cast(line_number as bigint) as line_number,
        cast(title as varchar) as title,
        cast(text as varchar) as article_text,
        cast(published_date as date) as published_date,
        cast(published_date_basis as varchar) as published_date_basis,
        cast(source as varchar) as source,
        cast(url as varchar) as url,
        cast(content_hash as varchar) as content_hash,
        cast(n_chars as bigint) as n_chars

    from source

)

select * from renamed

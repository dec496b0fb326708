{#
  The extracted tables arrive as content-addressed Parquet parts (orchestration/assets/parts.py):
  a part's rows never change, a changed article lands in a new part, and parts no longer in use
  are deleted. So a staging model only needs to insert the parts it has not seen and delete the
  rows of parts that are gone; a full build (first run, or --full-refresh) reads every part.
#}

{% macro new_parts_of(table) %}
    select
        *,
        parse_filename(filename, true) as extraction_part
    from {{ source('extracted', table) }}
    {% if is_incremental() %}
    where parse_filename(filename, true) not in (select distinct extraction_part from {{ this }})
    {% endif %}
{% endmacro %}

{% macro delete_removed_parts(table) %}
    delete from {{ this }}
    where extraction_part not in (
        select parse_filename(file, true)
        from glob('{{ env_var("EXTRACT_DIR", "../warehouse/extracted") }}/{{ table }}/*.parquet')
    )
{% endmacro %}

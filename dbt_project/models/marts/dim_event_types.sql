with

event_types as (

    select * from {{ ref('event_types') }}

),

final as (

    select
        md5(event_type || '|' || sub_event_type) as event_type_id,
        event_type,
        sub_event_type,
        disorder_type,
        is_violent,
        description

    from event_types

)

select * from final

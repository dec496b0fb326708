{#- Plausibility: the actors' types fit the event type, as ACLED's codebook defines the types
    (reference.event_type_actor_types lists the types a role may have; an event type or role not
    listed there is unconstrained, and a missing actor is not checked). E.g. a protest's actor 1 is
    protesters, violence against civilians targets civilians, a battle is between armed actors.
    The failing rows are the events with an actor type the list does not allow, one per role. -#}
{% test plausible_actor_types(model) %}

with

allowed as (

    select * from {{ ref('event_type_actor_types') }}

),

actor_types as (

    select * from {{ ref('actor_types') }}

),

roles as (

    select event_id, event_type, 'actor1' as role, actor1 as actor, inter1 as inter_code
    from {{ model }}
    where actor1 is not null

    union all

    select event_id, event_type, 'actor2' as role, actor2 as actor, inter2 as inter_code
    from {{ model }}
    where actor2 is not null

),

typed as (

    select
        roles.*,
        actor_types.actor_type

    from roles
    inner join actor_types
        on roles.inter_code = actor_types.inter_code

),

constrained as (

    select distinct event_type, role from allowed

),

violations as (

    select typed.*

    from typed
    inner join constrained
        on typed.event_type = constrained.event_type
        and typed.role = constrained.role
    left join allowed
        on typed.event_type = allowed.event_type
        and typed.role = allowed.role
        and typed.actor_type = allowed.actor_type
    where allowed.actor_type is null

)

select
    events.event_id_cnty,
    events.event_id,
    events.event_type,
    events.sub_event_type,
    violations.role,
    violations.actor,
    violations.actor_type,
    events.notes

from violations
inner join {{ model }} as events
    on violations.event_id = events.event_id

{% endtest %}

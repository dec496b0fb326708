-- A link that merged two reports puts them in one incident.
select event_id_l, event_id_r
from {{ ref('incident_links') }}
where is_kept and not is_same_incident

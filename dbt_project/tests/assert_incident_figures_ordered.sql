-- claims-v1 gives low <= best <= high for killed and injured.
select incident_id, killed_low, killed_best, killed_high, injured_low, injured_best, injured_high
from {{ ref('fct_incidents') }}
where killed_low > killed_best or killed_best > killed_high
    or injured_low > injured_best or injured_best > injured_high

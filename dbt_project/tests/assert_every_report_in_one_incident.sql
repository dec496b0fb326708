-- Every event of fct_events is exactly one report of fct_event_reports, and the incidents' report
-- counts add up to the reports: no report is lost, doubled or in two incidents.
{{ config(meta={'dagster': {'asset_key': ['marts', 'fct_event_reports']}}) }}

with

events as (select count(*) as n from {{ ref('fct_events') }}),

reports as (select count(*) as n, count(distinct event_id) as n_distinct from {{ ref('fct_event_reports') }}),

incidents as (select sum(n_reports) as n from {{ ref('fct_incidents') }})

select events.n as events, reports.n as reports, reports.n_distinct, incidents.n as incident_reports
from events, reports, incidents
where not (events.n = reports.n and reports.n = reports.n_distinct and coalesce(incidents.n, 0) = reports.n)

SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT rollup_costs_area.yr AS yr, rollup_costs_area.month AS month, sum(rollup_costs_area.actual_eur) AS s 
FROM rollup_costs_area 
WHERE rollup_costs_area.county_code IN ('KS') AND (rollup_costs_area.month >= '2024-01-01' AND rollup_costs_area.month < '2024-07-01' OR rollup_costs_area.month >= '2025-01-01' AND rollup_costs_area.month < '2025-07-01') GROUP BY rollup_costs_area.yr, rollup_costs_area.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT rollup_contacts_channel.yr AS yr, rollup_contacts_channel.month AS month, sum(rollup_contacts_channel.clients) AS s 
FROM rollup_contacts_channel 
WHERE rollup_contacts_channel.county_code IN ('KS') AND (rollup_contacts_channel.month >= '2024-01-01' AND rollup_contacts_channel.month < '2024-07-01' OR rollup_contacts_channel.month >= '2025-01-01' AND rollup_contacts_channel.month < '2025-07-01') GROUP BY rollup_contacts_channel.yr, rollup_contacts_channel.month) AS per_month GROUP BY per_month.yr

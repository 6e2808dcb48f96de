SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_costs.yr AS yr, v_costs.month AS month, sum(v_costs.actual_eur) AS s 
FROM v_costs 
WHERE v_costs.county_code IN ('KS') AND (v_costs.month >= '2024-01-01' AND v_costs.month < '2024-07-01' OR v_costs.month >= '2025-01-01' AND v_costs.month < '2025-07-01') GROUP BY v_costs.yr, v_costs.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_contacts.yr AS yr, v_contacts.month AS month, sum(v_contacts.clients) AS s 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND (v_contacts.month >= '2024-01-01' AND v_contacts.month < '2024-07-01' OR v_contacts.month >= '2025-01-01' AND v_contacts.month < '2025-07-01') GROUP BY v_contacts.yr, v_contacts.month) AS per_month GROUP BY per_month.yr

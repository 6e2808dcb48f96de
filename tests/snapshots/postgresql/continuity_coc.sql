SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_team_clients.yr AS yr, v_team_clients.month AS month, sum(v_team_clients.coc_pairs_same) AS s 
FROM v_team_clients 
WHERE v_team_clients.county_code IN ('KS') AND (v_team_clients.month >= '2024-01-01' AND v_team_clients.month < '2024-07-01' OR v_team_clients.month >= '2025-01-01' AND v_team_clients.month < '2025-07-01') GROUP BY v_team_clients.yr, v_team_clients.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_team_clients.yr AS yr, v_team_clients.month AS month, sum(v_team_clients.coc_pairs_total) AS s 
FROM v_team_clients 
WHERE v_team_clients.county_code IN ('KS') AND (v_team_clients.month >= '2024-01-01' AND v_team_clients.month < '2024-07-01' OR v_team_clients.month >= '2025-01-01' AND v_team_clients.month < '2025-07-01') GROUP BY v_team_clients.yr, v_team_clients.month) AS per_month GROUP BY per_month.yr

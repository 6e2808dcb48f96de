SELECT per_unit.yr, avg(per_unit.value) AS value, count(*) AS n_units 
FROM (SELECT v_team_clients.yr AS yr, v_team_clients.mon AS mon, sum(v_team_clients.team_clients) AS value 
FROM v_team_clients 
WHERE v_team_clients.county_code IN ('KS') AND (v_team_clients.month >= '2024-01-01' AND v_team_clients.month < '2024-07-01' OR v_team_clients.month >= '2025-01-01' AND v_team_clients.month < '2025-07-01') GROUP BY v_team_clients.yr, v_team_clients.mon) AS per_unit GROUP BY per_unit.yr

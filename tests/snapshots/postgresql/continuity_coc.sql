SELECT v_team_clients.yr, sum(v_team_clients.coc_pairs_same) AS value, count(DISTINCT v_team_clients.month) AS n_months 
FROM v_team_clients 
WHERE v_team_clients.county_code IN ('KS') AND v_team_clients.yr IN (2024, 2025) AND v_team_clients.mon BETWEEN 1 AND 6 GROUP BY v_team_clients.yr
;
SELECT v_team_clients.yr, sum(v_team_clients.coc_pairs_total) AS value, count(DISTINCT v_team_clients.month) AS n_months 
FROM v_team_clients 
WHERE v_team_clients.county_code IN ('KS') AND v_team_clients.yr IN (2024, 2025) AND v_team_clients.mon BETWEEN 1 AND 6 GROUP BY v_team_clients.yr

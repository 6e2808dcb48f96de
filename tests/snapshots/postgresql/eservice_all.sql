SELECT v_eservice.yr, sum(v_eservice.users) AS value, 12 * count(DISTINCT v_eservice.yr) AS n_months 
FROM v_eservice 
WHERE v_eservice.county_code IN ('KS') AND v_eservice.yr IN (2024, 2025) GROUP BY v_eservice.yr
;
SELECT v_population.yr, sum(v_population.population) AS value, 12 * count(DISTINCT v_population.yr) AS n_months 
FROM v_population 
WHERE v_population.county_code IN ('KS') AND v_population.yr IN (2024, 2025) GROUP BY v_population.yr

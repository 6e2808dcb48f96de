SELECT v_population.yr, sum(v_population.population) AS value, 12 * count(DISTINCT v_population.yr) AS n_months 
FROM v_population 
WHERE v_population.county_code IN ('KS') AND v_population.yr IN (2024, 2025) GROUP BY v_population.yr

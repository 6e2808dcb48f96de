SELECT v_t3.yr, avg(v_t3.t3_days) AS value, count(DISTINCT v_t3.month) AS n_months 
FROM v_t3 
WHERE v_t3.county_code IN ('KS') AND v_t3.service_area IN ('dental') AND v_t3.yr IN (2024, 2025) AND v_t3.mon BETWEEN 1 AND 6 GROUP BY v_t3.yr

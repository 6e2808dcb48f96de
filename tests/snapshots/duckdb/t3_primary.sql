SELECT per_month.yr, CAST(sum(per_month.s) AS DOUBLE PRECISION) / CAST(nullif(sum(per_month.n), 0) AS DOUBLE PRECISION) AS value, count(*) AS n_months 
FROM (SELECT v_t3.yr AS yr, v_t3.month AS month, sum(v_t3.t3_days) AS s, count(v_t3.t3_days) AS n 
FROM v_t3 
WHERE v_t3.county_code IN ('KS') AND v_t3.service_area IN ('primary_care') AND (v_t3.month >= '2024-01-01' AND v_t3.month < '2024-07-01' OR v_t3.month >= '2025-01-01' AND v_t3.month < '2025-07-01') GROUP BY v_t3.yr, v_t3.month) AS per_month GROUP BY per_month.yr

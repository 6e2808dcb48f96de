SELECT per_month.yr, CAST(sum(per_month.s) AS DOUBLE PRECISION) / CAST(nullif(sum(per_month.n), 0) AS DOUBLE PRECISION) AS value, count(*) AS n_months 
FROM (SELECT rollup_t3_area.yr AS yr, rollup_t3_area.month AS month, sum(rollup_t3_area.t3_days) AS s, sum(rollup_t3_area.t3_days__n) AS n 
FROM rollup_t3_area 
WHERE rollup_t3_area.county_code IN ('KS') AND rollup_t3_area.service_area IN ('dental') AND (rollup_t3_area.month >= '2024-01-01' AND rollup_t3_area.month < '2024-07-01' OR rollup_t3_area.month >= '2025-01-01' AND rollup_t3_area.month < '2025-07-01') GROUP BY rollup_t3_area.yr, rollup_t3_area.month) AS per_month GROUP BY per_month.yr

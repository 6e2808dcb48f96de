SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_phone.yr AS yr, v_phone.month AS month, sum(v_phone.callbacks) AS s 
FROM v_phone 
WHERE v_phone.county_code IN ('KS') AND (v_phone.month >= '2024-01-01' AND v_phone.month < '2024-07-01' OR v_phone.month >= '2025-01-01' AND v_phone.month < '2025-07-01') GROUP BY v_phone.yr, v_phone.month) AS per_month GROUP BY per_month.yr

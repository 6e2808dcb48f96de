SELECT v_phone.yr, sum(v_phone.callbacks) AS value, count(DISTINCT v_phone.month) AS n_months 
FROM v_phone 
WHERE v_phone.county_code IN ('KS') AND v_phone.yr IN (2024, 2025) AND v_phone.mon BETWEEN 1 AND 6 GROUP BY v_phone.yr

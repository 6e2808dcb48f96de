SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_care_guarantee.yr AS yr, v_care_guarantee.month AS month, sum(v_care_guarantee.visits_within_14d) AS s 
FROM v_care_guarantee 
WHERE v_care_guarantee.county_code IN ('KS') AND v_care_guarantee.service_area IN ('primary_care') AND (v_care_guarantee.month >= '2024-01-01' AND v_care_guarantee.month < '2024-07-01' OR v_care_guarantee.month >= '2025-01-01' AND v_care_guarantee.month < '2025-07-01') GROUP BY v_care_guarantee.yr, v_care_guarantee.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_care_guarantee.yr AS yr, v_care_guarantee.month AS month, sum(v_care_guarantee.visits_total) AS s 
FROM v_care_guarantee 
WHERE v_care_guarantee.county_code IN ('KS') AND v_care_guarantee.service_area IN ('primary_care') AND (v_care_guarantee.month >= '2024-01-01' AND v_care_guarantee.month < '2024-07-01' OR v_care_guarantee.month >= '2025-01-01' AND v_care_guarantee.month < '2025-07-01') GROUP BY v_care_guarantee.yr, v_care_guarantee.month) AS per_month GROUP BY per_month.yr

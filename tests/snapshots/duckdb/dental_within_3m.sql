SELECT v_care_guarantee.yr, sum(v_care_guarantee.visits_within_90d) AS value, count(DISTINCT v_care_guarantee.month) AS n_months 
FROM v_care_guarantee 
WHERE v_care_guarantee.county_code IN ('KS') AND v_care_guarantee.service_area IN ('dental') AND v_care_guarantee.yr IN (2024, 2025) AND v_care_guarantee.mon BETWEEN 1 AND 6 GROUP BY v_care_guarantee.yr
;
SELECT v_care_guarantee.yr, sum(v_care_guarantee.visits_total) AS value, count(DISTINCT v_care_guarantee.month) AS n_months 
FROM v_care_guarantee 
WHERE v_care_guarantee.county_code IN ('KS') AND v_care_guarantee.service_area IN ('dental') AND v_care_guarantee.yr IN (2024, 2025) AND v_care_guarantee.mon BETWEEN 1 AND 6 GROUP BY v_care_guarantee.yr

SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT rollup_contacts_age.yr AS yr, rollup_contacts_age.month AS month, sum(rollup_contacts_age.contacts) AS s 
FROM rollup_contacts_age 
WHERE rollup_contacts_age.county_code IN ('KS') AND rollup_contacts_age.service_area IN ('mental_substance') AND rollup_contacts_age.age_group IN ('13-17') AND (rollup_contacts_age.month >= '2024-01-01' AND rollup_contacts_age.month < '2024-07-01' OR rollup_contacts_age.month >= '2025-01-01' AND rollup_contacts_age.month < '2025-07-01') GROUP BY rollup_contacts_age.yr, rollup_contacts_age.month) AS per_month GROUP BY per_month.yr
;
SELECT v_population.yr, sum(v_population.population) AS value, 12 * count(DISTINCT v_population.yr) AS n_months 
FROM v_population 
WHERE v_population.county_code IN ('KS') AND v_population.age_group IN ('13-17') AND v_population.yr IN (2024, 2025) GROUP BY v_population.yr

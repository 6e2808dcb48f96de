SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_contacts.yr AS yr, v_contacts.month AS month, sum(v_contacts.contacts) AS s 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('primary_care') AND v_contacts.profession IN ('doctor') AND v_contacts.channel IN ('in_person', 'video') AND (v_contacts.month >= '2024-01-01' AND v_contacts.month < '2024-07-01' OR v_contacts.month >= '2025-01-01' AND v_contacts.month < '2025-07-01') GROUP BY v_contacts.yr, v_contacts.month) AS per_month GROUP BY per_month.yr
;
SELECT v_population.yr, sum(v_population.population) AS value, 12 * count(DISTINCT v_population.yr) AS n_months 
FROM v_population 
WHERE v_population.county_code IN ('KS') AND v_population.yr IN (2024, 2025) GROUP BY v_population.yr

SELECT v_contacts.yr, sum(v_contacts.contacts) AS value, count(DISTINCT v_contacts.month) AS n_months 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('dental') AND v_contacts.channel IN ('in_person') AND v_contacts.yr IN (2024, 2025) AND v_contacts.mon BETWEEN 1 AND 6 GROUP BY v_contacts.yr
;
SELECT v_population.yr, sum(v_population.population) AS value, 12 * count(DISTINCT v_population.yr) AS n_months 
FROM v_population 
WHERE v_population.county_code IN ('KS') AND v_population.yr IN (2024, 2025) GROUP BY v_population.yr

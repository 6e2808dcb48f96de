SELECT v_costs.yr, sum(v_costs.actual_eur) AS value, count(DISTINCT v_costs.month) AS n_months 
FROM v_costs 
WHERE v_costs.county_code IN ('KS') AND v_costs.yr IN (2024, 2025) AND v_costs.mon BETWEEN 1 AND 6 GROUP BY v_costs.yr
;
SELECT v_contacts.yr, sum(v_contacts.contacts) AS value, count(DISTINCT v_contacts.month) AS n_months 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.yr IN (2024, 2025) AND v_contacts.mon BETWEEN 1 AND 6 GROUP BY v_contacts.yr

SELECT v_contacts.yr, sum(v_contacts.remote_contacts) AS value, count(DISTINCT v_contacts.month) AS n_months 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND v_contacts.yr IN (2024, 2025) AND v_contacts.mon BETWEEN 1 AND 6 GROUP BY v_contacts.yr
;
SELECT v_contacts.yr, sum(v_contacts.contacts) AS value, count(DISTINCT v_contacts.month) AS n_months 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND v_contacts.yr IN (2024, 2025) AND v_contacts.mon BETWEEN 1 AND 6 GROUP BY v_contacts.yr

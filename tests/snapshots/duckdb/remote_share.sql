SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_contacts.yr AS yr, v_contacts.month AS month, sum(v_contacts.remote_contacts) AS s 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND (v_contacts.month >= '2024-01-01' AND v_contacts.month < '2024-07-01' OR v_contacts.month >= '2025-01-01' AND v_contacts.month < '2025-07-01') GROUP BY v_contacts.yr, v_contacts.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT v_contacts.yr AS yr, v_contacts.month AS month, sum(v_contacts.contacts) AS s 
FROM v_contacts 
WHERE v_contacts.county_code IN ('KS') AND v_contacts.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND (v_contacts.month >= '2024-01-01' AND v_contacts.month < '2024-07-01' OR v_contacts.month >= '2025-01-01' AND v_contacts.month < '2025-07-01') GROUP BY v_contacts.yr, v_contacts.month) AS per_month GROUP BY per_month.yr

SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT rollup_contacts_channel.yr AS yr, rollup_contacts_channel.month AS month, sum(rollup_contacts_channel.remote_contacts) AS s 
FROM rollup_contacts_channel 
WHERE rollup_contacts_channel.county_code IN ('KS') AND rollup_contacts_channel.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND (rollup_contacts_channel.month >= '2024-01-01' AND rollup_contacts_channel.month < '2024-07-01' OR rollup_contacts_channel.month >= '2025-01-01' AND rollup_contacts_channel.month < '2025-07-01') GROUP BY rollup_contacts_channel.yr, rollup_contacts_channel.month) AS per_month GROUP BY per_month.yr
;
SELECT per_month.yr, sum(per_month.s) AS value, count(*) AS n_months 
FROM (SELECT rollup_contacts_channel.yr AS yr, rollup_contacts_channel.month AS month, sum(rollup_contacts_channel.contacts) AS s 
FROM rollup_contacts_channel 
WHERE rollup_contacts_channel.county_code IN ('KS') AND rollup_contacts_channel.service_area IN ('child_family', 'mental_substance', 'primary_care', 'social_work') AND (rollup_contacts_channel.month >= '2024-01-01' AND rollup_contacts_channel.month < '2024-07-01' OR rollup_contacts_channel.month >= '2025-01-01' AND rollup_contacts_channel.month < '2025-07-01') GROUP BY rollup_contacts_channel.yr, rollup_contacts_channel.month) AS per_month GROUP BY per_month.yr

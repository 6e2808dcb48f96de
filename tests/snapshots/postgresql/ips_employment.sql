SELECT per_month.yr, CAST(sum(per_month.s) AS DOUBLE PRECISION) / CAST(CAST(nullif(sum(per_month.n), 0) AS DOUBLE PRECISION) AS DOUBLE PRECISION) AS value, count(*) AS n_months 
FROM (SELECT v_kpi_series.yr AS yr, v_kpi_series.month AS month, sum(v_kpi_series.value) AS s, count(v_kpi_series.value) AS n 
FROM v_kpi_series 
WHERE v_kpi_series.county_code IN ('KS') AND v_kpi_series.kpi_id IN ('ips_employment') AND (v_kpi_series.month >= '2024-01-01' AND v_kpi_series.month < '2024-07-01' OR v_kpi_series.month >= '2025-01-01' AND v_kpi_series.month < '2025-07-01') GROUP BY v_kpi_series.yr, v_kpi_series.month) AS per_month GROUP BY per_month.yr

"""KPI computation against pandas oracles on the test warehouse, and the suppression rule."""
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from metrics import privacy
from metrics.engine import Filters, kpi_summary, kpi_values
from metrics.registry import load_registry


def frame(duck, sql):
    with duck.connect() as conn:
        r = conn.execute(sa.text(sql))
        return pd.DataFrame(r.fetchall(), columns=list(r.keys()))


def test_every_kpi_computes_for_every_county(duck):
    reg = load_registry()
    for county in (None, "KS", "KH", "PH"):
        f = Filters(year=2026, months=(1, 10), county=county)
        for kid in reg.kpis:
            s = kpi_summary(duck, kid, f)
            assert not np.isnan(s.value), (kid, county)
            years = {"ips_employment": 6, "digital_centre_coverage": 4}.get(kid, 8)   # uploaded series start later
            assert len(s.series) == years, (kid, county)


def test_remote_share_by_municipality_matches_pandas(duck):
    got = kpi_values(duck, "remote_share", Filters(year=2025, months=(1, 12), county="KH"), ("municipality_code",))
    raw = frame(duck, "SELECT f.municipality_code, f.channel, f.service_area, f.contacts FROM fact_contacts f "
                      "JOIN dim_municipality m USING (municipality_code) "
                      "WHERE m.county_code = 'KH' AND EXTRACT(YEAR FROM f.month) = 2025")
    raw = raw[raw.service_area.isin(["primary_care", "mental_substance", "social_work", "child_family"])]
    g = raw.groupby("municipality_code")
    expected = (g.apply(lambda d: d.loc[d.channel != "in_person", "contacts"].sum()) / g.contacts.sum() * 100)
    pd.testing.assert_series_equal(got.set_index("municipality_code").value, expected, check_names=False)


def test_team_clients_is_mean_of_monthly_totals(duck):
    got = kpi_values(duck, "team_clients", Filters(year=2024, months=(1, 6), county="KS"), ("yr",))
    raw = frame(duck, "SELECT f.month, SUM(team_clients) AS n FROM fact_team_clients f "
                      "JOIN dim_municipality m USING (municipality_code) WHERE m.county_code = 'KS' "
                      "AND f.month BETWEEN DATE '2024-01-01' AND DATE '2024-06-01' GROUP BY f.month")
    assert got.value.iloc[0] == pytest.approx(raw.n.astype(float).mean())


def test_per_capita_is_annualised(duck):
    f = Filters(year=2024, months=(1, 3), county="PH")
    q = kpi_values(duck, "contacts_per_1000", f)
    contacts = frame(duck, "SELECT SUM(contacts) FROM fact_contacts f JOIN dim_municipality m USING "
                           "(municipality_code) WHERE m.county_code='PH' AND f.month BETWEEN DATE '2024-01-01' "
                           "AND DATE '2024-03-01'").iloc[0, 0]
    pop = frame(duck, "SELECT SUM(population) FROM fact_population f JOIN dim_municipality m USING "
                      "(municipality_code) WHERE m.county_code='PH' AND yr=2024").iloc[0, 0]
    assert q.value.iloc[0] == pytest.approx(float(contacts) / float(pop) * 1000 * 4)


def test_small_counts_are_suppressed_in_kpis(duck):
    # Luhanka's youth mental-health contacts in one month are tiny: the value must be hidden
    got = kpi_values(duck, "youth_mental_health_per_1000",
                     Filters(year=2025, months=(1, 12), municipalities=("435",)), ("yr", "mon"))
    small = privacy.is_small(got.numerator.fillna(0)) | got.suppressed
    assert got.suppressed.any()
    assert got.loc[got.suppressed, "value"].isna().all()
    assert got.loc[got.suppressed, "numerator"].isna().all()
    assert small.sum() == got.suppressed.sum()


def test_suppress_kpi_rule():
    df = pd.DataFrame({"numerator": [0, 1, 4, 5, 300], "denominator": [10, 10, 10, 10, 3],
                       "value": [0.0, 10.0, 40.0, 50.0, 100.0]})
    out = privacy.suppress_kpi(df, ["numerator", "denominator"])
    assert out.suppressed.tolist() == [False, True, True, False, True]
    assert out.value.isna().tolist() == [False, True, True, False, True]
    # floats with hidden (NaN) and fractional counts, and counts as text, give what is_small gives
    mixed = pd.DataFrame({"numerator": [np.nan, 0.5, 1.0, 4.99, 5.0], "denominator": ["3", "x", "10", None, "7"],
                          "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    out = privacy.suppress_kpi(mixed, ["numerator", "denominator"])
    want = (privacy.is_small(mixed.numerator) | privacy.is_small(mixed.denominator)).tolist()
    assert out.suppressed.tolist() == want == [True, False, True, True, False]


def test_unknown_group_by_is_refused(duck):
    with pytest.raises(ValueError):
        kpi_values(duck, "contacts_total", Filters(year=2024), ("password",))


def test_every_kpi_has_a_value_or_a_suppression_for_every_municipality(duck):
    from data_sources import catalog
    munis = set(catalog.municipalities(duck).municipality_code)
    reg = load_registry()
    for kid in reg.kpis:
        df = kpi_values(duck, kid, Filters(year=2025, months=(1, 12)), ("municipality_code",))
        if kid == "ips_employment":          # an uploaded series: only municipalities that run IPS coaching
            assert 0 < len(df) < len(munis) and set(df.municipality_code) <= munis
        else:
            assert set(df.municipality_code) == munis, kid
        assert (df.value.notna() | df.suppressed).all(), kid


def test_period_ranges_merge_whole_years_and_keep_windows_apart():
    import datetime as dt

    from metrics.engine import _period_ranges
    assert _period_ranges((2019, 2020, 2021), (1, 12)) == [(dt.date(2019, 1, 1), dt.date(2022, 1, 1))]
    assert _period_ranges((2024, 2025), (3, 4)) == [(dt.date(2024, 3, 1), dt.date(2024, 5, 1)),
                                                    (dt.date(2025, 3, 1), dt.date(2025, 5, 1))]
    assert _period_ranges((2025, 2023), (12, 12)) == [(dt.date(2023, 12, 1), dt.date(2024, 1, 1)),
                                                      (dt.date(2025, 12, 1), dt.date(2026, 1, 1))]
    assert _period_ranges((), (1, 12)) == []


@pytest.mark.parametrize("f", [
    Filters(year=2026, months=(1, 10)),
    Filters(year=2025, months=(1, 12), county="KH"),
    Filters(year=2026, months=(3, 5), county="KS", service_areas=("primary_care", "dental")),
    Filters(year=2026, months=(2, 9), municipalities=("435",), age_groups=("65-74", "75+")),
    Filters(year=2024, months=(6, 6), county="PH", municipalities=("398", "098")),
], ids=["all", "KH-2025", "KS-areas", "one-muni-ages", "two-munis-june"])
def test_yearly_figures_added_up_from_months_equal_the_yearly_query(duck, monkeypatch, f):
    """A KPI's yearly figures are added up from its monthly read (the query its history and forecast share); they
    must equal the yearly query's, suppression and all, for every KPI, month window and region."""
    from metrics import engine as E
    reg = load_registry()
    years = tuple(range(2019, f.year + 1))
    derived = {k: kpi_values(duck, k, f, ("yr",), years) for k in reg.kpis}
    assert sum(E._years_from_months(reg[k], reg) for k in reg.kpis) >= 20     # the path is really taken
    monkeypatch.setattr(E, "_years_from_months", lambda kpi, registry: False)
    for k, got in derived.items():
        direct = kpi_values(duck, k, f, ("yr",), years)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), direct.reset_index(drop=True),
                                      check_exact=False, rtol=1e-12, check_like=True, obj=k)


@pytest.mark.parametrize("url", ["duckdb:///:memory:", "postgresql+psycopg://postgres@127.0.0.1/test"])
def test_sql_kept_per_query_shape_equals_the_statement_built_afresh(url):
    """measure_sql reuses one compiled statement for every county (or municipality list of the same length) and
    puts the codes into its parameters: for every measure, area choice (scope included, an empty intersection,
    a fixed filter on the same measure) and grouping, the SQL and parameters equal compiling measure_select."""
    import itertools

    from metrics import engine as me
    eng = sa.create_engine(url)                  # compiling only: nothing connects
    reg = load_registry()
    choices = [Filters(2026, (1, 10), county="KH"), Filters(2026, (1, 12), county="PH"),
               Filters(2025, (3, 5), municipalities=("109", "165")), Filters(2025, (3, 5), municipalities=("398", "061")),
               Filters(2026, municipalities=("109", "109", "061")),
               Filters(2026, municipalities=("398",)), Filters(2026, county="KH", municipalities=("109",),
                                                                  service_areas=("dental",)),
               Filters(2026, county="KH", scope_county="PH"), Filters(2026, county="KH", scope_county="KH"),
               Filters(2026, scope_municipalities=("109", "061"), municipalities=("109", "398")), Filters(2026)]
    kept_before = len(me._SQL_SHAPES)
    for n, (m, f, by) in enumerate(itertools.product(reg.measures.values(), choices,
                                                     [("yr",), ("yr", "mon"), ("municipality_code",)])):
        fixed = {"channel": ["video"]} if n % 3 == 0 else {"municipality_code": ["109"]} if n % 3 == 1 else None
        want = me.compiled_sql(eng, me.measure_select(m, f, by, (2025, 2026), fixed))
        assert me.measure_sql(eng, m, f, by, (2025, 2026), fixed) == want, (m.id, f, by, fixed)
        assert me.measure_sql(eng, m, f, by, (2025, 2026), fixed) == want   # the kept shape, second time
    assert len(me._SQL_SHAPES) > kept_before         # shapes were kept (KH and PH share theirs)


def test_rows_already_in_order_are_kept_and_any_others_sorted_as_sort_values_would():
    """engine._sorted skips the sort when the rows are in key order already (checked in numpy for numeric keys): on
    frames in order, out of order, with ties, NaN and text keys, it gives what sort_values + reset_index gives."""
    from metrics.engine import _sorted
    rng = np.random.default_rng(5)
    frames = []
    for n in (1, 2, 7, 40):
        yr = np.sort(rng.integers(2019, 2023, n))
        mon = rng.integers(1, 13, n)
        frames.append(pd.DataFrame({"yr": yr, "mon": mon, "value": rng.normal(size=n)}))
        frames.append(frames[-1].sort_values(["yr", "mon"], kind="stable"))         # in order, index shuffled
        frames.append(frames[-1].assign(mon=frames[-1].mon.astype(float)))          # float keys
    frames.append(pd.DataFrame({"yr": [2020, 2020, 2021], "mon": [1.0, np.nan, 2.0], "value": [1.0, 2, 3]}))
    frames.append(pd.DataFrame({"yr": [2020, 2020, 2021], "area": ["b", "a", "a"], "value": [1.0, 2, 3]}))
    frames.append(pd.DataFrame({"yr": [2021, 2020], "mon": [1, 5], "value": [1.0, 2]}))
    in_order = 0
    for frame in frames:
        for keys in (["yr"], ["yr", "mon"] if "mon" in frame else ["yr", "area"]):
            want = frame.sort_values(keys, kind="stable").reset_index(drop=True)
            got = _sorted(frame, keys)
            pd.testing.assert_frame_equal(got, want)
            in_order += frame[keys].equals(want[keys].set_axis(frame.index))
    assert in_order > 5                     # the fast path was taken on some of them

"""metrics/compare.py: area tables on a tiny warehouse worked out by hand (crude and age-standardised rates,
suppression in every view), against the engine on the demo warehouse, and the same on DuckDB and PostgreSQL."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_sources import demo
from data_sources.engine import make_engine
from metrics import compare, intervals
from metrics.engine import Filters, kpi_values
from metrics.registry import load_registry


JAN = dt.date(2024, 1, 1)
MUNIS = pd.DataFrame({"municipality_code": ["179", "435", "182", "992", "109"],
                      "name_fi": ["Jyväskylä", "Luhanka", "Jämsä", "Äänekoski", "Hämeenlinna"],
                      "name_sv": ["Jyväskylä", "Luhanka", "Jämsä", "Äänekoski", "Tavastehus"],
                      "county_code": ["KS", "KS", "KS", "KS", "KH"],
                      "county_fi": ["Keski-Suomi"] * 4 + ["Kanta-Häme"],
                      "county_en": ["Central Finland"] * 4 + ["Kanta-Häme"]})
# Every municipality has the same age-specific rates (5 % of 18-64 and 15 % of 75+ residents had a contact in
# January) but a different age structure: crude rates differ, age-standardised ones do not. 992 has 3 contacts
# (hidden) and 182 the fewest of the rest of KS (hidden with it, so that KS less the others does not reveal 3).
POP = [("179", "18-64", 8000), ("179", "75+", 2000), ("435", "18-64", 300), ("435", "75+", 700),
       ("182", "18-64", 200), ("182", "75+", 100), ("992", "18-64", 500), ("992", "75+", 100),
       ("109", "18-64", 4000), ("109", "75+", 1000)]
CONTACTS = [("179", "18-64", 400), ("179", "75+", 300), ("435", "18-64", 15), ("435", "75+", 105),
            ("182", "18-64", 10), ("182", "75+", 15), ("992", "18-64", 3), ("109", "18-64", 200),
            ("109", "75+", 150)]
JAN_2024 = Filters(year=2024, months=(1, 1))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("cmp") / "tiny.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    contacts = pd.DataFrame([(JAN, 1, m, "primary_care", "in_person", "doctor", g, n, n) for m, g, n in CONTACTS],
                            columns=["month", "service_point_id", "municipality_code", "service_area", "channel",
                                     "profession", "age_group", "contacts", "clients"])
    demo.write_warehouse(engine, {
        "dim_municipality": MUNIS,
        "dim_service_area": pd.DataFrame({"service_area": ["primary_care"], "name_fi": ["Vo"], "name_en": ["Pc"]}),
        "fact_population": pd.DataFrame(POP, columns=["municipality_code", "age_group", "population"]).assign(yr=2024),
        "fact_contacts": contacts,
    })
    yield engine
    engine.dispose()


def row(table, code, col="value"):
    return table.set_index("code").loc[code, col]


def test_crude_and_standardised_rates_by_hand(tiny):
    reg = load_registry()
    k = reg["contacts_per_1000"]
    table = compare.area_table(tiny, k, JAN_2024, reg, (2024,), standard="esp2013")
    # crude, annualised from one month: 700 / 10 000 * 1 000 * 12 = 840; 120 / 1 000 * 12 000 = 1 440
    assert row(table, "179") == pytest.approx(840.0)
    assert row(table, "435") == pytest.approx(1440.0)
    assert row(table, "109") == pytest.approx(840.0)
    # the counties are the sums of their municipalities: KS (700 + 120 + 25 + 3) / 11 900 * 12 000
    assert row(table, "KS") == pytest.approx(848 / 11900 * 12000)
    assert row(table, "ALL") == pytest.approx(1198 / 16900 * 12000)
    # ESP 2013 over the two age groups present: 18-64 61 200, 75+ 9 000;
    # DSR = 12 000 * (61 200 * 0.05 + 9 000 * 0.15) / 70 200 = 753.846...
    esp = 12000 * (61200 * 0.05 + 9000 * 0.15) / 70200
    for code in ("179", "435", "109"):
        assert row(table, code, "std_value") == pytest.approx(esp), code
        assert row(table, code, "std_lo") < esp < row(table, code, "std_hi")
    # the small old municipality's interval is the widest
    width = table.set_index("code").eval("std_hi - std_lo")
    assert width["435"] > width["109"] > width["179"]


def test_pooled_standard_gives_the_crude_rate_of_the_whole(tiny):
    reg = load_registry()
    table = compare.area_table(tiny, reg["contacts_per_1000"], JAN_2024, reg, (2024,), standard="pooled")
    assert row(table, "ALL", "std_value") == pytest.approx(row(table, "ALL"))
    # pooled population 18-64 13 000, 75+ 3 900 (992 included): 12 000 * (13 000 * .05 + 3 900 * .15) / 16 900
    pooled = 12000 * (13000 * 0.05 + 3900 * 0.15) / 16900
    assert row(table, "109", "std_value") == pytest.approx(pooled)


def test_crude_interval_is_the_exact_poisson_interval(tiny):
    reg = load_registry()
    table = compare.area_table(tiny, reg["contacts_per_1000"], JAN_2024, reg, (2024,))
    lo, hi = intervals.poisson_exact(120)
    assert row(table, "435", "lo") == pytest.approx(float(lo) / 1000 * 12000)
    assert row(table, "435", "hi") == pytest.approx(float(hi) / 1000 * 12000)
    assert "std_value" not in table


def test_suppression_in_every_view(tiny):
    reg = load_registry()
    k = reg["contacts_per_1000"]
    table = compare.area_table(tiny, k, JAN_2024, reg, (2024,), standard="esp2013")
    hidden = table[table.suppressed]
    # 992's 3 contacts are hidden, and the smallest other municipality of KS with it (else KS - 179 - 435 - 182 = 3)
    assert set(hidden.code) == {"992", "182"}
    assert hidden[["numerator", "value", "lo", "hi", "std_value", "std_lo", "std_hi"]].isna().all().all()
    assert not table.set_index("code").loc["KS", "suppressed"]
    flagged = compare.with_flags(table, k, "county")
    assert set(flagged[flagged.suppressed].flag) == {"none"}
    ranked = compare.ranked(flagged[flagged.level == compare.MUNICIPALITY])
    assert list(ranked.code[-2:]) == ["182", "992"] and ranked["rank"].iloc[-2:].isna().all()
    assert ranked["rank"].iloc[:2].tolist() == [1, 2]
    assert "992" not in set(compare.focus(flagged[flagged.level == compare.MUNICIPALITY], n=1).code)
    assert compare.outside_funnel(flagged, k, reg, 900.0)[flagged.suppressed].eq("none").all()
    ch = compare.changes(flagged.assign(yr=2024), k, 2024, 2024)
    assert ch[ch.code.isin(["992", "182"])][["now", "change"]].isna().all().all()
    spine = compare.spine_row(flagged, k, "992", 2024)
    assert spine["suppressed"] and np.isnan(spine["pos_value"])

    # the page's drawing: "<5", no interval, the privacy words; a table never shows the hidden numbers
    from ui import compare as ui_compare
    prepared = ui_compare.prepare(flagged, k, MUNIS, "fi", standardised=True)
    p = prepared.set_index("code").loc[["992", "182"]]
    assert set(p.shown) == {"<5"} and set(p.interval) == {"–"} and set(p.flag_text) == {"<5 Tietosuoja"}
    shown = ui_compare._area_table(compare.ranked(prepared[prepared.level == compare.MUNICIPALITY].assign(
        value=lambda d: d.v)), k, "fi", standardised=True)
    assert shown.iloc[-1].tolist()[:8] == ["", "Äänekoski", "<5", "<5", "–", "<5", "<5", "855"]
    assert shown.iloc[0].tolist()[1:4] == ["Hämeenlinna", "754", "840"]        # standardised, then crude (ties by code)
    assert shown.iloc[-2].tolist()[:3] == ["", "Jämsä", "<5"]


def test_flags_against_own_county_on_a_constructed_case():
    reg = load_registry()
    k = reg["care_guarantee_7d"]        # higher is better
    table = pd.DataFrame({
        "yr": 2024, "level": ["municipality"] * 4 + ["county", "county", "all"],
        "code": ["a", "b", "c", "d", "KS", "KH", "ALL"], "county_code": ["KS", "KS", "KS", "KH", "KS", "KH", None],
        "value": [80.0, 60.0, 71.0, 50.0, 70.0, 75.0, 72.0], "lo": [75.0, 55.0, 65.0, np.nan, 69.0, 74.0, 71.5],
        "hi": [85.0, 65.0, 76.0, np.nan, 71.0, 76.0, 72.5], "suppressed": [False, False, False, True, False, False,
                                                                            False]})
    f = compare.with_flags(table, k, "county").set_index("code")
    assert f.loc[["a", "b", "c", "d"], "bench"].tolist() == [70.0, 70.0, 70.0, 75.0]
    assert f.loc[["a", "b", "c", "d"], "flag"].tolist() == ["better", "worse", "same", "none"]
    assert f.loc[["KS", "KH"], "flag"].tolist() == ["worse", "better"]      # counties against the whole (72)
    assert f.loc["ALL", "flag"] == "none"
    lower = compare.with_flags(table, reg["t3_primary"], "all").set_index("code")   # lower is better
    assert lower.loc[["a", "b"], "flag"].tolist() == ["worse", "better"]
    target = compare.with_flags(table, k, "target", target=80.0).set_index("code")
    assert target.loc[["a", "b", "ALL"], "flag"].tolist() == ["same", "worse", "worse"]


def test_kinds_and_standardisability():
    reg = load_registry()
    assert compare.interval_kind(reg["care_guarantee_7d"], reg) == "proportion"
    assert compare.interval_kind(reg["continuity_coc"], reg) == "proportion"
    assert compare.interval_kind(reg["contacts_per_1000"], reg) == "rate"
    for kid in ("net_cost_per_resident", "t3_primary", "contacts_total", "ips_employment", "cost_per_contact"):
        assert compare.interval_kind(reg[kid], reg) is None, kid
    offered = {kid for kid in reg.kpis if compare.standardisable(reg[kid], reg)}
    assert offered == {"contacts_per_1000", "doctor_visits_per_1000", "dental_visits_per_1000",
                       "youth_mental_health_per_1000", "child_family_contacts_per_1000"}


# --- the demo warehouse: the same numbers as the engine, one grouped read per measure ------------------------------
@pytest.mark.parametrize("kid", ["care_guarantee_7d", "contacts_per_1000", "t3_primary", "net_cost_per_resident",
                                 "eservice_adults", "team_clients", "continuity_coc", "ips_employment"])
def test_area_table_matches_the_engine(duck, kid):
    reg = load_registry()
    f = Filters(year=2025, months=(1, 12))
    table = compare.area_table(duck, reg[kid], f, reg, (2025,))
    for level, by in ((compare.MUNICIPALITY, "municipality_code"), (compare.COUNTY, "county_code")):
        ours = table[table.level == level].set_index("code").value
        theirs = kpi_values(duck, kid, f, (by,)).set_index(by).value
        pd.testing.assert_series_equal(ours.sort_index(), theirs.reindex(ours.index).sort_index(), check_names=False,
                                       rtol=1e-9)
    whole = kpi_values(duck, kid, f, ("yr",), (2025,)).value.iloc[0]
    assert table[table.level == compare.ALL].value.iloc[0] == pytest.approx(whole, rel=1e-9)


def test_one_grouped_read_per_measure(duck, monkeypatch):
    from metrics import compare as cmp
    calls = []
    real = cmp.query_frame
    monkeypatch.setattr(cmp, "query_frame", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    reg = load_registry()
    cmp.area_table(duck, reg["contacts_per_1000"], Filters(year=2025), reg, (2019, 2025), standard="esp2013")
    assert len(calls) == 2                  # numerator and denominator, every area and both years at once


def test_scope_limits_the_read(duck):
    reg = load_registry()
    table = compare.area_table(duck, reg["care_guarantee_7d"], Filters(year=2025, scope_county="KH"), reg)
    assert set(table[table.level == compare.COUNTY].code) == {"KH"}
    assert set(table.county_code.dropna()) == {"KH"}


@pytest.mark.postgres
def test_duckdb_and_postgresql_give_the_same_tables(pg_template, duck):
    url, schema = pg_template              # the same generated data as the DuckDB demo
    pg = make_engine(url, schema=schema)
    try:
        reg = load_registry()
        f = Filters(year=2026, months=(1, 10))
        for kid, standard in (("contacts_per_1000", "esp2013"), ("youth_mental_health_per_1000", "pooled"),
                              ("care_guarantee_7d", None), ("t3_primary", None), ("team_clients", None)):
            a = compare.area_table(pg, reg[kid], f, reg, (2019, 2026), standard)
            b = compare.area_table(duck, reg[kid], f, reg, (2019, 2026), standard)
            assert a[["yr", "level", "code"]].astype(str).values.tolist() == \
                b[["yr", "level", "code"]].astype(str).values.tolist(), kid
            for col in ("numerator", "denominator", "value", "lo", "hi") + (
                    ("std_value", "std_lo", "std_hi") if standard else ()):
                np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-9,
                                           equal_nan=True, err_msg=f"{kid} {col}")
            assert a.suppressed.tolist() == b.suppressed.tolist(), kid
    finally:
        pg.dispose()


def test_funnel_limits_frame(duck):
    reg = load_registry()
    k = reg["care_guarantee_7d"]
    table = compare.area_table(duck, k, Filters(year=2025), reg)
    bench = float(table[table.level == compare.ALL].value.iloc[0])
    limits = compare.funnel(table, k, reg, bench)
    assert len(limits) == 80 and (limits.lo998 <= limits.lo95).all() and (limits.hi95 <= limits.hi998).all()
    assert ((limits.lo95 < bench) & (bench < limits.hi95)).all()
    pos = compare.outside_funnel(table, k, reg, bench)
    munis = table.level == compare.MUNICIPALITY
    assert set(pos[munis]) <= {"inside", "above95", "above99.8", "below95", "below99.8", "none"}
    assert compare.funnel(table, reg["t3_primary"], reg, 10.0).empty


def test_reference_lines_of_totals_and_their_label_sides():
    """A ranked chart's reference lines (ui.compare._refs): a rate gets its county's and all areas' lines, each
    label aligned towards the middle of the axis the municipalities and the lines span together; a total (contacts,
    persons, euros without a denominator) gets no county or all-area line: those are sums of many municipalities,
    and the axis would run to the region's total (the operational page's contacts chart squeezed every
    municipality into its first fifth, with the county labels cut off at its left edge)."""
    from ui.compare import _refs

    reg = load_registry()
    table = pd.DataFrame({"yr": 2024, "level": ["municipality"] * 3 + ["county", "all"],
                          "code": ["a", "b", "c", "KS", "ALL"], "county_code": ["KS"] * 4 + [None],
                          "value": [800.0, 20_000.0, 115_000.0, 235_000.0, 570_000.0],
                          "name": ["A", "B", "C", "Keski-Suomi", "Kaikki"]})
    municipal_range = (800.0, 115_000.0)
    rate = _refs(table, reg["care_guarantee_7d"], "fi", "KS", 2024, False, municipal_range)
    assert rate.kind.tolist()[:2] == ["county", "all"]
    # the axis runs to 570 000: the county line (235 000) is left of its middle and its label goes right
    assert rate.set_index("kind").loc["county", "align"] == "left"
    assert rate.set_index("kind").loc["all", "align"] == "right"
    total = _refs(table, reg["contacts_total"], "fi", "KS", 2024, False, municipal_range)
    assert "county" not in set(total.kind) and "all" not in set(total.kind)

"""KPIs on a tiny hand-made warehouse, checked against numbers worked out by hand; suppression holds."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_sources import demo
from data_sources.engine import make_engine
from metrics.engine import Filters, kpi_summary, kpi_values

JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
MUNIS = pd.DataFrame({"municipality_code": ["179", "435", "109"], "name_fi": ["Jyväskylä", "Luhanka", "Hämeenlinna"],
                      "name_sv": ["Jyväskylä", "Luhanka", "Tavastehus"], "county_code": ["KS", "KS", "KH"],
                      "county_fi": ["Keski-Suomi", "Keski-Suomi", "Kanta-Häme"],
                      "county_en": ["Central Finland", "Central Finland", "Kanta-Häme"]})


def contacts_rows():
    rows = [
        # month, sp, muni, area, channel, profession, age, contacts, clients
        (JAN, 1, "179", "primary_care", "in_person", "doctor", "18-64", 600, 400),
        (JAN, 1, "179", "primary_care", "phone", "nurse", "18-64", 300, 250),
        (JAN, 1, "179", "primary_care", "video", "doctor", "75+", 100, 90),
        (FEB, 1, "179", "primary_care", "in_person", "doctor", "18-64", 500, 350),
        (FEB, 1, "179", "primary_care", "chat", "nurse", "13-17", 500, 300),
        (JAN, 2, "435", "primary_care", "in_person", "doctor", "75+", 3, 2),      # small: must be hidden
        (JAN, 2, "435", "primary_care", "phone", "nurse", "75+", 40, 30),
        (JAN, 3, "109", "primary_care", "in_person", "doctor", "18-64", 200, 150),
        (JAN, 3, "109", "dental", "in_person", "dentist", "7-12", 50, 45),
    ]
    return pd.DataFrame(rows, columns=["month", "service_point_id", "municipality_code", "service_area", "channel",
                                       "profession", "age_group", "contacts", "clients"])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    pop = pd.DataFrame({"yr": 2024, "municipality_code": ["179", "179", "435", "109"],
                        "age_group": ["18-64", "75+", "75+", "18-64"], "population": [9000, 1000, 200, 4000]})
    frames = {
        "dim_municipality": MUNIS,
        "dim_service_area": pd.DataFrame({"service_area": ["primary_care", "dental"], "name_fi": ["Vo", "Suu"],
                                          "name_en": ["Pc", "Dental"]}),
        "dim_service_class": pd.DataFrame({"service_class": ["PL101", "PL201"], "name_fi": ["a", "b"],
                                           "name_en": ["a", "b"], "service_area": ["primary_care", "dental"]}),
        "fact_population": pop,
        "fact_contacts": contacts_rows(),
        "fact_care_guarantee": pd.DataFrame({
            "month": [JAN, FEB, JAN], "municipality_code": ["179", "179", "109"], "service_area": "primary_care",
            "visits_total": [100, 300, 50], "visits_within_7d": [70, 240, 20], "visits_within_14d": [90, 280, 40],
            "visits_within_90d": [100, 300, 50]}),
        "fact_t3": pd.DataFrame({"month": [JAN, JAN, FEB], "service_point_id": [1, 3, 1],
                                 "municipality_code": ["179", "109", "179"], "service_area": "primary_care",
                                 "t3_days": [10.0, 20.0, 6.0]}),
        "fact_team_clients": pd.DataFrame({
            "month": [JAN, FEB, JAN], "municipality_code": ["179", "179", "109"], "team_clients": [100, 140, 30],
            "multi_service_clients": [10, 12, 3], "coc_pairs_same": [40, 50, 10], "coc_pairs_total": [100, 100, 20]}),
        "fact_costs": pd.DataFrame({
            "month": [JAN, FEB, JAN, JAN], "municipality_code": ["179", "179", "109", "109"],
            "service_class": ["PL101", "PL101", "PL101", "PL201"], "cost_account": "4000",
            "budget_eur": [100000.0, 100000.0, 30000.0, 5000.0], "actual_eur": [110000.55, 95000.45, 40000.0, 6000.0]}),
    }
    demo.write_warehouse(engine, frames)
    yield engine
    engine.dispose()


KS_JAN_FEB = Filters(year=2024, months=(1, 2), county="KS")
ALL_JAN = Filters(year=2024, months=(1, 1))


def value(engine, kpi, f, by=("yr",)):
    return kpi_values(engine, kpi, f, by, (2024,)).value.iloc[0]


def test_care_guarantee_by_hand(tiny):
    assert value(tiny, "care_guarantee_7d", KS_JAN_FEB) == pytest.approx(100 * (70 + 240) / (100 + 300))
    assert value(tiny, "care_guarantee_14d", ALL_JAN) == pytest.approx(100 * (90 + 40) / (100 + 50))


def test_remote_share_by_hand(tiny):
    # KS, Jan-Feb, sote-centre areas: remote = 300 + 100 + 500 + 40 = 940 of 600+300+100+500+500+3+40 = 2043
    assert value(tiny, "remote_share", KS_JAN_FEB) == pytest.approx(100 * 940 / 2043)


def test_per_1000_is_annualised_by_hand(tiny):
    # all areas, Jan only: contacts 2093 + 200 + 50 ... KS+KH = 600+300+100+3+40+200+50 = 1293; pop 14 200
    assert value(tiny, "contacts_per_1000", ALL_JAN) == pytest.approx(1293 / 14200 * 1000 * 12)


def test_each_area_is_annualised_by_the_periods_months(tiny):
    # Jan-Feb: Luhanka and Hämeenlinna have contacts in January only. Their rates are annualised by the period's
    # two months (the most any area has), not by their own one month, which would double them.
    f = Filters(year=2024, months=(1, 2))
    rows = kpi_values(tiny, "contacts_per_1000", f, ("municipality_code",), (2024,)).set_index("municipality_code")
    assert rows.loc["435", "value"] == pytest.approx((3 + 40) / 200 * 1000 * 12 / 2)
    assert rows.loc["109", "value"] == pytest.approx((200 + 50) / 4000 * 1000 * 12 / 2)
    assert rows.loc["179", "value"] == pytest.approx((600 + 300 + 100 + 500 + 500) / 10000 * 1000 * 12 / 2)
    by_month = kpi_values(tiny, "contacts_per_1000", f, ("yr", "mon", "municipality_code"), (2024,))
    feb = by_month[by_month.mon == 2]
    assert list(feb.municipality_code) == ["179"]     # a month's rate is that month's, annualised by one month
    assert feb.value.iloc[0] == pytest.approx(1000 / 10000 * 1000 * 12)



@pytest.mark.parametrize("chosen", [Filters(year=2024, months=(1, 2), municipalities=("109",)),
                                    Filters(year=2024, months=(1, 2), county="KH"),
                                    Filters(year=2024, months=(1, 2), county="KS", municipalities=("435",))])
def test_a_chosen_area_is_annualised_by_the_regions_months(tiny, chosen):
    # Hämeenlinna (all of Kanta-Häme) and Luhanka have contacts in January only: chosen on their own, they are
    # annualised by the two months the region had data in, as in the breakdown of every municipality, not by their
    # own one month (which doubled the rate on a KPI card against the same municipality's bar in a chart)
    code = chosen.municipalities[0] if chosen.municipalities else "109"
    by_area = kpi_values(tiny, "contacts_per_1000", Filters(year=2024, months=(1, 2)), ("municipality_code",),
                         (2024,)).set_index("municipality_code")
    alone = kpi_values(tiny, "contacts_per_1000", chosen, ("yr",), (2024,))
    assert alone["value"].iloc[0] == pytest.approx(by_area.loc[code, "value"])
    assert kpi_summary(tiny, "contacts_per_1000", chosen).value == pytest.approx(by_area.loc[code, "value"])
    people, contacts = (200, 43) if code == "435" else (4000, 250)
    assert alone["value"].iloc[0] == pytest.approx(contacts / people * 1000 * 12 / 2)
    # the month series of the chosen area: each month's own rate, annualised by one month
    by_month = kpi_values(tiny, "contacts_per_1000", chosen, ("yr", "mon"), (2024,))
    assert list(by_month.mon) == [1]
    assert by_month.value.iloc[0] == pytest.approx(contacts / people * 1000 * 12)

def test_cost_per_contact_to_the_cent(tiny):
    # KH, Jan: (40 000 + 6 000) € / (200 + 50) contacts = 184.00 €
    f = Filters(year=2024, months=(1, 1), county="KH")
    assert value(tiny, "cost_per_contact", f) == pytest.approx(184.00, abs=0.005)
    # KS, Jan-Feb net cost total to the cent
    assert value(tiny, "net_cost_total", KS_JAN_FEB) == pytest.approx(205001.00, abs=0.005)


def test_a_key_only_the_denominator_has_is_summed_over(tiny):
    # costs have no channel: cost per contact "by channel" is KS Jan-Feb costs over all KS contacts, one row,
    # never the costs over one channel's contacts (which one depended on the warehouse's row order)
    df = kpi_values(tiny, "cost_per_contact", KS_JAN_FEB, ("channel",), (2024,))
    assert len(df) == 1
    assert df.denominator.iloc[0] == 600 + 300 + 100 + 500 + 500 + 3 + 40
    assert df.value.iloc[0] == pytest.approx((110000.55 + 95000.45) / 2043, abs=0.005)


def test_stock_measure_is_a_monthly_mean(tiny):
    assert value(tiny, "team_clients", KS_JAN_FEB) == pytest.approx((100 + 140) / 2)


def test_t3_is_a_plain_mean_over_points_and_months(tiny):
    assert value(tiny, "t3_primary", Filters(year=2024, months=(1, 2))) == pytest.approx((10 + 20 + 6) / 3)


def test_service_area_and_age_filters(tiny):
    f = Filters(year=2024, months=(1, 1), service_areas=("dental",))
    assert value(tiny, "contacts_total", f) == 50
    f = Filters(year=2024, months=(1, 2), age_groups=("75+",))
    assert value(tiny, "contacts_total", f) == 100 + 3 + 40
    # a fixed KPI filter narrows the user's choice, never widens it
    f = Filters(year=2024, months=(1, 1), service_areas=("dental",))
    assert kpi_values(tiny, "care_guarantee_7d", f, ("yr",), (2024,)).empty


def test_summary_changes_are_none_without_history(tiny):
    s = kpi_summary(tiny, "contacts_total", KS_JAN_FEB)
    assert s.value == 600 + 300 + 100 + 500 + 500 + 3 + 40
    assert np.isnan(s.previous) and np.isnan(s.change_yoy)


def test_small_cell_cannot_be_recovered_from_the_total(tiny):
    """Luhanka's 3 in-person contacts are hidden, and so is a second cell, so total − visible ≠ the cell."""
    f = Filters(year=2024, months=(1, 1), county="KS")
    total = value(tiny, "contacts_total", f)
    by_channel = kpi_values(tiny, "contacts_total", f, ("municipality_code", "channel"), (2024,))
    hidden = by_channel[by_channel.suppressed]
    assert len(hidden) >= 2
    assert by_channel.value.isna().sum() == len(hidden)
    residual = total - by_channel.value.sum()
    assert residual != 3 and residual > 4


def test_small_counts_hide_derived_rates(tiny):
    f = Filters(year=2024, months=(1, 1), municipalities=("435",))
    by_channel = kpi_values(tiny, "contacts_total", f, ("channel",), (2024,))
    assert by_channel.set_index("channel").suppressed.to_dict() == {"in_person": True, "phone": True}
    assert by_channel.value.isna().all()

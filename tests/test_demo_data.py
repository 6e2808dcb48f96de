"""The demo generator: deterministic, sized by --scale, plausible (no negatives, covid dip, seasonality)."""
import hashlib

import pandas as pd
import pytest

from data_sources import demo, reference


@pytest.fixture(scope="module")
def frames():
    return demo.generate(scale=0.3, latest="2026-10")


def _digest(frames):
    h = hashlib.sha256()
    for name in sorted(frames):
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(frames[name], index=False).to_numpy().tobytes())
    return h.hexdigest()


def test_same_seed_same_data(frames):
    assert _digest(frames) == _digest(demo.generate(scale=0.3, latest="2026-10"))


def test_other_seed_other_data(frames):
    assert _digest(frames) != _digest(demo.generate(scale=0.3, latest="2026-10", seed=1))


def test_all_municipalities_and_months(frames):
    munis = reference.municipalities()
    assert len(munis) == 43
    assert set(frames["fact_population"].municipality_code) == set(munis.code)
    months = pd.to_datetime(frames["fact_care_guarantee"].month)
    assert months.min() == pd.Timestamp("2019-01-01") and months.max() == pd.Timestamp("2026-10-01")
    assert months.nunique() == 94


def test_row_counts_grow_with_scale(frames):
    small = demo.generate(scale=1.0, latest="2020-12")
    big = demo.generate(scale=3.0, latest="2020-12")
    ratio = len(big["fact_contacts"]) / len(small["fact_contacts"])
    assert 2.0 < ratio < 3.5
    # per-capita levels do not depend on scale
    assert big["fact_contacts"].contacts.sum() == pytest.approx(small["fact_contacts"].contacts.sum(), rel=0.02)


@pytest.mark.parametrize("table,cols", [
    ("fact_contacts", ["contacts", "clients"]),
    ("fact_care_guarantee", ["visits_total", "visits_within_7d", "visits_within_14d", "visits_within_90d"]),
    ("fact_phone", ["calls", "answered", "callbacks", "callback_delay_days_sum"]),
    ("fact_population", ["population"]),
    ("fact_eservice", ["users"]),
    ("fact_team_clients", ["team_clients", "multi_service_clients", "coc_pairs_same", "coc_pairs_total"]),
    ("fact_t3", ["t3_days"]),
])
def test_no_negative_counts(frames, table, cols):
    assert (frames[table][cols] >= 0).all().all()


def test_numerators_do_not_exceed_denominators(frames):
    cg = frames["fact_care_guarantee"]
    assert (cg.visits_within_7d <= cg.visits_within_14d).all()
    assert (cg.visits_within_14d <= cg.visits_total).all()
    assert (cg.visits_within_90d <= cg.visits_total).all()
    ph = frames["fact_phone"]
    assert (ph.answered + ph.callbacks <= ph.calls).all()
    c = frames["fact_contacts"]
    assert (c.clients <= c.contacts).all()
    assert (frames["fact_eservice"].users.to_numpy() <= frames["fact_population"].population.to_numpy()).all()


def _monthly(frames):
    c = frames["fact_contacts"]
    return c.groupby(pd.to_datetime(c.month)).contacts.sum()


def test_covid_dip_and_recovery(frames):
    m = _monthly(frames)
    assert m[pd.Timestamp("2020-04-01")] < 0.75 * m[pd.Timestamp("2019-04-01")]
    assert m[pd.Timestamp("2023-04-01")] > 0.95 * m[pd.Timestamp("2019-04-01")]


def test_summer_and_christmas_seasonality(frames):
    m = _monthly(frames)
    for y in (2019, 2023, 2024):
        assert m[pd.Timestamp(f"{y}-07-01")] < 0.8 * m[pd.Timestamp(f"{y}-05-01")]
        assert m[pd.Timestamp(f"{y}-12-01")] < 0.9 * m[pd.Timestamp(f"{y}-11-01")]


def test_small_municipalities_make_small_counts(frames):
    c = frames["fact_contacts"]
    luhanka = c[c.municipality_code == "435"]
    assert ((luhanka.contacts >= 1) & (luhanka.contacts <= 4)).mean() > 0.3


def test_per_capita_levels_differ_by_municipality(frames):
    c = frames["fact_contacts"]
    p = frames["fact_population"]
    per_cap = (c[c.month.astype(str).str.startswith("2024")].groupby("municipality_code").contacts.sum()
               / p[p.yr == 2024].groupby("municipality_code").population.sum())
    assert per_cap.max() / per_cap.min() > 1.15

"""Deterministic demo warehouse for the three counties: realistic levels, covid dip, seasonality.

    python -m data_sources.demo [--scale 1] [--url duckdb:///data/warehouse.duckdb] [--if-missing]

`--scale` multiplies the number of service points, so fact rows grow with it while per-capita
levels stay the same (scale 10 gives over 10 million fact rows for benchmarks).
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import child_budget, migrations, reference, rollups, schema, version
from .dialects import spec_for
from .engine import make_engine
from .settings import get_settings

SEED = 20230401
AGE = list(schema.AGE_GROUPS)
CH = list(schema.CHANNELS)

# Share of residents by age group: an average municipality, a small rural one, a city.
AGE_SHARE_AVG = np.array([6.2, 6.6, 5.6, 58.5, 12.6, 10.5]) / 100
AGE_SHARE_SMALL = np.array([4.5, 5.5, 5.0, 50.0, 17.0, 18.0]) / 100
AGE_SHARE_CITY = np.array([6.5, 6.4, 5.3, 62.3, 10.4, 9.1]) / 100

# Relative use of each service area by age group (normalised below to the average age structure).
AGE_USE = {
    "primary_care": [0.8, 0.5, 0.6, 0.85, 1.4, 2.0],
    "dental": [0.9, 1.3, 1.2, 0.9, 1.1, 0.9],
    "mental_substance": [0.05, 0.3, 1.3, 1.3, 0.6, 0.4],
    "child_family": [6.0, 4.0, 3.5, 0.35, 0.0, 0.0],
    "social_work": [0.2, 0.2, 0.4, 1.3, 0.8, 0.6],
    "elderly_care": [0.0, 0.0, 0.0, 0.05, 1.2, 8.0],
    "specialist": [0.6, 0.5, 0.6, 0.8, 1.6, 2.2],
}
PROFESSIONS = {
    "primary_care": [("doctor", 0.45), ("nurse", 0.55)],
    "dental": [("dentist", 0.6), ("dental_hygienist", 0.4)],
    "mental_substance": [("psychiatric_nurse", 0.6), ("psychologist", 0.4)],
    "child_family": [("public_health_nurse", 0.7), ("social_worker", 0.3)],
    "social_work": [("social_worker", 0.65), ("social_counsellor", 0.35)],
    "elderly_care": [("practical_nurse", 0.75), ("nurse", 0.25)],
    "specialist": [("doctor", 0.6), ("nurse", 0.4)],
}
REMOTE_BASE = {"primary_care": 0.27, "dental": 0.07, "mental_substance": 0.30, "child_family": 0.16,
               "social_work": 0.35, "elderly_care": 0.04, "specialist": 0.13}
VISITS_PER_CLIENT = {"primary_care": 1.4, "dental": 1.6, "mental_substance": 2.4, "child_family": 1.8,
                     "social_work": 2.0, "elderly_care": 6.0, "specialist": 1.7}
SEASON = np.array([1.02, 1.03, 1.06, 0.99, 1.02, 0.89, 0.68, 0.96, 1.07, 1.08, 1.07, 0.87])
SEASON = SEASON / SEASON.mean()
COUNTY_ACCESS = {"KS": 0.0, "KH": 0.03, "PH": -0.025}


def _interp(months: pd.DatetimeIndex, points: dict[str, float]) -> np.ndarray:
    """Piecewise-linear path through dated points ('2019-01': value), flat beyond the ends."""
    xs = np.array([int(k[:4]) * 12 + int(k[5:7]) - 1 for k in points], dtype=float)
    at = (months.year * 12 + months.month - 1).to_numpy(dtype=float)
    return np.interp(at, xs, np.array(list(points.values()), dtype=float))


def _covid(months: pd.DatetimeIndex) -> np.ndarray:
    """Volume of non-urgent care relative to normal: the spring 2020 dip, 2021 and recovery."""
    return _interp(months, {"2019-01": 1.0, "2020-02": 1.0, "2020-03": 0.86, "2020-04": 0.64,
                            "2020-05": 0.72, "2020-06": 0.86, "2020-08": 0.92, "2020-12": 0.9,
                            "2021-03": 0.88, "2021-09": 0.96, "2022-01": 0.9, "2022-03": 0.95,
                            "2022-09": 0.99, "2023-06": 1.0, "2026-12": 1.04})


def _stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per table, so that scale (more service points) changes no other table."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def month_range(latest: str | None) -> pd.DatetimeIndex:
    if not latest:
        latest = get_settings().latest_month
    if not latest:
        first_of_this = dt.date.today().replace(day=1)
        latest = (first_of_this - dt.timedelta(days=1)).strftime("%Y-%m")
    return pd.date_range("2019-01-01", f"{latest}-01", freq="MS")


def _age_shares(pop: np.ndarray) -> np.ndarray:
    """Rows: municipality; columns: age-group share. Small places are older, cities younger."""
    size = np.log10(pop)
    small = np.clip((4.2 - size) / 1.3, 0, 1)[:, None]
    city = np.clip((size - 4.3) / 0.9, 0, 1)[:, None]
    shares = AGE_SHARE_AVG + small * (AGE_SHARE_SMALL - AGE_SHARE_AVG) + city * (AGE_SHARE_CITY - AGE_SHARE_AVG)
    return shares / shares.sum(axis=1, keepdims=True)


@dataclass
class _World:
    """What every table is drawn from: regions, months, population, service points and the shared streams.
    The tables that draw from `rng` (care guarantee, phone, e-service, team clients, costs) and `rng_sp` (service
    points, then T3) must keep that order: another order gives other data for the same seed."""
    seed: int
    munis: pd.DataFrame
    areas: pd.DataFrame
    classes: pd.DataFrame
    accounts: pd.DataFrame
    months: pd.DatetimeIndex
    years: np.ndarray
    codes: np.ndarray         # municipality codes; arrays below index municipalities in this order
    p2024: np.ndarray
    shares: np.ndarray        # (municipality, age group) at 2024
    pop: np.ndarray           # (year, municipality, age group)
    year_idx: np.ndarray      # year index of each month
    pop_t: np.ndarray         # (month, municipality, age group)
    pop_m: np.ndarray         # (month, municipality)
    season: np.ndarray
    covid: np.ndarray
    n_sp: np.ndarray          # service points per municipality
    sp_muni: np.ndarray       # municipality index of each service point
    sp_ids: np.ndarray
    sp_weight: np.ndarray     # a service point's share of its municipality's contacts
    muni_level: np.ndarray    # use of services, relative
    muni_access: np.ndarray   # access (care guarantee, phone), additive
    rng: np.random.Generator
    rng_sp: np.random.Generator


def _world(scale: float, latest: str | None, seed: int, counties: tuple[str, ...] | None) -> _World:
    rng = _stream(seed, "levels")
    munis = reference.municipalities()
    if counties:
        munis = munis[munis.county_code.isin(counties)].reset_index(drop=True)
    months = month_range(latest)
    years = np.arange(2019, months[-1].year + 1)
    n_m = len(munis)
    county = munis.county_code.to_numpy()
    p2024 = munis.population_2024.to_numpy(dtype=float)

    # population by year and age group
    growth = np.clip(0.004 * (np.log10(p2024) - 4.0) * 3 - 0.004, -0.014, 0.007)  # cities grow
    shares = _age_shares(p2024)
    pop = np.empty((len(years), n_m, len(AGE)))
    for i, y in enumerate(years):
        drift = np.array([0.98, 0.99, 1.0, 1.0, 1.01, 1.03]) ** (y - 2024)
        s = shares * drift
        s = s / s.sum(axis=1, keepdims=True)
        pop[i] = (p2024 * (1 + growth) ** (y - 2024))[:, None] * s
    pop = np.round(pop).astype(np.int64)
    year_idx = months.year.to_numpy() - 2019
    pop_t = pop[year_idx].astype(float)

    # service points (scale multiplies them)
    n_sp = np.maximum(1, np.round(scale * (2 + p2024 / 12000))).astype(int)
    sp_muni = np.repeat(np.arange(n_m), n_sp)
    rng_sp = _stream(seed, "service_points")
    sp_weight = rng_sp.gamma(4.0, size=len(sp_muni))
    sp_weight = sp_weight / np.bincount(sp_muni, sp_weight)[sp_muni]

    muni_level = rng.lognormal(0.0, 0.07, n_m)
    muni_access = rng.normal(0, 0.03, n_m) + np.array([COUNTY_ACCESS[c] for c in county])
    return _World(
        seed=seed, munis=munis, areas=reference.load("service_areas"), classes=reference.load("service_classes"),
        accounts=reference.load("cost_accounts").astype({"code": str}), months=months, years=years,
        codes=munis.code.to_numpy(), p2024=p2024, shares=shares, pop=pop, year_idx=year_idx,
        pop_t=pop_t, pop_m=pop_t.sum(axis=2), season=SEASON[months.month.to_numpy() - 1], covid=_covid(months),
        n_sp=n_sp, sp_muni=sp_muni, sp_ids=np.arange(1, len(sp_muni) + 1), sp_weight=sp_weight,
        muni_level=muni_level, muni_access=muni_access, rng=rng, rng_sp=rng_sp)


def _population(w: _World) -> pd.DataFrame:
    n_y, n_m = len(w.years), len(w.codes)
    return pd.DataFrame({
        "yr": np.repeat(w.years, n_m * len(AGE)),
        "municipality_code": np.tile(np.repeat(w.codes, len(AGE)), n_y),
        "age_group": np.tile(AGE, n_y * n_m),
        "population": w.pop.reshape(-1),
    })


def _service_points(w: _World) -> pd.DataFrame:
    return pd.DataFrame({
        "service_point_id": w.sp_ids, "municipality_code": w.codes[w.sp_muni],
        "name_fi": [f"{w.munis.name_fi[m]} – sote-asema {k + 1}"
                    for m, k in zip(w.sp_muni, np.concatenate([np.arange(n) for n in w.n_sp]))],
    })


def _contacts(w: _World) -> pd.DataFrame:
    months = w.months
    trend_remote = _interp(months, {"2019-01": 0.0, "2020-03": 0.0, "2020-04": 0.13, "2020-06": 0.08,
                                    "2020-12": 0.07, "2021-06": 0.05, "2022-06": 0.025,
                                    "2023-12": 0.03, "2025-12": 0.08, "2026-12": 0.09})
    remote_mix = np.stack([_interp(months, {"2019-01": v0, "2026-12": v1})
                           for v0, v1 in ((0.72, 0.52), (0.08, 0.16), (0.20, 0.32))], axis=1)
    frames = []
    rng_c = _stream(w.seed, "contacts")
    for a, area in enumerate(w.areas.code):
        use = np.array(AGE_USE[area])
        use = use / (use @ AGE_SHARE_AVG)
        rate = w.areas.annual_contacts_per_resident[a] / 12
        dip = w.covid if area != "dental" else np.minimum(w.covid, _interp(
            months, {"2020-02": 1.0, "2020-04": 0.45, "2020-07": 0.9}))
        # expected contacts (t, m, g)
        lam = w.pop_t * use[None, None, :] * rate * (w.season * dip)[:, None, None] * w.muni_level[None, :, None]
        remote = np.clip(REMOTE_BASE[area] + trend_remote * (REMOTE_BASE[area] / 0.27), 0, 0.9)
        ch_share = np.column_stack([1 - remote, remote[:, None] * remote_mix])  # (t, 4)
        prof = PROFESSIONS[area]
        prof_share = np.array([p for _, p in prof])
        # (t, sp, g, c, p)
        lam_sp = (lam[:, w.sp_muni, :] * w.sp_weight[None, :, None])[:, :, :, None, None] \
            * ch_share[:, None, None, :, None] * prof_share[None, None, None, None, :]
        counts = rng_c.poisson(lam_sp)
        idx = np.nonzero(counts)
        c = counts[idx]
        vpc = VISITS_PER_CLIENT[area] * rng_c.uniform(0.85, 1.15, size=c.shape)
        clients = np.clip(np.round(c / vpc), 1, c).astype(np.int64)
        frames.append(pd.DataFrame({
            "month": months[idx[0]].date,
            "service_point_id": w.sp_ids[idx[1]],
            "municipality_code": w.codes[w.sp_muni[idx[1]]],
            "service_area": area,
            "channel": np.array(CH)[idx[3]],
            "profession": np.array([n for n, _ in prof])[idx[4]],
            "age_group": np.array(AGE)[idx[2]],
            "contacts": c.astype(np.int64),
            "clients": clients,
        }))
    return pd.concat(frames, ignore_index=True)


def _care_guarantee(w: _World) -> pd.DataFrame:
    """Share of non-urgent visits within 7 / 14 days, dental within 3 months."""
    months, n_m, n_t, rng = w.months, len(w.codes), len(w.months), w.rng
    p7_path = {"primary_care": _interp(months, {"2019-01": 0.64, "2020-03": 0.64, "2020-06": 0.71,
                                                "2020-12": 0.68, "2021-06": 0.6, "2022-04": 0.57,
                                                "2023-06": 0.6, "2024-06": 0.66, "2025-12": 0.78,
                                                "2026-12": 0.81}),
               "dental": _interp(months, {"2019-01": 0.3, "2020-06": 0.22, "2022-06": 0.2,
                                          "2025-12": 0.31, "2026-12": 0.33})}
    p90_path = {"primary_care": np.full(n_t, 0.985),
                "dental": _interp(months, {"2019-01": 0.86, "2021-06": 0.7, "2022-12": 0.72,
                                           "2025-12": 0.85, "2026-12": 0.87})}
    frames = []
    for area, nonurgent_rate in (("primary_care", 0.11), ("dental", 0.05)):
        dip = w.covid if area != "dental" else np.minimum(w.covid, 0.9)
        lam = w.pop_m * nonurgent_rate * (w.season * dip)[:, None] * w.muni_level[None, :]
        total = rng.poisson(lam)
        p7 = np.clip(p7_path[area][:, None] + w.muni_access[None, :], 0.05, 0.97)
        w7 = rng.binomial(total, p7)
        w14 = w7 + rng.binomial(total - w7, 0.35)
        p90 = np.clip(p90_path[area][:, None] + w.muni_access[None, :] / 2, 0.3, 1.0)
        w90 = np.maximum(w14, rng.binomial(total, p90))
        frames.append(pd.DataFrame({
            "month": np.repeat(months.date, n_m), "municipality_code": np.tile(w.codes, n_t),
            "service_area": area, "visits_total": total.reshape(-1), "visits_within_7d": w7.reshape(-1),
            "visits_within_14d": w14.reshape(-1), "visits_within_90d": w90.reshape(-1)}))
    return pd.concat(frames, ignore_index=True)


def _t3(w: _World) -> pd.DataFrame:
    """T3 (days to the third free appointment) by service point."""
    months, n_t, sp_ids = w.months, len(w.months), w.sp_ids
    t3_path = _interp(months, {"2019-01": 10.0, "2020-06": 7.0, "2021-06": 15.0, "2022-06": 19.0,
                               "2023-06": 15.0, "2024-06": 12.0, "2025-06": 8.5, "2026-10": 7.0})
    frames = []
    sp_t3 = w.rng_sp.lognormal(0, 0.25, len(sp_ids))
    for area, mult in (("primary_care", 1.0), ("dental", 3.2)):
        val = t3_path[:, None] * mult * sp_t3[None, :] * w.rng_sp.gamma(20, 1 / 20, (n_t, len(sp_ids)))
        val = val * np.where(months.month.to_numpy() == 7, 1.3, 1.0)[:, None]
        frames.append(pd.DataFrame({
            "month": np.repeat(months.date, len(sp_ids)), "service_point_id": np.tile(sp_ids, n_t),
            "municipality_code": np.tile(w.codes[w.sp_muni], n_t), "service_area": area,
            "t3_days": np.round(val.reshape(-1), 1)}))
    return pd.concat(frames, ignore_index=True)


def _phone(w: _World) -> pd.DataFrame:
    months, n_m, n_t, rng = w.months, len(w.codes), len(w.months), w.rng
    phone_areas = {"primary_care": 0.55, "dental": 0.15, "mental_substance": 0.08, "child_family": 0.08,
                   "social_work": 0.06, "elderly_care": 0.08}
    phone_boost = _interp(months, {"2020-02": 1.0, "2020-04": 1.25, "2020-12": 1.15, "2022-06": 1.05,
                                   "2023-06": 1.0})
    answered_path = _interp(months, {"2019-01": 0.82, "2020-04": 0.7, "2021-06": 0.73, "2022-06": 0.69,
                                     "2024-01": 0.79, "2026-10": 0.87})
    delay_path = _interp(months, {"2019-01": 1.0, "2020-04": 1.6, "2022-06": 1.9, "2024-01": 1.0,
                                  "2025-06": 0.5, "2026-10": 0.3})
    frames = []
    for area, share in phone_areas.items():
        lam = w.pop_m * 5.6 / 12 * share * (w.season * phone_boost)[:, None] * w.muni_level[None, :]
        calls = rng.poisson(lam)
        answered = rng.binomial(calls, np.clip(answered_path[:, None] + w.muni_access[None, :] / 2, 0.3, 0.98))
        callbacks = rng.binomial(calls - answered, 0.8)
        delay = callbacks * delay_path[:, None] * rng.gamma(8, 1 / 8, calls.shape)
        frames.append(pd.DataFrame({
            "month": np.repeat(months.date, n_m), "municipality_code": np.tile(w.codes, n_t),
            "service_area": area, "calls": calls.reshape(-1), "answered": answered.reshape(-1),
            "callbacks": callbacks.reshape(-1), "callback_delay_days_sum": np.round(delay.reshape(-1), 2)}))
    return pd.concat(frames, ignore_index=True)


def _eservice(w: _World, population: pd.DataFrame) -> pd.DataFrame:
    """E-service users by year and age group (annual unique users, year to date for the last)."""
    eserv_path = np.interp(w.years, [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2030],
                           [0.16, 0.191, 0.23, 0.25, 0.27, 0.30, 0.33, 0.345, 0.40])
    age_factor = np.array([0.05, 0.1, 0.5, 1.15, 0.9, 0.45])
    city_factor = 1 + 0.1 * np.clip((np.log10(w.p2024) - 4.0), -1, 1)
    p = np.clip(eserv_path[:, None, None] * age_factor[None, None, :] * city_factor[None, :, None], 0, 0.95)
    users = w.rng.binomial(w.pop, p)
    return population[["yr", "municipality_code", "age_group"]].assign(users=users.reshape(-1))


def _team_clients(w: _World) -> pd.DataFrame:
    """Team clients, multi-service clients and continuity of care."""
    months, n_m, n_t, rng, pop_m, season = w.months, len(w.codes), len(w.months), w.rng, w.pop_m, w.season
    team_path = _interp(months, {"2019-01": 0.0012, "2022-01": 0.0015, "2023-01": 0.003, "2026-10": 0.0062})
    coc_path = _interp(months, {"2019-01": 0.42, "2020-06": 0.40, "2021-12": 0.37, "2023-06": 0.41,
                                "2026-10": 0.50})
    team = rng.poisson(pop_m * team_path[:, None])
    multi = rng.poisson(pop_m * 0.0045 * season[:, None])
    pairs = rng.poisson(pop_m * 0.02 * season[:, None])
    same = rng.binomial(pairs, np.clip(coc_path[:, None] + rng.normal(0, 0.04, n_m)[None, :], 0.05, 0.95))
    return pd.DataFrame({
        "month": np.repeat(months.date, n_m), "municipality_code": np.tile(w.codes, n_t),
        "team_clients": team.reshape(-1), "multi_service_clients": multi.reshape(-1),
        "coc_pairs_same": same.reshape(-1), "coc_pairs_total": pairs.reshape(-1)})


def _costs(w: _World) -> pd.DataFrame:
    """Net costs by month × municipality × service class × account, budget and actual."""
    months, n_m, n_t, rng, codes = w.months, len(w.codes), len(w.months), w.rng, w.codes
    price = _interp(months, {"2019-01": 1.0, "2022-01": 1.05, "2023-01": 1.12, "2024-01": 1.16,
                             "2026-12": 1.22})
    cost_season = np.where(months.month.to_numpy() == 12, 1.12, np.where(months.month.to_numpy() == 7, 0.9, 1.0))
    cost_season = cost_season / 1.0016
    age_mix = w.shares  # (m, g) at 2024; structure effect on cost
    frames = []
    acc_codes = w.accounts.code.to_numpy()
    acc_share = w.accounts.share_of_net.to_numpy()
    for a, area in enumerate(w.areas.code):
        use = np.array(AGE_USE[area])
        use = use / (use @ AGE_SHARE_AVG)
        structure = age_mix @ use  # (m,)
        annual = w.pop_m * 5900 * w.areas.net_cost_share[a] * structure[None, :] * price[:, None]
        monthly = annual / 12 * cost_season[:, None] * w.muni_level[None, :] ** 0.5
        for _, cls in w.classes[w.classes.service_area == area].iterrows():
            base = monthly * cls.share_of_area  # (t, m)
            budget_bias = rng.normal(-0.01, 0.02, (len(w.years), n_m))[w.year_idx]
            actual = base[:, :, None] * acc_share[None, None, :] * rng.normal(1, 0.04, (n_t, n_m, len(acc_codes)))
            budget = (base * (1 + budget_bias) / cost_season[:, None])[:, :, None] * acc_share[None, None, :]
            frames.append(pd.DataFrame({
                "month": np.repeat(months.date, n_m * len(acc_codes)),
                "municipality_code": np.tile(np.repeat(codes, len(acc_codes)), n_t),
                "service_class": cls.code, "cost_account": np.tile(acc_codes, n_t * n_m),
                "budget_eur": np.round(budget.reshape(-1), 2), "actual_eur": np.round(actual.reshape(-1), 2)}))
    return pd.concat(frames, ignore_index=True)


def _kpi_series(w: _World) -> pd.DataFrame:
    """Indicators computed elsewhere, as analysts upload them (ready monthly series per municipality)."""
    months, n_m, n_t, codes = w.months, len(w.codes), len(w.months), w.codes
    srng = _stream(w.seed, "kpi_series")
    t_years = (months.year.to_numpy() - 2021) + (months.month.to_numpy() - 1) / 12
    big = np.flatnonzero(w.p2024 >= 10_000)         # IPS coaching runs in the larger municipalities, from 2021
    ips = np.clip(22 + 3.2 * t_years[:, None] + srng.normal(0, 4, (n_t, len(big))), 5, 60)
    ips_ok = (t_years >= 0)[:, None] & np.ones(len(big), bool)
    start = srng.uniform(2023.0, 2025.5, n_m)      # digital sote centre: each municipality's roll-out
    year_frac = months.year.to_numpy() + (months.month.to_numpy() - 1) / 12
    coverage = np.clip((year_frac[:, None] - start[None, :]) / 0.75, 0, 1) * 100
    cov_ok = year_frac[:, None] >= 2023.0
    return pd.concat([
        pd.DataFrame({"kpi_id": "ips_employment", "month": np.repeat(months.date, len(big))[ips_ok.reshape(-1)],
                      "municipality_code": np.tile(codes[big], n_t)[ips_ok.reshape(-1)],
                      "value": np.round(ips.reshape(-1)[ips_ok.reshape(-1)], 1)}),
        pd.DataFrame({"kpi_id": "digital_centre_coverage",
                      "month": np.repeat(months.date, n_m)[np.repeat(cov_ok[:, 0], n_m)],
                      "municipality_code": np.tile(codes, n_t)[np.repeat(cov_ok[:, 0], n_m)],
                      "value": np.round(coverage.reshape(-1)[np.repeat(cov_ok[:, 0], n_m)], 1)}),
    ], ignore_index=True)


def generate(scale: float = 1.0, latest: str | None = None, seed: int = SEED,
             counties: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Every warehouse table as a DataFrame; same arguments, same data. The tables are made in the order of
    this dict, which is the order they draw from the shared streams (see _World)."""
    w = _world(scale, latest, seed, counties)
    population = _population(w)
    return {
        "dim_municipality": w.munis.rename(columns={"code": "municipality_code"})[
            ["municipality_code", "name_fi", "name_sv", "county_code", "county_fi", "county_en"]],
        "dim_service_area": w.areas.rename(columns={"code": "service_area"})[["service_area", "name_fi", "name_en"]],
        "dim_service_class": w.classes.rename(columns={"code": "service_class"})[
            ["service_class", "name_fi", "name_en", "service_area"]],
        "dim_cost_account": w.accounts.rename(columns={"code": "cost_account"})[
            ["cost_account", "name_fi", "name_en"]],
        "dim_service_point": _service_points(w),
        "fact_population": population,
        "fact_contacts": _contacts(w),
        "fact_care_guarantee": _care_guarantee(w),
        "fact_t3": _t3(w),
        "fact_phone": _phone(w),
        "fact_eservice": _eservice(w, population),
        "fact_team_clients": _team_clients(w),
        "fact_costs": _costs(w),
        "fact_kpi_series": _kpi_series(w),
        "ref_service_deficit": reference.load("service_deficit"),
        **child_budget.seed_frames(),  # child budgeting: the default classification as version 1
    }


def write_warehouse(engine: sa.Engine, frames: dict[str, pd.DataFrame], reason: str = "demo build") -> None:
    """Bring the schema up to date (data_sources.migrations), replace every given table's rows in one transaction
    (the id sequences then continue after the ids the frames carry), then record a new data version."""
    migrations.upgrade(engine)
    spec = spec_for(engine)
    with engine.begin() as conn:
        for name, df in frames.items():
            table = schema.metadata.tables[name]
            conn.execute(table.delete())
            spec.bulk_insert(conn, table, df)
        migrations.sync_sequences(conn)
        rollups.refresh(conn, list(frames), analyze=True)    # the monthly rollups of the facts just written
    bump_version(engine, reason)


def bump_version(engine: sa.Engine, reason: str) -> int:
    """Kept for callers of the demo module; the version logic lives in data_sources.version."""
    with engine.begin() as conn:
        return version.bump(conn, reason)


def warehouse_exists(engine: sa.Engine) -> bool:
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.select(sa.func.count()).select_from(schema.fact_contacts)).scalar())
    except sa.exc.DBAPIError:
        return False


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--url", default=None, help="warehouse URL (default: DASHBOARD_DB_URL)")
    ap.add_argument("--latest", default=None, help="last full month YYYY-MM (default: last month)")
    ap.add_argument("--if-missing", action="store_true", help="do nothing when the warehouse has data")
    args = ap.parse_args(argv)
    engine = make_engine(args.url, query_timeout=0)
    if args.if_missing and warehouse_exists(engine):
        print(f"warehouse already built: {engine.url}")
        return
    t0 = time.perf_counter()
    frames = generate(args.scale, args.latest)
    t1 = time.perf_counter()
    write_warehouse(engine, frames)
    t2 = time.perf_counter()
    facts = sum(len(df) for n, df in frames.items() if n.startswith("fact_"))
    print(f"demo warehouse {engine.url}: {facts:,} fact rows "
          f"({', '.join(f'{n}={len(df):,}' for n, df in frames.items() if n.startswith('fact_'))}); "
          f"generated in {t1 - t0:.1f} s, written in {t2 - t1:.1f} s")
    engine.dispose()


if __name__ == "__main__":
    main()

"""Child budgeting (lapsibudjetointi) computed in the warehouse: child spending = direct + Σ partial × key.

Every cost line (year × municipality × service class × account) gets its rule from child_budget_class
(an account-specific rule wins over the class-wide "*" rule, an unclassified line counts as not
targeted) and its allocation key from the same municipality and year. Shares are exact DECIMALs, so
DuckDB and PostgreSQL give the same cents; only the few aggregated rows come back to pandas.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_sources import schema
from data_sources.child_budget import ALL_ACCOUNTS
from data_sources.schema import CHILD_AGE_GROUPS, view

from . import privacy
from .engine import BASE_YEAR, Filters, filter_where, query_frame, summed_source

SENSITIVITY = 0.2            # relative uncertainty of the allocation keys: the band is key × (1 ± 0.2)
SHARE = sa.Numeric(18, 12)   # exact decimal shares: same result on both warehouses
MONEY = ("actual_eur", "budget_eur", "child_actual", "child_budget", "child_low", "child_high",
         "direct_child", "partial_child", "partial_total", "not_targeted_total", "direct_total",
         "preventive_child", "corrective_child", "other_child", "preventive_budget")
NUMERIC = ("child_key", "population_key", "client_key", "visit_key", "child_population", "population",
           "child_clients", "clients", "child_visits", "visits", "n_months")
FLOATS = MONEY + NUMERIC     # float64 whichever warehouse answered (query_frame)


def _every_age(filters: Filters) -> Filters:
    """The filters without their age groups: children (0-17) are counted against everyone, so a chosen age
    group must not narrow the keys or the head counts."""
    return replace(filters, age_groups=())


def _ratio(num, den):
    """num / den as an exact decimal share; NULL when the denominator is 0."""
    return sa.cast(sa.cast(num, sa.Double) / sa.func.nullif(sa.cast(den, sa.Double), 0), SHARE)


def _child(col, c):
    return sa.func.sum(sa.case((c.age_group.in_(CHILD_AGE_GROUPS), c[col]), else_=0))


def keys_select(filters: Filters, years: tuple[int, ...]) -> tuple[sa.Subquery, sa.Subquery]:
    """Allocation keys per municipality × year (population) and × service area (clients, visits)."""
    filters = _every_age(filters)
    pv = view("v_population")
    p = pv.c
    pop = (sa.select(p.yr, p.municipality_code, _child("population", p).label("child_population"),
                     sa.func.sum(p.population).label("population"))
           .where(*filter_where(pv, filters, years))
           .group_by(p.yr, p.municipality_code).subquery("pop_key"))
    kv = summed_source("v_contacts", {"yr", "municipality_code", "service_area", "age_group", "clients",
                                      "contacts"}, filters, years)      # a rollup of 10 M contact rows
    k = kv.c
    use = (sa.select(k.yr, k.municipality_code, k.service_area,
                     _child("clients", k).label("child_clients"), sa.func.sum(k.clients).label("clients"),
                     _child("contacts", k).label("child_visits"), sa.func.sum(k.contacts).label("visits"))
           .where(*filter_where(kv, filters, years))
           .group_by(k.yr, k.municipality_code, k.service_area).subquery("use_key"))
    return pop, use


def lines_select(filters: Filters, years: tuple[int, ...], sensitivity: float = SENSITIVITY) -> sa.Subquery:
    """One row per year × municipality × service class × account with its rule, key and child euros."""
    costs = view("v_costs")
    c = costs.c
    base = (sa.select(c.yr, c.county_code, c.municipality_code, c.service_area, c.service_class,
                      c.cost_account, sa.func.sum(c.actual_eur).label("actual_eur"),
                      sa.func.sum(c.budget_eur).label("budget_eur"),
                      sa.func.count(sa.distinct(c.month)).label("n_months"))
            .where(*filter_where(costs, filters, years))
            .group_by(c.yr, c.county_code, c.municipality_code, c.service_area, c.service_class, c.cost_account)
            .subquery("line"))
    pop, use = keys_select(filters, years)
    cls = schema.child_budget_class
    spec, gen = cls.alias("rule_account"), cls.alias("rule_class")

    def rule(col):
        return sa.case((spec.c.service_class.is_not(None), spec.c[col]), else_=gen.c[col])

    target = sa.func.coalesce(rule("target_class"), "not_targeted")
    akey = rule("allocation_key")
    pop_key = _ratio(pop.c.child_population, pop.c.population)
    client_key = sa.func.coalesce(_ratio(use.c.child_clients, use.c.clients), pop_key)
    visit_key = sa.func.coalesce(_ratio(use.c.child_visits, use.c.visits), pop_key)
    key = sa.case((akey == "population_share", pop_key), (akey == "client_share", client_key),
                  (akey == "visit_share", visit_key), (akey == "fixed", sa.cast(rule("fixed_share"), SHARE)),
                  else_=sa.cast(0, SHARE))
    one, zero = sa.cast(1, SHARE), sa.cast(0, SHARE)
    share = sa.case((target == "direct", one), (target == "partial", key), else_=zero)
    low = sa.case((target == "direct", one),
                  (target == "partial", sa.cast(key * sa.cast(1 - sensitivity, SHARE), SHARE)), else_=zero)
    high = sa.case((target == "direct", one),
                   (target == "partial", sa.func.least(sa.cast(key * sa.cast(1 + sensitivity, SHARE), SHARE), one)),
                   else_=zero)
    return (sa.select(
        base.c.yr, base.c.county_code, base.c.municipality_code, base.c.service_area, base.c.service_class,
        base.c.cost_account, base.c.actual_eur, base.c.budget_eur, base.c.n_months,
        target.label("target_class"), sa.func.coalesce(rule("prevention"), "other").label("prevention"),
        akey.label("allocation_key"), rule("key_source").label("key_source"),
        sa.case((spec.c.service_class.is_not(None), spec.c.cost_account),
                (gen.c.service_class.is_not(None), ALL_ACCOUNTS), else_=None).label("rule"),
        share.label("child_key"), (base.c.actual_eur * share).label("child_actual"),
        (base.c.budget_eur * share).label("child_budget"),
        sa.func.least(base.c.actual_eur * low, base.c.actual_eur * high).label("child_low"),
        sa.func.greatest(base.c.actual_eur * low, base.c.actual_eur * high).label("child_high"))
        .select_from(base)
        .outerjoin(spec, sa.and_(spec.c.service_class == base.c.service_class,
                                 spec.c.cost_account == base.c.cost_account))
        .outerjoin(gen, sa.and_(gen.c.service_class == base.c.service_class, gen.c.cost_account == ALL_ACCOUNTS))
        .outerjoin(pop, sa.and_(pop.c.yr == base.c.yr, pop.c.municipality_code == base.c.municipality_code))
        .outerjoin(use, sa.and_(use.c.yr == base.c.yr, use.c.municipality_code == base.c.municipality_code,
                                use.c.service_area == base.c.service_area))
        .subquery("child_line"))


def _sum_if(cond, col):
    return sa.func.sum(sa.case((cond, col), else_=0))


def totals(engine: sa.Engine, filters: Filters, by: tuple[str, ...] = ("yr",),
           years: tuple[int, ...] | None = None, sensitivity: float = SENSITIVITY) -> pd.DataFrame:
    """Child-budget figures per group (by ⊆ yr, county_code, municipality_code): euros, shares, € per child."""
    years = tuple(years) if years else (filters.year,)
    ln = lines_select(filters, years, sensitivity)
    group = [ln.c[b] for b in by]
    stmt = sa.select(
        *group, sa.func.sum(ln.c.actual_eur).label("actual_eur"), sa.func.sum(ln.c.budget_eur).label("budget_eur"),
        sa.func.sum(ln.c.child_actual).label("child_actual"), sa.func.sum(ln.c.child_budget).label("child_budget"),
        sa.func.sum(ln.c.child_low).label("child_low"), sa.func.sum(ln.c.child_high).label("child_high"),
        _sum_if(ln.c.target_class == "direct", ln.c.actual_eur).label("direct_child"),
        _sum_if(ln.c.target_class == "direct", ln.c.actual_eur).label("direct_total"),
        _sum_if(ln.c.target_class == "partial", ln.c.child_actual).label("partial_child"),
        _sum_if(ln.c.target_class == "partial", ln.c.actual_eur).label("partial_total"),
        _sum_if(ln.c.target_class == "not_targeted", ln.c.actual_eur).label("not_targeted_total"),
        _sum_if(ln.c.prevention == "preventive", ln.c.child_actual).label("preventive_child"),
        _sum_if(ln.c.prevention == "corrective", ln.c.child_actual).label("corrective_child"),
        _sum_if(ln.c.prevention == "other", ln.c.child_actual).label("other_child"),
        _sum_if(ln.c.prevention == "preventive", ln.c.child_budget).label("preventive_budget"),
        sa.func.max(ln.c.n_months).label("n_months"),
    ).group_by(*group)
    df = query_frame(engine, stmt, FLOATS)
    # children (0-17) for € per child: the same regions and years, from the population view
    pv = view("v_population")
    p = pv.c
    pgroup = [p[b] for b in by]
    pop = query_frame(engine, sa.select(*pgroup, _child("population", p).label("child_population"),
                                        sa.func.sum(p.population).label("population"))
                      .where(*filter_where(pv, _every_age(filters), years)).group_by(*pgroup), FLOATS)
    df = df.merge(pop, on=list(by), how="left") if by else df.assign(**pop.iloc[0].to_dict())
    df = df.sort_values(list(by)).reset_index(drop=True) if by else df
    return _derive(df)


def _derive(df: pd.DataFrame) -> pd.DataFrame:
    """Shares in per cent and annualised € per child from the aggregated euros (few rows)."""
    out = df.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        den = out.actual_eur.where(out.actual_eur != 0)
        out["child_share"] = out.child_actual / den * 100
        out["child_share_low"] = out.child_low / den * 100
        out["child_share_high"] = out.child_high / den * 100
        out["child_share_budget"] = out.child_budget / out.budget_eur.where(out.budget_eur != 0) * 100
        child = out.child_actual.where(out.child_actual != 0)
        out["preventive_share"] = out.preventive_child / child * 100
        out["corrective_share"] = out.corrective_child / child * 100
        out["preventive_share_budget"] = out.preventive_budget / out.child_budget.where(out.child_budget != 0) * 100
        out["child_realisation"] = out.child_actual / out.child_budget.where(out.child_budget != 0) * 100
        kids = out.child_population.where(out.child_population > 0)
        annual = 12 / out.n_months
        out["eur_per_child"] = out.child_actual * annual / kids
        out["eur_per_child_low"] = out.child_low * annual / kids
        out["eur_per_child_high"] = out.child_high * annual / kids
    out["child_budget_diff"] = out.child_actual - out.child_budget
    # € per child rests on a head count: hide it where the children are 1-4 (never in practice, but the rule holds)
    small = privacy.is_small(out.child_population)
    out["suppressed"] = small
    out.loc[small, ["eur_per_child", "eur_per_child_low", "eur_per_child_high", "child_population"]] = np.nan
    return out


def with_changes(series: pd.DataFrame) -> pd.DataFrame:
    """Year-over-year change: percentage points for shares, per cent for euros (series sorted by yr)."""
    out = series.sort_values("yr").reset_index(drop=True)
    for col in ("child_share", "preventive_share"):
        out[f"{col}_yoy_pp"] = out[col].diff()
    for col in ("child_actual", "eur_per_child"):
        out[f"{col}_yoy_pct"] = (out[col] / out[col].shift() - 1) * 100
    return out


def trend(engine: sa.Engine, filters: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The yearly series from 2019 to the selected year for the same months, with year-over-year changes."""
    years = tuple(range(BASE_YEAR, filters.year + 1))
    df = totals(engine, filters, ("yr", *by), years)
    if not by:
        return with_changes(df)
    return pd.concat([with_changes(g) for _, g in df.groupby(list(by))], ignore_index=True)


def by_levels(engine: sa.Engine, filters: Filters) -> pd.DataFrame:
    """The selected year for every county, every municipality and all of them together (level column)."""
    years = (filters.year,)
    whole = totals(engine, filters, ("yr",), years).assign(level="all", code="")
    counties = totals(engine, filters, ("yr", "county_code"), years).assign(level="county")
    munis = totals(engine, filters, ("yr", "county_code", "municipality_code"), years).assign(level="municipality")
    counties["code"] = counties.county_code
    munis["code"] = munis.municipality_code
    return pd.concat([whole, counties, munis], ignore_index=True)


def by_line(engine: sa.Engine, filters: Filters, by: tuple[str, ...] = ("service_class", "cost_account"),
            sensitivity: float = SENSITIVITY) -> pd.DataFrame:
    """The selected year by service class and account (or any line columns) with rule and effective key."""
    ln = lines_select(filters, (filters.year,), sensitivity)
    group = [ln.c[b] for b in by]
    extra = [ln.c[x] for x in ("target_class", "prevention", "allocation_key", "rule", "key_source")
             if x not in by]
    stmt = (sa.select(*group, *[sa.func.max(x).label(x.name) for x in extra],
                      sa.func.sum(ln.c.actual_eur).label("actual_eur"),
                      sa.func.sum(ln.c.budget_eur).label("budget_eur"),
                      sa.func.sum(ln.c.child_actual).label("child_actual"),
                      sa.func.sum(ln.c.child_budget).label("child_budget"),
                      sa.func.sum(ln.c.child_low).label("child_low"),
                      sa.func.sum(ln.c.child_high).label("child_high"))
            .group_by(*group).order_by(*group))
    df = query_frame(engine, stmt, FLOATS)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["child_key"] = df.child_actual / df.actual_eur.where(df.actual_eur != 0)  # effective, euro-weighted
    return df


def model_lines(engine: sa.Engine, filters: Filters) -> pd.DataFrame:
    """Every line of the selected year at full grain (municipality × class × account), for the audit export."""
    ln = lines_select(filters, (filters.year,))
    stmt = sa.select(ln).order_by(ln.c.municipality_code, ln.c.service_class, ln.c.cost_account)
    return query_frame(engine, stmt, FLOATS)


def keys(engine: sa.Engine, filters: Filters, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The allocation keys per municipality × year × service area, with the counts they rest on (suppressed)."""
    years = tuple(years) if years else (filters.year,)
    pop, use = keys_select(filters, years)
    stmt = (sa.select(use.c.yr, use.c.municipality_code, use.c.service_area,
                      pop.c.child_population, pop.c.population, use.c.child_clients, use.c.clients,
                      use.c.child_visits, use.c.visits,
                      _ratio(pop.c.child_population, pop.c.population).label("population_key"),
                      _ratio(use.c.child_clients, use.c.clients).label("client_key"),
                      _ratio(use.c.child_visits, use.c.visits).label("visit_key"))
            .select_from(use)
            .join(pop, sa.and_(pop.c.yr == use.c.yr, pop.c.municipality_code == use.c.municipality_code))
            .order_by(use.c.yr, use.c.municipality_code, use.c.service_area))
    df = query_frame(engine, stmt, FLOATS)
    for count, share in (("child_clients", "client_key"), ("child_visits", "visit_key"),
                         ("child_population", "population_key")):
        small = privacy.is_small(df[count])
        df.loc[small, [count, share]] = np.nan
    return df


def waterfall(row: pd.Series) -> pd.DataFrame:
    """Steps from total net cost to child spending: total, − not targeted, − adults' part of partial, = child."""
    total = row.actual_eur
    partial_rest = row.partial_total - row.partial_child
    steps = [("total", 0.0, total), ("not_targeted", total - row.not_targeted_total, total),
             ("partial_other", total - row.not_targeted_total - partial_rest, total - row.not_targeted_total),
             ("partial_child", row.direct_child, row.direct_child + row.partial_child),
             ("direct", 0.0, row.direct_child)]
    df = pd.DataFrame(steps, columns=["step", "start", "end"])
    df["amount"] = df.end - df.start
    df["order"] = range(len(df))
    return df


def preventive_goal(series: pd.DataFrame) -> dict:
    """Goal "the preventive share grows": the latest change in percentage points and whether it is met."""
    s = series.dropna(subset=["preventive_share"]).sort_values("yr")
    if len(s) < 2:
        return {"change_pp": np.nan, "met": None}
    change = float(s.preventive_share.iloc[-1] - s.preventive_share.iloc[-2])
    return {"change_pp": change, "met": change > 0}

"""Child budgeting (lapsibudjetointi) computed in the warehouse: child spending = direct + Σ partial × key.

Every cost line (year × municipality × service class × account) gets its rule from child_budget_class
(an account-specific rule wins over the class-wide "*" rule, an unclassified line counts as not
targeted) and its allocation key from the same municipality and year. Shares are exact DECIMALs, so
DuckDB and PostgreSQL give the same cents; only the few aggregated rows come back to pandas. The lines and the
client and visit keys of a month window are read from year-to-date rollups (data_sources/rollups.py): one row
per line and year, not one per month.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_sources import rollups, schema
from data_sources.child_budget import ALL_ACCOUNTS
from data_sources.schema import CHILD_AGE_GROUPS, view

from . import privacy
from .engine import BASE_YEAR, Filters, filter_where, query_frame, rollups_enabled, shaped_sql, summed_source

SENSITIVITY = 0.2            # relative uncertainty of the allocation keys: the band is key × (1 ± 0.2)
SHARE = sa.Numeric(18, 12)   # exact decimal shares: same result on both warehouses
WIDE_MONEY = sa.Numeric(38, 2)  # the type DuckDB gives a SUM of euros: products with a share stay exact, never overflow
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


def _window(name: str, filters: Filters, years: tuple[int, ...], cast: dict | None = None) -> sa.Subquery:
    """The filters' months window of `years` from a year-to-date rollup: each line's row of the window's last month
    minus its row of the month before the first (none yet: nothing), the lines with data in the window only."""
    spec, table = rollups.YTD_BY_NAME[name], rollups.YTD_TABLES[name]
    first, last = filters.months
    end = table.alias("upto_last")
    where = [*filter_where(end, filters, years), end.c.upto_mon == last]
    values = [n for n, _ in spec.sums] + ["n_months"]
    if first == 1:
        src, value = end, {n: end.c[n] for n in values}
    else:
        start = table.alias("upto_before")
        src = end.outerjoin(start, sa.and_(start.c.upto_mon == first - 1, start.c.yr == end.c.yr,
                                           *(start.c[d] == end.c[d] for d in spec.dims)))
        value = {n: end.c[n] - sa.func.coalesce(start.c[n], 0) for n in values}
    cols = [sa.cast(v, cast[n]) if cast and n in cast else v for n, v in value.items()]
    return (sa.select(end.c.yr, *(end.c[d] for d in spec.dims), *(c.label(n) for c, n in zip(cols, values)))
            .select_from(src).where(*where, value["n_months"] > 0).subquery(f"{name}_window"))


def keys_select(filters: Filters, years: tuple[int, ...]) -> tuple[sa.Subquery, sa.Subquery]:
    """Allocation keys per municipality × year (population) and × service area (clients, visits)."""
    filters = _every_age(filters)
    pv = view("v_population")
    p = pv.c
    pop = (sa.select(p.yr, p.municipality_code, _child("population", p).label("child_population"),
                     sa.func.sum(p.population).label("population"))
           .where(*filter_where(pv, filters, years))
           .group_by(p.yr, p.municipality_code).subquery("pop_key"))
    if rollups_enabled():           # the window's client and visit counts from the year-to-date rollup
        w = _window("rollup_child_keys_ytd", filters, years)
        use = sa.select(w.c.yr, w.c.municipality_code, w.c.service_area, w.c.child_clients, w.c.clients,
                        w.c.child_visits, w.c.visits).subquery("use_key")
        return pop, use
    kv = summed_source("v_contacts", {"yr", "municipality_code", "service_area", "age_group", "clients",
                                      "contacts"}, filters, years)      # the facts (10 M contact rows)
    k = kv.c
    use = (sa.select(k.yr, k.municipality_code, k.service_area,
                     _child("clients", k).label("child_clients"), sa.func.sum(k.clients).label("clients"),
                     _child("contacts", k).label("child_visits"), sa.func.sum(k.contacts).label("visits"))
           .where(*filter_where(kv, filters, years))
           .group_by(k.yr, k.municipality_code, k.service_area).subquery("use_key"))
    return pop, use


def lines_select(filters: Filters, years: tuple[int, ...], sensitivity: float = SENSITIVITY) -> sa.Subquery:
    """One row per year × municipality × service class × account with its rule, key and child euros."""
    if rollups_enabled():           # the window's sums from the year-to-date rollup
        base = _window("rollup_costs_ytd", filters, years, {"actual_eur": WIDE_MONEY, "budget_eur": WIDE_MONEY})
    else:
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
    ruled = (sa.select(
        base.c.yr, base.c.county_code, base.c.municipality_code, base.c.service_area, base.c.service_class,
        base.c.cost_account, base.c.actual_eur, base.c.budget_eur, base.c.n_months,
        target.label("target_class"), sa.func.coalesce(rule("prevention"), "other").label("prevention"),
        akey.label("allocation_key"), rule("key_source").label("key_source"),
        sa.case((spec.c.service_class.is_not(None), spec.c.cost_account),
                (gen.c.service_class.is_not(None), ALL_ACCOUNTS), else_=None).label("rule"),
        share.label("child_key"), low.label("low"), high.label("high"))
        .select_from(base)
        .outerjoin(spec, sa.and_(spec.c.service_class == base.c.service_class,
                                 spec.c.cost_account == base.c.cost_account))
        .outerjoin(gen, sa.and_(gen.c.service_class == base.c.service_class, gen.c.cost_account == ALL_ACCOUNTS))
        .outerjoin(pop, sa.and_(pop.c.yr == base.c.yr, pop.c.municipality_code == base.c.municipality_code))
        .outerjoin(use, sa.and_(use.c.yr == base.c.yr, use.c.municipality_code == base.c.municipality_code,
                                use.c.service_area == base.c.service_area))
        # each line's rule and shares computed once (PostgreSQL would otherwise inline them into every product)
        .cte("ruled_line").prefix_with("MATERIALIZED"))
    r = ruled.c
    return sa.select(
        *(r[c] for c in ("yr", "county_code", "municipality_code", "service_area", "service_class", "cost_account",
                         "actual_eur", "budget_eur", "n_months", "target_class", "prevention", "allocation_key",
                         "key_source", "rule", "child_key")),
        (r.actual_eur * r.child_key).label("child_actual"), (r.budget_eur * r.child_key).label("child_budget"),
        sa.func.least(r.actual_eur * r.low, r.actual_eur * r.high).label("child_low"),
        sa.func.greatest(r.actual_eur * r.low, r.actual_eur * r.high).label("child_high")).subquery("child_line")


def _sum_if(cond, col):
    return sa.func.sum(sa.case((cond, col), else_=0))


def totals(engine: sa.Engine, filters: Filters, by: tuple[str, ...] = ("yr",),
           years: tuple[int, ...] | None = None, sensitivity: float = SENSITIVITY) -> pd.DataFrame:
    """Child-budget figures per group (by ⊆ yr, county_code, municipality_code): euros, shares, € per child."""
    years = tuple(years) if years else (filters.year,)
    return _totals_sets(engine, filters, (tuple(by),), years, sensitivity)[0]


def _grouped(stmt: sa.Select, source, sets: tuple[tuple[str, ...], ...], cols: list[str]) -> sa.Select:
    """GROUP BY the one grouping, or by GROUPING SETS with each row's set in `grouping_set` (GROUPING's bits)."""
    group = [source.c[c] for c in cols]
    if len(sets) == 1:
        return stmt.group_by(*group)
    return (stmt.add_columns(sa.func.grouping(*group).label("grouping_set"))
            .group_by(sa.func.grouping_sets(*[sa.tuple_(*[source.c[c] for c in s]) for s in sets])))


def _totals_sets(engine: sa.Engine, filters: Filters, sets: tuple[tuple[str, ...], ...], years: tuple[int, ...],
                 sensitivity: float = SENSITIVITY) -> list[pd.DataFrame]:
    """totals for each grouping of `sets`, from one query on the lines and one on the population: the warehouse
    sums each grouping from the same lines (exact decimals, as one query per grouping would). Each statement is
    built and compiled once per query shape (engine.shaped_sql): a county change reuses the SQL of the county
    before with the new code as its parameter."""
    cols = list(dict.fromkeys(c for s in sets for c in s))
    money = query_frame(engine, shaped_sql(engine, (), lambda f: _money_select(f, sets, cols, years, sensitivity),
                                           filters, ("child_money", sets, years, sensitivity), set()), FLOATS)
    # children (0-17) for € per child: the same regions and years, from the population view
    people = query_frame(engine, shaped_sql(engine, (), lambda f: _people_select(f, sets, cols, years), filters,
                                            ("child_people", sets, years), set()), FLOATS)
    out = []
    for by in sets:
        df, pop = (_one_set(f, by, cols) for f in (money, people))
        df = df.merge(pop, on=list(by), how="left") if by else df.assign(**pop.iloc[0].to_dict())
        df = df.sort_values(list(by)).reset_index(drop=True) if by else df
        out.append(_derive(df))
    return out


def _money_select(filters: Filters, sets: tuple[tuple[str, ...], ...], cols: list[str], years: tuple[int, ...],
                  sensitivity: float) -> sa.Select:
    ln = lines_select(filters, years, sensitivity)
    stmt = sa.select(
        *[ln.c[c] for c in cols], sa.func.sum(ln.c.actual_eur).label("actual_eur"),
        sa.func.sum(ln.c.budget_eur).label("budget_eur"),
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
    ).group_by(*[ln.c[c] for c in cols])
    if len(sets) > 1:       # the lines summed once to the finest grouping, then that to every grouping
        fine = stmt.subquery("finest")
        stmt = _grouped(sa.select(*[fine.c[c] for c in cols],
                                  *[(sa.func.max if c.name == "n_months" else sa.func.sum)(c).label(c.name)
                                    for c in fine.c if c.name not in cols]), fine, sets, cols)
    return stmt


def _people_select(filters: Filters, sets: tuple[tuple[str, ...], ...], cols: list[str],
                   years: tuple[int, ...]) -> sa.Select:
    pv = view("v_population")
    p = pv.c
    return _grouped(sa.select(*[p[c] for c in cols], _child("population", p).label("child_population"),
                              sa.func.sum(p.population).label("population"))
                    .where(*filter_where(pv, _every_age(filters), years)), pv, sets, cols)


def _one_set(df: pd.DataFrame, by: tuple[str, ...], cols: list[str]) -> pd.DataFrame:
    """The rows of one grouping of a GROUPING SETS answer, with its own columns only."""
    if "grouping_set" not in df:
        return df
    bits = sum(1 << (len(cols) - 1 - i) for i, c in enumerate(cols) if c not in by)
    keep = df.grouping_set.to_numpy() == bits
    return df.loc[keep, [c for c in df.columns if c == "grouping_set" or c not in cols or c in by]
                  ].drop(columns="grouping_set").reset_index(drop=True)


def _derive(df: pd.DataFrame) -> pd.DataFrame:
    """Shares in per cent and annualised € per child from the aggregated euros (few rows). The new columns are
    computed in numpy and the frame is made once (a column added to a frame at a time was most of this step)."""
    col = {c: df[c].to_numpy(dtype=float) for c in ("actual_eur", "budget_eur", "child_actual", "child_budget",
                                                     "child_low", "child_high", "preventive_child",
                                                     "corrective_child", "preventive_budget", "child_population",
                                                     "n_months")}

    def nonzero(v):
        return np.where(v != 0, v, np.nan)

    new: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        den = nonzero(col["actual_eur"])
        new["child_share"] = col["child_actual"] / den * 100
        new["child_share_low"] = col["child_low"] / den * 100
        new["child_share_high"] = col["child_high"] / den * 100
        new["child_share_budget"] = col["child_budget"] / nonzero(col["budget_eur"]) * 100
        child = nonzero(col["child_actual"])
        new["preventive_share"] = col["preventive_child"] / child * 100
        new["corrective_share"] = col["corrective_child"] / child * 100
        budget = nonzero(col["child_budget"])
        new["preventive_share_budget"] = col["preventive_budget"] / budget * 100
        new["child_realisation"] = col["child_actual"] / budget * 100
        kids = np.where(col["child_population"] > 0, col["child_population"], np.nan)
        annual = 12 / col["n_months"]
        new["eur_per_child"] = col["child_actual"] * annual / kids
        new["eur_per_child_low"] = col["child_low"] * annual / kids
        new["eur_per_child_high"] = col["child_high"] * annual / kids
    new["child_budget_diff"] = col["child_actual"] - col["child_budget"]
    # € per child rests on a head count: hide it where the children are 1-4 (never in practice, but the rule holds)
    small = privacy.is_small(df["child_population"]).to_numpy(dtype=bool)
    new["suppressed"] = small
    data = {c: df[c].to_numpy() for c in df.columns if c not in new}
    data.update(new)
    for c in ("eur_per_child", "eur_per_child_low", "eur_per_child_high", "child_population"):
        if small.any():
            data[c] = np.where(small, np.nan, data[c].astype(float))
    return pd.DataFrame(data, index=df.index, columns=[*(c for c in df.columns if c not in new), *new])


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


LEVELS = (("yr",), ("yr", "county_code"), ("yr", "county_code", "municipality_code"))


def by_levels(engine: sa.Engine, filters: Filters) -> pd.DataFrame:
    """The selected year for every county, every municipality and all of them together (level column)."""
    return _levels(_totals_sets(engine, filters, LEVELS, (filters.year,)), filters.year)


def trend_and_levels(engine: sa.Engine, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """trend(engine, filters) and by_levels(engine, filters) from the same two queries (the page shows both)."""
    frames = _totals_sets(engine, filters, LEVELS, tuple(range(BASE_YEAR, filters.year + 1)))
    return with_changes(frames[0]), _levels(frames, filters.year)


def _levels(frames: list[pd.DataFrame], year: int) -> pd.DataFrame:
    whole, counties, munis = (f[f.yr == year].reset_index(drop=True) for f in frames)
    whole = whole.assign(level="all", code="")
    counties = counties.assign(level="county")
    munis = munis.assign(level="municipality")
    counties["code"] = counties.county_code
    munis["code"] = munis.municipality_code
    return pd.concat([whole, counties, munis], ignore_index=True)


def by_line(engine: sa.Engine, filters: Filters, by: tuple[str, ...] = ("service_class", "cost_account"),
            sensitivity: float = SENSITIVITY) -> pd.DataFrame:
    """The selected year by service class and account (or any line columns) with rule and effective key."""
    def build(f: Filters) -> sa.Select:
        ln = lines_select(f, (f.year,), sensitivity)
        group = [ln.c[b] for b in by]
        extra = [ln.c[x] for x in ("target_class", "prevention", "allocation_key", "rule", "key_source")
                 if x not in by]
        return (sa.select(*group, *[sa.func.max(x).label(x.name) for x in extra],
                          sa.func.sum(ln.c.actual_eur).label("actual_eur"),
                          sa.func.sum(ln.c.budget_eur).label("budget_eur"),
                          sa.func.sum(ln.c.child_actual).label("child_actual"),
                          sa.func.sum(ln.c.child_budget).label("child_budget"),
                          sa.func.sum(ln.c.child_low).label("child_low"),
                          sa.func.sum(ln.c.child_high).label("child_high"))
                .group_by(*group).order_by(*group))
    df = query_frame(engine, shaped_sql(engine, (), build, filters, ("child_lines", by, sensitivity), set()), FLOATS)
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

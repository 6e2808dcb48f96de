"""Monthly rollups: the big fact views summed to the grains the pages read (aggregate awareness, as in Cube's
pre-aggregations and Power BI's aggregations).

    python -m data_sources.rollups rebuild [--url URL] [--schema SCHEMA]

Each rollup keeps a view's calendar columns (month, yr, qtr, mon), some of its dimensions (always county_code and
municipality_code, so region filters and region scope still apply) and the sums of its measures under the same
column names; an averaged measure also keeps its count as `<column>__n`. The KPI engine (metrics.engine) reads the
smallest rollup that has every column a query groups or filters by, and the view otherwise; suppression is applied
after the query as before, on the same totals.

Year-to-date rollups (YTD_ROLLUPS, read by the child-budget model, metrics.child_budget) keep, per year and line,
the sums from January through each month (upto_mon, from the line's first month with data to December) and how
many months had data: any month window a..b of a year is then one row (b) minus another (a - 1, none before the
line's first month), exact decimals, instead of summing every month of every line.

They are written in the same transaction as the facts: an upload or a rollback refreshes the months it touched
(data_sources/uploads/ingest.py; a year-to-date rollup its whole years), the demo build all of them, and `rebuild`
(above) a warehouse loaded by other means. Migration 4 creates and fills them in an existing warehouse (10: the
year-to-date ones).
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass

import sqlalchemy as sa

from . import schema

metadata = sa.MetaData()
CALENDAR = ("month", "yr", "qtr", "mon")


@dataclass(frozen=True)
class Rollup:
    name: str
    view: str
    dims: tuple[str, ...]                  # view columns kept besides the calendar
    sums: tuple[str, ...]                  # view columns summed, stored under the same name
    counts: tuple[str, ...] = ()           # columns of averaged measures: their non-null count as <col>__n
    sources: tuple[str, ...] = ()          # tables the view reads: a write to one refreshes this rollup

    @property
    def columns(self) -> tuple[str, ...]:
        return CALENDAR + self.dims + self.sums + tuple(f"{c}__n" for c in self.counts)


_REGION = ("county_code", "municipality_code")
# smallest first: the engine takes the first that covers a query
ROLLUPS: tuple[Rollup, ...] = (
    Rollup("rollup_costs_area", "v_costs", _REGION + ("service_area",), ("budget_eur", "actual_eur"),
           sources=("fact_costs", "dim_municipality", "dim_service_class")),
    Rollup("rollup_t3_area", "v_t3", _REGION + ("service_area",), ("t3_days", "measurements"), ("t3_days",),
           sources=("fact_t3", "dim_municipality")),
    Rollup("rollup_contacts_channel", "v_contacts", _REGION + ("service_area", "channel"),
           ("contacts", "clients", "remote_contacts"), sources=("fact_contacts", "dim_municipality")),
    Rollup("rollup_contacts_age", "v_contacts", _REGION + ("service_area", "age_group"),
           ("contacts", "clients", "remote_contacts"), sources=("fact_contacts", "dim_municipality")),
    Rollup("rollup_contacts_detail", "v_contacts", _REGION + ("service_area", "channel", "profession", "age_group"),
           ("contacts", "clients", "remote_contacts"), sources=("fact_contacts", "dim_municipality")),
)
BY_NAME = {r.name: r for r in ROLLUPS}


def _child(col: str):
    """The column summed over the child age groups (0-17) only."""
    return lambda c: sa.case((c.age_group.in_(schema.CHILD_AGE_GROUPS), c[col]), else_=0)


@dataclass(frozen=True)
class YearToDate:
    name: str
    source: str                            # the view (or monthly rollup) it is summed from; it has yr and mon
    dims: tuple[str, ...]                  # the line: columns kept besides yr and upto_mon
    sums: tuple[tuple[str, object], ...]   # (column, source columns -> the expression summed)
    sources: tuple[str, ...] = ()          # tables it reads: a write to one refreshes it (whole years)

    @property
    def columns(self) -> tuple[str, ...]:
        return ("yr", "upto_mon") + self.dims + tuple(n for n, _ in self.sums) + ("n_months",)


YTD_ROLLUPS: tuple[YearToDate, ...] = (
    # the child-budget cost lines (year x municipality x service class x account) ...
    YearToDate("rollup_costs_ytd", "v_costs", _REGION + ("service_area", "service_class", "cost_account"),
               (("actual_eur", lambda c: c.actual_eur), ("budget_eur", lambda c: c.budget_eur)),
               sources=("fact_costs", "dim_municipality", "dim_service_class")),
    # ... and their client and visit keys, from the age rollup above (refreshed before this one)
    YearToDate("rollup_child_keys_ytd", "rollup_contacts_age", _REGION + ("service_area",),
               (("child_clients", _child("clients")), ("clients", lambda c: c.clients),
                ("child_visits", _child("contacts")), ("visits", lambda c: c.contacts)),
               sources=("fact_contacts", "dim_municipality")),
)
YTD_BY_NAME = {r.name: r for r in YTD_ROLLUPS}

_DIM_TYPES = {"county_code": sa.String(4), "municipality_code": sa.String(3), "service_area": sa.String(30),
              "channel": sa.String(12), "profession": sa.String(30), "age_group": sa.String(6),
              "service_class": sa.String(10), "cost_account": sa.String(10)}
_SUM_TYPES = {"budget_eur": sa.Numeric(18, 2), "actual_eur": sa.Numeric(18, 2), "t3_days": sa.Numeric(14, 1)}


def _table(r: Rollup) -> sa.Table:
    cols = [sa.Column("month", sa.Date, nullable=False), sa.Column("yr", sa.Integer, nullable=False),
            sa.Column("qtr", sa.Integer, nullable=False), sa.Column("mon", sa.Integer, nullable=False)]
    cols += [sa.Column(d, _DIM_TYPES[d], nullable=False) for d in r.dims]
    cols += [sa.Column(s, _SUM_TYPES.get(s, sa.BigInteger), nullable=True) for s in r.sums]
    cols += [sa.Column(f"{c}__n", sa.BigInteger, nullable=True) for c in r.counts]
    return sa.Table(r.name, metadata, *cols)


TABLES: dict[str, sa.Table] = {r.name: _table(r) for r in ROLLUPS}
_YTD_SUM_TYPES = {"actual_eur": sa.Numeric(18, 2), "budget_eur": sa.Numeric(18, 2)}


def _ytd_table(r: YearToDate) -> sa.Table:
    cols = [sa.Column("yr", sa.Integer, nullable=False), sa.Column("upto_mon", sa.Integer, nullable=False)]
    cols += [sa.Column(d, _DIM_TYPES[d], nullable=False) for d in r.dims]
    cols += [sa.Column(n, _YTD_SUM_TYPES.get(n, sa.BigInteger), nullable=False) for n, _ in r.sums]
    cols.append(sa.Column("n_months", sa.Integer, nullable=False))
    return sa.Table(r.name, metadata, *cols)


YTD_TABLES: dict[str, sa.Table] = {r.name: _ytd_table(r) for r in YTD_ROLLUPS}


def pick(view_name: str, needed: set[str]) -> sa.Table | None:
    """The smallest rollup of `view_name` that has every needed column, or None (read the view)."""
    for r in ROLLUPS:
        if r.view == view_name and needed <= set(r.columns):
            return TABLES[r.name]
    return None


def rollup_of(table: sa.FromClause) -> Rollup | None:
    return BY_NAME.get(getattr(table, "name", None))


def create(conn: sa.Connection) -> None:
    """The rollup tables where missing, with a month index on PostgreSQL."""
    metadata.create_all(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        for name in TABLES:
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_{name}_month ON {name} (month)"))
        for name in YTD_TABLES:      # a window reads one or two months of each year
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_{name}_upto ON {name} (upto_mon, yr)"))


def _source(name: str) -> sa.FromClause:
    return TABLES[name] if name in TABLES else schema.view(name)


def ytd_select(r: YearToDate, year: int | None = None) -> sa.Select:
    """The rows of a year-to-date rollup (of one year; None: all), computed from its source: each line's monthly
    sums, added up into every later month of the same year (a hash join and GROUP BY; no window function)."""
    v = _source(r.source)
    keys = [v.c.yr, v.c.mon, *(v.c[d] for d in r.dims)]
    where = [v.c.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1))] if year else []
    monthly = (sa.select(*keys, *[sa.func.sum(expr(v.c)).label(n) for n, expr in r.sums])
               .where(*where).group_by(*keys).subquery("monthly"))
    m = monthly.c
    upto = sa.values(sa.column("upto_mon", sa.Integer), name="upto").data([(i,) for i in range(1, 13)])
    group = [m.yr, upto.c.upto_mon, *(m[d] for d in r.dims)]
    return (sa.select(*group, *[sa.func.sum(m[n]).label(n) for n, _ in r.sums], sa.func.count().label("n_months"))
            .select_from(monthly.join(upto, m.mon <= upto.c.upto_mon)).group_by(*group)
            .order_by(m.yr, upto.c.upto_mon))            # one window month's rows lie together


def _refresh_ytd(conn: sa.Connection, r: YearToDate, months: tuple[dt.date, dt.date] | None,
                 analyze: bool) -> None:
    """Recompute the years of `months` (a month changes the rest of its year; None: every year), a year at a
    time (the join multiplies each year's rows by up to 12)."""
    target = YTD_TABLES[r.name]
    if months:
        years = range(months[0].year, months[1].year + 1)
        conn.execute(target.delete().where(target.c.yr.between(months[0].year, months[1].year)))
    else:
        v = _source(r.source)
        lo, hi = conn.execute(sa.select(sa.func.min(v.c.month), sa.func.max(v.c.month))).one()
        years = range(lo.year, hi.year + 1) if lo else range(0)
        conn.execute(target.delete())
    for year in years:
        conn.execute(target.insert().from_select(list(r.columns), ytd_select(r, year)))
    if analyze and conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ANALYZE {r.name}"))


def refresh(conn: sa.Connection, tables: list[str] | tuple[str, ...] | None = None,
            months: tuple[dt.date, dt.date] | None = None, analyze: bool = False,
            names: set[str] | None = None) -> list[str]:
    """Recompute, inside the caller's transaction, the rollups that read any of `tables` (None: all), for the
    months `months` (first, last; None: every month); `names` limits it to those rollups. Returns the rollups
    refreshed."""
    done = []
    for r in ROLLUPS:
        if tables is not None and not set(tables) & set(r.sources):
            continue
        if names is not None and r.name not in names:
            continue
        target = TABLES[r.name]
        v = schema.view(r.view)
        where = [v.c.month.between(*months)] if months else []
        conn.execute(target.delete().where(target.c.month.between(*months)) if months else target.delete())
        keys = [v.c[c] for c in CALENDAR + r.dims]
        aggs = [sa.func.sum(v.c[s]).label(s) for s in r.sums] + \
               [sa.func.count(v.c[c]).label(f"{c}__n") for c in r.counts]
        conn.execute(target.insert().from_select(list(r.columns),
                                                 sa.select(*keys, *aggs).where(*where).group_by(*keys)))
        if analyze and conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"ANALYZE {r.name}"))
        done.append(r.name)
    for y in YTD_ROLLUPS:      # after the monthly ones: a year-to-date rollup may be summed from one of them
        if tables is not None and not set(tables) & set(y.sources):
            continue
        if names is not None and y.name not in names:
            continue
        _refresh_ytd(conn, y, months, analyze)
        done.append(y.name)
    return done


def touched(conn: sa.Connection, table: sa.Table, rows: sa.FromClause | None = None, *where) -> list[str]:
    """The hook for a write to `table`: refresh the rollups that read it, for the months of `rows` (a staging
    table or a selection of shadow rows; None or a table without months: all of it)."""
    if not any(table.name in r.sources for r in ROLLUPS + YTD_ROLLUPS):
        return []
    months = None
    if rows is not None and "month" in rows.c and "month" in table.c:
        lo, hi = conn.execute(sa.select(sa.func.min(rows.c.month), sa.func.max(rows.c.month)).where(*where)).one()
        if lo is None:
            return []
        months = (lo, hi)
    return refresh(conn, [table.name], months)


def rebuild(engine: sa.Engine) -> list[str]:
    """Every rollup from the facts, in one transaction, and a new data version (cached results are dropped)."""
    from . import version
    with engine.begin() as conn:
        create(conn)
        done = refresh(conn, None, None, analyze=True)
        version.bump(conn, "rollups rebuilt")
    return done


def main(argv: list[str] | None = None) -> None:
    from .engine import make_engine
    ap = argparse.ArgumentParser(description="Monthly rollups of the fact views.")
    ap.add_argument("command", choices=["rebuild"])
    ap.add_argument("--url", default=None, help="warehouse URL (default: DASHBOARD_DB_URL)")
    ap.add_argument("--schema", default=None, help="PostgreSQL schema (default: DASHBOARD_DB_SCHEMA)")
    args = ap.parse_args(argv)
    engine = make_engine(args.url, args.schema, query_timeout=0)
    t0 = time.perf_counter()
    done = rebuild(engine)
    with engine.connect() as conn:
        sizes = {n: conn.scalar(sa.select(sa.func.count()).select_from({**TABLES, **YTD_TABLES}[n])) for n in done}
    print(f"rebuilt {len(done)} rollups in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{n}={sizes[n]:,}" for n in done))
    engine.dispose()


if __name__ == "__main__":
    main()

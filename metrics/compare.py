"""Region comparison: every area's value of a KPI with its interval, crude and directly age-standardised, the
county and all-area values beside the municipalities, and the views built on them (flags against a benchmark,
funnel limits, spine rows, change since 2019, two KPIs against each other, the counties side by side).

Reads: each measure once per KPI, grouped by year, county and municipality (and age group when standardising)
in the warehouse (metrics.engine.measure_select, rollups included); the county and all-area rows are the
municipality rows summed here (a few dozen rows), so a county is exactly the sum of its municipalities. A KPI
whose measures cannot be summed (averages, uploaded ready series) reads its county and all-area rows with two more
grouped queries. Suppression (metrics.privacy) is applied to every row after the sums, and small age cells are
never returned."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_sources.schema import VIEW_COLUMNS

from . import intervals, privacy
from .engine import BASE_YEAR, Filters, change, measure_sql, query_frame
from .registry import KPI, Registry

MUNICIPALITY, COUNTY, ALL = "municipality", "county", "all"
STANDARDS = ("esp2013", "pooled")      # the European Standard Population 2013, or the areas' own combined population
ALL_CODE = "ALL"
KEYS = ("yr", "county_code", "municipality_code")


def interval_kind(kpi: KPI, registry: Registry) -> str | None:
    """"proportion" (Wilson) for a share of counts, "rate" (exact Poisson) for counts per a head count, None when the
    KPI is not a ratio of counts (money, days, uploaded series, a bare count): no interval, no significance."""
    num = registry.measures[kpi.numerator]
    den = registry.measures.get(kpi.denominator) if kpi.denominator else None
    if den is None or not (num.count and den.count and num.agg == "sum" and den.agg == "sum"):
        return None
    return "proportion" if kpi.unit in ("pct", "index") else "rate"


def standardisable(kpi: KPI, registry: Registry) -> bool:
    """Direct age standardisation needs a rate per residents whose events are recorded by age group."""
    if interval_kind(kpi, registry) != "rate":
        return False
    num, den = registry.measures[kpi.numerator], registry.measures[kpi.denominator]
    return den.view == "v_population" and "age_group" in VIEW_COLUMNS[num.view]


def _additive(kpi: KPI, registry: Registry) -> bool:
    """Whether the KPI's measures add up from municipalities to a county (sums, or a yearly stock)."""
    ms = [registry.measures[kpi.numerator]] + ([registry.measures[kpi.denominator]] if kpi.denominator else [])
    return all(m.agg == "sum" and (m.time_agg == "sum" or "mon" not in VIEW_COLUMNS[m.view]) for m in ms)


def _read(engine: sa.Engine, kpi: KPI, f: Filters, by: tuple[str, ...], years: tuple[int, ...],
          registry: Registry) -> pd.DataFrame:
    """Numerator and denominator per group, outer-joined: a group with residents but no events has numerator 0.
    Returns the keys, numerator, denominator and n_months (months with data in the group's year)."""
    num_m = registry.measures[kpi.numerator]
    keys = [b for b in by if b in VIEW_COLUMNS[num_m.view]]
    num = query_frame(engine, measure_sql(engine, num_m, f, tuple(keys), years, kpi.filter)).rename(
        columns={"value": "numerator"})
    if "n_units" in num:
        num = num.rename(columns={"n_units": "n_months"})
    if not kpi.denominator:
        return num.assign(denominator=np.nan)
    den_m = registry.measures[kpi.denominator]
    den_by = tuple(k for k in keys if k in VIEW_COLUMNS[den_m.view])
    den = query_frame(engine, measure_sql(engine, den_m, f, den_by, years, kpi.filter)).rename(
        columns={"value": "denominator"})
    den = den.drop(columns=[c for c in ("n_months", "n_units") if c in den])
    if not den_by:
        return num.assign(denominator=den["denominator"].iloc[0] if len(den) else np.nan)
    out = num.merge(den, on=list(den_by), how="outer")
    if num_m.count:
        out["numerator"] = out["numerator"].fillna(0.0)
    return out


def _annual(kpi: KPI, months: pd.Series) -> pd.Series:
    return 12.0 / months.where(months > 0) if kpi.annualize else pd.Series(1.0, index=months.index)


def area_table(engine: sa.Engine, kpi: KPI, filters: Filters, registry: Registry,
               years: tuple[int, ...] | None = None, standard: str | None = None) -> pd.DataFrame:
    """One row per (year, area) for every municipality, county and the whole of the areas the user may see (the
    region choice is not applied: the page picks from it; the scope is). Columns: yr, level, code, county_code,
    numerator, denominator, value, lo, hi, suppressed; with `standard` ("esp2013" or "pooled") also std_value,
    std_lo, std_hi, the directly age-standardised rate and its gamma interval."""
    years = tuple(sorted(set(years or (filters.year,))))
    f = replace(filters, county=None, municipalities=())
    kind = interval_kind(kpi, registry)
    std = standard if standard in STANDARDS and standardisable(kpi, registry) else None
    by = KEYS + (("age_group",) if std else ())
    raw = _read(engine, kpi, f, by, years, registry)
    if raw.empty:
        return _empty(std)
    raw = raw.dropna(subset=["municipality_code"])
    months = raw.groupby("yr")["n_months"].max()              # the period's months in each year
    if _additive(kpi, registry):
        munis = raw.groupby(list(KEYS), as_index=False)[["numerator", "denominator"]].sum(min_count=1)
        counties = munis.groupby(["yr", "county_code"], as_index=False)[["numerator", "denominator"]].sum(min_count=1)
        total = munis.groupby(["yr"], as_index=False)[["numerator", "denominator"]].sum(min_count=1)
        frame = _levels(munis, counties, total)
        frame["n_months"] = frame["yr"].map(months)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = frame.numerator / frame.denominator.where(frame.denominator != 0) if kpi.denominator \
                else frame.numerator
        frame["value"] = ratio * kpi.multiplier * _annual(kpi, frame["n_months"])
    else:
        parts = [raw] + [_read(engine, kpi, f, keys, years, registry) for keys in (("yr", "county_code"), ("yr",))]
        for p in parts:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = p.numerator / p.denominator.where(p.denominator != 0) if kpi.denominator else p.numerator
            p["value"] = ratio * kpi.multiplier * _annual(kpi, p["yr"].map(months))
        frame = _levels(*parts)
        frame["n_months"] = frame["yr"].map(months)
    frame["lo"], frame["hi"] = _intervals(kind, frame, kpi)
    if std:
        frame = _standardised(frame, raw, kpi, std, months)
    frame = _suppress(frame, kpi, registry)
    return frame.sort_values(["yr", "level", "code"]).reset_index(drop=True)


def _empty(std: str | None) -> pd.DataFrame:
    cols = ["yr", "level", "code", "county_code", "numerator", "denominator", "value", "lo", "hi", "suppressed"]
    return pd.DataFrame(columns=cols + (["std_value", "std_lo", "std_hi"] if std else []))


def _levels(munis: pd.DataFrame, counties: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    cols = ["yr", "level", "code", "county_code", "numerator", "denominator"]
    m = munis.assign(level=MUNICIPALITY, code=munis.municipality_code)
    c = counties.assign(level=COUNTY, code=counties.county_code)
    a = total.assign(level=ALL, code=ALL_CODE, county_code=None)
    keep = [x for x in cols + ["value"] if x in m]
    return pd.concat([m[keep], c[keep], a[keep]], ignore_index=True)


def _intervals(kind: str | None, frame: pd.DataFrame, kpi: KPI) -> tuple[np.ndarray, np.ndarray]:
    nan = np.full(len(frame), np.nan)
    if kind == "proportion":
        lo, hi = intervals.wilson(frame.numerator, frame.denominator)
        return lo * kpi.multiplier, hi * kpi.multiplier
    if kind == "rate":
        scale = kpi.multiplier * _annual(kpi, frame["n_months"]).to_numpy()
        return intervals.rate_interval(frame.numerator, frame.denominator, scale)
    return nan, nan


def standard_population(raw: pd.DataFrame, standard: str, yr: int) -> dict[str, float]:
    """The standard's head count per age group: the ESP 2013 collapsed to the six groups, or the population of all
    the areas read in year `yr` (the latest year read, so that every year is standardised to the same one)."""
    if standard == "esp2013":
        return dict(intervals.ESP2013)
    rows = raw[raw.yr == yr]
    return rows.groupby("age_group")["denominator"].sum().to_dict()


def _standardised(frame: pd.DataFrame, raw: pd.DataFrame, kpi: KPI, standard: str,
                  months: pd.Series) -> pd.DataFrame:
    """Add std_value, std_lo, std_hi to each area row from the age-specific counts (never returned themselves):
    each age group's rate weighted by the standard's share, the gamma interval (intervals.gamma_interval)."""
    pop = standard_population(raw, standard, int(raw.yr.max()))      # one standard for every year read
    pops = {int(y): pop for y in raw.yr.unique()}
    parts = []
    for level, keys in ((MUNICIPALITY, ["yr", "municipality_code"]), (COUNTY, ["yr", "county_code"]), (ALL, ["yr"])):
        cells = raw.groupby(keys + ["age_group"], as_index=False)[["numerator", "denominator"]].sum(min_count=1)
        cells = cells[cells.denominator > 0]
        std = np.array([pops[int(y)].get(g, np.nan) for y, g in zip(cells.yr, cells.age_group)], dtype=float)
        cells["w"] = std / cells.assign(s=std).groupby(keys)["s"].transform("sum")
        cells["wi"] = cells.w / cells.denominator
        cells["y"] = cells.wi * cells.numerator
        cells["v"] = cells.wi ** 2 * cells.numerator
        g = cells.groupby(keys, as_index=False).agg(y=("y", "sum"), v=("v", "sum"), wm=("wi", "max"))
        y, lo, hi = intervals.gamma_interval(g.y, g.v, g.wm)
        scale = kpi.multiplier * (12.0 / g.yr.map(months).to_numpy() if kpi.annualize else 1.0)
        code = g[keys[1]] if level != ALL else ALL_CODE
        parts.append(pd.DataFrame({"yr": g.yr, "level": level, "code": code,
                                   "std_value": y * scale, "std_lo": lo * scale, "std_hi": hi * scale}))
    return frame.merge(pd.concat(parts, ignore_index=True), on=["yr", "level", "code"], how="left")


def _suppress(frame: pd.DataFrame, kpi: KPI, registry: Registry) -> pd.DataFrame:
    """Small counts hidden in every row, and with them the value, interval and standardised rate; a lone hidden
    municipality of a county (or county of the whole) takes its smallest neighbour with it (privacy.complementary),
    so the county total less the shown rows reveals nothing."""
    counts = [c for c, mid in (("numerator", kpi.numerator), ("denominator", kpi.denominator))
              if mid and registry.measures[mid].count]
    hidden = ["lo", "hi"] + [c for c in ("std_value", "std_lo", "std_hi") if c in frame]
    out = privacy.suppress_kpi(frame, counts, kpi.suppress_below)
    if counts:
        munis = out.level == MUNICIPALITY
        parts = [privacy.complementary(out[munis], counts, ["value"] + hidden, ["yr", "county_code"]),
                 privacy.complementary(out[out.level == COUNTY], counts, ["value"] + hidden, ["yr"]),
                 out[out.level == ALL]]
        out = pd.concat(parts).sort_index()
    out.loc[out.suppressed, hidden] = np.nan
    return out


# --- views on an area table ------------------------------------------------------------------------------------
BENCHMARKS = ("county", "all", "target")


def with_flags(table: pd.DataFrame, kpi: KPI, benchmark: str = "county", standardised: bool = False,
               target: float | None = None) -> pd.DataFrame:
    """Add `bench` (the value each area is compared with) and `flag` (above / below / same / none, and better /
    worse when the KPI has a direction). "county": a municipality against its own county, a county against the
    whole; "all": everything against the whole; "target": against the KPI's target. Only an interval wholly above
    or below the benchmark is flagged; a suppressed row or one without an interval is "none"."""
    v, lo, hi = ("std_value", "std_lo", "std_hi") if standardised else ("value", "lo", "hi")
    out = table.copy()
    whole = out[out.level == ALL].set_index("yr")[v]
    if benchmark == "target":
        out["bench"] = np.nan if target is None else float(target)
    elif benchmark == "all":
        out["bench"] = out.yr.map(whole)
    else:
        county = out[out.level == COUNTY].set_index(["yr", "code"])[v]
        own = [county.get((y, c), np.nan) for y, c in zip(out.yr, out.county_code)]
        out["bench"] = np.where(out.level == MUNICIPALITY, own, out.yr.map(whole))
    if benchmark != "target":
        out.loc[out.level == ALL, "bench"] = np.nan
    raw = intervals.compare_to(out[lo], out[hi], out["bench"])
    out["flag_raw"] = raw
    out["flag"] = [intervals.judged(x, kpi.direction) for x in raw]
    return out


def ranked(table: pd.DataFrame, value: str = "value") -> pd.DataFrame:
    """Highest first (or as the caller reverses it); suppressed and missing rows last, in name or code order."""
    out = table.copy()
    out["_missing"] = out[value].isna()
    out = out.sort_values(["_missing", value, "code"], ascending=[True, False, True])
    out["rank"] = np.where(out["_missing"], np.nan, np.arange(1, len(out) + 1))
    return out.drop(columns="_missing").reset_index(drop=True)


def focus(table: pd.DataFrame, n: int = 5, chosen: tuple[str, ...] = (), value: str = "value") -> pd.DataFrame:
    """The top and bottom `n` of a ranked list plus the chosen areas (and every suppressed row stays out unless
    chosen): what a long list shows by default."""
    r = ranked(table, value)
    shown = r[r[value].notna()]
    keep = set(shown.code.head(n)) | set(shown.code.tail(n)) | set(chosen)
    return r[r.code.isin(keep)].reset_index(drop=True)


def _scale(kpi: KPI, months) -> np.ndarray | float:
    return kpi.multiplier * (12.0 / np.asarray(months, dtype=float) if kpi.annualize else 1.0)


def overdispersion(table: pd.DataFrame, kpi: KPI, registry: Registry, benchmark: float) -> tuple[float, bool]:
    """The municipalities' over-dispersion around the benchmark (intervals.overdispersion): (phi, significant)."""
    kind = interval_kind(kpi, registry)
    rows = table[(table.level == MUNICIPALITY) & table.value.notna() & (table.denominator > 0)]
    if kind is None or rows.empty or not np.isfinite(benchmark):
        return 1.0, False
    scale = _scale(kpi, rows.n_months)
    return intervals.overdispersion(rows.value.to_numpy() / scale, float(benchmark / np.max(scale)),
                                    rows.denominator.to_numpy(), kind)


def funnel(table: pd.DataFrame, kpi: KPI, registry: Registry, benchmark: float, points: int = 80,
           phi: float = 1.0) -> pd.DataFrame:
    """The funnel's control limits around `benchmark` (in the KPI's units) over the municipalities' denominators,
    widened by an over-dispersion factor `phi` > 1: columns denominator, lo95, hi95, lo998, hi998. Empty when the
    KPI has no interval kind."""
    kind = interval_kind(kpi, registry)
    rows = table[(table.level == MUNICIPALITY) & table.denominator.notna() & (table.denominator > 0)]
    if kind is None or rows.empty or not np.isfinite(benchmark):
        return pd.DataFrame(columns=["denominator", "lo95", "hi95", "lo998", "hi998"])
    scale = float(_scale(kpi, rows.n_months.max()))
    lo_n = max(1.0, float(rows.denominator.min()) * 0.8)
    hi_n = float(rows.denominator.max()) * 1.2
    grid = np.geomspace(lo_n, hi_n, points)
    lim = intervals.funnel_limits(benchmark / scale, grid, kind, scale=scale, phi=phi)
    return pd.DataFrame({"denominator": grid, "lo95": lim[0.95][0], "hi95": lim[0.95][1],
                         "lo998": lim[0.998][0], "hi998": lim[0.998][1]})


def outside_funnel(table: pd.DataFrame, kpi: KPI, registry: Registry, benchmark: float,
                   phi: float = 1.0) -> pd.Series:
    """Per municipality row: "above99.8", "above95", "below95", "below99.8" or "inside" (none when not testable)."""
    kind = interval_kind(kpi, registry)
    out = pd.Series("none", index=table.index, dtype=object)
    ok = table.value.notna() & (table.denominator > 0)
    if kind is None or not np.isfinite(benchmark) or not ok.any():
        return out
    rows = table[ok]
    scale = _scale(kpi, rows.n_months)
    lim = intervals.funnel_limits(benchmark / scale, rows.denominator.to_numpy(), kind, scale=1.0, phi=phi)
    v = rows.value.to_numpy() / scale
    res = np.full(len(rows), "inside", dtype=object)
    res[v > lim[0.95][1]] = "above95"
    res[v > lim[0.998][1]] = "above99.8"
    res[v < lim[0.95][0]] = "below95"
    res[v < lim[0.998][0]] = "below99.8"
    out[ok] = res
    return out


def changes(table: pd.DataFrame, kpi: KPI, year: int, base_year: int = BASE_YEAR,
            value: str = "value") -> pd.DataFrame:
    """Per area: the value in `base_year` and `year` (the same months), the change (percentage points for shares,
    per cent otherwise) and whether the two intervals are apart ("up" / "down", else "same" or "none")."""
    lo, hi = ("std_lo", "std_hi") if value == "std_value" else ("lo", "hi")
    cols = ["level", "code", "county_code", value, lo, hi, "suppressed"]
    then = table[table.yr == base_year][cols].set_index(["level", "code"])
    now = table[table.yr == year][cols].set_index(["level", "code"])
    out = now.join(then.drop(columns="county_code"), rsuffix="_base", how="left").reset_index()
    out = out.rename(columns={value: "now", f"{value}_base": "base"})
    out["change"] = [change(a, b, kpi.unit) for a, b in zip(out.now, out.base)]
    up = out[lo] > out[f"{hi}_base"]
    down = out[hi] < out[f"{lo}_base"]
    testable = out[[lo, hi, f"{lo}_base", f"{hi}_base"]].notna().all(axis=1)
    out["moved"] = np.where(~testable, "none", np.where(up, "up", np.where(down, "down", "same")))
    return out


def spine_row(table: pd.DataFrame, kpi: KPI, code: str, year: int, value: str = "value",
              within: str | None = None) -> dict:
    """One KPI's row of a spine chart for area `code`: its value, interval and flag against the benchmark given
    in `table` (with_flags), the municipalities' range (min, 25th, 75th percentile, max; within a county if given),
    the target, and the value scaled so the benchmark is 0 and the farthest municipality +-1, better to the right."""
    t = table[table.yr == year]
    munis = t[(t.level == MUNICIPALITY) & t[value].notna()]
    if within:
        munis = munis[munis.county_code == within]
    me = t[t.code == code]
    row = me.iloc[0] if len(me) else None
    bench = float(row.bench) if row is not None and pd.notna(row.get("bench")) else np.nan
    vals = munis[value].astype(float)
    target = kpi.target.value if kpi.target else np.nan
    out = {"kpi": kpi.id, "value": np.nan if row is None else row[value],
           "suppressed": bool(row.suppressed) if row is not None else False,
           "flag": row.get("flag", "none") if row is not None else "none", "bench": bench, "target": target,
           "min": vals.min() if len(vals) else np.nan, "q25": vals.quantile(0.25) if len(vals) else np.nan,
           "q75": vals.quantile(0.75) if len(vals) else np.nan, "max": vals.max() if len(vals) else np.nan}
    centre = bench if np.isfinite(bench) else (vals.median() if len(vals) else np.nan)
    spread = np.nanmax(np.abs(np.array([out["min"], out["max"], out["value"]], dtype=float) - centre)) \
        if np.isfinite(centre) else np.nan
    sign = -1.0 if kpi.direction == "lower" else 1.0

    def pos(x):
        if not (np.isfinite(x) and np.isfinite(spread)) or spread == 0:
            return np.nan if not np.isfinite(x) else 0.0
        return float(np.clip(sign * (x - centre) / spread, -1.2, 1.2))
    for k in ("value", "min", "q25", "q75", "max", "target"):
        out[f"pos_{k}"] = pos(float(out[k]) if out[k] is not None else np.nan)
    lo_, hi_ = sorted((out["pos_min"], out["pos_max"])) if np.isfinite(out["pos_min"]) else (np.nan, np.nan)
    q_lo, q_hi = sorted((out["pos_q25"], out["pos_q75"])) if np.isfinite(out["pos_q25"]) else (np.nan, np.nan)
    out.update(pos_lo=lo_, pos_hi=hi_, pos_qlo=q_lo, pos_qhi=q_hi)
    return out

"""Child budgeting filters and runs its queries through metrics.engine: the frames are the ones recorded
before that move (snapshots in tests/snapshots/child_budget, reviewed like the SQL ones), and the
plain sums under them match the views read with pandas."""
import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources.schema import CHILD_AGE_GROUPS
from metrics import child_budget as cb
from metrics.engine import Filters

SNAPSHOTS = Path(__file__).parent / "snapshots" / "child_budget"
NA = "<NA>"
CASES = {
    "all": Filters(year=2026, months=(1, 10)),
    "county": Filters(year=2025, county="KS"),
    "municipality": Filters(year=2025, county="KS", municipalities=("179",)),
    "window": Filters(year=2024, months=(4, 6)),
    # the age filter never narrows child budgeting (it has its own child ages); service areas do
    "service_age": Filters(year=2025, county="PH", service_areas=("child_family", "primary_care"),
                           age_groups=("0-6", "18-64")),
}
OUTPUTS = {
    "totals": lambda e, f: cb.totals(e, f),
    "trend": lambda e, f: cb.trend(e, f),
    "trend_by_county": lambda e, f: cb.trend(e, f, ("county_code",)),
    "by_levels": cb.by_levels,
    "by_line": cb.by_line,
    "keys": lambda e, f: cb.keys(e, f, (f.year - 1, f.year)),
    "waterfall": lambda e, f: cb.waterfall(cb.totals(e, f).iloc[0]),
    "preventive_goal": lambda e, f: pd.DataFrame([cb.preventive_goal(cb.trend(e, f))]),
    "model_lines": cb.model_lines,
}
# the lines at full grain and the keys run to thousands of rows for the whole region: narrow cases pin them
ONLY = {"model_lines": ("municipality",), "keys": ("county", "municipality", "service_age")}
PAIRS = [(c, o) for c in CASES for o in OUTPUTS if c in ONLY.get(o, CASES)]


def write_snapshot(df: pd.DataFrame, path: Path) -> None:
    """CSV with a second header row of dtypes; floats as repr, so they read back bit for bit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    floats = [df[col].dtype.kind == "f" for col in df.columns]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(df.columns)
        out.writerow(str(t) for t in df.dtypes)
        for row in df.itertuples(index=False):
            out.writerow(NA if pd.isna(v) else repr(float(v)) if f else v for v, f in zip(row, floats))


def read_snapshot(path: Path) -> pd.DataFrame:
    with path.open(newline="", encoding="utf-8") as fh:
        names, types, *rows = list(csv.reader(fh))
    cols = {}
    for i, (name, dtype) in enumerate(zip(names, types)):
        raw = pd.Series([None if r[i] == NA else r[i] for r in rows], dtype=object)
        cols[name] = raw.map({"True": True, "False": False}).astype(bool) if dtype == "bool" else raw.astype(dtype)
    return pd.DataFrame(cols, columns=names)


@pytest.mark.parametrize("case,output", PAIRS)
def test_same_frames_as_recorded(duck, case, output):
    """UPDATE_SNAPSHOTS=1 rewrites the files; a change in them is a change in the numbers, to be reviewed."""
    got = OUTPUTS[output](duck, CASES[case])
    path = SNAPSHOTS / case / f"{output}.csv"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        write_snapshot(got, path)
    pd.testing.assert_frame_equal(got, read_snapshot(path), check_exact=True)


def frame(duck, sql: str) -> pd.DataFrame:
    with duck.connect() as conn:
        r = conn.execute(sa.text(sql))
        return pd.DataFrame(r.fetchall(), columns=list(r.keys()))


def scoped(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The filters applied by hand: year, month window (monthly views), county, municipalities, service areas."""
    keep = df.yr == f.year
    if "mon" in df:
        keep &= df.mon.between(*f.months)
    for col, values in (("county_code", (f.county,) if f.county else ()),
                        ("municipality_code", f.municipalities), ("service_area", f.service_areas)):
        if values and col in df:
            keep &= df[col].isin(values)
    return df[keep]


@pytest.fixture(scope="module")
def views(duck) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cost and population views, read once for every case (the session warehouse is read only; the cost view
    is hundreds of thousands of rows, seconds to read)."""
    return (frame(duck, "SELECT yr, mon, county_code, municipality_code, service_area, month, "
                        "actual_eur, budget_eur FROM v_costs"),
            frame(duck, "SELECT yr, county_code, municipality_code, age_group, population FROM v_population"))


@pytest.mark.parametrize("case", list(CASES))
def test_totals_rest_on_the_filtered_views(duck, views, case):
    f = CASES[case]
    costs, pop = (scoped(view, f) for view in views)
    got = cb.totals(duck, f).iloc[0]
    assert got.actual_eur == pytest.approx(float(costs.actual_eur.sum()), rel=1e-12)
    assert got.budget_eur == pytest.approx(float(costs.budget_eur.sum()), rel=1e-12)
    assert got.n_months == costs.month.nunique()
    assert got.population == pop.population.sum()
    assert got.child_population == pop[pop.age_group.isin(CHILD_AGE_GROUPS)].population.sum()
    assert got.eur_per_child == pytest.approx(got.child_actual * 12 / got.n_months / got.child_population)
    assert not np.isnan(got.child_share)


@pytest.mark.parametrize("case", ["all", "window"])
def test_trend_and_levels_are_trend_and_by_levels(duck, case):
    """The page reads both from one pair of queries (GROUPING SETS): the same frames, bit for bit."""
    trend, levels = cb.trend_and_levels(duck, CASES[case])
    pd.testing.assert_frame_equal(trend, cb.trend(duck, CASES[case]), check_exact=True)
    pd.testing.assert_frame_equal(levels, cb.by_levels(duck, CASES[case]), check_exact=True)


def test_a_county_change_reuses_the_compiled_sql_with_the_new_code(duck, monkeypatch):
    """The two model statements are built once per query shape (engine.shaped_sql): a second county runs the
    first one's SQL with its own code as the parameter, and gets the frames a fresh build gives it."""
    from metrics import engine
    built = []
    for name in ("_money_select", "_people_select"):
        real = getattr(cb, name)
        monkeypatch.setattr(cb, name, lambda *a, _real=real, **k: built.append(1) or _real(*a, **k))
    engine._SQL_SHAPES.clear()
    first = cb.trend_and_levels(duck, Filters(year=2025, county="KS"))
    assert len(built) == 2
    again = cb.trend_and_levels(duck, Filters(year=2025, county="PH"))
    assert len(built) == 2                      # no new statement for the second county
    engine._SQL_SHAPES.clear()
    fresh = cb.trend_and_levels(duck, Filters(year=2025, county="PH"))
    assert len(built) == 4
    for a, b in zip(again, fresh):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert set(again[1].loc[again[1].level == "county", "code"]) == {"PH"}
    assert not np.allclose(first[0].actual_eur, again[0].actual_eur)


def test_the_lines_of_a_second_county_read_through_the_kept_sql_are_its_own(duck):
    from metrics import engine
    engine._SQL_SHAPES.clear()
    first = cb.by_line(duck, Filters(year=2025, county="KS"))
    kept = len(engine._SQL_SHAPES)
    again = cb.by_line(duck, Filters(year=2025, county="PH"))
    assert len(engine._SQL_SHAPES) == kept          # the second county's SQL came from the kept shape
    engine._SQL_SHAPES.clear()
    pd.testing.assert_frame_equal(again, cb.by_line(duck, Filters(year=2025, county="PH")), check_exact=True)
    assert not np.allclose(first.actual_eur.sum(), again.actual_eur.sum())

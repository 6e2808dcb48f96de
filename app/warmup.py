"""Cache warm-up: after the background job has forecast a new data version (app/forecasting.py), the same
thread computes what the pages first show for each area the job covered, at the sidebar's default period, into
the pages' own caches (the cached reads of app/state.py, keyed exactly as a page asks). The first manager to
open the overview or the strategic page after an upload, or to switch county there, then gets numbers that are
already made instead of some twenty KPIs read and judged while they wait: Superset's cache warm-up and Power BI's
scheduled refresh do the same. Nothing here changes a number: a page that asks for anything else (another
period, a municipality, a user limited to a region) computes it on demand as before."""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from metrics.composite import load_rules
from metrics.engine import Filters, new_run
from metrics.registry import load_registry

from . import child_budget, compare, forecasting, state

log = logging.getLogger(__name__)

OVERVIEW_FIRST_KPI = "care_guarantee_7d"      # the overview's first headline KPI: its comparison is on screen


def default_filters(area: Filters, latest: tuple[int, int]) -> Filters:
    """The sidebar's filters for an area when nothing else is chosen: the latest year, January to its latest
    month (ui/sidebar.filters)."""
    year, month = latest
    return replace(area, year=year, months=(1, month))


def warm(version: int, areas: list[Filters]) -> dict:
    """Compute, for each area at its default period, every KPI's summary and target verdict, the composite
    scores, the overview's comparison table, the strategic page's two breakdowns and the child-budget page's model
    into the pages' caches. Returns {areas, kpis, seconds}. Stops quietly at the first failure (the warehouse went
    away: the pages compute on demand)."""
    started = time.perf_counter()
    reg = load_registry()
    indicators = {i.kpi for a in load_rules().areas for i in a.indicators}
    done = 0
    try:
        latest = state.latest_month(version)
        for read in (child_budget.classification, child_budget.service_classes, child_budget.cost_accounts,
                     child_budget.indicators, child_budget.versions):
            read(version)
        for area in areas:
            f = default_filters(area, latest)
            new_run(version, state.warehouse_key())     # the query memo of this area's reads, the result cache
            for k in reg.kpis:
                state.summary(k, f, version)
                forecasting.verdict(k, f, version)
            state.composite_scores(f, version, forecasting.missed(indicators, f, version))
            compare.table(OVERVIEW_FIRST_KPI, f, (f.year,), None, version)
            state.values("population", f, ("age_group",), None, version)          # the strategic page's two charts
            state.values("net_cost_per_resident", f, ("service_area",), None, version)
            child_budget.trend(f, version)                                        # the child-budget page
            child_budget.lines(f, version)
            done += 1
    except BaseException as exc:  # noqa: BLE001 - outside a page a fault may surface as Streamlit's stop
        log.warning("cache warm-up of data version %s stopped after %s areas: %s", version, done, exc)
    seconds = time.perf_counter() - started
    log.info("data version %s: page caches warmed for %s areas in %.1f s", version, done, seconds)
    return {"areas": done, "kpis": len(reg.kpis), "seconds": seconds}

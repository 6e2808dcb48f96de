"""A tiny warehouse for child-budget tests: two municipalities, one line of each class, figures by hand.

Municipality A (county X): 25 children of 100 residents; primary care visits 30 of 120 by children,
clients 10 of 80. Municipality B (county X): 10 children of 100, no contacts at all (keys fall back
to the population share). Every amount is split evenly over January and February 2025.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_sources import migrations, rollups, schema
from data_sources.child_budget import COLUMNS, _write_version

YEAR = 2025

# (municipality, service_class, account, actual €, budget €) for the two months together
LINES = [
    ("AAA", "C1", "4000", 1000.00, 1100.00),   # direct, preventive                -> 1000.00
    ("AAA", "C2", "4000", 2000.00, 2100.00),   # partial, visit key 30/120 = 0.25  ->  500.00
    ("AAA", "C2", "4300", 200.00, 200.00),     # account rule: fixed 50 %          ->  100.00
    ("AAA", "C3", "4000", 800.00, 900.00),     # partial, fixed 12.5 %, corrective ->  100.00
    ("AAA", "C4", "4000", 5000.00, 5000.00),   # not targeted                      ->    0.00
    ("AAA", "C5", "4000", 400.00, 500.00),     # partial, population 25/100        ->  100.00
    ("AAA", "C6", "4000", 300.00, 400.00),     # partial, client key 10/80, corr.  ->   37.50
    ("BBB", "C2", "4000", 1000.00, 1000.00),   # partial, no visits: population 0.1 -> 100.00
]

RULES = pd.DataFrame([
    ("C1", "*", "direct", "preventive", None, None, "clinic"),
    ("C2", "*", "partial", "other", "visit_share", None, "visits of 0-17"),
    ("C2", "4300", "partial", "other", "fixed", 0.5, "purchased: half"),
    ("C3", "*", "partial", "corrective", "fixed", 0.125, "estimate"),
    ("C4", "*", "not_targeted", "other", None, None, "adults"),
    ("C5", "*", "partial", "preventive", "population_share", None, "population"),
    ("C6", "*", "partial", "corrective", "client_share", None, "clients of 0-17"),
], columns=list(COLUMNS))

# hand-computed results (see LINES)
A_CHILD = 1000.00 + 500.00 + 100.00 + 100.00 + 0.00 + 100.00 + 37.50      # 1837.50
A_TOTAL = 9700.00
A_BUDGET_CHILD = 1100.00 + 2100 * 0.25 + 200 * 0.5 + 900 * 0.125 + 500 * 0.25 + 400 * 0.125  # 2012.50
A_PREVENTIVE = 1000.00 + 100.00                                             # C1 + C5
A_CORRECTIVE = 100.00 + 37.50                                               # C3 + C6
A_LOW = 1000.00 + 400.00 + 80.00 + 80.00 + 80.00 + 30.00                    # keys × 0.8
A_HIGH = 1000.00 + 600.00 + 120.00 + 120.00 + 120.00 + 45.00                # keys × 1.2
B_CHILD, B_TOTAL = 100.00, 1000.00
ALL_CHILD, ALL_TOTAL = A_CHILD + B_CHILD, A_TOTAL + B_TOTAL
CHILDREN_A, CHILDREN_B = 25, 10


def build(engine: sa.Engine, rules: pd.DataFrame = RULES) -> None:
    """Create the schema and load the tiny data and rules (version 1) in one transaction."""
    migrations.upgrade(engine)
    pop = []
    for muni, groups in (("AAA", (10, 10, 5, 60, 10, 5)), ("BBB", (6, 2, 2, 70, 10, 10))):
        pop += [{"yr": YEAR, "municipality_code": muni, "age_group": g, "population": n}
                for g, n in zip(schema.AGE_GROUPS, groups)]
    contacts = []
    for month in (1, 2):   # per month: children 15 of 60 visits, 5 of 40 clients
        for age, visits, clients in (("0-6", 9, 3), ("13-17", 6, 2), ("18-64", 30, 25), ("75+", 15, 10)):
            contacts.append({"month": dt.date(YEAR, month, 1), "service_point_id": 1, "municipality_code": "AAA",
                             "service_area": "primary_care", "channel": "in_person", "profession": "doctor",
                             "age_group": age, "contacts": visits, "clients": clients})
    costs = []
    for muni, cls, acc, actual, budget in LINES:
        for month in (1, 2):
            costs.append({"month": dt.date(YEAR, month, 1), "municipality_code": muni, "service_class": cls,
                          "cost_account": acc, "budget_eur": round(budget / 2, 2), "actual_eur": round(actual / 2, 2)})
    area = {"C1": "child_family", "C2": "primary_care", "C3": "social_work", "C4": "elderly_care",
            "C5": "dental", "C6": "primary_care"}
    with engine.begin() as conn:
        conn.execute(schema.dim_municipality.insert(), [
            {"municipality_code": m, "name_fi": f"Kunta {m}", "name_sv": m, "county_code": "X",
             "county_fi": "Testialue", "county_en": "Test county"} for m in ("AAA", "BBB")])
        conn.execute(schema.dim_service_class.insert(), [
            {"service_class": c, "name_fi": f"Luokka {c}", "name_en": f"Class {c}", "service_area": a}
            for c, a in area.items()])
        conn.execute(schema.dim_cost_account.insert(), [
            {"cost_account": a, "name_fi": a, "name_en": a} for a in ("4000", "4300")])
        conn.execute(schema.fact_population.insert(), pop)
        conn.execute(schema.fact_contacts.insert(), contacts)
        conn.execute(schema.fact_costs.insert(), costs)
        conn.execute(schema.meta_data_version.insert().values(version=1, changed_at=dt.datetime(2025, 3, 1),
                                                              reason="tiny"))
        _write_version(conn, rules, 1, "test", "tiny", "initial", dt.datetime(2025, 3, 1))
        migrations.sync_sequences(conn)
        rollups.refresh(conn)       # facts written by other means than the app: the rollups are rebuilt (README)

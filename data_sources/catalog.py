"""Small look-ups the UI needs about the warehouse: regions, the data's time span, its version."""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from . import schema


def municipalities(engine: sa.Engine) -> pd.DataFrame:
    t = schema.dim_municipality
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.county_code, t.c.name_fi)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in t.columns])


def _table(engine: sa.Engine, t: sa.Table, order: sa.Column) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(order)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in t.columns])


def service_areas(engine: sa.Engine) -> pd.DataFrame:
    return _table(engine, schema.dim_service_area, schema.dim_service_area.c.service_area)


def service_classes(engine: sa.Engine) -> pd.DataFrame:
    return _table(engine, schema.dim_service_class, schema.dim_service_class.c.service_class)


def cost_accounts(engine: sa.Engine) -> pd.DataFrame:
    return _table(engine, schema.dim_cost_account, schema.dim_cost_account.c.cost_account)


def latest_month(engine: sa.Engine) -> tuple[int, int]:
    """(year, month) of the newest month in the contacts facts."""
    t = schema.fact_contacts
    with engine.connect() as conn:
        newest = conn.execute(sa.select(sa.func.max(t.c.month))).scalar()
    if newest is None:
        raise LookupError("the warehouse has no contacts yet")
    newest = pd.Timestamp(newest)
    return newest.year, newest.month


def data_version(engine: sa.Engine) -> tuple[int, str]:
    """Current data version and when it changed; every cached query is keyed on it."""
    t = schema.meta_data_version
    with engine.connect() as conn:
        row = conn.execute(sa.select(t.c.version, t.c.changed_at).order_by(t.c.version.desc()).limit(1)).first()
    if row is None:
        return 0, ""
    return int(row[0]), pd.Timestamp(row[1]).strftime("%d.%m.%Y %H:%M")


def service_points(engine: sa.Engine) -> pd.DataFrame:
    t = schema.dim_service_point
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.service_point_id)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in t.columns])


def service_deficit(engine: sa.Engine) -> pd.DataFrame:
    """The real 2019→2021 % changes (reference data from the Keski-Suomi RRF plan)."""
    t = schema.ref_service_deficit
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t)).fetchall()
    df = pd.DataFrame(rows, columns=[c.name for c in t.columns])
    df["change_pct"] = df["change_pct"].astype(float)
    return df

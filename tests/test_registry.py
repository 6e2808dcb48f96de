"""The KPI registry: complete, documented, validated at load, and its SQL kept as reviewed snapshots."""
import copy
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.dialects import postgresql

from data_sources.schema import VIEW_COLUMNS
from data_sources.settings import SETTINGS
from metrics.engine import Filters, measure_select
from metrics.registry import REGISTRY_FILE, RegistryError, load_registry, parse, validate

SNAPSHOTS = Path(__file__).parent / "snapshots"
DOMAIN_KPIS = ("care_guarantee_7d", "t3_primary", "dental_within_3m", "callback_delay", "remote_share",
               "eservice_adults", "continuity_coc", "calls_total", "calls_answered_share", "team_clients",
               "multi_service_clients", "cost_per_contact", "cost_per_client", "net_cost_per_resident",
               "net_cost_total")


def raw():
    return yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))


def test_registry_has_every_level_and_enough_kpis():
    reg = load_registry()
    assert len(reg.kpis) >= 25
    counts = {lvl: len(reg.by_level(lvl)) for lvl in ("strategic", "tactical", "operational")}
    assert all(n >= 5 for n in counts.values()), counts


def test_domain_indicators_are_in_the_registry():
    assert set(DOMAIN_KPIS) <= set(load_registry().kpis)


def test_every_kpi_and_setting_is_documented():
    for k in load_registry().kpis.values():
        for text in (k.name_fi, k.name_en, k.description_fi, k.description_en, k.owner, k.source_fi):
            assert text and len(text.strip()) > 2, k.id
        assert k.description_fi != k.description_en, k.id
    for s in SETTINGS:
        assert len(s.help) > 15, s.name


def test_registry_views_exist_in_the_warehouse(duck):
    with duck.connect() as conn:
        for view_name, cols in VIEW_COLUMNS.items():
            result = conn.execute(sa.text(f"SELECT * FROM {view_name} LIMIT 0"))
            assert tuple(result.keys()) == cols, view_name


def _break(doc, how):
    doc = copy.deepcopy(doc)
    k = doc["kpis"][0]
    if how == "unknown_view":
        doc["measures"]["contacts"]["view"] = "v_nope"
    elif how == "unknown_column":
        doc["measures"]["contacts"]["expr"] = "nope"
    elif how == "missing_name":
        k["name_fi"] = ""
    elif how == "ratio_without_denominator":
        kid = next(i for i, x in enumerate(doc["kpis"]) if x["type"] == "ratio")
        del doc["kpis"][kid]["denominator"]
    elif how == "unknown_numerator":
        k["numerator"] = "nope"
    elif how == "bad_level":
        k["level"] = "galactic"
    elif how == "duplicate_id":
        doc["kpis"].append(copy.deepcopy(k))
    elif how == "target_without_direction":
        k["direction"] = "neutral"
        k["target"] = {"value": 1, "date": "2025-12"}
    elif how == "filter_not_in_view":
        k["filter"] = {"channel": ["phone"]}
    elif how == "bad_grain":
        k["grains"] = ["week"]
    return doc


@pytest.mark.parametrize("how", ["unknown_view", "unknown_column", "missing_name", "ratio_without_denominator",
                                 "unknown_numerator", "bad_level", "duplicate_id", "target_without_direction",
                                 "filter_not_in_view", "bad_grain"])
def test_validator_refuses_broken_entries(how):
    doc = _break(raw(), how)
    assert validate(doc), how
    with pytest.raises(RegistryError):
        parse(doc)


def test_clean_registry_validates():
    assert validate(raw()) == []


DIALECTS = {"duckdb": None, "postgresql": postgresql.dialect()}


def _compiled(kpi_id, dialect_name):
    from duckdb_engine import Dialect as DuckDialect
    reg = load_registry()
    k = reg[kpi_id]
    dialect = DuckDialect() if dialect_name == "duckdb" else DIALECTS[dialect_name]
    f = Filters(year=2025, months=(1, 6), county="KS")
    parts = []
    for mid in filter(None, (k.numerator, k.denominator)):
        stmt = measure_select(reg.measures[mid], f, ("yr",), (2024, 2025), k.filter)
        parts.append(str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})))
    return "\n;\n".join(parts) + "\n"


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_sql_snapshots(dialect):
    """Generated SQL per dialect is reviewed like code; UPDATE_SNAPSHOTS=1 rewrites the files."""
    changed = []
    for kid in load_registry().kpis:
        path = SNAPSHOTS / dialect / f"{kid}.sql"
        sql = _compiled(kid, dialect)
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(sql, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != sql:
            changed.append(kid)
    assert not changed, f"SQL changed for {changed}; review and rerun with UPDATE_SNAPSHOTS=1"

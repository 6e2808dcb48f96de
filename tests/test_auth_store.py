"""The user store, the audit trail and region scope below the UI (issue 11), on DuckDB and PostgreSQL: the
command line, argon2 hashes, the append-only trigger, and scope applied in the SQL of every kind of query
(KPI values, child budget, forecast key, board-pack slides, upload templates and uploads)."""
from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import pytest
import sqlalchemy as sa

from app import users as admin_cli
from data_sources import audit, catalog, migrations
from data_sources import users as store
from data_sources.engine import make_engine
from data_sources.uploads import check_file
from data_sources.uploads.scope import limit_to_scope
from data_sources.uploads.templates import template_xlsx
from data_sources.uploads import DATASETS
from metrics import child_budget as cb
from metrics.engine import Filters, kpi_summary, kpi_values
from tests.conftest import ROOT

KH = Filters(year=2026, months=(1, 10), scope_county="KH")
TWO = Filters(year=2026, months=(1, 10), scope_county="KH", scope_municipalities=("109", "165"))


def kh_codes(engine) -> set[str]:
    m = catalog.municipalities(engine)
    return set(m[m.county_code == "KH"].municipality_code)


@pytest.fixture(scope="module")
def pg_demo(pg_demo_copy):
    """The demo warehouse in a private PostgreSQL schema (a copy of the run's: the tests write)."""
    with pg_demo_copy("jt_auth") as (url, schema):
        engine = make_engine(url, schema=schema)
        yield engine
        engine.dispose()


@pytest.fixture(params=["duckdb", "postgresql"])
def wh(request, warehouse_copy, pg_demo):
    if request.param == "duckdb":
        engine = warehouse_copy("authstore")
        migrations.upgrade(engine)
        return engine
    return pg_demo


def test_kpi_values_scope_in_sql_on_both_backends(wh):
    by_muni = kpi_values(wh, "care_guarantee_7d", KH, ("municipality_code",))
    assert set(by_muni.municipality_code) == kh_codes(wh)
    unscoped_kh = kpi_summary(wh, "care_guarantee_7d", Filters(year=2026, months=(1, 10), county="KH"))
    assert kpi_summary(wh, "care_guarantee_7d", KH).value == pytest.approx(unscoped_kh.value, rel=1e-12)
    two = kpi_values(wh, "contacts_per_1000", TWO, ("municipality_code",))
    assert set(two.municipality_code) <= {"109", "165"} and len(two)
    # a choice outside the scope selects nothing (it does not fall back to the chosen county)
    escape = Filters(year=2026, months=(1, 10), county="KS", scope_county="KH")
    assert kpi_values(wh, "care_guarantee_7d", escape, ("municipality_code",)).empty


def test_child_budget_respects_scope(wh):
    levels = cb.by_levels(wh, KH)
    munis = levels[levels.level == "municipality"]
    assert set(munis.code) <= kh_codes(wh) and len(munis)
    assert set(levels[levels.level == "county"].code) == {"KH"}
    lines = cb.by_line(wh, TWO)
    whole = cb.by_line(wh, Filters(year=2026, months=(1, 10)))
    assert lines.actual_eur.sum() < whole.actual_eur.sum() / 5


def test_forecast_key_and_slides_carry_the_scope(duck):
    from app.exports import slides_from_engine
    from metrics.forecast import scope_key
    from ui.board_pack import PackItem

    assert scope_key(KH) == "county_code=KH"
    assert scope_key(Filters(year=2026, county="KS", scope_county="KH")) == "county_code="   # selects nothing
    slides = slides_from_engine(duck, [PackItem("care_guarantee_7d", "regions")], KH, "Kanta-Häme")
    names = set(slides[0].regions.name)
    m = catalog.municipalities(duck)
    assert names and names <= set(m[m.county_code == "KH"].name_fi), names


def test_upload_template_and_rows_respect_scope(duck):
    data = template_xlsx(duck, DATASETS["care_guarantee"], (), municipalities={"109", "165"})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    codes = {c.value for row in wb["Koodit"].iter_rows(min_row=2) for c in row if c.value}
    assert "109" in codes and "179" not in codes and "398" not in codes
    from tests.upload_files import CG_HEADERS_FI, care_rows, xlsx
    rows = [r for r in care_rows(dt.date(2026, 9, 1)) if r[1] in ("109", "179", "398")]
    v = check_file(duck, xlsx({"Data": [CG_HEADERS_FI] + rows}), "x.xlsx", "care_guarantee")
    assert v.ok
    limited = limit_to_scope(v, kh_codes(duck))
    assert not limited.ok and limited.counts["out_of_scope"] == 4
    bad = [i for i in limited.issues if i.code == "out_of_scope"]
    assert {i.value for i in bad} == {"179", "398"} and all(i.row and i.cell.startswith("B") for i in bad)
    assert limit_to_scope(v, None) is v


def test_audit_is_append_only_on_postgresql(pg_demo):
    audit.record(pg_demo, "aino", "signin_ok", role="admin", scope="*")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with pg_demo.begin() as conn:
            conn.execute(sa.text("UPDATE audit_event SET user_name = 'joku'"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with pg_demo.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_event"))
    assert (audit.events(pg_demo, user="aino").action == "signin_ok").all()


def test_store_and_admin_functions_on_both_backends(wh):
    name = admin_cli.add_user(wh, "setup", "  Maija.M ", "analyst", "Pitkä-salasana-123", "Maija", "PH")
    assert name == "maija.m"
    u = store.get(wh, "MAIJA.M")
    assert u.role == "analyst" and u.scope_county == "PH" and u.password_hash.startswith("$argon2id$")
    with pytest.raises(admin_cli.AdminError) as e:
        admin_cli.add_user(wh, "setup", "maija.m", "viewer", "Pitkä-salasana-123")
    assert e.value.code == "name_taken"
    for bad, code in ((dict(role="boss"), "role"), (dict(county="XX"), "county"),
                      (dict(municipalities=("999",)), "municipality"), (dict(password="lyhyt"), "password_short"),
                      (dict(county="KS", municipalities=("109",)), "outside_county")):
        args = dict(role="viewer", password="Pitkä-salasana-123", county=None, municipalities=())
        args.update(bad)
        with pytest.raises(admin_cli.AdminError) as e:
            admin_cli.add_user(wh, "setup", f"x{code}", args["role"], args["password"], "", args["county"],
                               args["municipalities"])
        assert e.value.code == code
    admin_cli.set_scope(wh, "aino", "maija.m", "KH", ("109",))
    admin_cli.set_disabled(wh, "aino", "maija.m", True)
    u = store.get(wh, "maija.m")
    assert u.scope_municipalities == ("109",) and u.disabled
    ev = audit.events(wh, actions=("user_admin",), user="aino")
    assert {"scope", "disabled"} <= set(ev.detail) and "KH:109" in set(ev.scope)


def test_command_line_adds_lists_and_refuses(tmp_path, warehouse_path, command_line):
    import shutil
    path = tmp_path / "cli.duckdb"
    shutil.copy(warehouse_path, path)
    url = f"duckdb:///{path}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args, stdin=""):
        return command_line.run("app.users", "--url", url, *args, input=stdin, cwd=ROOT, env=env, timeout=120)
    added = cli("add", "pekka", "--role", "admin", "--display", "Pekka P", stdin="Komentorivin-salasana-9\n")
    assert added.returncode == 0, added.stderr
    assert cli("add", "pekka", "--role", "viewer", stdin="Komentorivin-salasana-9\n").returncode == 2
    assert cli("add", "lyhyt", "--role", "viewer", stdin="abc\n").returncode == 2
    assert cli("scope", "pekka", "--county", "ZZ").returncode == 2
    assert cli("role", "pekka", "executive").returncode == 0
    listed = cli("list").stdout
    assert "pekka\texecutive\t*\tactive\tPekka P" in listed
    assert "Komentorivin-salasana-9" not in added.stdout + added.stderr + listed
    engine = make_engine(url)
    assert store.count(engine) == 1
    assert "Komentorivin-salasana-9".encode() not in path.read_bytes()
    engine.dispose()

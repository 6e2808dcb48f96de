"""Ingest on a real DuckDB file and the real PostgreSQL server: counts, idempotence, replace mode, exact
rollback, and a process killed in the middle of an ingest leaves nothing behind."""
import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import demo, uploads
from data_sources.engine import make_engine

from .conftest import LATEST, ROOT, TEST_SCALE
from .upload_files import care_csv, care_rows, checksum, good_care_guarantee, xlsx, CG_HEADERS_FI

NOV = dt.date(2026, 11, 1)


@pytest.fixture()
def duck_copy(warehouse_path, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, path)
    engine = make_engine(f"duckdb:///{path}")
    yield engine, path
    engine.dispose()


def check(engine, data, name="hoitotakuu.xlsx", dataset="care_guarantee"):
    v = uploads.check_file(engine, data, name, dataset)
    assert v.ok, [(i.code, i.row, i.cell, i.value) for i in v.issues]
    return v


def month_rows(engine, month):
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.text(
            "SELECT municipality_code, service_area, visits_total, visits_within_7d, visits_within_14d, "
            "visits_within_90d FROM fact_care_guarantee WHERE month = :m"), {"m": month}))


def test_reader_recognises_real_world_layout(duck_copy):
    engine, _ = duck_copy
    v = check(engine, good_care_guarantee())
    codes = {n.code for n in v.notes}
    assert {"title_rows", "headers_fi", "totals_row", "finnish_date", "zero_padded", "thousand_spaces",
            "sheets_used"} <= codes
    assert len(v.frame) == len(care_rows(NOV))
    assert set(v.frame.municipality_code) == {r[1] for r in care_rows(NOV)}   # 077 kept as text with zero


def test_csv_with_english_headers_gives_the_same_rows(duck_copy):
    engine, _ = duck_copy
    a = check(engine, good_care_guarantee()).frame
    b = check(engine, care_csv(), "care.csv").frame
    cols = list(a.columns)
    assert a.sort_values(cols[:3]).reset_index(drop=True).equals(b.sort_values(cols[:3]).reset_index(drop=True))


def test_new_month_ingest_idempotent_and_exact_rollback(duck_copy):
    engine, _ = duck_copy
    before = checksum(engine)
    data = good_care_guarantee()
    v = check(engine, data)
    cmp = uploads.preview(engine, v)
    assert (cmp.rows, cmp.inserted, cmp.updated, cmp.deleted) == (len(v.frame), len(v.frame), 0, 0)
    assert checksum(engine) == before                           # preview writes nothing
    assert uploads.new_periods(engine, v) == [sa_ts(NOV)]
    stages = []
    res = uploads.ingest(engine, v, "Anna Analyytikko", progress=lambda f, s: stages.append((f, s)))
    assert [s for _, s in stages][-1] == "done" and [f for f, _ in stages] == sorted(f for f, _ in stages)
    expected = sorted((r[1], r[2], *r[3:]) for r in care_rows(NOV))
    assert month_rows(engine, NOV) == expected
    after = checksum(engine)
    again = uploads.ingest(engine, check(engine, data), "Anna Analyytikko")
    assert again.already and again.upload_id == res.upload_id
    assert checksum(engine) == after                             # same file twice changes nothing
    resaved = xlsx({"Uusi": [CG_HEADERS_FI] + care_rows(NOV)})   # same rows, another file (other bytes)
    same = uploads.ingest(engine, check(engine, resaved), "Anna Analyytikko")
    assert same.already and same.upload_id is None and same.comparison.unchanged == len(expected)
    assert checksum(engine) == after
    log = uploads.audit_log(engine)
    row = log[log.upload_id == res.upload_id].iloc[0]
    assert (row.uploaded_by, row.rows_inserted, row.status) == ("Anna Analyytikko", len(expected), "committed")
    uploads.rollback(engine, res.upload_id, "admin")
    restored = checksum(engine)
    changed = {k for k in before if before[k] != restored[k]}
    assert changed <= {"upload_audit", "meta_data_version", "upload_rows_fact_care_guarantee"}
    assert restored["fact_care_guarantee"] == before["fact_care_guarantee"]


def sa_ts(d):
    import pandas as pd
    return pd.Timestamp(d)


def test_update_existing_month_and_rollback_restores_old_values(duck_copy):
    engine, _ = duck_copy
    sep = dt.date(2026, 9, 1)
    old = month_rows(engine, sep)
    before = checksum(engine)["fact_care_guarantee"]
    data = xlsx({"Data": [CG_HEADERS_FI] + care_rows(sep)})
    v = check(engine, data)
    cmp = uploads.preview(engine, v)
    assert cmp.inserted == 0 and cmp.updated + cmp.unchanged == cmp.rows and cmp.updated > 0
    res = uploads.ingest(engine, v, "a")
    assert month_rows(engine, sep) == sorted((r[1], r[2], *r[3:]) for r in care_rows(sep))
    uploads.rollback(engine, res.upload_id, "admin")
    assert month_rows(engine, sep) == old
    assert checksum(engine)["fact_care_guarantee"] == before


def test_replace_mode_removes_rows_missing_from_the_file_and_guards_rollback_order(duck_copy):
    engine, _ = duck_copy
    sep = dt.date(2026, 9, 1)
    rows = [r for r in care_rows(sep) if r[2] == "primary_care"]       # the file drops dental
    v = check(engine, xlsx({"Data": [CG_HEADERS_FI] + rows}))
    upsert, replace = uploads.preview(engine, v, "upsert"), uploads.preview(engine, v, "replace")
    assert upsert.deleted == 0 and replace.deleted == len(rows)      # one dental row per municipality
    first = uploads.ingest(engine, v, "a", mode="replace")
    assert {r[1] for r in month_rows(engine, sep)} == {"primary_care"}
    second = uploads.ingest(engine, check(engine, good_care_guarantee()), "a")
    with pytest.raises(uploads.UploadError) as exc:
        uploads.rollback(engine, first.upload_id, "admin")
    assert exc.value.code == "later_upload" and exc.value.params["later"] == second.upload_id
    uploads.rollback(engine, second.upload_id, "admin")
    uploads.rollback(engine, first.upload_id, "admin")
    assert {r[1] for r in month_rows(engine, sep)} == {"primary_care", "dental"}
    with pytest.raises(uploads.UploadError):
        uploads.rollback(engine, first.upload_id, "admin")


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from data_sources import uploads
    from data_sources.engine import make_engine
    from tests.upload_files import good_care_guarantee
    engine = make_engine(sys.argv[1], schema=sys.argv[2])
    v = uploads.check_file(engine, good_care_guarantee(), "hoitotakuu.xlsx", "care_guarantee")
    def progress(fraction, stage):
        if stage == "committing":          # every row written, version bumped, not yet committed
            print("WRITTEN", flush=True)
            time.sleep(120)
    uploads.ingest(engine, v, "kill test", progress=progress)
""")


def kill_mid_ingest(url: str, schema: str = "") -> None:
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, url, schema], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stdout.readline()
        assert line.strip() == "WRITTEN", proc.stderr.read()
    finally:
        proc.kill()
        proc.wait(30)


def test_killed_ingest_leaves_no_partial_data_duckdb(duck_copy):
    engine, path = duck_copy
    before = checksum(engine)
    engine.dispose()                      # DuckDB: one process owns the file
    kill_mid_ingest(f"duckdb:///{path}")
    engine = make_engine(f"duckdb:///{path}")
    try:
        assert checksum(engine) == before
        assert month_rows(engine, NOV) == []
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_engine(pg_schema_url):
    url, schema = pg_schema_url
    engine = make_engine(url, schema=schema)
    frames = demo.generate(scale=TEST_SCALE, latest=LATEST)
    keep = ("dim_municipality", "dim_service_area", "dim_service_class", "dim_cost_account", "dim_service_point",
            "fact_care_guarantee")
    demo.write_warehouse(engine, {k: frames[k] for k in keep})
    yield engine, url, schema
    engine.dispose()


@pytest.mark.postgres
def test_postgres_gives_the_same_counts_and_exact_rollback(pg_engine, duck_copy):
    pg, url, schema = pg_engine
    duck, _ = duck_copy
    sep = dt.date(2026, 9, 1)
    for data in (good_care_guarantee(), xlsx({"Data": [CG_HEADERS_FI] + care_rows(sep)})):
        assert uploads.preview(pg, check(pg, data)) == uploads.preview(duck, check(duck, data))
    before = checksum(pg)
    data = good_care_guarantee()
    res = uploads.ingest(pg, check(pg, data), "pg")
    assert month_rows(pg, NOV) == sorted((r[1], r[2], *r[3:]) for r in care_rows(NOV))
    assert uploads.ingest(pg, check(pg, data), "pg").already
    uploads.rollback(pg, res.upload_id, "admin")
    assert checksum(pg)["fact_care_guarantee"] == before["fact_care_guarantee"]


@pytest.mark.postgres
def test_killed_ingest_leaves_no_partial_data_postgres(pg_engine):
    pg, url, schema = pg_engine
    before = checksum(pg)
    kill_mid_ingest(url, schema)
    assert checksum(pg) == before


def test_ready_kpi_series_upload_becomes_the_indicator(duck_copy):
    """An analyst uploads IPS outcomes for a new month: the registry KPI that reads ready series shows
    their mean; a KPI computed from warehouse facts cannot be overwritten by a series."""
    from metrics.engine import Filters, kpi_values
    from metrics.registry import load_registry
    from app.upload import registry_ids

    engine, _ = duck_copy
    ids = registry_ids()
    assert set(ids) == {"ips_employment", "digital_centre_coverage"}
    values = {"179": 41.5, "398": "35,5"}                     # Jyväskylä, Lahti (a decimal comma as text)
    rows = [["Mittari", "Kuukausi", "Kuntakoodi", "Arvo"]] + \
        [["ips_employment", "1.11.2026", code, v] for code, v in values.items()]
    data = xlsx({"Sarja": rows})
    v = uploads.check_file(engine, data, "ips.xlsx", "kpi_series", registry_ids=ids)
    assert v.ok, [(i.code, i.cell, i.value) for i in v.issues]
    uploads.ingest(engine, v, "Anna Analyytikko")
    got = kpi_values(engine, "ips_employment", Filters(year=2026, months=(11, 11)), ("yr",))
    assert got.value.iloc[0] == pytest.approx((41.5 + 35.5) / 2)
    assert load_registry()["ips_employment"].unit == "pct"

    wrong = xlsx({"Sarja": [["Mittari", "Kuukausi", "Kuntakoodi", "Arvo"], ["care_guarantee_7d", "1.11.2026", "179", 90]]})
    v = uploads.check_file(engine, wrong, "ips.xlsx", "kpi_series", registry_ids=ids)
    assert not v.ok and "unknown_code" in v.counts
    issue = next(i for i in v.issues if i.code == "unknown_code")
    assert issue.column == "kpi_id" and "ips_employment" in issue.params["examples"]


def test_preview_chart_compares_like_with_like(duck_copy):
    """A file with three municipalities' primary care only: the warehouse line is the same slice, not every
    service area of those municipalities."""
    engine, _ = duck_copy
    rows = [r for r in care_rows(NOV) if r[2] == "primary_care"][:3]
    v = check(engine, xlsx({"Hoitotakuu": [CG_HEADERS_FI, *rows]}))
    totals = uploads.monthly_totals(engine, v)
    old = totals[totals.source == "warehouse"].set_index("period").value
    codes = [r[1] for r in rows]
    with engine.connect() as conn:
        expected = dict(conn.execute(sa.text(
            "SELECT month, SUM(visits_total) FROM fact_care_guarantee WHERE service_area = 'primary_care' "
            "AND municipality_code IN (:a, :b, :c) AND month >= :first GROUP BY month"),
            {"a": codes[0], "b": codes[1], "c": codes[2], "first": dt.date(2024, 11, 1)}).fetchall())
        all_areas = conn.execute(sa.text(
            "SELECT SUM(visits_total) FROM fact_care_guarantee WHERE municipality_code IN (:a, :b, :c) "
            "AND month = :m"), {"a": codes[0], "b": codes[1], "c": codes[2], "m": dt.date(2026, 10, 1)}).scalar()
    assert len(old) == 24 and expected
    assert {pd_ts.date(): float(v) for pd_ts, v in old.items()} == {m: float(s) for m, s in expected.items()}
    assert old.iloc[-1] < all_areas          # the other service areas are left out
    new = totals[totals.source == "file"].value
    assert list(new) == [float(sum(r[3] for r in rows))]


def _classification_csv(rules) -> bytes:
    from .upload_files import CB_HEADER
    def cell(x) -> str:
        return "" if x is None or x != x else str(x).replace(";", ",")
    lines = [CB_HEADER.rstrip("\n")]
    for r in rules.itertuples():
        share = "" if r.fixed_share is None or r.fixed_share != r.fixed_share else str(r.fixed_share).replace(".", ",")
        lines.append(";".join([r.service_class, r.cost_account, r.target_class, r.prevention, cell(r.allocation_key),
                               share, cell(r.key_source)]))
    return ("\n".join(lines) + "\n").encode()


def test_classification_upload_is_a_new_version_and_rolls_back(duck_copy):
    """The child-budget classification goes in as a new classification version (history and change log, as
    an edit on the page would), is idempotent, and a rollback puts the previous rules back as a new version;
    once the classification is edited after the upload, the rollback is refused."""
    from data_sources import child_budget as cb
    engine, _ = duck_copy
    before = cb.read_classification(engine)
    versions = len(cb.read_versions(engine))
    rules = before.copy()
    rules.loc[0, ["target_class", "allocation_key", "key_source"]] = ["direct", None, ""]
    data = _classification_csv(rules)
    v = check(engine, data, "luokitus.csv", "child_budget_class")
    assert "*" in set(v.frame.cost_account)                        # "every account" is a valid code
    assert uploads.preview(engine, v, "replace") == uploads.Comparison(len(rules), 0, 1, len(rules) - 1, 0)
    res = uploads.ingest(engine, v, "Aino", "replace")
    after = cb.read_classification(engine)
    assert after.loc[0, "target_class"] == "direct" and pd.isna(after.loc[0, "allocation_key"])
    log = cb.read_versions(engine)
    assert len(log) == versions + 1 and log.changed_by.iloc[0] == "Aino"
    assert "target_class partial → direct" in log.changes.iloc[0]
    assert uploads.ingest(engine, v, "Aino", "replace").already           # the same file again: nothing
    assert uploads.rollback(engine, res.upload_id, "Admin") == res.data_version + 1
    restored = cb.read_classification(engine)
    assert restored.drop(columns="version").equals(before.drop(columns="version"))
    assert len(cb.read_versions(engine)) == versions + 2

    # a second upload, then an edit on the page: that upload can no longer be undone
    res2 = uploads.ingest(engine, check(engine, _classification_csv(rules), "luokitus2.csv", "child_budget_class"),
                          "Aino", "upsert")
    edited = cb.read_classification(engine)
    edited.loc[1, "prevention"] = "preventive"
    cb.save_classification(engine, edited, "Bertta", "työpaja")
    with pytest.raises(uploads.UploadError) as err:
        uploads.rollback(engine, res2.upload_id, "Admin")
    assert err.value.code == "later_classification"

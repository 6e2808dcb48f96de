"""The one schema path (data_sources/migrations.py) on DuckDB and PostgreSQL: a fresh warehouse reaches the latest
version, upgrade is idempotent and safe when several processes start at once, warehouses built before a feature
or before numbered migrations upgrade and keep their rows and ids; and the demo data did not change when its
generator was split per table."""
import datetime as dt
import hashlib
import threading
import uuid

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import child_budget as cb
from data_sources import demo, exports, forecasts, migrations, schema, uploads
from data_sources.dialects import spec_for
from data_sources.engine import make_engine
from data_sources.uploads.ingest import shadow_metadata, shadow_table, target_table

from .conftest import LATEST
from .upload_files import CB_HEADER, CG_HEADERS_FI, care_rows, xlsx

LATEST_VERSION = len(migrations.MIGRATIONS)
# tables that came with later features: the oldest warehouses lack them
LATER = {"fact_kpi_series", "upload_audit", "forecast_run", "forecast_point", "forecast_backtest", "audit_export",
         "board_pack_selection", "child_budget_class", "child_budget_class_version", "child_budget_class_history"}
BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def empty(request, tmp_path):
    """A function giving engines on one empty warehouse (PostgreSQL: a schema of its own)."""
    engines, name = [], None
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    else:
        url, _ = request.getfixturevalue("pg_schema_url")      # skipped without a server, never in CI
        name = f"jt_mig_{uuid.uuid4().hex[:8]}"
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {name}"))

    def make() -> sa.Engine:
        engines.append(make_engine(url, schema=name))
        return engines[-1]
    yield make
    for e in engines:
        e.dispose()
    if name:
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))


@pytest.fixture(scope="module")
def frames():
    """Demo rows for the old warehouses, without the two biggest facts (quicker to load, nothing lost here)."""
    return {k: v for k, v in demo.generate(scale=0.05, latest=LATEST).items()
            if k not in ("fact_contacts", "fact_costs")}


def recorded(engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars())


def relations(engine) -> set[str]:
    inspector = sa.inspect(engine)
    return set(inspector.get_table_names()) | set(inspector.get_view_names())


def counts(engine, names) -> dict[str, int]:
    with engine.connect() as conn:
        return {n: conn.execute(sa.text(f"SELECT COUNT(*) FROM {n}")).scalar() for n in sorted(names)}


def latest_relations() -> set[str]:
    shadows = {shadow_table(target_table(d)).name for d in uploads.available_datasets()}
    return set(schema.metadata.tables) | shadows | set(schema.VIEWS) | {"schema_version"}


def test_fresh_warehouse_reaches_the_latest_version_and_upgrade_is_idempotent(empty):
    engine = empty()
    assert migrations.upgrade(engine) == LATEST_VERSION
    assert recorded(engine) == list(range(1, LATEST_VERSION + 1))
    assert latest_relations() <= relations(engine)
    with engine.connect() as conn:
        applied = conn.execute(sa.text("SELECT applied_at FROM schema_version")).scalars().all()
    assert migrations.upgrade(engine) == LATEST_VERSION                      # again: nothing to do
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT applied_at FROM schema_version")).scalars().all() == applied
        # the ids start at 1 in an empty warehouse
        assert [conn.scalar(seq.next_value()) for seq, _ in schema.SEQUENCES] == [1, 1, 1]


@pytest.mark.postgres
@pytest.mark.parametrize("empty", ["postgresql"], indirect=True)     # DuckDB has one writer process
def test_processes_starting_at_once_apply_each_migration_once(empty):
    """Four app servers start on an empty schema together: each gets the latest version, none fails, and every
    migration is recorded once (the advisory lock serialises them)."""
    engines = [empty() for _ in range(4)]
    start, results = threading.Barrier(len(engines)), []

    def run(engine):
        start.wait()
        try:
            results.append(migrations.upgrade(engine))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [LATEST_VERSION] * len(engines)
    assert recorded(engines[0]) == list(range(1, LATEST_VERSION + 1))


def old_metadata(without: set[str] = frozenset()) -> sa.MetaData:
    """The tables as schema.py declared them before numbered migrations (no upload link on classification
    versions), minus `without`."""
    md = sa.MetaData()
    for t in schema.metadata.sorted_tables:
        if t.name in without:
            continue
        if t.name == "child_budget_class_version":
            sa.Table(t.name, md, *(sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                                             autoincrement=False) for c in t.columns if c.name != "upload_id"))
        else:
            t.to_metadata(md)
    return md


def build_old(engine, frames, md: sa.MetaData, data_versions: int) -> None:
    """An old warehouse as the code before migrations left it: its tables and views, rows, no schema_version."""
    md.create_all(engine)
    with engine.begin() as conn:
        migrations.create_views(conn, {n: s for n, s in schema.VIEWS.items()
                                       if n != "v_kpi_series" or "fact_kpi_series" in md.tables})
        for name, df in frames.items():
            if name in md.tables:
                spec_for(conn).bulk_insert(conn, md.tables[name], df)
        conn.execute(schema.meta_data_version.insert(), [{"version": v, "changed_at": dt.datetime(2025, 1, v),
                                                          "reason": "old"} for v in range(1, data_versions + 1)])


def care_upload(engine, month: dt.date, user: str = "Anna"):
    v = uploads.check_file(engine, xlsx({"Data": [CG_HEADERS_FI] + care_rows(month, 3)}), "hoitotakuu.xlsx",
                           "care_guarantee")
    assert v.ok, [(i.code, i.row) for i in v.issues]
    return uploads.ingest(engine, v, user)


def test_oldest_warehouse_gets_the_later_tables_and_keeps_its_rows(empty, frames):
    """Built before uploads, forecasts, exports and the classification: upgrade creates their tables, seeds the
    shipped classification as version 1, and the facts, dimensions and data versions stay as they were."""
    engine = empty()
    md = old_metadata(without=LATER)
    build_old(engine, frames, md, data_versions=3)
    before = counts(engine, md.tables)
    assert "schema_version" not in relations(engine) and "upload_audit" not in relations(engine)

    assert migrations.upgrade(engine) == LATEST_VERSION
    assert counts(engine, md.tables) == before
    assert latest_relations() <= relations(engine)
    assert recorded(engine) == list(range(1, LATEST_VERSION + 1))
    versions = cb.read_versions(engine)
    assert list(versions.version) == [1] and versions.upload_id.isna().all()
    shipped = cb.default_classification()
    assert len(cb.read_classification(engine)) == len(shipped)

    res = care_upload(engine, dt.date(2026, 9, 1))
    assert (res.upload_id, res.data_version) == (1, 4)       # the data version continues after the old ones
    assert cb.save_classification(engine, shipped.assign(prevention="other"), "Aino") == 2
    assert exports.save_selection(engine, "Hallitus", [{"kpi": "k", "kind": "card"}]) == "Hallitus"
    assert forecasts.stored_kpis(engine, "all", res.data_version) == []


def test_warehouse_from_before_migrations_keeps_its_ids_and_upload_links(empty, frames):
    """Every table there, ids handed out as max+1 and a classification version made by upload 7 (its note
    'upload:7 ...' was the only link): the sequences continue after the ids in use, the link becomes the column
    and that upload can still be rolled back."""
    engine = empty()
    md = old_metadata()
    build_old(engine, frames, md, data_versions=5)
    shadow_metadata.create_all(engine, tables=[shadow_table(target_table(d))
                                               for d in uploads.available_datasets()])
    v1 = cb.read_classification(engine)
    with engine.begin() as conn:                              # upload 7 changed the first rule, as v2
        first = schema.child_budget_class.c.service_class == v1.service_class[0]
        conn.execute(schema.child_budget_class.update().values(version=2))
        conn.execute(schema.child_budget_class.update().where(
            first, schema.child_budget_class.c.cost_account == v1.cost_account[0]).values(
            prevention="other" if v1.prevention[0] != "other" else "preventive"))
        conn.execute(schema.child_budget_class_history.insert().from_select(
            [c.name for c in schema.child_budget_class.columns], sa.select(schema.child_budget_class)))
        conn.execute(schema.child_budget_class_version.insert().values(
            version=2, changed_at=dt.datetime(2025, 1, 5), changed_by="Aino", note="upload:7 luokitus.csv",
            changes="..."))
        conn.execute(schema.upload_audit.insert().values(
            upload_id=7, dataset="child_budget_class", target_table="child_budget_class", file_name="luokitus.csv",
            sha256="0" * 64, uploaded_by="Aino", uploaded_at=dt.datetime(2025, 1, 5), mode="upsert", rows_in_file=1,
            rows_inserted=0, rows_updated=1, rows_unchanged=0, rows_deleted=0, status="committed", data_version=5))
    before = counts(engine, md.tables)

    assert migrations.upgrade(engine) == LATEST_VERSION
    assert counts(engine, md.tables) == before
    links = cb.read_versions(engine).set_index("version").upload_id
    assert links[2] == 7 and pd.isna(links[1])
    assert uploads.rollback(engine, 7, "Admin") == 6
    assert cb.read_classification(engine).drop(columns="version").equals(v1.drop(columns="version"))
    assert list(cb.read_versions(engine).version) == [3, 2, 1]
    assert care_upload(engine, dt.date(2026, 9, 1)).upload_id == 8


def test_classification_edit_with_an_upload_note_does_not_block_its_rollback(warehouse_copy):
    """The note is text a user types: an edit saved as 'upload:1 x' before upload 1 made rollback(1) take the
    edit for the upload's version and refuse. The upload's own version is now found by its upload_id."""
    engine = warehouse_copy("note")
    edited = cb.read_classification(engine)
    edited.loc[1, "prevention"] = "other" if edited.loc[1, "prevention"] != "other" else "preventive"
    cb.save_classification(engine, edited, "Bertta", "upload:1 x")
    in_force = cb.read_classification(engine)
    rules = in_force.copy()
    rules.loc[0, ["target_class", "allocation_key", "fixed_share", "key_source"]] = ["direct", None, None, ""]
    v = uploads.check_file(engine, classification_csv(rules), "luokitus.csv", "child_budget_class")
    assert v.ok, [(i.code, i.row) for i in v.issues]
    res = uploads.ingest(engine, v, "Aino", "replace")
    assert res.upload_id == 1
    assert uploads.rollback(engine, 1, "Admin") == res.data_version + 1
    assert cb.read_classification(engine).drop(columns="version").equals(in_force.drop(columns="version"))


def classification_csv(rules: pd.DataFrame) -> bytes:
    """The rules as an analyst's .csv (Finnish headers, decimal comma)."""
    def cell(x) -> str:
        return "" if x is None or x != x else (str(x).replace(".", ",") if isinstance(x, float)
                                                 else str(x).replace(";", ","))
    lines = [";".join(cell(r[c]) for c in cb.COLUMNS) for _, r in rules.iterrows()]
    return (CB_HEADER + "\n".join(lines) + "\n").encode()


def _digest(df: pd.DataFrame) -> str:
    """Columns, dtypes, index and every value: numbers by their bytes, anything else by repr."""
    h = hashlib.sha256()
    h.update(repr((list(df.columns), [str(t) for t in df.dtypes], len(df))).encode())
    h.update(np.asarray(df.index).tobytes())
    for c in df.columns:
        s = df[c]
        if s.dtype.kind in "biuf":
            h.update(np.ascontiguousarray(s.to_numpy()).tobytes())
        else:
            h.update("\x1f".join(map(repr, s.tolist())).encode())
    return h.hexdigest()[:16]


# computed with generate() before it was split into one function per table; a deliberate change to the demo
# data updates them
BEFORE_SPLIT = {
    (0.05, LATEST, None): {
        "dim_municipality": "84ae2aacded53ecc", "dim_service_area": "22e691c95e6db324",
        "dim_service_class": "e73b7c2ad83c4e4f", "dim_cost_account": "ead17f3a91ec8651",
        "dim_service_point": "fc575d6d356cfad5", "fact_population": "8af01ee12dc553ec",
        "fact_contacts": "ed3a32572020f2b8", "fact_care_guarantee": "562e1bdb146dfe9b", "fact_t3": "26536b8555fa0550",
        "fact_phone": "18fd40aee3947ba6", "fact_eservice": "517afc568df0bc3d", "fact_team_clients": "8cf63b2a49c7bd60",
        "fact_costs": "25b3fb1ac13404ea", "fact_kpi_series": "4cf11cd95a11422e",
        "ref_service_deficit": "4f1653cce0361cab", "child_budget_class": "22bde7d3c7087f64",
        "child_budget_class_version": "e49415e36a227fe3", "child_budget_class_history": "5738690904b5cc6a"},
    (0.2, "2025-03", ("KS",)): {
        "dim_municipality": "c1af0abc6c50fd05", "dim_service_area": "22e691c95e6db324",
        "dim_service_class": "e73b7c2ad83c4e4f", "dim_cost_account": "ead17f3a91ec8651",
        "dim_service_point": "261723b83d3153b0", "fact_population": "e6540cf33482a4ad",
        "fact_contacts": "0dcc88820dfea3f4", "fact_care_guarantee": "ada5bc0123db459f", "fact_t3": "6805bfb03640fc21",
        "fact_phone": "1ecbf7b03d3db9f7", "fact_eservice": "6847693cdc0acb65", "fact_team_clients": "67c060fdb9aaecfc",
        "fact_costs": "f7daa8937e83c908", "fact_kpi_series": "b234ee4933fd48ed",
        "ref_service_deficit": "4f1653cce0361cab", "child_budget_class": "22bde7d3c7087f64",
        "child_budget_class_version": "e49415e36a227fe3", "child_budget_class_history": "5738690904b5cc6a"},
}


@pytest.mark.parametrize("scale,latest,counties", list(BEFORE_SPLIT))
def test_demo_frames_are_byte_identical_to_before_the_split(scale, latest, counties):
    frames = demo.generate(scale=scale, latest=latest, counties=counties)
    assert {name: _digest(df) for name, df in frames.items()} == BEFORE_SPLIT[(scale, latest, counties)]
    assert list(frames) == list(BEFORE_SPLIT[(scale, latest, counties)])


def test_migrations_6_and_7_on_a_warehouse_from_before_them(warehouse_copy):
    """A warehouse at schema version 5: no age rollup, and the contacts view that counted a 'not specified'
    channel as remote, with such a row stored. Upgrading creates and fills the age rollup (equal to the view
    summed afresh) and gives the view and the rollups remote contacts of the phone, video and chat channels only."""
    from data_sources import rollups
    engine = warehouse_copy("mig67")
    old_view = schema.VIEWS["v_contacts"].replace(
        "CASE WHEN f.channel IN ('phone', 'video', 'chat') THEN f.contacts ELSE 0 END",
        "CASE WHEN f.channel = 'in_person' THEN 0 ELSE f.contacts END")
    assert old_view != schema.VIEWS["v_contacts"]
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE rollup_contacts_age"))
        migrations.create_views(conn, {"v_contacts": old_view})
        conn.execute(sa.text("INSERT INTO fact_contacts (month, service_point_id, municipality_code, service_area, "
                             "channel, profession, age_group, contacts, clients) SELECT DATE '2024-01-01', "
                             "min(service_point_id), '179', 'primary_care', 'unspec', 'unspec', 'unspec', 1000, 900 "
                             "FROM fact_contacts WHERE municipality_code = '179'"))
        rollups.refresh(conn, ["fact_contacts"], None, names={"rollup_contacts_channel", "rollup_contacts_detail"})
        conn.execute(sa.text("DELETE FROM schema_version WHERE version > 5"))
    remote = ("SELECT sum(remote_contacts) FROM {} WHERE municipality_code = '179' AND month = DATE '2024-01-01' "
              "AND service_area = 'primary_care'")
    with engine.connect() as conn:
        before = conn.scalar(sa.text(remote.format("v_contacts")))
    assert migrations.upgrade(engine) == len(migrations.MIGRATIONS)
    with engine.connect() as conn:
        after = {t: conn.scalar(sa.text(remote.format(t))) for t in
                 ("v_contacts", "rollup_contacts_channel", "rollup_contacts_age", "rollup_contacts_detail")}
        fresh = conn.scalar(sa.text("SELECT count(*) FROM (SELECT month, municipality_code, service_area, age_group, "
                                    "sum(contacts) FROM v_contacts GROUP BY 1, 2, 3, 4 EXCEPT SELECT month, "
                                    "municipality_code, service_area, age_group, contacts FROM rollup_contacts_age) x"))
    assert set(after.values()) == {before - 1000}, (before, after)
    assert fresh == 0


def test_migration_8_gives_an_older_warehouse_e_mail_addresses_and_subscriptions(empty):
    """A warehouse at schema version 7 (no e-mail column, no subscription tables, a user stored): upgrading adds
    them and keeps the user; a second upgrade changes nothing."""
    from data_sources import subscriptions, users
    engine = empty()
    migrations.upgrade(engine)
    users.add(engine, "ville", "Ville", "viewer", None, "KS")
    with engine.begin() as conn:
        for t in ("subscription", "subscription_delivery", "alert_status"):
            conn.execute(sa.text(f"DROP TABLE {t}"))
        conn.execute(sa.text("ALTER TABLE app_user DROP COLUMN email"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version > 7"))
    with engine.connect() as conn:
        assert "email" not in conn.execute(sa.text("SELECT * FROM app_user LIMIT 0")).keys()
    assert migrations.upgrade(engine) == LATEST_VERSION and recorded(engine)[7:] == list(range(8, LATEST_VERSION + 1))
    assert migrations.upgrade(engine) == LATEST_VERSION
    assert users.get(engine, "ville").email is None and users.get(engine, "ville").scope_county == "KS"
    users.update(engine, "ville", email=users.clean_email("ville@example.fi"))
    assert users.get(engine, "ville").email == "ville@example.fi"
    subscriptions.subscribe(engine, "ville", "alert", "care_guarantee_7d", "version", "fi", 1, "KS")
    assert [s.target for s in subscriptions.of_user(engine, "ville")] == ["care_guarantee_7d"]

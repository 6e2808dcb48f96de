"""The one schema path: numbered migrations, recorded in the table schema_version (not Alembic, see README).

upgrade(engine) runs where an engine is made for the app (app/state.py) and in the demo build, so in every test
warehouse too. Each migration runs in a transaction of its own under a lock, so two app servers starting at
once do not both apply it. A warehouse built before migrations existed has no schema_version: migration 1
creates only what it lacks and records the baseline.

Migration 1 creates what schema.py declares, so a fresh warehouse has the latest tables from the start; a later
migration brings older warehouses up to schema.py and must be a no-op where its change is already there
(ADD COLUMN IF NOT EXISTS, checkfirst).
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

import sqlalchemy as sa

from . import child_budget, schema
from .dialects import spec_for
from .uploads.ingest import CLASSIFICATION, available_datasets, shadow_metadata, shadow_table, target_table

version_table = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)


def _1_baseline(conn: sa.Connection) -> None:
    """The schema as it stood before numbered migrations, created where missing: tables (an older warehouse lacks
    the upload, forecast, export or classification ones), upload shadow tables, PostgreSQL month indexes and the
    views. A warehouse with service classes but no classification gets the shipped default as version 1."""
    schema.metadata.create_all(conn)
    shadow_metadata.create_all(conn, tables=[shadow_table(target_table(d)) for d in available_datasets()])
    spec_for(conn).index_months(conn, [t for t in schema.metadata.sorted_tables
                                       if t.name.startswith("fact_") and "month" in t.c])
    create_views(conn, schema.VIEWS)
    classes = conn.scalar(sa.select(sa.func.count()).select_from(schema.dim_service_class))
    versions = conn.scalar(sa.select(sa.func.count()).select_from(schema.child_budget_class_version))
    if classes and not versions:
        for name, df in child_budget.seed_frames(dt.datetime.now().replace(microsecond=0)).items():
            conn.execute(schema.metadata.tables[name].insert(),
                         df.astype(object).where(df.notna(), None).to_dict("records"))


def _2_id_sequences(conn: sa.Connection) -> None:
    """Ids from sequences that start after the largest id in use, and the classification version's upload link
    (filled in from the note 'upload:N file' for versions that uploads made before the link existed)."""
    conn.execute(sa.text("ALTER TABLE child_budget_class_version ADD COLUMN IF NOT EXISTS upload_id INTEGER"))
    for seq, col in schema.SEQUENCES:
        top = conn.scalar(sa.select(sa.func.max(col))) or 0
        conn.execute(sa.schema.CreateSequence(sa.Sequence(seq.name, start=top + 1)))
    vt, audit = schema.child_budget_class_version, schema.upload_audit
    uploads = conn.scalars(sa.select(audit.c.upload_id).where(audit.c.dataset == CLASSIFICATION)).all()
    for upload_id in uploads:
        made = sa.select(sa.func.max(vt.c.version)).where(vt.c.note.like(f"upload:{upload_id} %"))
        conn.execute(vt.update().where(vt.c.version == made.scalar_subquery()).values(upload_id=upload_id))


def _3_users_and_audit(conn: sa.Connection) -> None:
    """Local users and the append-only audit trail (issue 11): the tables where missing, the event sequence, and on
    PostgreSQL a trigger that refuses UPDATE and DELETE on audit_event (DuckDB has no triggers; the app has no
    statement that changes an event)."""
    schema.app_user.create(conn, checkfirst=True)
    schema.audit_event.create(conn, checkfirst=True)
    top = conn.scalar(sa.select(sa.func.max(schema.audit_event.c.event_id))) or 0
    conn.execute(sa.text(f"CREATE SEQUENCE IF NOT EXISTS {schema.audit_event_seq.name} START {int(top) + 1}"))
    spec_for(conn).append_only(conn, schema.audit_event.name)


def _4_rollups(conn: sa.Connection) -> None:
    """Monthly rollup tables of the big fact views (data_sources/rollups.py), created and filled from the facts."""
    from . import rollups
    rollups.create(conn)
    rollups.refresh(conn, None, None, analyze=True)


def _5_upload_profiles(conn: sa.Connection) -> None:
    """Named source profiles of analyst uploads (issue 13): the table and its signature index where missing."""
    schema.upload_profile.create(conn, checkfirst=True)
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_upload_profile_signature ON upload_profile (dataset, signature)"))


def _6_age_rollup(conn: sa.Connection) -> None:
    """The contacts rollup by age group without channel and profession (the child-budget keys read it: 5x fewer
    rows than the detail rollup), created and filled where a warehouse does not have it yet."""
    from . import rollups
    if sa.inspect(conn).has_table("rollup_contacts_age"):
        return                                   # a warehouse made after this rollup existed: _4 filled it
    rollups.create(conn)
    rollups.refresh(conn, None, None, analyze=True, names={"rollup_contacts_age"})


def _7_remote_channels_only(conn: sa.Connection) -> None:
    """Remote contacts are the phone, video and chat channels only: a coarse extract's "not specified" channel
    (issue 13) was counted as remote. The contacts view anew and its rollups recomputed where such rows exist."""
    from . import rollups
    create_views(conn, {"v_contacts": schema.VIEWS["v_contacts"]})
    if conn.scalar(sa.select(sa.func.count()).select_from(schema.fact_contacts)
                   .where(schema.fact_contacts.c.channel.not_in(schema.CHANNELS))):
        rollups.refresh(conn, ["fact_contacts"], None, analyze=True)


def _8_subscriptions(conn: sa.Connection) -> None:
    """E-mail subscriptions and KPI alerts (issue 15): a user's e-mail address, the subscriptions, their
    deliveries (one per subscription and period, the primary key keeping two runs from sending twice) and the
    KPI statuses each alert subscriber was last told of."""
    conn.execute(sa.text("ALTER TABLE app_user ADD COLUMN IF NOT EXISTS email VARCHAR(254)"))
    for table in (schema.subscription, schema.subscription_delivery, schema.alert_status):
        table.create(conn, checkfirst=True)


def _9_views_and_notes(conn: sa.Connection) -> None:
    """Saved views and KPI notes (issue 15): the tables where missing, the notes' id sequence (after the largest
    id in use) and the index on KPI."""
    schema.saved_view.create(conn, checkfirst=True)
    schema.kpi_annotation.create(conn, checkfirst=True)
    top = conn.scalar(sa.select(sa.func.max(schema.kpi_annotation.c.note_id))) or 0
    conn.execute(sa.text(f"CREATE SEQUENCE IF NOT EXISTS {schema.annotation_seq.name} START {int(top) + 1}"))
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_kpi_annotation_kpi ON kpi_annotation (kpi_id)"))


def _10_year_to_date_rollups(conn: sa.Connection) -> None:
    """The year-to-date rollups the child-budget model reads (cost lines and their client and visit keys,
    data_sources/rollups.py), created and filled where a warehouse does not have them yet."""
    from . import rollups
    if all(sa.inspect(conn).has_table(name) for name in rollups.YTD_TABLES):
        return                # made after they existed (_4 filled them) or rebuilt by `rollups rebuild`
    rollups.create(conn)
    rollups.refresh(conn, None, None, analyze=True, names={r.name for r in rollups.YTD_ROLLUPS})


MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (_1_baseline, _2_id_sequences, _3_users_and_audit,
                                                           _4_rollups, _5_upload_profiles, _6_age_rollup,
                                                           _7_remote_channels_only, _8_subscriptions,
                                                           _9_views_and_notes, _10_year_to_date_rollups)


def upgrade(engine: sa.Engine) -> int:
    """Apply the missing migrations in order, one transaction each; returns the schema version. Idempotent; a
    second process calling it at once waits for the lock, then finds each migration recorded."""
    while True:
        with engine.begin() as conn:
            spec_for(conn).lock_schema(conn)
            version_table.create(conn, checkfirst=True)
            done = conn.scalar(sa.select(sa.func.max(version_table.c.version))) or 0
            if done >= len(MIGRATIONS):
                return done
            MIGRATIONS[done](conn)
            conn.execute(version_table.insert().values(version=done + 1, applied_at=dt.datetime.now()))


def create_views(conn: sa.Connection, views: dict[str, str]) -> None:
    """(Re)create views: a migration that changes a view's SELECT in schema.VIEWS calls this with that view."""
    for name, select in views.items():
        conn.execute(sa.text(f"DROP VIEW IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE VIEW {name} AS {select}"))


def sync_sequences(conn: sa.Connection) -> None:
    """Continue each id sequence after the largest id in its column: for a writer that stored ids of its own
    while nobody else writes (the demo build's classification version 1)."""
    for seq, col in schema.SEQUENCES:
        top = conn.scalar(sa.select(sa.func.max(col)))
        if top:
            conn.execute(sa.text(f"SELECT setval('{seq.name}', {int(top)})"))

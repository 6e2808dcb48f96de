"""Issue 15 storage on DuckDB and PostgreSQL: saved views (upsert per owner and name, one start view per owner,
role defaults, parameters cleaned) and KPI notes (ids from a sequence, edit and delete, text cleaned), written
by two engines at once as two app servers would; migration 9 on a warehouse from before it."""
from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import sqlalchemy as sa

from data_sources import annotations as notes
from data_sources import migrations
from data_sources import saved_views as views
from data_sources.engine import make_engine

BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def two(request, tmp_path):
    """Two engines on one migrated, empty warehouse (PostgreSQL: a schema of its own), as two app servers."""
    name = None
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    else:
        url, _ = request.getfixturevalue("pg_schema_url")
        name = f"jt_views_{uuid.uuid4().hex[:8]}"
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    first = make_engine(url, schema=name)
    migrations.upgrade(first)
    # DuckDB: one process owns the file, so the second "server" shares the engine (threads); PostgreSQL: its own
    second = make_engine(url, schema=name) if name else first
    yield first, second
    for e in {first, second}:
        e.dispose()
    if name:
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))


def at_once(*jobs):
    errors, barrier = [], threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors


def test_saved_views_upsert_start_view_and_owners(two):
    a, b = two
    owner = views.owner_user("aino")
    # two servers save the same name at once: one row, no error
    at_once(*(lambda e=e, i=i: views.save(e, owner, "Oma", "kpi_detail", {"kpi": f"k{i}", "county": "KH"}, "aino")
              for i, e in enumerate((a, b, a, b))))
    mine = views.views(a, owner)
    assert [v["name"] for v in mine] == ["Oma"] and mine[0]["params"]["county"] == "KH"
    views.save(a, owner, "Toinen", "tactical", {"areas": "dental"}, "aino", is_start=True)
    views.save(b, owner, "Kolmas", "forecast", {"kpi": "t3_primary", "horizon": "24"}, "aino")
    assert views.start_view(a, [owner])["name"] == "Toinen"
    views.set_start(b, owner, "Kolmas")
    assert [v["name"] for v in views.views(a, owner) if v["is_start"]] == ["Kolmas"]
    views.set_start(a, owner, None)
    assert views.start_view(a, [owner]) is None
    # a role default applies after the user's own (none here); other owners are apart
    views.save(a, views.owner_role("viewer"), "Oletus", "strategic", {"county": "PH"}, "admin", is_start=True)
    assert views.start_view(b, [owner, views.owner_role("viewer")])["page"] == "strategic"
    assert views.views(a, views.owner_demo("viewer")) == []
    assert views.delete(b, owner, "Oma") and not views.delete(b, owner, "Oma")
    assert [v["name"] for v in views.views(a, owner)] == ["Kolmas", "Toinen"]


def test_saved_view_names_and_parameters_are_cleaned(two):
    a, _ = two
    owner = views.owner_demo("admin")
    name = views.save(a, owner, "  Näkymä\u202e\x00 " + "n" * 200, "overview",
                      {"county": "KH\x00", "bad key": "x", "x" * 50: "y", "kpi": "z" * 5000, "year": 2025}, "demo")
    assert len(name) == views.NAME_MAX and "\u202e" not in name and "\x00" not in name
    stored = views.views(a, owner)[0]
    assert stored["params"] == {"county": "KH", "kpi": "z" * views.VALUE_MAX, "year": "2025"}
    with pytest.raises(views.ViewError):
        views.save(a, owner, " \u200b ", "overview", {}, "demo")
    with a.begin() as conn:                     # a row written by hand with broken JSON reads as no parameters
        conn.execute(views.T.update().values(params_json="{not json"))
    assert views.views(a, owner)[0]["params"] == {}


def test_notes_ids_edit_delete_from_two_servers(two):
    a, b = two

    def add_many(engine, tag):
        def job():
            for i in range(5):
                notes.add(engine, notes.Note("t3_primary", dt.date(2025, 3, 9), None, "KH" if i % 2 else None,
                                             None, f"{tag} {i}"), tag)
        return job
    at_once(add_many(a, "a"), add_many(b, "b"))
    stored = notes.notes(a, ("t3_primary",))
    assert len(stored) == 10 and stored.note_id.is_unique
    assert set(stored.month_from.dt.day) == {1}                    # months as their first day
    assert stored.county_code.map(lambda v: v is None or v == "KH").all()
    first = int(stored.note_id.iloc[0])
    # two servers edit the same note at once: both succeed one after the other (the write lock), one text wins
    at_once(*(lambda e=e, i=i: _edit(e, first, f"muokattu {i}") for i, e in enumerate((a, b))))
    assert notes.notes(b).set_index("note_id").text[first] in ("muokattu 0", "muokattu 1")
    assert notes.delete(b, first)["note_id"] == first
    with pytest.raises(notes.NoteError):
        notes.delete(a, first)
    with pytest.raises(notes.NoteError):
        notes.update(a, first, notes.Note("t3_primary", dt.date(2025, 1, 1), None, None, None, "x"), "a")
    # a failing audit write rolls the note back with it (one transaction)
    def failing(conn, nid, old):
        raise RuntimeError("audit down")
    with pytest.raises(RuntimeError):
        notes.add(a, notes.Note("k", dt.date(2025, 1, 1), None, None, None, "ei jää"), "a", failing)
    assert "ei jää" not in set(notes.notes(a).text)
    # a period given backwards is stored in order; text by the one rule, cut to the column
    nid = notes.add(a, notes.Note("k", dt.date(2025, 6, 1), dt.date(2025, 2, 1), None, "109",
                                  "=1+1\x00\u202e " + "y" * 400), "a")
    row = notes.get(a, nid)
    assert (row["month_from"], row["month_to"]) == (dt.date(2025, 2, 1), dt.date(2025, 6, 1))
    assert row["text"].startswith("=1+1 y") and len(row["text"]) == notes.TEXT_MAX


def _edit(engine, note_id, text):
    notes.update(engine, note_id, notes.Note("t3_primary", dt.date(2025, 4, 1), None, None, None, text), "x")


def test_migration_9_on_a_warehouse_from_before_it(two):
    a, _ = two
    with a.begin() as conn:
        conn.execute(sa.text("DROP TABLE kpi_annotation"))
        conn.execute(sa.text("DROP TABLE saved_view"))
        conn.execute(sa.text("DROP SEQUENCE annotation_seq"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version >= 9"))
    assert migrations.upgrade(a) == len(migrations.MIGRATIONS) >= 9
    insp = sa.inspect(a)
    assert insp.has_table("kpi_annotation") and insp.has_table("saved_view")
    assert notes.add(a, notes.Note("k", dt.date(2025, 1, 1), None, None, None, "x"), "a") >= 1
    assert migrations.upgrade(a) == len(migrations.MIGRATIONS)       # idempotent

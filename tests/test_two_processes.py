"""Two app servers on one PostgreSQL warehouse, writing at the same moment: each process (its own engine, as
app/state.py makes it) stores several uploads, edits the child-budget classification, saves board-pack selections
(some under the same names as the other) and at the end rolls back its newest upload. Ids come from sequences,
selections are upserts, and uploads, rollbacks and classification edits take one write lock per warehouse schema
(data_sources.dialects.lock_writes), so nothing clashes and nothing is lost: without that lock the two classification
edits of one moment clash on the classification's key, and an edit can undo the other's.

    python -m tests.test_two_processes URL SCHEMA INDEX GO_FILE N    # one worker (the test starts two)
"""
import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_sources import child_budget as cb, demo, exports, migrations, uploads
from data_sources.engine import make_engine

from .conftest import LATEST, ROOT
from .upload_files import CG_HEADERS_FI, care_rows, xlsx

UPLOADS = 6            # per process
ITEMS = [{"kpi": "care_guarantee_7d", "kind": "card"}]


def worker(url: str, schema: str, index: int, go: Path, n: int) -> list[tuple[int, int]]:
    """Check n files (a month each, none the other process has), say ready, wait for the go file, then store
    them, saving a shared and an own selection after each; returns (upload id, data version) per upload."""
    engine = make_engine(url, schema=schema)
    migrations.upgrade(engine)                     # what the app does when it makes its engine
    files = []
    for j in range(n):
        month = dt.date(2024 + index, 1 + j, 1)
        v = uploads.check_file(engine, xlsx({"Data": [CG_HEADERS_FI] + care_rows(month, 2 + index)}),
                               f"hoitotakuu_{index}_{j}.xlsx", "care_guarantee")
        assert v.ok, [(i.code, i.row) for i in v.issues]
        files.append(v)
    go.with_name(f"ready{index}").touch()
    while not go.exists():
        time.sleep(0.002)
    stored, edits, rolled = [], [], None
    for j, v in enumerate(files):
        res = uploads.ingest(engine, v, f"palvelin {index}")
        exports.save_selection(engine, f"Yhteinen {j}", ITEMS * (index + 1), user=f"palvelin {index}")
        exports.save_selection(engine, f"Palvelin {index} / {j}", ITEMS, user=f"palvelin {index}")
        stored.append((res.upload_id, res.data_version))
        # an analyst's edit on the page: the classification as read now, one rule's key source changed
        shown = cb.read_classification(engine)
        rules = shown.copy()
        rules.loc[index, "key_source"] = f"palvelin {index} muutos {j}"
        edits.append(cb.save_classification(engine, rules, f"palvelin {index}", base=shown))
    try:        # the newest upload of the table can be rolled back; an older one is refused in words, never half
        uploads.rollback(engine, stored[-1][0], f"palvelin {index}")
        rolled = stored[-1][0]
    except uploads.UploadError as err:
        assert err.code == "later_upload", err.code
    engine.dispose()
    return {"stored": stored, "edits": edits, "rolled": rolled}


@pytest.fixture()
def pg_warehouse(pg_schema_url):
    """A small demo warehouse in a schema of its own (the demo builder is the schema path); the two biggest facts
    are left out, as the uploads go to the care guarantee."""
    url, _ = pg_schema_url
    name = f"jt_two_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    engine = make_engine(url, schema=name)
    frames = demo.generate(scale=0.05, latest=LATEST)
    demo.write_warehouse(engine, {k: v for k, v in frames.items() if k not in ("fact_contacts", "fact_costs")})
    yield engine, url, name
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
    admin.dispose()


@pytest.mark.postgres
def test_two_processes_store_uploads_and_selections_at_once(pg_warehouse, tmp_path):
    engine, url, schema = pg_warehouse
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.test_two_processes", url, schema, str(i), str(go),
                               str(UPLOADS)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in (0, 1)]
    try:
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"ready{i}").exists() for i in (0, 1)):
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), \
                [p.communicate()[1][-2000:] for p in procs if p.poll() is not None]
            time.sleep(0.01)
        go.touch()                                  # both start writing now
        outs = [p.communicate(timeout=300) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [err[-3000:] for _, err in outs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    stored = [tuple(r) for res in results for r in res["stored"]]
    ids = [u for u, _ in stored]
    versions = [v for _, v in stored]
    assert None not in ids and len(set(ids)) == len(ids) == 2 * UPLOADS
    assert len(set(versions)) == len(versions)
    with engine.connect() as conn:
        audit = dict(conn.execute(sa.text("SELECT upload_id, data_version FROM upload_audit")).fetchall())
        recorded = conn.execute(sa.text("SELECT version FROM meta_data_version")).scalars().all()
        shared = dict(conn.execute(sa.text(
            "SELECT name, items_json FROM board_pack_selection WHERE name LIKE 'Yhteinen %'")).fetchall())
    assert audit == dict(stored)
    assert len(recorded) == len(set(recorded)) and set(versions) <= set(recorded)
    assert set(exports.list_selections(engine)) == {f"Yhteinen {j}" for j in range(UPLOADS)} | {
        f"Palvelin {i} / {j}" for i in (0, 1) for j in range(UPLOADS)}
    assert all(json.loads(items) in (ITEMS, ITEMS * 2) for items in shared.values())   # one whole, not a mix

    # classification: every edit is a version of its own, and the current rules are the newest version's, with both
    # servers' last edits in them (neither undid the other's)
    edits = [e for res in results for e in res["edits"]]
    assert len(set(edits)) == len(edits) == 2 * UPLOADS
    current = cb.read_classification(engine)
    with engine.connect() as conn:
        newest = conn.scalar(sa.text("SELECT max(version) FROM child_budget_class_version"))
        history = cb.read_version_conn(conn, newest)
    assert newest == max(edits)
    cols = list(cb.COLUMNS)
    assert current[cols].astype(str).sort_values(cols).reset_index(drop=True).equals(
        history[cols].astype(str).sort_values(cols).reset_index(drop=True))
    assert {f"palvelin {i} muutos {UPLOADS - 1}" for i in (0, 1)} <= set(current.key_source)

    # rollbacks: the newest upload at the end could go, the other server's was then no longer the newest and was
    # refused in words; what went is marked rolled back with a data version of its own, the rest stays committed
    rolled = [res["rolled"] for res in results if res["rolled"]]
    assert 1 <= len(rolled) <= 2
    with engine.connect() as conn:
        status = dict(conn.execute(sa.text("SELECT upload_id, status FROM upload_audit")).fetchall())
        n_versions = conn.scalar(sa.text("SELECT count(*) FROM meta_data_version"))
    assert {u for u, s in status.items() if s != "committed"} == set(rolled)
    assert n_versions >= 1 + 2 * UPLOADS * 2 + len(rolled)       # demo, uploads, edits, rollbacks: one each


if __name__ == "__main__":
    url, schema, index, go, n = sys.argv[1:]
    print(json.dumps(worker(url, schema, int(index), Path(go), int(n))))

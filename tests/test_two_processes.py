"""Two app servers on one PostgreSQL warehouse, writing at the same moment: each process (its own engine, as
app/state.py makes it) stores several uploads and saves board-pack selections, some under the same names as the
other. Ids come from sequences and selections are upserts, so nothing clashes and nothing is lost.

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

from data_sources import demo, exports, migrations, uploads
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
    stored = []
    for j, v in enumerate(files):
        res = uploads.ingest(engine, v, f"palvelin {index}")
        exports.save_selection(engine, f"Yhteinen {j}", ITEMS * (index + 1), user=f"palvelin {index}")
        exports.save_selection(engine, f"Palvelin {index} / {j}", ITEMS, user=f"palvelin {index}")
        stored.append((res.upload_id, res.data_version))
    engine.dispose()
    return stored


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
    stored = [tuple(r) for out, _ in outs for r in json.loads(out.strip().splitlines()[-1])]
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


if __name__ == "__main__":
    url, schema, index, go, n = sys.argv[1:]
    print(json.dumps(worker(url, schema, int(index), Path(go), int(n))))

"""The warehouse stops answering between the preview and the store click (real PostgreSQL: the app's login
role is disabled and its sessions terminated). The analyst gets a Finnish message, not a traceback; the
warehouse is exactly as it was; when the warehouse is back, the same file is still there and stores."""
import uuid

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_sources import uploads
from data_sources.engine import make_engine

from .conftest import PG_URL
from .pg_demo import clone_schema
from .test_overview_app import APP
from .upload_files import checksum, good_care_guarantee

pytestmark = pytest.mark.postgres


@pytest.fixture()
def app_on_postgres(pg_template, monkeypatch):
    """A demo warehouse in a schema of its own (a copy of the run's), read by the app through a login role the test
    can disable."""
    suffix = uuid.uuid4().hex[:8]
    sch, role = f"jt_down_{suffix}", f"jt_app_{suffix}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {sch}"))
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        clone_schema(conn, pg_template[1], sch)
    owner = make_engine(PG_URL, schema=sch)
    with admin.begin() as conn:
        conn.execute(sa.text(f"GRANT USAGE, CREATE ON SCHEMA {sch} TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL TABLES IN SCHEMA {sch} TO {role}"))
        conn.execute(sa.text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {sch} TO {role}"))
    url = PG_URL.replace("://postgres@", f"://{role}@")
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.setenv("DASHBOARD_DB_SCHEMA", sch)
    st.cache_resource.clear()
    st.cache_data.clear()

    def set_down(down: bool) -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f"ALTER ROLE {role} {'NOLOGIN' if down else 'LOGIN'}"))
            if down:
                conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                             {"r": role})

    yield owner, set_down
    st.cache_resource.clear()       # the app's engine and its pooled sessions go first
    st.cache_data.clear()
    owner.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                     {"r": role})
        conn.execute(sa.text(f"DROP SCHEMA {sch} CASCADE"))
        conn.execute(sa.text(f"DROP OWNED BY {role}"))
        conn.execute(sa.text(f"DROP ROLE {role}"))
    admin.dispose()


def test_warehouse_down_at_store_time_loses_nothing(app_on_postgres):
    owner, set_down = app_on_postgres
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upl_dataset").set_value("care_guarantee").run()
    at.file_uploader(key="upl_file_care_guarantee_0").upload("marraskuu.xlsx", good_care_guarantee(),
                                                           "application/octet-stream").run()
    assert not at.exception, at.exception
    assert [b for b in at.button if b.key == "upl_ingest"]
    before = checksum(owner)

    set_down(True)
    at.button(key="upl_ingest").click().run()
    assert not at.exception, at.exception
    assert any("Tietovarastoon ei saada yhteyttä" in e.value for e in at.error), [e.value for e in at.error]
    assert checksum(owner) == before

    set_down(False)
    at.run()
    assert not at.exception, at.exception
    at.button(key="upl_ingest").click().run()           # the file is still there: store it now
    assert not at.exception, at.exception
    assert any("Lataus 1 tallennettu" in s.value for s in at.success), [s.value for s in at.success]
    log = uploads.audit_log(owner)
    assert list(log.file_name) == ["marraskuu.xlsx"] and log.rows_inserted.iloc[0] > 0

"""Hostile input cannot crash the server, plant a formula or fetch from the network (corpus: tests/hostile/).

One real server process on its own PostgreSQL schema (so the test can read the warehouse while the server
runs), one chromium page, and a canary listener on 127.0.0.1 that every payload points at. Each corpus case
is uploaded through the page as a person would. Afterwards the server still answers /_stcore/health, the
page says what happened in Finnish (no traceback, no driver text), and the warehouse is unchanged (refused)
or holds the cleaned text (stored). Then the board pack is built from a selection whose name was stored with
a control character, every export kind is opened in LibreOffice and checked for formula cells, the warehouse
is searched for control characters, and the canary must have heard nothing at all.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_sources import uploads
from data_sources.engine import make_engine
from ui import upload as ui_upload

from .browser import ROOT, browser_page, running_app, screenshot, wait_idle
from .conftest import IN_CI, LATEST, PG_URL
from .hostile.corpus import cases, payloads
from .markdown import plain

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CASE_IDS = [c.id for c in cases("http://canary")]
DATASET_NAMES = {"care_guarantee": "Hoitotakuu ja saatavuus", "contacts": "Palvelukontaktit",
                 "child_budget_class": "Lapsibudjetoinnin luokittelu"}
OUTCOME = re.compile(r"Tiedostossa on \d+ virhe|Tiedosto on kunnossa")
LEAKS = ("Traceback", 'File "', "psycopg", "duckdb", "sqlalchemy", "/tmp/", "/work/", "Exception", "Error:")
PACK_NAME_STORED = "Paketti\x07kello ![kuva]({canary}/pack.png)"    # stored before the text rule (finding 2)


class Canary(socketserver.ThreadingTCPServer):
    """Any connection to it is a request the product should never have made."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.hits: list[str] = []

        class Handler(socketserver.BaseRequestHandler):
            def handle(inner):
                inner.request.settimeout(2)
                try:
                    first = inner.request.recv(200).split(b"\r\n")[0].decode("latin-1")
                except OSError:
                    first = "(no data)"
                self.hits.append(first)
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def canary():
    server = Canary()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def warehouse(canary, pg_demo_copy):
    """A demo warehouse in a PostgreSQL schema of its own (a copy of the run's), with a board-pack selection saved
    (before the text rule existed) under a name holding a control character and a markdown image."""
    from data_sources import schema as tables
    with pg_demo_copy("jt_hostile") as (url, schema):
        engine = make_engine(url, schema=schema)
        with engine.begin() as conn:
            conn.execute(tables.board_pack_selection.insert().values(
                name=PACK_NAME_STORED.format(canary=canary.url)[:80], updated_at=dt.datetime(2026, 11, 1),
                items_json='[{"kpi": "care_guarantee_7d", "kind": "card"}, {"kpi": "care_guarantee_7d", "kind": "trend"}]',
                updated_by="vanha\x1b[31m"))
        yield engine, schema
        engine.dispose()


@pytest.fixture(scope="module")
def server(warehouse, tmp_path_factory):
    engine, schema = warehouse
    log = tmp_path_factory.mktemp("hostile") / "server"
    with running_app(log, LATEST, {"DASHBOARD_DB_SCHEMA": schema}, db_url=PG_URL) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    with browser_page(1400, 1200) as page:
        yield page


@pytest.fixture(scope="module")
def exports_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile_exports")


@pytest.fixture(scope="module")
def corpus(canary, warehouse):
    engine, _ = warehouse
    with engine.connect() as conn:
        point = tuple(conn.execute(sa.text("SELECT service_point_id, municipality_code FROM dim_service_point "
                                           "ORDER BY service_point_id LIMIT 1")).one())
    return {c.id: c for c in cases(canary.url, point)}


def healthy(url: str) -> bool:
    with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
        return r.status == 200 and r.read().strip() == b"ok"


def settle(page, timeout=60_000) -> None:
    wait_idle(page, timeout)        # the run the last action asked for has finished (tests/browser.py)


def open_page(page, url: str, path: str, heading: str) -> None:
    page.goto(f"{url}/{path}")
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    settle(page)


def warehouse_state(engine) -> tuple:
    with engine.connect() as conn:
        return (conn.execute(sa.text("SELECT MAX(version) FROM meta_data_version")).scalar(),
                conn.execute(sa.text("SELECT COUNT(*) FROM upload_audit")).scalar(),
                conn.execute(sa.text("SELECT COUNT(*) FROM child_budget_class_version")).scalar())


def stored_values(engine, target: str) -> list[str]:
    table, column = target.split(".")
    order = {"upload_audit": "upload_id DESC", "child_budget_class": "version DESC"}.get(table, "1")
    with engine.connect() as conn:
        if table == "child_budget_class":
            q = f"SELECT {column} FROM {table} WHERE service_class = 'PL101' AND cost_account = '*'"
        elif table == "fact_contacts":
            q = f"SELECT DISTINCT {column} FROM {table} WHERE month = DATE '2026-10-01' AND channel = 'phone'"
        else:
            q = f"SELECT {column} FROM {table} ORDER BY {order} LIMIT 1"
        return [r[0] for r in conn.execute(sa.text(q))]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_hostile_upload(case_id, corpus, server, page, warehouse, canary, exports_dir):
    case = corpus[case_id]
    engine, _ = warehouse
    before = warehouse_state(engine)
    expected = uploads.check_file(engine, case.data, case.file_name, case.dataset)   # what the server must say
    open_page(page, server, "upload", "Tietojen lataus")
    page.get_by_label("Aineisto", exact=False).first.click()
    page.get_by_role("option", name=DATASET_NAMES[case.dataset], exact=True).click()
    settle(page)
    page.get_by_text(uploads.DATASETS[case.dataset].description_fi.split(":")[0]).first.wait_for(timeout=60_000)
    page.wait_for_function(                      # the rerun has replaced the previous dataset's uploader
        "() => document.querySelectorAll('[data-testid=stFileUploaderDropzoneInput]').length === 1 && "
        "!document.querySelector('[data-stale=true]')", timeout=60_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": case.file_name, "mimeType": "application/octet-stream", "buffer": case.data}])
    page.get_by_text(OUTCOME).first.wait_for(timeout=120_000)
    settle(page)
    assert healthy(server), f"{case_id}: the server stopped answering"
    main = plain(page.locator("[data-testid='stMain']").inner_text())
    assert not [leak for leak in LEAKS if leak in main], (case_id, main[:2000])
    fetchers = page.locator(f"img[src*='{canary.server_address[1]}'], a[href*='{canary.server_address[1]}']")
    assert fetchers.count() == 0, [e.evaluate("e => e.parentElement.outerHTML")[:600] for e in fetchers.all()]
    problems = {plain(ui_upload.issue_text(i, expected.spec, "fi")[0]) for i in expected.issues}
    if case.refused:
        assert {i.code for i in expected.issues} & set(case.refused), (case_id, [i.code for i in expected.issues])
        assert re.search(r"Tiedostossa on \d+ virhe", main), main[:1000]
        table = page.locator("[data-testid='stTable']").first.inner_text()
        assert any(p in table for p in problems), (problems, table)     # the Finnish sentence for the problem
    elif case.may_read:
        assert OUTCOME.search(main)
    else:
        assert expected.ok and "Tiedosto on kunnossa" in main, (case_id, [i.code for i in expected.issues])
    for text in case.notes:                                   # shown literally, markup and all
        assert text in main, (case_id, text, main[:1500])
    if case.id.startswith("error_report"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Lataa virheraportti (.xlsx)").click()
        info.value.save_as(exports_dir / "virheraportti.xlsx")
        assert re.fullmatch(r"virheraportti_[\w-]+\.xlsx", info.value.suggested_filename)
    if case.stored:
        page.get_by_role("button", name="Tallenna tietovarastoon").click()
        # stored, or (the same clean text as an earlier case) already there: "mitään ei muutettu"
        page.get_by_text(re.compile(r"Lataus \d+ tallennettu|mitään ei muutettu")).first.wait_for(timeout=60_000)
        settle(page)
        assert healthy(server)
        assert case.stored[1] in stored_values(engine, case.stored[0]), (case_id, stored_values(engine, case.stored[0]))
    else:
        assert warehouse_state(engine) == before, f"{case_id}: the warehouse changed"
    if case_id == CASE_IDS[0] or case.id.startswith(("sheet_name-md_image", "error_report")):
        screenshot(page, f"hostile_{case_id}")


def test_board_pack_from_names_with_control_characters(server, page, warehouse, canary, exports_dir):
    """Finding 2: a selection saved with '\\x07' in its name used to abort the server when its deck was drawn.
    The stored name is shown clean; a new name with a formula and a markdown image is saved clean and shown
    literally; both decks build, and the server keeps answering."""
    open_page(page, server, "board_pack", "Hallituksen raporttipaketti")
    page.get_by_label("Tallennettu valinta", exact=False).first.click()
    stored_clean = f"Pakettikello ![kuva]({canary.url}/pack.png)"[:80]
    page.get_by_role("option", name=stored_clean[:60], exact=False).first.click()
    settle(page)
    page.get_by_role("button", name="Luo esitys").click()
    page.get_by_text(re.compile(r"Esitys valmis: \d+ diaa")).wait_for(timeout=120_000)
    settle(page)
    assert healthy(server)
    for fmt, label in (("pptx", "Lataa PowerPoint (.pptx)"), ("pdf", "Lataa PDF")):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        info.value.save_as(exports_dir / f"pack_stored.{fmt}")
    typed = payloads(canary.url)["formula_eq"][0][:70]
    page.get_by_label("Valinnan nimi").fill(typed)
    page.get_by_role("button", name="Tallenna valinta").click()
    page.get_by_text("tallennettu.").first.wait_for(timeout=60_000)
    settle(page)
    assert f'Valinta "{typed}" tallennettu.' in plain(page.locator("[data-testid='stMain']").inner_text())
    page.get_by_role("button", name="Luo esitys").click()
    page.get_by_text(re.compile(r"Esitys valmis: \d+ diaa")).wait_for(timeout=120_000)
    settle(page)
    screenshot(page, "hostile_board_pack")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Lataa PowerPoint (.pptx)").click()
    info.value.save_as(exports_dir / "pack_typed.pptx")
    assert healthy(server)
    engine, _ = warehouse
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(sa.text("SELECT name FROM board_pack_selection"))]
    assert typed in names


def test_child_budget_workbook_after_hostile_key_sources(server, page, exports_dir):
    """Findings 3 and 5: the workbook carries every stored key source and version note; it downloads."""
    open_page(page, server, "child_budget", "Lapsibudjetointi")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Lataa koko malli Excelinä").click()
    info.value.save_as(exports_dir / "lapsibudjetti.xlsx")
    assert healthy(server)


def test_chart_exports_with_hostile_text(canary, exports_dir):
    """PNG, SVG, PDF (vl-convert) and the chart's numbers as xlsx and csv, with every payload in the title,
    the subtitle, the source line, a column name and the cells."""
    import altair as alt
    import pandas as pd

    from ui import export, export_data
    texts = [raw for raw, _ in payloads(canary.url).values()]
    df = pd.DataFrame({"nimi": texts, "arvo": range(len(texts))})
    chart = alt.Chart(df).mark_bar().encode(x="arvo:Q", y="nimi:N").properties(title=texts[0])
    spec = export.snapshot_spec(chart, title=" ".join(texts[:6]), subtitle=texts[6], source=texts[7], lang="fi")
    for fmt, render in export.RENDERERS.items():
        (exports_dir / f"kaavio.{fmt}").write_bytes(render(spec))
    table = df.rename(columns={"nimi": texts[9]})
    (exports_dir / "kaavio.xlsx").write_bytes(export_data.to_xlsx(table, {texts[10]: texts[11]}, "fi", texts[12]))
    (exports_dir / "kaavio.csv").write_bytes(export_data.to_csv(table, "fi"))


def _soffice(args: list[str], cwd: Path) -> None:
    profile = cwd / "lo_profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--nolockcheck", *args], cwd=cwd, check=True, capture_output=True, timeout=300)


def test_every_export_opens_in_libreoffice_without_formulas(exports_dir, tmp_path, canary):
    """Each file opens (LibreOffice converts it), and no spreadsheet cell is a formula."""
    if not shutil.which("soffice"):
        if IN_CI:
            pytest.fail("LibreOffice (soffice) is missing in CI: scripts/test.sh installs it")
        pytest.skip("LibreOffice not installed (scripts/test.sh installs it)")
    files = sorted(p for p in exports_dir.iterdir() if p.is_file())
    kinds = {p.suffix for p in files}
    assert {".xlsx", ".csv", ".pptx", ".pdf", ".png", ".svg"} <= kinds, kinds
    assert {"virheraportti.xlsx", "lapsibudjetti.xlsx", "pack_stored.pptx", "pack_stored.pdf"} <= {p.name for p in files}
    out = tmp_path / "out"
    sheets = [str(p) for p in files if p.suffix == ".xlsx"]
    _soffice(["--convert-to", "fods", "--outdir", str(out / "xlsx"), *sheets], tmp_path)
    _soffice(["--infilter=CSV:59,34,76,1", "--convert-to", "fods", "--outdir", str(out / "csv"),
              *[str(p) for p in files if p.suffix == ".csv"]], tmp_path)
    _soffice(["--convert-to", "odp", "--outdir", str(out / "pptx"), *[str(p) for p in files if p.suffix == ".pptx"]],
             tmp_path)
    _soffice(["--infilter=draw_pdf_import", "--convert-to", "odg", "--outdir", str(out / "pdf"),
              *[str(p) for p in files if p.suffix == ".pdf"]], tmp_path)
    _soffice(["--convert-to", "odg", "--outdir", str(out / "img"),
              *[str(p) for p in files if p.suffix in (".png", ".svg")]], tmp_path)
    expected = {p.stem + {".xlsx": ".fods", ".csv": ".fods", ".pptx": ".odp"}.get(p.suffix, ".odg") for p in files}
    made = {p.name for p in out.rglob("*") if p.is_file()}
    assert expected <= made, expected - made
    for fods in out.rglob("*.fods"):
        xml = fods.read_text("utf-8")
        assert "table:formula=" not in xml, f"{fods.name} has a formula cell"
        assert "<table:table-cell" in xml
    lab = (out / "xlsx" / "lapsibudjetti.fods").read_text("utf-8")
    assert "HYPERLINK" in lab and "Pakettikello" in lab       # the key sources are there, as text
    for odp in out.rglob("*.odp"):
        assert zipfile.ZipFile(odp).read("content.xml")


def test_warehouse_holds_no_control_characters(warehouse, canary):
    """Every text the tests sent is stored clean: no control, bidi or zero-width character in any text column
    that user text reaches (the row stored before the rule is the one exception, and it is read clean)."""
    engine, _ = warehouse
    bad = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]"
    columns = {"child_budget_class": ["key_source"], "child_budget_class_history": ["key_source"],
               "child_budget_class_version": ["changed_by", "note", "changes"], "fact_contacts": ["profession"],
               "upload_audit": ["file_name", "uploaded_by"], "audit_export": ["user_name", "object", "detail"]}
    with engine.connect() as conn:
        for table, cols in columns.items():
            for col in cols:
                n = conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE {col} ~ :bad"), {"bad": bad}).scalar()
                assert n == 0, f"{table}.{col} holds {n} value(s) with control characters"


def test_the_canary_heard_nothing(canary, page):
    """Run last in this module: no browser, parser or renderer fetched any payload's address."""
    assert canary.hits == [], canary.hits


def test_reader_memory_ceiling(tmp_path):
    """The worst reader case of the corpus stays under 1 GB (the process's high-water mark)."""
    subprocess.run([sys.executable, "-m", "tests.hostile.corpus", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    code = (
        "import resource, sys, pathlib\n"
        "from data_sources.uploads import DATASETS, read_upload\n"
        "worst = 0\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
        "    ds = {'key_source': 'child_budget_class', 'profession': 'contacts'}.get(p.name.split('-')[0], 'care_guarantee')\n"
        "    raw = read_upload(p.read_bytes(), p.name.split('__', 1)[1], DATASETS[ds])\n"
        # VmHWM (kB): this program's own peak; ru_maxrss also counts the forking test worker's size at the fork
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1])\n")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0, res.stderr[-2000:]
    peak_mb = int(res.stdout.split()[-1]) / 1024
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"

"""The one text rule (data_sources/text.py), the renderers' own defences (ui/safe.py), the classification
editor's checks, and the warehouse-down message without driver text."""
from __future__ import annotations

import io
import re
import urllib.request

import pandas as pd
import pytest

from data_sources import child_budget as cbdata
from data_sources.text import clean_text
from app import exports as app_exports
from ui import board_pack, export, export_data
from ui.safe import file_stem, md, neutralise, xml_deep, xml_text

from .browser import browser_page, running_app
from .conftest import LATEST
from .markdown import plain
from .test_child_budget_app import _edit, open_page, own_warehouse, save_button  # noqa: F401 - fixture

ALL_CONTROLS = "".join(chr(c) for c in [*range(0, 32), *range(0x7f, 0xa0)])
INVISIBLE = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\ud800"


@pytest.mark.parametrize("raw, clean", [
    ("Paketti\x07kello", "Pakettikello"),
    ("  Aino \t Virtanen \n", "Aino Virtanen"),
    ("luokitus\u202eslx.csv", "luokitusslx.csv"),
    ("\u2067piilo\u2069", "piilo"),
    ("nolla\x00merkki\x1b[31m", "nollamerkki[31m"),
    ("a" + ALL_CONTROLS + INVISIBLE + "b", "a b"),          # tab, newlines, NEL... are blanks, the rest goes
    ("rivi\r\nrivi", "rivi rivi"),
    ("Yhteensä\u00a0€", "Yhteensä €"),
    ("=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"),               # a formula start is data; the writers neutralise it
    ("Ä", "Ä"),                                             # decomposed Ä becomes one character (NFC)
    (None, ""),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_limits_and_keeps_lines_in_notes():
    assert clean_text("x" * 400, 300) == "x" * 300
    assert clean_text("eka\x07 rivi\r\n\r\n\r\ntoka\u2028kolmas", multiline=True) == "eka rivi\n\ntoka\nkolmas"


def test_markdown_escape_leaves_no_markup():
    text = "![kuva](http://127.0.0.1:9/i.png) [a](b) *x* _y_ `z` # h <img src=x> $m$ :red[r] | ~s~ www.x.fi a@b.fi"
    out = md(text)
    assert plain(out) == text
    # every markup character is escaped, and no bare address survives as one
    assert not re.search(r"(?<!\\)[*_`\[\]()<>#$|~!]", out)
    assert "http://" not in out and "www." not in out and "a@" not in out
    assert md("rivi\nrivi") == "rivi rivi"


def test_xml_and_formula_neutralising():
    assert xml_text("a" + ALL_CONTROLS + INVISIBLE + "b") == "a\t\n\rb"
    assert xml_deep({"t\x07": ["x\x1b", {"y": "\x00z"}], "n": 1}) == {"t": ["x", {"y": "z"}], "n": 1}
    assert neutralise("=1+1") == "'=1+1" and neutralise("@A1") == "'@A1" and neutralise("-2+3") == "'-2+3"
    assert neutralise("-1,5\u00a0%") == "-1,5\u00a0%" and neutralise(-3) == -3 and neutralise("Lahti") == "Lahti"
    assert file_stem("../../etc/pass\u202ewd.xlsx") == "etc_passwd" and file_stem("Hoitotakuu 11.xlsx") == "Hoitotakuu_11"


def test_every_renderer_takes_every_control_character():
    """vl-convert aborted the process on one control character (finding 2); python-pptx and openpyxl refused.
    Each renderer is given all of them in every text slot and still makes its file."""
    import altair as alt
    nasty = "Paketti" + ALL_CONTROLS + INVISIBLE[:-1] + "kello"   # (a lone surrogate cannot enter a frame)
    df = pd.DataFrame({"nimi": [nasty, "Lahti"], "arvo": [1.0, 2.0]})
    chart = alt.Chart(df).mark_bar().encode(x="arvo:Q", y="nimi:N").properties(title=nasty)
    spec = export.snapshot_spec(chart, title=nasty, subtitle=nasty, source=nasty, lang="fi")
    assert export.to_pdf(spec).startswith(b"%PDF")
    assert export.to_png(spec).startswith(b"\x89PNG")
    svg = export.to_svg(spec)
    assert b"Paketti" in svg and b"kello" in svg
    xlsx = export_data.to_xlsx(df.rename(columns={"nimi": nasty}), {nasty: nasty}, "fi", nasty)
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("Paketti") and "kello" in v for v in cells)
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_board_pack_with_control_characters_in_every_text(duck):
    from metrics.engine import Filters
    nasty = "Paketti\x07\x1b\x0b\u202ekello"
    slides = app_exports.slides_from_engine(duck, [board_pack.PackItem("care_guarantee_7d", k) for k in
                                                  ("card", "trend", "regions")], Filters(year=2026, months=(1, 10)),
                                           nasty, "fi")
    meta = board_pack.PackMeta(nasty, nasty, 1, nasty, "fi")
    pptx = board_pack.build_pptx(slides, meta)
    from pptx import Presentation
    texts = [sh.text_frame.text for s in Presentation(io.BytesIO(pptx)).slides for sh in s.shapes if sh.has_text_frame]
    assert "Pakettikello" in texts[0]
    assert board_pack.build_pdf(slides, meta).startswith(b"%PDF")


def test_editor_refuses_a_megabyte_key_source_and_cleans_control_characters(own_warehouse):  # noqa: F811
    """Finding 13: the editor took a 1 MB key source with NUL and BEL. Now the column's length is checked and
    control characters never reach the warehouse (the author's name and the note included)."""
    engine = own_warehouse
    at = open_page()
    editor = at.data_editor(key="cb_editor").value
    row = int(editor.index[editor.service_class == "PL602"][0])
    _edit(at, row, target_class="partial", allocation_key="population_share",
          key_source="\x00\x07" + "x" * 1_000_000)
    save_button(at).click().run()
    assert not at.exception
    errors = plain(" ".join(e.value for e in at.error))
    assert "kohdennusavaimen lähde on liian pitkä (1000000 merkkiä, enintään 300)" in errors, errors
    assert len(cbdata.read_versions(engine)) == 1
    _edit(at, row, target_class="partial", allocation_key="population_share",
          key_source="Väestö\x07osuus \u202e(Tilastokeskus)")
    at.text_input(key="cb_note").set_value("upload:1 x\x0b")
    save_button(at).click().run()
    assert not at.exception, at.exception
    import sqlalchemy as sa
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT key_source FROM child_budget_class WHERE service_class = 'PL602'")).scalar()
        who, note = conn.execute(sa.text("SELECT changed_by, note FROM child_budget_class_version "
                                         "ORDER BY version DESC LIMIT 1")).one()
    assert (stored, who, note) == ("Väestöosuus (Tilastokeskus)", "demo", "upload:1 x")   # the author: signed-in user


@pytest.mark.browser
def test_warehouse_down_message_names_no_host_port_or_role(tmp_path):
    """Finding 10: the message used to quote the driver (host, port, role, file path, lock holder's PID)."""
    url_down = "postgresql+psycopg://salainen_rooli@127.0.0.1:9/tietovarasto"
    with running_app(tmp_path / "down", LATEST, db_url=url_down) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("Tietovarastoon ei saada yhteyttä").wait_for(timeout=60_000)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert re.search(r"virhetunnus [0-9a-f]{8}", text), text
        for leak in ("127.0.0.1", "salainen_rooli", "tietovarasto\"", ":9", "port", "psycopg", "connection"):
            assert leak not in text, (leak, text)
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
            assert r.status == 200
    log = (tmp_path / "down.log").read_text()
    ref = re.search(r"virhetunnus ([0-9a-f]{8})", text).group(1)
    assert f"[{ref}]" in log and "127.0.0.1" in log          # the detail is in the server log, under the id

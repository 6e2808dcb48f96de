"""Exports: chart snapshots (PNG/SVG/PDF), data files (xlsx/csv), board pack (PPTX/PDF), audit and selections."""
import csv
import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from data_sources import exports
from metrics.engine import Filters, kpi_summary, kpi_values
from app import exports as app_exports
from ui import board_pack, charts, export, export_data

F = Filters(year=2026, months=(1, 10), county="KS")
META = board_pack.PackMeta("Hallituksen raporttipaketti", "Keski-Suomen hyvinvointialue · tammi–lokakuu 2026", 7,
                           "25.11.2026 klo 10.00")
INJECTIONS = ["=1+1", "+SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")"]


@pytest.fixture(scope="module")
def trend_chart():
    df = pd.DataFrame({"yr": [2019, 2020, 2021, 2022], "value": [60.5, 62.1, 70.2, 71.0]})
    return charts.trend(df, x="yr", value_title="Osuus", unit="pct", title="Kiireetön hoito 7 vuorokaudessa",
                        subtitle="Keski-Suomi · tammi–lokakuu 2026", target=80, target_label="Tavoite 80,0 %")


def snapshot(chart, **kw):
    return export.snapshot_spec(chart, source="Avohilmo (THL)", when="25.11.2026 klo 10.00", version=7, **kw)


# --- chart snapshots ----------------------------------------------------------------------------------
@pytest.mark.parametrize("scale,dpi", [(2, 144), (3, 300), (4, 300)])
def test_png_is_scaled_and_carries_dpi(trend_chart, scale, dpi):
    spec = snapshot(trend_chart)
    one = Image.open(io.BytesIO(export.to_png(spec, scale=1, dpi=72)))
    big = Image.open(io.BytesIO(export.to_png(spec, scale=scale, dpi=dpi)))
    assert abs(big.size[0] - scale * one.size[0]) <= scale and abs(big.size[1] - scale * one.size[1]) <= scale
    assert big.size[0] >= scale * export.EXPORT_WIDTH
    assert big.info["dpi"] == pytest.approx((dpi, dpi), abs=0.5)
    # the line is drawn in the theme colour, not only background
    rgb = np.asarray(big.convert("RGB")).reshape(-1, 3)
    assert ((abs(rgb - np.array([0x1b, 0x5e, 0x9b])).sum(axis=1)) < 40).sum() > 500


def test_svg_is_well_formed_with_title_subtitle_and_footer(trend_chart):
    svg = export.to_svg(snapshot(trend_chart))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    assert "Kiireetön hoito 7 vuorokaudessa" in texts
    assert "Keski-Suomi · tammi–lokakuu 2026" in texts
    assert "Lähde: Avohilmo (THL) · Tietoversio 7 · Tulostettu 25.11.2026 klo 10.00" in texts
    assert "80,0" in texts            # fi-FI axis labels with decimal comma


def test_pdf_has_one_page_and_embeds_inter(trend_chart):
    pdf = export.to_pdf(snapshot(trend_chart, title="Oma otsikko"))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
             if "/BaseFont" in f.get_object()}
    assert any("Inter" in f for f in fonts), fonts


def test_container_width_gets_a_number_and_own_title_is_used(trend_chart):
    spec = snapshot(trend_chart)
    assert spec["title"]["text"] == "Kiireetön hoito 7 vuorokaudessa"
    body = spec["vconcat"][0]["vconcat"][0]
    assert body["width"] == export.EXPORT_WIDTH and "title" not in body


def test_file_names_are_ascii_and_dated():
    import datetime as dt
    assert export.file_name("Kiireetön hoito: 7 vrk / Äänekoski", "png", dt.date(2026, 11, 25)) == \
        "kiireeton-hoito-7-vrk-aanekoski_2026-11-25.png"


# --- data files ---------------------------------------------------------------------------------------
@pytest.fixture
def risky_table():
    return pd.DataFrame({"name": ["Jyväskylä", "Luhanka"] + INJECTIONS,
                         "value": [71.25, 3.0] + [1.0] * len(INJECTIONS),
                         "suppressed": [False, True] + [False] * len(INJECTIONS),
                         "change": ["-1,5\u00a0%-yks.", "+2\u00a0%"] + ["x"] * len(INJECTIONS)})


def test_csv_has_bom_neutralises_formulas_and_keeps_suppression(risky_table):
    raw = export_data.to_csv(risky_table, "fi")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["name", "value", "change"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Jyväskylä"][1] == "71,25" and by_name["Luhanka"][1] == "<5"
    assert by_name["Jyväskylä"][2] == "-1,5\u00a0%-yks."      # a formatted number is data, left alone
    for bad in INJECTIONS:
        assert "'" + bad in by_name, f"{bad!r} was not neutralised"
    assert not any(r[0][:1] in "=+-@" for r in rows[1:])


def test_xlsx_is_text_not_formula_and_has_definitions(risky_table):
    raw = export_data.to_xlsx(risky_table, {"Mittari": "=cmd", "Lähde": "Avohilmo"}, "fi", title="@Otsikko")
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["Tiedot", "Määritelmät"]
    ws = wb["Tiedot"]
    assert ws["A1"].value == "'@Otsikko"
    header = [c.value for c in ws[3]]
    assert header == ["name", "value", "change"]
    cells = {row[0].value: row for row in ws.iter_rows(min_row=4)}
    assert cells["Jyväskylä"][1].value == pytest.approx(71.25) and cells["Jyväskylä"][1].data_type == "n"
    assert cells["Luhanka"][1].value == "<5"
    for bad in INJECTIONS:
        assert cells["'" + bad][0].data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    defs = {r[0].value: r[1].value for r in wb["Määritelmät"].iter_rows(min_row=2)}
    assert defs["Mittari"] == "'=cmd" and defs["Lähde"] == "Avohilmo"
    assert "<5" in defs["Tietosuoja"]
    assert ws.freeze_panes == "A4"


# --- board pack ---------------------------------------------------------------------------------------
ITEMS = [board_pack.PackItem("care_guarantee_7d", "card"), board_pack.PackItem("care_guarantee_7d", "trend"),
         board_pack.PackItem("net_cost_per_resident", "trend"), board_pack.PackItem("multi_service_clients", "regions")]


@pytest.fixture(scope="module")
def slides(duck):
    return app_exports.slides_from_engine(duck, ITEMS, F, "Keski-Suomen hyvinvointialue")


@pytest.fixture(scope="module")
def deck(slides):
    return Presentation(io.BytesIO(board_pack.build_pptx(slides, META)))


def test_pptx_slides_titles_and_notes(deck, slides):
    assert len(deck.slides) == 1 + len(ITEMS)
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert deck.slides[0].shapes.title.text == META.title
    titles = [s.shapes.title.text for s in list(deck.slides)[1:]]
    assert titles == [s.title for s in slides]
    assert titles[0] == "Kiireetön hoito 7 vuorokaudessa"
    assert titles[1].startswith("Kiireetön hoito 7 vuorokaudessa: kehitys vuosittain")
    for slide in list(deck.slides)[1:]:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith("Määritelmä: ") and "Lähde: " in notes and "(<5)" in notes


def test_native_line_chart_holds_the_kpi_series(deck, duck):
    charts_ = [sh.chart for sh in deck.slides[2].shapes if sh.has_chart]
    assert len(charts_) == 1
    chart = charts_[0]
    s = kpi_summary(duck, "care_guarantee_7d", F)
    series = list(chart.plots[0].series)
    assert [x.name for x in series] == ["Kiireetön hoito 7 vuorokaudessa", "Tavoite"]
    assert list(series[0].values) == pytest.approx([round(v, 4) for v in s.series.value])
    assert set(series[1].values) == {80.0}
    assert list(chart.plots[0].categories) == [str(int(y)) for y in s.series.yr]
    assert not [sh for sh in deck.slides[2].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_caption_tells_value_change_and_status_in_words(deck, duck):
    s = kpi_summary(duck, "care_guarantee_7d", F)
    text = " ".join(sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame)
    from ui.format import fmt_change, fmt_value
    assert f"Tammi–lokakuu 2026: {fmt_value(s.value, 'pct')}." in text
    assert fmt_change(s.change_yoy, "pct") in text
    # the target verdict in the same words as the pages (metrics.targets.verdict, tests/test_verdict.py)
    assert "Tavoitearvio: " in text and "12/2025: " in text and "(tavoite 80\u00a0%)" in text
    assert any(w in text for w in ("12/2025: saavutettu", "12/2025: ei saavutettu"))


def test_suppressed_municipality_stays_suppressed_in_the_native_bar_chart(deck, duck):
    raw = kpi_values(duck, "multi_service_clients", F, ("municipality_code",))
    assert raw.suppressed.any(), "the test warehouse should have a small municipality here"
    chart = next(sh.chart for sh in deck.slides[4].shapes if sh.has_chart)
    cats = list(chart.plots[0].categories)
    values = list(chart.plots[0].series[0].values)
    hidden = [v for c, v in zip(cats, values) if c.endswith("(<5)")]
    assert len(hidden) == int(raw.suppressed.sum()) and all(v is None for v in hidden)
    shown = sorted(v for v in values if v is not None)
    assert shown == pytest.approx(sorted(round(v, 4) for v in raw.value.dropna()))
    assert all(v >= 5 for v in shown)
    # the embedded workbook carries no hidden number either
    blob = chart.part.chart_workbook.xlsx_part.blob
    ws = openpyxl.load_workbook(io.BytesIO(blob)).active
    numbers = [c.value for row in ws.iter_rows(min_row=2) for c in row[1:] if isinstance(c.value, (int, float))]
    assert all(v >= 5 for v in numbers) and len(numbers) == len(shown)


def test_picture_mode_places_high_resolution_images(slides):
    deck = Presentation(io.BytesIO(board_pack.build_pptx(slides, META, pictures=True)))
    pictures = [sh for slide in deck.slides for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 3                          # trend, trend, regions; the card is text
    assert not [sh for slide in deck.slides for sh in slide.shapes if sh.has_chart]
    img = Image.open(io.BytesIO(pictures[0].image.blob))
    assert img.size[0] >= 1600


def test_pack_pdf_pages_are_16_9(slides):
    pdf = board_pack.build_pdf(slides, META)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 + len(ITEMS)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)
    assert reader.metadata.title == META.title


def test_suppressed_card_says_so(duck):
    from dataclasses import replace
    s = replace(kpi_summary(duck, "multi_service_clients", F), value=float("nan"), suppressed=True)
    slides_ = board_pack.make_slides([board_pack.PackItem("multi_service_clients", "card")], F,
                                     summary_of=lambda k: s, regions_of=None, municipality_names={},
                                     subtitle="Luhanka")
    assert slides_[0].caption[0] == "Arvo on piilotettu tietosuojan vuoksi (<5)."
    deck = Presentation(io.BytesIO(board_pack.build_pptx(slides_, META)))
    texts = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    assert "<5" in texts and not any("nan" in x.lower() for x in texts)


# --- audit log and saved selections -------------------------------------------------------------------
def test_selection_round_trip_and_replace(duck):
    exports.save_selection(duck, "Hallitus marraskuu", [{"kpi": "remote_share", "kind": "trend"}], user="testi")
    exports.save_selection(duck, "Hallitus marraskuu", [{"kpi": "t3_primary", "kind": "regions"},
                                                        {"kpi": "x", "kind": "bogus"}], user="testi")
    assert "Hallitus marraskuu" in exports.list_selections(duck)
    assert exports.load_selection(duck, "Hallitus marraskuu") == [{"kpi": "t3_primary", "kind": "regions"}]
    with pytest.raises(exports.SelectionError):
        exports.save_selection(duck, "  ", [{"kpi": "t3_primary", "kind": "trend"}])


def test_a_selection_keeps_every_kind_the_board_pack_offers(duck):
    """Forecast and child-budget items were dropped when a selection was saved (so were subscribed packs')."""
    from ui import board_pack
    items = [{"kpi": "care_guarantee_7d", "kind": kind} for kind in board_pack.KINDS] + [
        {"kpi": board_pack.CHILD_BUDGET, "kind": board_pack.CHILD_BUDGET}]
    exports.save_selection(duck, "Kaikki lajit", items, user="testi")
    assert exports.load_selection(duck, "Kaikki lajit") == items


def test_export_is_audited_with_the_user(duck, monkeypatch):
    monkeypatch.setenv("DASHBOARD_USER_NAME", "hallintojohtaja")
    exports.record_export(duck, "png", "Kiireetön hoito", "Keski-Suomi · 2026", 7)
    row = exports.export_log(duck, 1).iloc[0]
    assert (row.user_name, row.action, row.object, row.data_version) == ("hallintojohtaja", "png",
                                                                         "Kiireetön hoito", 7)


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF"),
                                       ("xlsx", b"PK"), ("csv", b"\xef\xbb\xbf")])
def test_export_menu_job_makes_each_file_and_audits_it(duck, trend_chart, fmt, magic):
    from ui.widgets import ExportJob
    table = pd.DataFrame({"Vuosi": [2025, 2026], "Arvo": ["=1+1", "<5"]})
    job = ExportJob(chart=trend_chart, table=table, lang="fi", title="Kiireetön hoito", subtitle="Keski-Suomi",
                     source="Avohilmo", kpi=None, version=7,
                     audit=lambda *row: exports.record_export(duck, *row, user="sihteeri"))   # as app/exports does
    out = job.maker(fmt)()
    assert out.startswith(magic)
    row = exports.export_log(duck, 1).iloc[0]
    assert (row.user_name, row.action, row.object) == ("sihteeri", fmt, "Kiireetön hoito")
    if fmt == "csv":
        assert "'=1+1" in out.decode("utf-8-sig") and "<5" in out.decode("utf-8-sig")


def test_caption_sentences_end_with_one_full_stop(duck):
    s = kpi_summary(duck, "net_cost_per_resident", F)
    lines = board_pack.summary_caption(s, "tammi–lokakuu 2026", "fi")
    assert lines[0].endswith("€/as.") and not any(".." in line for line in lines)


def test_forecast_slide_has_actuals_forecast_interval_and_an_honest_caption(duck):
    from metrics.forecast import kpi_forecast
    from metrics.registry import load_registry
    from data_sources import catalog

    items = [board_pack.PackItem("care_guarantee_7d", "forecast"), board_pack.PackItem("eservice_adults", "forecast")]
    slides_ = app_exports.slides_from_engine(duck, items, F, "Keski-Suomen hyvinvointialue")
    deck = Presentation(io.BytesIO(board_pack.build_pptx(slides_, META)))
    assert deck.slides[1].shapes.title.text == "Kiireetön hoito 7 vuorokaudessa: toteuma ja ennuste"
    chart = next(sh.chart for sh in deck.slides[1].shapes if sh.has_chart)
    series = list(chart.plots[0].series)
    assert [s.name for s in series] == ["Toteuma", "Ennuste", "80 % alaraja", "80 % yläraja", "Tavoite"]
    res = kpi_forecast(duck, load_registry()["care_guarantee_7d"], F, catalog.data_version(duck)[0], 2026)
    actual = res["actual"].value.tail(24)
    assert list(series[0].values)[:24] == pytest.approx([round(v, 4) for v in actual])
    assert list(series[1].values)[24:] == pytest.approx([round(v, 4) for v in res["points"].value.head(12)])
    assert all(v is None for v in list(series[2].values)[:24])          # the interval is only ahead
    lo, hi = list(series[2].values)[24:], list(series[3].values)[24:]
    assert all(a <= b for a, b in zip(lo, hi))
    # a date axis (the months as dates, named every third month): python-pptx reads them back as Excel serials
    import datetime as dt
    cats = [f"{dt.date(1899, 12, 30) + dt.timedelta(days=float(c)):%-m/%Y}" for c in chart.plots[0].categories]
    assert len(cats) == 36 and cats[23] == "10/2026" and cats[-1] == "10/2027"
    text = " ".join(sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame)
    text = text.replace("\u00a0", " ")           # a unit keeps to its number with a no-break space on slides
    assert "Ennuste 10/2027:" in text and "80 %:n väli" in text and "Malli:" in text and "kausinaivi" in text
    # a yearly-only indicator has no forecast: its slide is a card that says why
    assert slides_[1].item.kind == "card"
    assert any("vuositietoja" in line for line in slides_[1].caption)
    pdf = PdfReader(io.BytesIO(board_pack.build_pdf(slides_, META)))
    assert len(pdf.pages) == 3


def test_a_filled_bar_chart_exports_as_the_built_one_and_stays_as_it_was():
    """The pages draw region bars filled into a template (charts.ChartSpec): its export has the chart's own title
    and numbers, the same SVG as the built chart's, and the kept spec is not changed by it."""
    import copy as copy_

    from ui.widgets import ExportJob, _title_of
    charts.forget()
    df = pd.DataFrame({"area": ["Hämeenlinna", "Forssa", "Riihimäki"], "value": [3120.5, 2890.0, 3010.25],
                       "shown": ["3 120,5 €", "2 890,0 €", "3 010,3 €"]})
    kw = dict(label="area", value_title="Nettokustannus", unit="eur_per_resident", title="Kustannukset palveluittain",
              subtitle="Kanta-Häme · 2026")
    charts.region_bars_spec(df.assign(value=df.value + 1), **kw)        # the template, from other numbers
    filled = charts.region_bars_spec(df, **kw)
    assert isinstance(filled, charts.ChartSpec)
    assert _title_of(filled) == ("Kustannukset palveluittain", "Kanta-Häme · 2026")
    kept = copy_.deepcopy(dict(filled))
    svgs = [export.to_svg(snapshot(c)).decode() for c in (filled, charts.region_bars(df, **kw))]   # one time stamp
    assert svgs[0] == svgs[1] and "3 120,5 €" in svgs[0] and "Forssa" in svgs[0]
    job = ExportJob(chart=filled, table=df, lang="fi", title="Kustannukset palveluittain", subtitle="Kanta-Häme · 2026",
                    source="Talous", kpi=None, version=3, audit=None)
    assert job.make("png").startswith(b"\x89PNG") and job.make("svg").startswith(b"<svg")
    assert dict(filled) == kept

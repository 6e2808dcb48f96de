"""Exports opened in the real office client: LibreOffice renders the board pack (native charts and pictures)
to PDF, and Calc saves every spreadsheet kind (chart data, the child-budget model, the data behind a native
pptx chart) as CSV. From those files, not from our own writer: no text lies outside a slide or over other text,
every municipality of a long bar chart is named, bars start at zero, injected formulas come back as literal
text, numbers as numbers. One session fixture makes every file and converts them with one soffice call per
target format; each slide kind is saved as a PNG in tests/artifacts/."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

from data_sources import catalog
from metrics import child_budget as cb
from metrics.engine import Filters, kpi_summary, kpi_values
from metrics.forecast import kpi_forecast, kpi_verdict
from metrics.registry import load_registry
from ui import board_pack, export_data
from ui.i18n import month_window

from .conftest import IN_CI

ART = Path(__file__).parent / "artifacts"
REGION = Filters(year=2026, months=(1, 10))                  # every municipality: the longest bar chart
COUNTY = Filters(year=2026, months=(1, 10), county="KS")
INJECTED = ["=1+1", '=HYPERLINK("http://127.0.0.1:9/x";"klikkaa")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"]
# (item, filters): every slide kind, a title that wraps, a long bar list with hostile names, suppressed bars
ITEMS = [(board_pack.PackItem("care_guarantee_7d", "card"), COUNTY),
         (board_pack.PackItem("child_family_contacts_per_1000", "trend"), COUNTY),
         (board_pack.PackItem("care_guarantee_7d", "regions"), REGION),
         (board_pack.PackItem("care_guarantee_7d", "forecast"), COUNTY),
         (board_pack.PackItem("multi_service_clients", "regions"), COUNTY),
         (board_pack.PackItem("net_cost_per_resident", "trend"), COUNTY),
         (board_pack.PackItem("child_budget", "child_budget"), Filters(year=2025, months=(1, 12), county="KS"))]
KIND_OF_PAGE = {1: "title", 2: "card", 3: "trend_long_title", 4: "regions_43", 5: "forecast", 6: "regions_county",
                7: "trend_eur", 8: "child_budget"}
LATEST_YEAR = 2026


def _soffice(args: list[str], cwd: Path) -> None:
    profile = cwd / "lo_profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--nolockcheck", *args], cwd=cwd, check=True, capture_output=True, timeout=300)


def _slides(engine, names: dict[str, str], lang: str = "fi") -> list:
    registry = load_registry()
    from data_sources import catalog as cat
    version, _ = cat.data_version(engine)
    out = []
    for item, f in ITEMS:
        out += board_pack.make_slides(
            [item], f, summary_of=lambda k, f=f: kpi_summary(engine, k, f),
            regions_of=lambda k, f=f: kpi_values(engine, k, f, ("municipality_code",)), municipality_names=names,
            subtitle=("Keski-Suomen hyvinvointialue" if f.county else "Koko alue") +
            f" · {month_window(f.months, lang)} {f.year}",
            lang=lang, forecast_of=lambda k, f=f: kpi_forecast(engine, registry[k], f, version, LATEST_YEAR),
            verdict_of=lambda k, f=f: kpi_verdict(engine, registry[k], f, version, LATEST_YEAR, registry),
            child_budget_of=lambda f=f: cb.trend(engine, f))
    return out


def _pdf_words(pdf: Path) -> list[dict]:
    """Every word with its page and box (pdftotext -bbox-layout), in points from the top left."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = re.split(r"<page ", html)[1:]
    words = []
    for n, page in enumerate(pages, start=1):
        w, h = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for block_no, block in enumerate(re.split(r"<block ", page)[1:]):
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                 block):
                x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
                words.append({"page": n, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": _unescape(m[5]),
                              "block": block_no, "pw": w, "ph": h})
    return words


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


def _page_text(pdf: Path, page: int, mode: str = "-layout") -> str:
    return subprocess.run(["pdftotext", mode, "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _csv(path: Path) -> list[list[tuple[str, bool]]]:
    """Calc's CSV with every text cell quoted: each cell as (text, is_text)."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        cells, i = [], 0
        while True:
            if line.startswith('"', i):
                j, buf = i + 1, []
                while j < len(line):
                    if line[j] == '"' and line.startswith('""', j):
                        buf.append('"')
                        j += 2
                    elif line[j] == '"':
                        break
                    else:
                        buf.append(line[j])
                        j += 1
                cells.append(("".join(buf), True))
                i = j + 1
            else:
                j = line.find(";", i)
                j = len(line) if j < 0 else j
                cells.append((line[i:j], False))
                i = j
            if i >= len(line):
                break
            i += 1                                      # the separator
        rows.append(cells)
    return rows


@pytest.fixture(scope="session")
def office(duck, tmp_path_factory):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        if IN_CI:
            pytest.fail("LibreOffice (soffice) or poppler-utils is missing in CI: scripts/test.sh installs them")
        pytest.skip("LibreOffice not installed (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("office")
    munis = catalog.municipalities(duck)
    names = dict(zip(munis.municipality_code, munis.name_fi))
    in_county = sorted(munis[munis.county_code == "KS"].municipality_code)   # in every county slide too
    hostile = dict(zip(in_county[:len(INJECTED)], INJECTED))
    names.update(hostile)
    slides = _slides(duck, names)
    meta = board_pack.PackMeta("Hallituksen raporttipaketti", "Keski-Suomen hyvinvointialue · tammi–lokakuu 2026",
                               7, "3.12.2026 klo 9.00", "fi")
    native = board_pack.build_pptx(slides, meta)
    (work / "pack.pptx").write_bytes(native)
    (work / "pack_pictures.pptx").write_bytes(board_pack.build_pptx(slides, meta, pictures=True))
    meta_en = board_pack.PackMeta("Board pack", "Central Finland wellbeing services county · January–October 2026", 7,
                                  "3 Dec 2026 9.00", "en")
    (work / "pack_en.pptx").write_bytes(board_pack.build_pptx(_slides(duck, names, "en"), meta_en))
    # spreadsheets: a chart's numbers as the pages give them (formatted text), the child-budget model,
    # and the data behind the native bar chart with the hostile names
    table = pd.DataFrame({"Kunta": ["Jyväskylä"] + INJECTED + ["Luhanka"],
                          "Arvo": ["81,3\u00a0%", "6\u00a0406\u00a0€/as.", "1\u00a0234\u00a0567", "0,5", "12,4\u00a0M€",
                                   "-16,5\u00a0%", "<5"],
                          "Muutos": ["-1,5\u00a0%-yks.", "+2,0\u00a0%", "x", "±0,0\u00a0%-yks.", "", "", ""],
                          "Kuukausi": pd.date_range("2023-12-01", periods=7, freq="MS")})
    (work / "chart.xlsx").write_bytes(export_data.to_xlsx(table, {"Lähde": "=cmd|' /C calc'!A0"}, "fi", "=Otsikko"))
    with zipfile.ZipFile(io.BytesIO(native)) as z:
        embedded = sorted(n for n in z.namelist() if n.startswith("ppt/embeddings/"))
        for i, n in enumerate(embedded):
            (work / f"embedded{i:02d}.xlsx").write_bytes(z.read(n))
    (work / "child_budget.xlsx").write_bytes(_child_budget_workbook(duck, munis, hostile))
    (work / "error_report.xlsx").write_bytes(_error_report(duck))
    sheets = sorted(str(p) for p in work.glob("*.xlsx"))
    _soffice(["--convert-to", "pdf", "--outdir", str(work / "pdf"), str(work / "pack.pptx"),
              str(work / "pack_pictures.pptx"), str(work / "pack_en.pptx")], work)
    _soffice(["--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,1035,true,true,true,false,false,-1",
              "--outdir", str(work / "csv"), *sheets], work)
    ART.mkdir(exist_ok=True)
    for stem in ("pack", "pack_pictures", "pack_en"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(work / "pdf" / f"{stem}.pdf"), str(work / stem)],
                       check=True)
        for png in sorted(work.glob(f"{stem}-*.png")):
            page = int(png.stem.rsplit("-", 1)[1])
            shutil.copy(png, ART / f"office_{stem}_{page}_{KIND_OF_PAGE.get(page, 'slide')}.png")
    return {"dir": work, "slides": slides, "deck": Presentation(io.BytesIO(native)), "names": names,
            "hostile": hostile, "embedded": len(embedded)}


def _error_report(engine) -> bytes:
    from data_sources import uploads
    from ui.upload import error_report_xlsx

    from .upload_files import bad_files
    bad = next(b for b in bad_files() if b.file_name.endswith(".xlsx"))
    v = uploads.check_file(engine, bad.make(), "=1+1 " + bad.file_name, bad.dataset, registry_ids=("care_guarantee_7d",))
    assert not v.ok
    return error_report_xlsx(v, "fi")


def _child_budget_workbook(engine, munis, hostile: dict[str, str]) -> bytes:
    from data_sources import child_budget as cbdata
    from ui import child_budget as cbui
    f = Filters(year=2025, months=(1, 12), county="KS")
    classification = cbdata.read_classification(engine)
    classification.loc[classification.index[0], "key_source"] = "=1+2"
    versions = cbdata.read_versions(engine)
    versions.loc[versions.index[0], "changed_by"] = "=2*3"
    frames = {"results": cb.by_levels(engine, f), "trend": cb.trend(engine, f), "lines": cb.model_lines(engine, f),
              "keys": cb.keys(engine, f), "classification": classification, "versions": versions}
    munis = munis.assign(name_fi=[hostile.get(c, n) for c, n in zip(munis.municipality_code, munis.name_fi)])
    return cbui.model_workbook(frames, munis, catalog.service_classes(engine), f, 3, "fi", "=Keski-Suomi",
                               areas=catalog.service_areas(engine))


def _overlaps(a: dict, b: dict) -> bool:
    """Two words drawn over each other: their boxes share more than a third of the smaller one (lines set
    close together only touch at the ascenders and descenders)."""
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
    if w <= 0 or h <= 0:
        return False
    smaller = min((a["x1"] - a["x0"]) * (a["y1"] - a["y0"]), (b["x1"] - b["x0"]) * (b["y1"] - b["y0"]))
    return w * h > smaller / 3


# --- slides -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", ["pack", "pack_pictures", "pack_en"])
def test_no_text_outside_a_slide_or_over_other_text(office, stem):
    words = _pdf_words(office["dir"] / "pdf" / f"{stem}.pdf")
    assert {w["page"] for w in words} == set(range(1, len(office["slides"]) + 2))
    outside = [w["text"] for w in words if w["x0"] < 0 or w["y0"] < 0 or w["x1"] > w["pw"] or w["y1"] > w["ph"]]
    assert not outside, outside
    clashes = []
    for page in {w["page"] for w in words}:
        on = [w for w in words if w["page"] == page]
        clashes += [(page, a["text"], b["text"]) for i, a in enumerate(on) for b in on[i + 1:] if _overlaps(a, b)]
    assert not clashes, clashes[:10]


def test_title_slide_reads_title_then_subtitle(office):
    words = [w for w in _pdf_words(office["dir"] / "pdf" / "pack.pdf") if w["page"] == 1]
    title = [w for w in words if w["text"] in ("Hallituksen", "raporttipaketti")]
    sub = [w for w in words if w["text"] in ("Keski-Suomen", "Tietoversio")]
    assert len(title) == 2 and len(sub) == 2
    assert max(w["y1"] for w in title) < min(w["y0"] for w in sub)      # the subtitle is below the title
    assert min(w["y0"] for w in title) > 0.1 * title[0]["ph"]            # and the title is not at the edge


def test_wrapped_title_pushes_the_subtitle_down(office):
    words = [w for w in _pdf_words(office["dir"] / "pdf" / "pack.pdf") if w["page"] == 3]
    title = office["slides"][1].title
    assert len(title) > 70
    sub_y = min(w["y0"] for w in words if w["text"] == "Keski-Suomen")
    in_title = [w for w in words if w["text"] in title and w["y0"] < sub_y]
    lines = sorted({round(w["y0"]) for w in in_title})
    assert len(lines) >= 2 and "".join(w["text"] for w in in_title) == title.replace(" ", "")   # wrapped, whole
    title_bottom = max(w["y1"] for w in in_title)
    assert sub_y > title_bottom


def test_every_municipality_of_a_long_bar_chart_is_named_and_bars_start_at_zero(office):
    slide = office["slides"][2]
    assert len(slide.regions) >= 40
    text = _page_text(office["dir"] / "pdf" / "pack.pdf", 4)
    flat = re.sub(r"\s+", "", _page_text(office["dir"] / "pdf" / "pack.pdf", 4, "-raw"))   # a wrapped name whole
    missing = [n for n in slide.regions.name if re.sub(r"\s+", "", str(n)) not in flat]
    assert not missing, missing
    deck = office["deck"]
    bar_charts = [sh.chart for sh in deck.slides[3].shapes if sh.has_chart]
    assert len(bar_charts) >= 2
    cats = [c for ch in bar_charts for c in ch.plots[0].categories]
    assert len(cats) == len(slide.regions)
    for ch in bar_charts:
        assert ch.value_axis.minimum_scale == 0
        assert ch.category_axis.tick_labels.font.size.pt >= 10                 # readable, not 7 pt
    assert len({ch.value_axis.maximum_scale for ch in bar_charts}) == 1        # one scale side by side
    # LibreOffice draws the zero: the axis row starts with '0 %'
    axis_rows = [line for line in text.splitlines() if re.match(r"^\s*0\s?%\s", line) and "100 %" in line]
    assert axis_rows, text[-600:]
    # the county slide too (it used to start where the data did)
    assert all(sh.chart.value_axis.minimum_scale == 0 for sh in deck.slides[5].shapes if sh.has_chart)


def test_line_axes_have_a_stated_range_and_forecast_labels_fit(office):
    deck = office["deck"]
    fc_chart = next(sh.chart for sh in deck.slides[4].shapes if sh.has_chart)
    lo, hi = fc_chart.value_axis.minimum_scale, fc_chart.value_axis.maximum_scale
    assert lo is not None and hi is not None and (lo > 0 or hi < 100) and hi - lo <= 60
    values = [v for s in fc_chart.plots[0].series for v in s.values if v is not None]
    assert lo <= min(values) and max(values) <= hi
    text = _page_text(office["dir"] / "pdf" / "pack.pdf", 5)
    slide = office["slides"][3]
    first, last = f"{slide.actual.period.iloc[0]:%-m/%Y}", f"{slide.forecast.period.iloc[-1]:%-m/%Y}"
    assert f"{first}–{last}" in slide.subtitle and f"{first}–{last}" in text      # the subtitle says the chart's months
    assert "tammi–lokakuu 2026" not in slide.subtitle
    assert "Tavoite 80" in text                                                  # the target line says what it is


def test_slide_text_rules(office):
    pdf = office["dir"] / "pdf" / "pack.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Lähellä tavoitetta" not in text and "€/as.." not in text
    assert "Tavoitearvio:" in text                                          # the one verdict rule's words
    assert not re.search(r"(^|\s)-\s*$", text, re.M), "a minus sign was broken off its number"
    caption = " ".join(line for s in office["slides"] for line in s.caption)
    assert "-1" not in caption.replace("0-17", "") or "\u2212" in text
    trend = office["slides"][5]
    assert trend.subtitle.endswith(f"{int(trend.trend.yr.min())}–{int(trend.trend.yr.max())}")


# --- spreadsheets -------------------------------------------------------------------------------------
def _sheet(office, name: str) -> list[list[tuple[str, bool]]]:
    return _csv(office["dir"] / "csv" / f"{name}.csv")


def test_injected_formulas_come_back_as_literal_text(office):
    csvs = sorted((office["dir"] / "csv").glob("*.csv"))
    stems = {p.stem.split("-")[0] for p in csvs}
    assert {"chart", "child_budget", "error_report"} <= stems and sum(s.startswith("embedded") for s in stems) == office["embedded"]
    number = re.compile(r"^[+-]?[\d,.]+( ?[^\d\s].*)?$|^\d{1,2}/\d{4}$|^\d{1,2}\.\d{1,2}\.\d{4}( \d+:\d\d)?$")
    for path in csvs:
        for text, is_text in (c for row in _csv(path) for c in row):
            assert is_text or not text or number.match(text), f"{path.name}: {text!r}: neither text nor a number"
            assert not (is_text and text.startswith(("=", "+", "-", "@"))), f"{path.name}: {text!r} not neutralised"
    chart = [c for row in _sheet(office, "chart-Tiedot") for c in row]
    for bad in INJECTED:
        assert ("'" + bad, True) in chart
    embedded = [c for p in csvs if p.stem.startswith("embedded") for row in _csv(p) for c in row]
    for bad in INJECTED:
        assert ("'" + bad, True) in embedded, bad
    lab = [c for p in csvs if p.stem.startswith("child_budget") for row in _csv(p) for c in row]
    assert ("'=1+2", True) in lab and ("'=2*3", True) in lab and ("'=Keski-Suomi", True) in lab
    assert ("'" + INJECTED[1], True) in lab


def test_numbers_come_back_as_numbers_with_their_format(office):
    rows = _sheet(office, "chart-Tiedot")
    by_name = {r[0][0]: r for r in rows if r}
    jkl = by_name["Jyväskylä"]
    assert jkl[1] == ("81.3 %", False) and jkl[2] == ("-1.5 %-yks.", False) and jkl[3] == ("12/2023", False)
    assert by_name["'" + INJECTED[0]][1] == ("6,406 €/as.", False)
    assert by_name["'" + INJECTED[1]][1] == ("1,234,567", False)            # thousands grouped, no stray space
    assert by_name["'" + INJECTED[2]][1] == ("0.5", False)
    assert by_name["'" + INJECTED[3]][1] == ("12.4 M€", False)
    assert by_name["'" + INJECTED[4]][1] == ("-16.5 %", False)
    assert by_name["Luhanka"][1] == ("<5", True)                           # suppressed stays suppressed
    # the data behind a native chart: numbers; the child-budget model: money and shares as numbers
    emb = [r for p in sorted((office["dir"] / "csv").glob("embedded*.csv")) for r in _csv(p)[1:]]
    assert emb and all(not row[1][1] for row in emb if row[1][0])
    results = _sheet(office, "child_budget-Tulokset")
    head = [c[0] for c in results[0]]
    money = [c[0] for c in results[1:] for c, h in zip(results[1:][0], head)]
    assert money
    for r in results[1:]:
        row = dict(zip(head, r))
        eur = next(v for h, v in row.items() if "€" in h or "euro" in h.lower())
        assert not eur[1] and eur[0].endswith("€"), row
    lines = _sheet(office, "child_budget-Rivit")
    head = [c[0] for c in lines[0]]
    assert "Palvelualue" in head and "Palvelualueen nimi" in head
    i = head.index("Palvelualueen nimi")
    assert {r[i][0] for r in lines[1:]} >= {"Perusterveydenhuollon vastaanotot"}


def test_child_budget_slide(office):
    slide = office["slides"][6]
    assert slide.item.kind == "child_budget" and slide.budget is not None
    text = re.sub(r"\s+", " ", _page_text(office["dir"] / "pdf" / "pack.pdf", 8))
    for words in ("Lapsiin kohdistuu", "Euroa lasta kohden", "Ennaltaehkäisevän osuus", "Nettokustannukset yhteensä",
                  "Suoraan lapsiin", "Lähde: Talouden toteuma", "koko vuosi 2025"):
        assert words in text, words
    chart = next(sh.chart for sh in office["deck"].slides[7].shapes if sh.has_chart)
    assert chart.value_axis.minimum_scale == 0
    amounts = list(chart.plots[0].series[1].values)[::-1]          # drawn bottom-up
    assert amounts == pytest.approx([round(abs(v), 4) for v in slide.budget.end - slide.budget.start])
    notes = office["deck"].slides[7].notes_slide.notes_text_frame.text
    assert "Lapsiin kohdistuvat" in notes and "<5" in notes


# --- the rules behind the files, without LibreOffice ----------------------------------------------------
@pytest.mark.parametrize("text,value,fmt", [
    ("81,3\u00a0%", 81.3, '#,##0.0" %"'), ("6\u00a0406\u00a0€/as.", 6406, '#,##0" €/as."'),
    ("-1,5\u00a0%-yks.", -1.5, '+0.0" %-yks.";-0.0" %-yks.";0.0" %-yks."'), ("\u22121,5\u00a0%", -1.5, None),
    ("1\u00a0234\u00a0567", 1234567, "#,##0"), ("2025", 2025, "0"), ("12,4\u00a0M€", 12.4e6, '#,##0.0,," M€"')])
def test_numbers_we_printed_are_read_back(text, value, fmt):
    from ui.sheets import parse_shown
    got = parse_shown(text)
    assert got is not None and got[0] == pytest.approx(value)
    assert fmt is None or got[1] == fmt


@pytest.mark.parametrize("text", ["091", "<5", "Jyväskylä", "=1+1", "-2+3", "12/2025", "1,2,3", "x 5 %"])
def test_other_text_stays_text(text):
    from ui.sheets import parse_shown
    assert parse_shown(text) is None


def test_no_break_keeps_signs_and_units_with_their_numbers():
    from ui.format import no_break
    assert no_break("vuodesta -16,5 % ja > 99 %") == "vuodesta \u221216,5\u00a0% ja >\u00a099\u00a0%"
    assert no_break("0-17-vuotiaat 2026-11-25") == "0-17-vuotiaat 2026-11-25"

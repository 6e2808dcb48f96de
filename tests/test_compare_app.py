"""AppTest of the page "Alueiden vertailu": every view, a county switch, two KPIs, the standardisation choice, and
the ranked list with its selector on the overview and operational pages."""
import json
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from metrics.registry import load_registry

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ROOT = Path(__file__).resolve().parent.parent


def open_compare(**sidebar):
    at = AppTest.from_file(APP, default_timeout=120).run()
    for key, value in sidebar.items():
        at.sidebar.selectbox(key=key).set_value(value).run()
    # the overview writes its own indicator choice to the URL (kpi=, issue 15); a menu link in a browser drops the
    # page's parameters, AppTest's switch_page keeps them
    at.query_params.pop("kpi", None)
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    return at


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_every_view_renders_with_a_county_switch():
    at = open_compare()
    assert at.title[0].value == "Alueiden vertailu"
    assert "43 aluetta" not in captions(at)                        # a long list starts with top and bottom five
    assert "Näytetään 10/43 kuntaa" in captions(at)
    at.sidebar.selectbox(key="f_county").set_value("KS").run()
    assert not at.exception, at.exception
    text = captions(at)
    assert "Näytetään 10/22 kuntaa" in text
    assert "Viitearvot: Keski-Suomen hyvinvointialue" in text       # the county's reference line, in the alt text
    for view in ("funnel", "spine", "change", "scatter", "counties", "ranked"):
        at.segmented_control(key="cmp_view").set_value(view).run()
        assert not at.exception, (view, at.exception)
        assert not at.error, view
        assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"), view
    at.sidebar.selectbox(key="f_county").set_value("PH").run()
    assert not at.exception
    assert "Päijät-Hämeen hyvinvointialue" in captions(at)


def test_two_kpis_and_the_standardisation_choice():
    at = open_compare(f_county="KH")
    at.radio(key="cmp_std").set_value("esp2013").run()
    assert "Euroopan standardiväestö 2013" in captions(at)
    # the chart's own subtitle says it too, so every export of it (drawn from the chart) does
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    subtitle = json.loads(charts[0].proto.spec)["title"]["subtitle"]
    assert "Euroopan standardiväestö 2013 (ESP 2013)" in " ".join(subtitle)
    at.segmented_control(key="cmp_view").set_value("scatter").run()
    at.selectbox(key="cmp_kpi").set_value("net_cost_per_resident").run()
    at.selectbox(key="cmp_kpi_y").set_value("care_guarantee_7d").run()
    assert not at.exception, at.exception
    text = captions(at)
    reg = load_registry()
    cost, care = reg["net_cost_per_resident"].name_fi, reg["care_guarantee_7d"].name_fi
    assert f"Hajontakuvio: {cost} (vaaka) ja {care} (pysty), 11 kuntaa" in text
    assert "ikävakiointia" in text and "ei tarjota" in text     # cost per resident has no age breakdown
    assert at.radio(key="cmp_std").disabled
    at.selectbox(key="cmp_kpi").set_value("care_guarantee_7d").run()
    at.selectbox(key="cmp_kpi_y").set_value("remote_share").run()
    assert not at.exception
    at.segmented_control(key="cmp_view").set_value("funnel").run()
    assert f"Suppilokuvio: {care}, 11 kuntaa" in captions(at)
    assert "Ylihajontakerroin φ" in captions(at)
    outside = [c for c in captions(at).splitlines() if c.startswith("Suppilokuvio:")][0]
    at.toggle(key="cmp_phi").set_value(True).run()            # over-dispersed demo: wider limits, fewer outside
    assert not at.exception
    widened = [c for c in captions(at).splitlines() if c.startswith("Suppilokuvio:")][0]
    count = lambda text: int(text.split("99,8 %:n rajojen ulkopuolella ")[1].split(":")[0])  # noqa: E731
    assert count(widened) < count(outside)


def test_page_in_english_and_the_focus_selector():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.title[0].value == "Region comparison"
    at.multiselect(key="cmp_ranked_focus").set_value(["179"]).run()
    assert "Showing 11 of 43 municipalities" in captions(at) or "Showing 10 of 43" in captions(at)
    at.toggle(key="cmp_ranked_all").set_value(True).run()
    assert "43 areas ranked" in captions(at)


@pytest.mark.parametrize("page,key", [("pages/overview.py", "overview_regions"),
                                      ("pages/operational.py", "operational_munis")])
def test_kpi_pages_draw_the_ranked_list(page, key):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.toggle(key=f"{key}_all") is not None
    # the page opens on a KPI of its own: the text names intervals only when its chart draws them
    if "Ei luottamusväliä: eroja ei testata" in _legend_titles(at):
        assert "eroja ei testata" in captions(at) and "luottamusväleineen" not in captions(at)
    else:
        assert "Pistekaavio luottamusväleineen" in captions(at)


def test_every_role_may_open_the_page():
    roles = yaml.safe_load((ROOT / "app" / "roles.yaml").read_text())["roles"]
    assert all("compare" in r["pages"] for r in roles.values())


def test_counties_with_their_target_verdicts():
    at = open_compare()
    at.segmented_control(key="cmp_view").set_value("counties").run()
    assert not at.exception
    assert "Pistekaavio: 3 hyvinvointialuetta" in captions(at)
    at.toggle(key="cmp_verdicts").set_value(True).run()
    assert not at.exception, at.exception
    assert "Tavoitteet hyvinvointialueittain" in captions(at)
    table = at.dataframe[-1].value
    assert {"Keski-Suomen hyvinvointialue", "Kanta-Hämeen hyvinvointialue"} <= set(table.columns)
    assert len(table) >= 3 and table.iloc[:, 1].str.len().gt(3).all()


def test_every_kpi_in_every_single_kpi_view():
    """No KPI breaks a view: money, days, uploaded series (none before 2021), bare counts, shares and rates."""
    at = open_compare(f_county="PH")
    for kid in load_registry().kpis:
        at.selectbox(key="cmp_kpi").set_value(kid).run()
        for view in ("ranked", "funnel", "change"):
            at.segmented_control(key="cmp_view").set_value(view).run()
            assert not at.exception, (kid, view, at.exception)
            assert not at.error, (kid, view)


def _ranked_both_ways():
    """One ranked list drawn from the table as the compare page makes it (key "fresh") and one from the object the
    app keeps (key "kept"), for the county in session state."""
    import streamlit as st

    from app import compare as cd, state
    from metrics import compare as mc
    from metrics.engine import Filters
    from metrics.registry import load_registry
    from ui import compare as cu

    k = load_registry()["care_guarantee_7d"]
    version = state.data_version()[0]
    f = Filters(year=2026, months=(1, 10), county=st.session_state.get("county"))
    target = k.target.value if k.target else None
    flagged = mc.with_flags(cd.table(k.id, f, (f.year,), None, version), k, "county", target=target)
    munis = state.municipalities(version)
    cu.ranked_section(flagged, k, munis, "fi", county=f.county, year=f.year, subtitle="s", key="fresh",
                      bench_name="maakunta")
    cu.ranked_section(None, k, munis, "fi", county=f.county, year=f.year, subtitle="s", key="kept",
                      bench_name="maakunta", prepared=cd.prepared(k.id, f, version, "county", target, "fi"))


def test_a_kept_ranked_list_equals_one_made_afresh_on_reruns_county_changes_and_focus():
    """The overview and operational pages draw the ranked list from the table the app keeps per process and find
    its chart, table and text made on a rerun (ui.compare._keeper); what they draw must be exactly what the list
    made from scratch draws: on the first run, a rerun, a county change, back, an area picked and "all"."""
    import pyarrow as pa

    from ui import compare as cu

    def drawn(at):
        charts = at.get("vega_lite_chart")
        assert len(charts) == 2 and len(at.dataframe) == 2
        out = []
        for chart, table in zip(charts, at.dataframe):
            spec = json.loads(chart.proto.spec)
            data = sorted(pa.ipc.open_stream(d.data.data).read_all().to_pandas().to_json()
                          for d in chart.proto.datasets)
            out.append((spec, data, table.value.to_json()))
        return out

    cu.forget()
    at = AppTest.from_function(_ranked_both_ways, default_timeout=120).run()
    assert not at.exception, at.exception
    seen = []
    for step in ("first", "rerun", "KH", "PH", "all counties", "focus", "all", "rerun"):
        if step in ("KH", "PH"):
            at.session_state["county"] = step
        elif step == "all counties":
            at.session_state["county"] = None
        elif step == "focus":
            at.multiselect(key="fresh_focus").set_value(["109"])
            at.multiselect(key="kept_focus").set_value(["109"])
        elif step == "all":
            at.toggle(key="fresh_all").set_value(True)
            at.toggle(key="kept_all").set_value(True)
        kept_before = len(cu._kept)
        at.run()
        assert not at.exception, (step, at.exception)
        fresh, kept = drawn(at)
        assert fresh == kept, step
        captions_ = [c.value for c in at.caption]
        assert captions_[:len(captions_) // 2] == captions_[len(captions_) // 2:], step
        seen.append(fresh)
        if step == "rerun":
            assert len(cu._kept) == kept_before, "a rerun made its section again"
    assert seen[2] != seen[0] and seen[4] == seen[0]       # a county changes the list; back, it is the same again


def _legend_titles(at) -> set[str]:
    """The titles of the channels that draw a legend (color, shape) in the page's charts."""
    titles = set()

    def walk(node):
        if isinstance(node, dict):
            for channel in ("color", "shape"):
                enc = node.get(channel)
                if isinstance(enc, dict) and isinstance(enc.get("title"), str):
                    titles.add(enc["title"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for el in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        walk(json.loads(el.proto.spec))
    return titles


def test_a_ranked_list_without_intervals_says_nothing_is_tested():
    """Money (net cost per resident) has no interval: its ranked list is not called a chart with intervals, its
    legend and its text say no difference is tested; a rate of counts keeps the interval wording."""
    at = open_compare(f_county="PH")
    at.selectbox(key="cmp_kpi").set_value("net_cost_per_resident").run()
    at.segmented_control(key="cmp_view").set_value("ranked").run()
    assert not at.exception, at.exception
    text = captions(at)
    assert "Pistekaavio: " in text and "eroja ei testata" in text and "luottamusväleineen" not in text
    alt = next(c.value for c in at.caption if c.value.startswith("Pistekaavio"))
    assert "€/as.," in alt and ".." not in alt        # an abbreviation's full stop ends the sentence too
    assert "Vakioimattomat luvut; ei luottamusväliä." in text and "Wilson" not in text     # nor in the subtitle
    assert "Ei luottamusväliä: eroja ei testata" in _legend_titles(at)
    at.selectbox(key="cmp_kpi").set_value("contacts_per_1000").run()
    assert "Pistekaavio luottamusväleineen" in captions(at) and "Wilson" in captions(at)
    assert "Ei luottamusväliä: eroja ei testata" not in _legend_titles(at)

"""AppTest of the forecast page: every county, English, another indicator, a suppressed municipality, and the
numbers on the page equal the stored forecast."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.engine import Filters
from metrics.forecast import kpi_forecast
from metrics.registry import load_registry
from ui.format import fmt_value

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def open_forecast(**sidebar):
    at = AppTest.from_file(APP, default_timeout=120).run()
    for key, value in sidebar.items():
        at.sidebar.selectbox(key=key).set_value(value).run()
    at.switch_page("pages/forecast.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("county", ["KS", "KH", "PH"])
def test_forecast_page_renders_for_every_county(county):
    at = open_forecast(f_county=county)
    assert at.title[0].value == "Ennusteet"
    assert not at.error
    labels = [m.label for m in at.metric]
    assert labels[0].startswith("Viimeisin toteuma") and labels[1].startswith("Ennuste ")
    assert any(c.value.startswith("Viivakaavio:") and "80 %:n väli" in c.value for c in at.caption)
    backtest = at.table[0].value
    assert list(backtest.columns) == ["Malli", "MAPE", "MASE", "Testikuukausia", "Käytössä"]
    assert (backtest["Käytössä"] == "kyllä").sum() == 1


def test_forecast_numbers_are_the_stored_forecast(duck):
    at = open_forecast(f_county="KH")
    at.selectbox(key="fc_kpi").set_value("contacts_per_1000").run()
    at.selectbox(key="fc_horizon").set_value(6).run()
    assert not at.exception
    k = load_registry()["contacts_per_1000"]
    version = at.session_state["data_version"]
    res = kpi_forecast(duck, k, Filters(year=2026, county="KH"), version, 2026)
    sixth = res["points"].iloc[5]
    shown = {m.label: m.value for m in at.metric}
    assert shown[next(lbl for lbl in shown if lbl.startswith("Ennuste "))] == fmt_value(sixth.value, k.unit)
    assert at.query_params["kpi"] in ("contacts_per_1000", ["contacts_per_1000"])


def test_forecast_page_in_english():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("pages/forecast.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Forecasts"
    assert at.subheader[0].value.startswith("Backtest")


def test_suppressed_municipality_gets_an_explanation_not_a_forecast():
    at = open_forecast(f_county="KS")
    at.sidebar.selectbox(key="f_municipality").set_value("435").run()      # Luhanka
    at.selectbox(key="fc_kpi").set_value("team_clients").run()
    assert not at.exception
    texts = [i.value for i in at.info]
    assert any("tietosuojan vuoksi" in v for v in texts), texts
    assert not at.metric


def test_yearly_only_indicators_are_not_offered():
    at = open_forecast()
    options = at.selectbox(key="fc_kpi").options
    reg = load_registry()
    yearly = [k.name_fi for k in reg.kpis.values() if "month" not in k.grains]
    assert yearly and not set(yearly) & set(options)


def test_a_link_chooses_the_indicator_and_a_later_choice_sticks():
    at = open_forecast()
    at.query_params["kpi"] = "t3_primary"
    at.run()
    assert at.selectbox(key="fc_kpi").value == "t3_primary"
    at.selectbox(key="fc_kpi").set_value("digital_share").run()
    at.run()
    assert at.selectbox(key="fc_kpi").value == "digital_share"


def test_target_verdict_is_stated_in_words(duck):
    at = open_forecast(f_county="KS")
    at.selectbox(key="fc_kpi").set_value("care_guarantee_7d").run()      # target 80 % by 12/2025: passed
    boxes = [m.value.split("] ", 1)[-1] for m in at.markdown if m.value.startswith((":green[", ":orange[", ":red[", ":gray["))]
    assert any(b.startswith("12/2025: ") and "(tavoite 80\u00a0%)" in b and "loka–joulukuu 2025" in b
               for b in boxes), boxes
    at.selectbox(key="fc_kpi").set_value("ips_employment").run()         # target 37 % by 12/2026: ahead
    boxes = [m.value.split("] ", 1)[-1] for m in at.markdown if m.value.startswith((":green[", ":orange[", ":red[", ":gray["))]
    assert any(b.startswith("Tavoite 37\u00a0% 12/2026: ") and "todennäköisyys" in b for b in boxes), boxes


def test_every_indicator_is_forecast_on_the_first_view_without_a_button(duck):
    from data_sources import forecasts
    from metrics.forecast import scope_key
    at = open_forecast(f_county="PH")
    assert not [b for b in at.button if b.key == "fc_compute_all"]          # no button to press
    version = at.session_state["data_version"]
    reg = load_registry()
    monthly = [k for k in reg.kpis.values() if "month" in k.grains]
    assert set(forecasts.stored_kpis(duck, scope_key(Filters(year=2026, county="PH")), version)) >= \
        {k.id for k in monthly}
    table = at.table[-1].value
    assert len(table) == len(monthly)
    row = table[table["Mittari"] == reg["care_guarantee_7d"].name_fi].iloc[0]
    res = kpi_forecast(duck, reg["care_guarantee_7d"], Filters(year=2026, county="PH"), version, 2026)
    assert row["Ennuste 10/2027"] == fmt_value(res["points"].value.iloc[11], "pct")
    assert row["Tavoitearvio"][0] in "●▲■○"


def test_language_switch_keeps_every_choice():
    """The language radio hands each choice widget its own value back (so the browser redraws its label in
    the new language): the choices survive and nothing breaks."""
    at = open_forecast(f_county="KH")
    at.selectbox(key="fc_kpi").set_value("t3_primary").run()
    at.selectbox(key="fc_horizon").set_value(24).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Forecasts"
    assert at.sidebar.selectbox(key="f_county").value == "KH"
    assert at.selectbox(key="fc_kpi").value == "t3_primary"
    assert at.selectbox(key="fc_horizon").value == 24


def test_relabelled_keys_are_choice_widgets_in_the_code():
    import re
    from ui.sidebar import RELABEL_KEYS
    root = Path(APP).parent
    code = "\n".join(p.read_text() for p in [*root.glob("pages/*.py"), *root.glob("ui/*.py"),
                                                  *root.glob("app/*.py")])
    for key in RELABEL_KEYS:
        assert f'key="{key}"' in code, key
        assert not re.search(rf'(button|file_uploader|download_button|data_editor)\([^)]*key="{key}"', code), key

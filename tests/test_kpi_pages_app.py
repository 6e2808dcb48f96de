"""AppTest of the strategic, tactical, operational, deficit and detail pages, with filters changed."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_sources import catalog
from metrics.engine import Filters, kpi_summary
from metrics.registry import load_registry
from ui.format import fmt_value

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = ["pages/strategic.py", "pages/tactical.py", "pages/operational.py", "pages/deficit.py",
         "pages/kpi_detail.py"]


def open_page(page, **sidebar):
    at = AppTest.from_file(APP, default_timeout=90).run()
    for key, value in sidebar.items():
        at.sidebar.selectbox(key=key).set_value(value).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("county", ["KS", "KH", "PH"])
def test_every_page_renders_for_every_county(page, county):
    at = open_page(page, f_county=county)
    assert at.title and at.title[0].value
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english(page):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="f_county").label == "Wellbeing services county"


def test_strategic_scores_are_shown_with_their_computation():
    at = open_page("pages/strategic.py")
    labels = [m.label for m in at.metric]
    for area in ("Saatavuus", "Digitaaliset palvelut", "Kustannukset", "Hoidon jatkuvuus"):
        assert area in labels
    assert any(m.label == "Saatavuus" and m.value.isdigit() for m in at.metric)     # the score; "/ 100" in words
    # the explanation lists each indicator with its score and weight, and whether it meets its target
    tables = [df.value for df in at.table]
    explained = [t for t in tables if "Paino" in t.columns]
    assert len(explained) == 5
    assert "Kiireetön hoito 7 vuorokaudessa" in explained[0]["Mittari"].tolist()
    assert set(explained[1]["Tavoitteessa"]) <= {"● kyllä", "■ ei", "–"}


def test_no_area_says_on_target_beside_an_indicator_short_of_its_target():
    """Issue 15: every area whose table has an indicator short of its target (its value, or its target verdict)
    has a status other than "Tavoitteessa"."""
    at = open_page("pages/strategic.py")
    explained = [t for t in (df.value for df in at.table) if "Paino" in t.columns]
    statuses = [c.value for c in at.caption if any(w in c.value for w in ("Tavoitteessa", "Lähellä tavoitetta",
                                                                          "Jäljessä tavoitteesta"))][:5]
    assert len(statuses) == 5 and len(explained) == 5
    for table, status in zip(explained, statuses):
        if "■ ei" in set(table["Tavoitteessa"]):
            assert "Tavoitteessa" not in status, (table, status)
    digital = explained[1]
    assert "Sähköisen asioinnin käyttö, kaikki" in digital["Mittari"].tolist()


def test_strategic_cost_per_resident_matches_engine(duck):
    at = open_page("pages/strategic.py", f_county="KH")
    f = Filters(year=2026, months=(1, 10), county="KH")
    expected = fmt_value(kpi_summary(duck, "net_cost_per_resident", f).value, "eur_per_resident")
    assert [m.value for m in at.metric if m.label == "Nettokustannukset asukasta kohden"] == [expected]


def test_tactical_service_area_and_age_filters_change_values():
    at = open_page("pages/tactical.py")
    # only the open tab is computed (lazy tabs): the access cards, not the channel or continuity ones
    labels = {m.label for m in at.metric}
    assert "Kiireetön hoito 7 vuorokaudessa" in labels and "Palvelukontaktit / 1 000 asukasta" not in labels
    assert [tab.label for tab in at.tabs] == ["Saatavuus", "Asiointikanavat", "Yksikkökustannukset", "Jatkuvuus"]
    at.session_state["tactical_tab"] = "Asiointikanavat"
    at.run()
    before = {m.label: m.value for m in at.metric}
    assert "Kiireetön hoito 7 vuorokaudessa" not in before
    at.multiselect(key="tactical_ages").set_value(["75+"]).run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}
    assert before["Palvelukontaktit / 1 000 asukasta"] != after["Palvelukontaktit / 1 000 asukasta"]
    at.session_state["tactical_tab"] = "Yksikkökustannukset"
    at.multiselect(key="tactical_areas").set_value(["dental"]).run()
    assert not at.exception
    unit_costs = [df.value for df in at.dataframe if "€ / kontakti" in df.value.columns]
    assert unit_costs and list(unit_costs[0]["Palvelualue"]) == ["Suun terveydenhuolto"]


def test_operational_drills_to_a_municipality_and_its_service_points(duck):
    at = open_page("pages/operational.py", f_county="KS")
    at.selectbox(key="operational_muni").set_value("179").run()
    assert not at.exception
    points = [df.value for df in at.dataframe if "Toimipiste" in df.value.columns][0]
    expected = catalog.service_points(duck)
    assert len(points) == (expected.municipality_code == "179").sum()
    assert all(p.startswith("Jyväskylä") for p in points["Toimipiste"])


def test_deficit_page_shows_the_real_figures():
    at = open_page("pages/deficit.py")
    table = [df.value for df in at.dataframe][0]
    assert len(table) == 39
    # better or worse in a shape and a word, not the sign again; the groups together, not alphabetical
    assert "+360 % ▼ heikentynyt" in table["Muutos, %"].tolist()
    groups = table["Ryhmä"].tolist()
    assert groups == sorted(groups, key=groups.index) and len(set(groups)) == sum(
        1 for a, b in zip(groups, [None, *groups]) if a != b)
    at.multiselect(key="deficit_groups").set_value(["children"]).run()
    assert len([df.value for df in at.dataframe][0]) == 7


def test_detail_page_explains_a_kpi():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["kpi"] = "t3_primary"
    at.run()
    at.switch_page("pages/kpi_detail.py").run()
    assert not at.exception
    assert at.title[0].value == load_registry()["t3_primary"].name_fi
    facts = dict(at.table[0].value.to_numpy())
    # the formula in words in the user's language, the SQL behind a toggle; privacy said once; one date style
    assert facts["Laskentakaava"].startswith("Päivät kolmanteen vapaaseen aikaan (T3), keskiarvo")
    assert "v_t3" not in facts["Laskentakaava"] and "AVG" not in facts["Laskentakaava"]
    assert at.code[0].value.startswith("SELECT") and "t3" in at.code[0].value     # the compiled SQL, values in
    assert facts["Tietosuoja"] == "alle 5 henkilön luvut piilotetaan"
    assert "/20" in facts["Lähtötaso"] and "-" not in facts["Lähtötaso"]
    at.segmented_control(key="detail_grain").set_value("year").run()
    assert not at.exception
    numbers = at.dataframe[-1].value
    assert list(numbers.columns)[0] == "Vuosi" and len(numbers) == 8


def test_detail_formula_in_english_with_its_filters():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["kpi"] = "remote_share"
    at.run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("pages/kpi_detail.py").run()
    assert not at.exception
    facts = dict(at.table[0].value.to_numpy())
    formula = facts["Formula"]
    assert formula.startswith("Remote contacts (phone, video, chat) ÷ contacts × 100. Limited to: service area: ")
    assert "primary_care" not in formula and "∈" not in formula and "SUM(" not in formula
    assert facts["Privacy"] == "counts below 5 are hidden"


def test_zero_target_reads_sensibly():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["kpi"] = "callback_delay"
    at.run()
    at.switch_page("pages/kpi_detail.py").run()
    facts = dict(at.table[0].value.to_numpy())
    assert facts["Tavoite"] == "enintään 0\u00a0vrk (12/2025)"
    assert "0,0" not in facts["Tavoitearvio"]


def test_accessibility_statement_for_every_role_in_both_languages(monkeypatch):
    import streamlit
    monkeypatch.setenv("DASHBOARD_A11Y_CONTACT", "saavutettavuus@hyvinvointialue.example")
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.sidebar.selectbox(key="demo_role").set_value("viewer").run()
    at.switch_page("pages/accessibility.py").run()
    assert not at.exception and not at.error
    text = " ".join(m.value for m in at.markdown).replace("\u2060", "").replace("\\", "")   # markdown-escaped
    assert at.title[0].value == "Saavutettavuusseloste"
    for needed in ("osittain", "306/2019", f"versio {streamlit.__version__}", "Traficom",
                   "saavutettavuusvaatimukset.fi", "saavutettavuus@hyvinvointialue.example", "3.12.2026"):
        assert needed in text, needed
    assert any(link.proto.page.split("/")[-1].removesuffix(".py") == "accessibility" for link in at.get("page_link"))
    at.sidebar.radio(key="lang").set_value("en").run()
    text = " ".join(m.value for m in at.markdown)
    assert at.title[0].value == "Accessibility statement" and "partially compliant" in text


def test_page_choices_live_in_the_url():
    """The tactical page's open tab, the deficit groups and the operational page's service-point municipality
    are in the URL: a link opens them, and the tab stays open when the language changes."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["tab"] = "unit_costs"
    at.run()
    at.switch_page("pages/tactical.py").run()
    assert not at.exception
    assert any("€ / kontakti" in df.value.columns for df in at.dataframe)          # the unit-cost tab is open
    assert at.query_params.get("tab") in ("unit_costs", ["unit_costs"])
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    from ui.i18n import t
    assert any(t("eur_per_contact", "en") in df.value.columns for df in at.dataframe)     # the same tab, in English
    at.session_state["tactical_tab"] = "Access"
    at.run()
    assert "tab" not in at.query_params                      # the first tab is the page's own: no parameter
    # a bad tab is ignored with a notice, never an error
    bad = AppTest.from_file(APP, default_timeout=90)
    bad.query_params["tab"] = "**nope**"
    bad.run()
    bad.switch_page("pages/tactical.py").run()
    assert not bad.exception and [tab.label for tab in bad.tabs][0] == "Saatavuus"

    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["groups"] = "children"
    at.run()
    at.switch_page("pages/deficit.py").run()
    assert not at.exception
    assert len([df.value for df in at.dataframe][0]) == 7
    at.multiselect(key="deficit_groups").set_value(["children", "youth"]).run()
    assert at.query_params.get("groups") in ("children,youth", ["children,youth"])

    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["county"] = "KS"
    at.query_params["point_muni"] = "179"
    at.run()
    at.switch_page("pages/operational.py").run()
    assert not at.exception
    assert at.selectbox(key="operational_muni").value == "179"

"""Issue 15's number and axis rules: the minus sign U+2212 in every formatted number (as on the axes), targets
and axes without needless decimals, one month style, one money unit per column, st.metric arrows decided from the
number, value axes that name their unit, counts and populations from zero."""
import pandas as pd
import pytest

from ui import charts
from ui.format import (MINUS, NBSP, eur_scale, fmt_change, fmt_eur, fmt_month, fmt_number, fmt_target, fmt_trimmed,
                       fmt_value, target_label)
from ui.widgets import delta_style


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_negative_numbers_use_the_minus_sign(lang):
    assert fmt_number(-1234.5, 1, lang) == MINUS + ("1\u00a0234,5" if lang == "fi" else "1,234.5")
    assert fmt_value(-7.2, "pct", lang).startswith(MINUS)
    assert fmt_change(-1.5, "eur", lang).startswith(MINUS)
    assert fmt_number(-0.04, 1, lang) == ("0,0" if lang == "fi" else "0.0")          # no "−0,0"
    assert "-" not in fmt_value(-19_000_000, "eur", lang)


def test_targets_without_needless_decimals_and_zero_targets_in_words():
    assert fmt_trimmed(35.0, "pct") == f"35{NBSP}%" and fmt_trimmed(80.5, "pct") == f"80,5{NBSP}%"
    assert fmt_trimmed(0.5, "index") == "0,5" and fmt_trimmed(7200, "eur_per_resident") == f"7{NBSP}200{NBSP}€/as."
    assert fmt_target(0, "days", "lower") == f"enintään 0{NBSP}vrk"
    assert fmt_target(0, "days", "lower", "en") == f"at most 0{NBSP}d"
    assert target_label(0.0, "days", "lower") == f"Tavoite enintään 0{NBSP}vrk"
    assert target_label(80.0, "pct", "higher") == f"Tavoite 80{NBSP}%"


def test_one_month_style():
    assert fmt_month("2025-12") == "12/2025" and fmt_month(pd.Timestamp("2024-01-01")) == "1/2024"


def test_one_money_unit_per_column():
    column = [-19_000_000, -7_353_416, 120.0]
    assert eur_scale(column) and not eur_scale([-7_353_416, 120.0])
    shown = [fmt_eur(v, eur_scale(column)) for v in column]
    assert all(s.endswith("M€") for s in shown) and shown[1] == f"{MINUS}7,35{NBSP}M€"
    assert fmt_eur(-7_353_416, False, unit=False) == f"{MINUS}7{NBSP}353{NBSP}416"


@pytest.mark.parametrize("x,direction,want", [
    (-1.5, "higher", {"delta_color": "red", "delta_arrow": "down"}),
    (-1.5, "lower", {"delta_color": "green", "delta_arrow": "down"}),
    (2.0, "lower", {"delta_color": "red", "delta_arrow": "up"}),
    (2.0, "neutral", {"delta_color": "gray", "delta_arrow": "up"}),
    (0.01, "higher", {"delta_color": "gray", "delta_arrow": "off"}),
    (float("nan"), "higher", {}),
])
def test_metric_arrow_and_colour_come_from_the_number_not_the_text(x, direction, want):
    """Streamlit reads a leading '-' as a fall; the text now starts with U+2212, so the arrow is set here."""
    assert delta_style(x, direction) == want


def _y(spec):
    layers = spec.get("layer", [spec])
    return next(layer["encoding"]["y"] for layer in layers if "y" in layer.get("encoding", {})
                and layer["encoding"]["y"].get("field") == "value")


@pytest.mark.parametrize("unit,zero,title", [("persons", True, "Väestö"), ("count", True, "Kontaktit"),
                                             ("pct", False, "Etäkontaktien osuus, %"),
                                             ("days", False, "Takaisinsoiton viive, vrk")])
def test_value_axes_name_their_unit_and_counts_start_at_zero(unit, zero, title):
    name = title.split(",")[0] if unit != "days" else title
    df = pd.DataFrame({"yr": [2024, 2025, 2026], "value": [100.0, 101.0, 102.3]})
    spec = charts.trend(df, x="yr", value_title=name, unit=unit, title="t").to_dict(validate=True)
    y = _y(spec)
    assert y["scale"]["zero"] is zero and y["title"] == title
    assert y["axis"]["format"].endswith("~f")                # 80, not 80,0

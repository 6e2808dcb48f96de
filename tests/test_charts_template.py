"""A KPI card's sparkline spec is filled into a template built once with Altair (ui.charts.sparkline_spec): it must
be the very spec the chart built for those numbers gives, for every unit, language and x field."""
import pandas as pd
import pyarrow as pa
import pytest

from ui import charts


def _normalised(spec: dict) -> dict:
    """The spec with its datasets as records under names given by their order (names are content hashes)."""
    out = {k: v for k, v in spec.items() if k != "datasets"}
    names = [layer["data"]["name"] for layer in spec["layer"]]
    out["layer"] = [{**layer, "data": {"name": f"d{i}"}} for i, layer in enumerate(spec["layer"])]
    data = {}
    for i, name in enumerate(names):
        rows = spec["datasets"][name]
        if isinstance(rows, bytes):
            rows = pa.ipc.open_stream(rows).read_all().to_pylist()
        data[f"d{i}"] = rows
    return {**out, "datasets": data}


YEARLY = pd.DataFrame({"yr": [2019, 2020, 2021, 2022], "value": [10.5, 11.25, 9.0, 12.125]})
MONTHLY = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=5, freq="MS"),
                        "value": [1.0, 2.0, 1.5, 3.25, 2.75]})


@pytest.mark.parametrize("df,x", [(YEARLY, "yr:O"), (MONTHLY, "period:T")])
@pytest.mark.parametrize("unit,lang", [("pct", "fi"), ("eur", "en"), ("per_1000", "fi")])
def test_template_spec_equals_the_built_chart(df, x, unit, lang):
    built = charts.sparkline(df, unit, lang, x).to_dict(validate=True)
    filled = charts.sparkline_spec(df, unit, lang, x)
    assert _normalised(filled) == _normalised(built)
    # a second card with other numbers gets its own numbers, not the first card's
    other = df.assign(value=df.value * 2 + 1)
    again = _normalised(charts.sparkline_spec(other, unit, lang, x))
    assert again == _normalised(charts.sparkline(other, unit, lang, x).to_dict(validate=True))
    assert again["datasets"]["d1"][0]["value"] == other.value.iloc[-1]


def test_a_filled_spec_is_validated_under_the_tests(monkeypatch):
    """Under the tests every filled spec is checked against the Vega-Lite schema: a broken one raises."""
    assert charts._validating()
    charts.forget()                                 # no finished spec kept: the template is filled
    monkeypatch.setitem(charts._spark_templates, ("pct", "fi", "yr:O"), {
        **charts.sparkline(YEARLY, "pct").to_dict(), "mark": "no-such-mark"})
    with pytest.raises(Exception):
        charts.sparkline_spec(YEARLY, "pct", "fi")


def test_a_card_drawn_again_gets_its_kept_spec_whole():
    """A rerun draws the same cards: the finished spec is kept, and Streamlit taking the datasets out of the dict
    it was given does not take them out of the kept one."""
    charts.forget()
    first = charts.sparkline_spec(YEARLY, "pct", "fi", "yr:O")
    first.pop("datasets")                           # what st.vega_lite_chart does with the dict
    again = charts.sparkline_spec(YEARLY, "pct", "fi", "yr:O")
    assert "datasets" in again and _normalised(again) == _normalised(
        charts.sparkline(YEARLY, "pct", "fi", "yr:O").to_dict(validate=True))
    other = charts.sparkline_spec(YEARLY.assign(value=YEARLY.value + 1), "pct", "fi", "yr:O")
    assert other["datasets"] != again["datasets"]


def test_a_card_from_lists_finds_the_spec_its_frame_made_and_equals_it():
    """yearly_sparkline_spec (what a KPI card calls, with the years and values as lists) looks the kept spec up
    before making any frame: the spec a frame made is found from the lists, and from a cold start the lists give
    the very spec the built chart gives."""
    charts.forget()
    from_frame = charts.sparkline_spec(YEARLY, "pct", "fi", "yr:O")
    years, values = YEARLY.yr.tolist(), YEARLY.value.tolist()
    assert charts.yearly_sparkline_spec(years, values, "pct", "fi") == from_frame
    charts.forget()
    cold = charts.yearly_sparkline_spec(years, values, "eur", "en")
    assert _normalised(cold) == _normalised(charts.sparkline(YEARLY, "eur", "en", "yr:O").to_dict(validate=True))
    assert len(charts._spark_specs) == 1 and charts.yearly_sparkline_spec(years, values, "eur", "en") == cold


def _configured(chart, lang):
    """The theme as Altair's configure chain sets it (what themed did before it set one Config)."""
    return (chart.configure(locale=charts.locale(lang), font=charts.FONT, background="white")
            .configure_axis(labelColor=charts.INK, titleColor=charts.INK, labelFontSize=12, titleFontSize=12,
                            gridColor="#e5e8ec", domainColor="#9aa4b1")
            .configure_legend(labelColor=charts.INK, titleColor=charts.INK, labelFontSize=12, orient="bottom")
            .configure_title(color=charts.INK, fontSize=15, anchor="start", subtitleColor=charts.MUTED,
                             subtitleFontSize=12)
            .configure_view(stroke=None))


@pytest.mark.parametrize("lang", ["fi", "en", "sv"])
def test_themed_sets_the_config_the_configure_chain_sets(lang):
    import altair as alt
    bars = alt.Chart(YEARLY).mark_bar().encode(x="yr:O", y="value:Q").properties(title="Otsikko")
    layered = alt.layer(bars, bars.mark_text().encode(text="value:Q"))
    for chart in (bars, layered):
        themed = charts.themed(chart, lang)
        assert themed.to_dict(validate=True) == _configured(chart, lang).to_dict(validate=True)
        assert chart.config is alt.Undefined            # the chart it was given is left as it was


# --- a bar chart filled into its template (charts.filled / region_bars_spec) is the chart built for it ----------
def _by_order(spec: dict) -> dict:
    """The spec with its datasets renamed by the order they are first referred to (names are content hashes)."""
    names: dict[str, str] = {}

    def walk(obj):
        if isinstance(obj, dict):
            if set(obj) == {"name"} and obj["name"] in spec.get("datasets", {}):
                return {"name": names.setdefault(obj["name"], f"d{len(names)}")}
            return {k: walk(v) for k, v in obj.items() if k != "datasets"}
        if isinstance(obj, list):
            return [walk(v) for v in obj]
        return obj
    out = walk(spec)
    return {**out, "datasets": {names[n]: rows for n, rows in spec.get("datasets", {}).items()}}


def _bars(rng, n):
    import numpy as np
    values = rng.normal(50, 30, n).round(2)
    values[rng.random(n) < 0.15] = np.nan                      # hidden values are NaN
    return pd.DataFrame({"area": [f"Alue {i} – ä" for i in range(n)], "value": values,
                         "shown": [("<5" if v != v else f"{v:.2f} %".replace(".", ",")) for v in values]})


def _trend(rng, n, temporal):
    import numpy as np
    values = rng.normal(50, 30, n).round(3)
    df = pd.DataFrame({"yr": np.arange(2019, 2019 + n), "value": values, "suppressed": values < 0})
    if temporal:
        df["period"] = pd.date_range("2024-01-01", periods=n, freq="MS")
    return df


TITLES = [("Kustannukset palveluittain", "Kanta-Häme · 2026"),
          ("Hyvin pitkä otsikko joka ei mahdu yhdelle riville vaan jatkuu toiselle ja jopa kolmannelle " * 2, ""),
          ("Lyhyt", "Päijät-Häme · tammi–lokakuu 2026 · vakioitu")]


@pytest.mark.parametrize("builder,kwargs", [
    ("region_bars", dict(label="area", value_title="Arvo", unit="pct", lang="fi")),
    ("region_bars", dict(label="area", value_title="Arvo", unit="eur", lang="en", target=55.0, target_label="T 55")),
    ("region_bars", dict(label="area", value_title="Arvo", unit="persons", sort=["Alue 2 – ä", "Alue 0 – ä"])),
    ("trend", dict(x="yr", value_title="Osuus", unit="pct", lang="fi", x_title="Vuosi")),
    ("trend", dict(x="yr", value_title="Osuus", unit="count", target=40.0, target_label="Tavoite 40", x_title="V")),
    ("trend", dict(x="period", value_title="Osuus", unit="eur", lang="en", temporal=True, x_title="Month",
                   notes=None)),
])
def test_a_filled_chart_is_the_chart_built_for_its_numbers_and_texts(builder, kwargs):
    """The same shape again is filled (other numbers, another title and subtitle: another county), another length
    gets a template of its own; each equals the chart built with Altair for its own numbers and texts."""
    import numpy as np
    rng = np.random.default_rng(7)
    charts.forget()
    charts._templates.clear()
    build, fill = getattr(charts, builder), getattr(charts, f"{builder}_spec")
    for i, n in enumerate((3, 3, 7, 3, 1, 3, 12)):
        df = _bars(rng, n) if builder == "region_bars" else _trend(rng, n, kwargs.get("temporal", False))
        title, subtitle = TITLES[i % len(TITLES)]
        filled = fill(df, title=title, subtitle=subtitle, **kwargs)
        assert isinstance(filled, charts.ChartSpec)
        built = build(df, title=title, subtitle=subtitle, **kwargs).to_dict(validate=True)
        assert _by_order(filled) == _by_order(built), (i, n)
        assert fill(df, title=title, subtitle=subtitle, **kwargs) is filled      # kept: a rerun gets it back
        drawn = charts.arrow_spec(filled)                                         # what st.vega_lite_chart gets
        assert {n: pa.ipc.open_stream(b).read_all().to_pylist() for n, b in drawn["datasets"].items()} == \
            filled["datasets"]
        drawn.pop("datasets")                                                     # Streamlit takes them out
        assert "datasets" in charts.arrow_spec(filled)
    # trend: a template per length (3, 7, 1 and 12); bars: one for any number of bars (the height is filled in)
    assert len([k for k in charts._templates if k[0] == builder]) == (1 if builder == "region_bars" else 4)


def test_a_chart_with_notes_is_built_not_filled():
    notes = pd.DataFrame({"x": [2020], "note": ["Korona"], "note_full": ["Korona-aika"]})
    out = charts.trend_spec(_trend(__import__("numpy").random.default_rng(1), 4, False), x="yr", value_title="v",
                            unit="pct", title="t", notes=notes)
    assert not isinstance(out, dict) and "Korona" in str(out.to_dict())


def test_a_frame_that_is_not_one_dataset_of_its_own_is_built_each_time(monkeypatch):
    """When the frame's rows are not exactly one dataset of the built spec, no template is kept: each frame is
    built with Altair (the filled spec can never carry another frame's numbers)."""
    charts.forget()
    charts._templates.clear()
    calls = []

    def builder(df, **kw):
        calls.append(len(df))
        return charts.region_bars(df.assign(value=df.value * 2), label="area", value_title="x", unit="pct", **kw)
    builder.__name__ = "doubled_bars"
    for v in (1.0, 2.0):
        df = pd.DataFrame({"area": ["a", "b"], "value": [v, 3.0], "shown": ["1", "3"]})
        out = charts.filled(builder, df, title="t")
        assert [r["value"] for r in out["datasets"][next(iter(out["datasets"]))]] == [v * 2, 6.0]
    assert calls == [2, 2] and charts._templates[next(k for k in charts._templates if k[0] == "doubled_bars")] is None


@pytest.mark.parametrize("values", [[10.5, 11.25, 9.0, 12.125], [1.0, float("nan"), 2.0, 3.0],
                                    [1.0, float("inf"), 2.0, 3.5]])
def test_a_yearly_card_spec_made_without_a_frame_equals_the_built_chart(values):
    """yearly_sparkline_spec fills the template from the lists themselves (no frame, no sanitising): the very spec
    the chart built with Altair for that frame gives, and an unfinite value takes Altair's own path."""
    charts.forget()
    years = [2019, 2020, 2021, 2022]
    frame = pd.DataFrame({"yr": years, "value": values})
    built = charts.sparkline(frame, "pct", "fi", "yr:O").to_dict(validate=True)
    assert _normalised(charts.yearly_sparkline_spec(years, values, "pct", "fi")) == _normalised(built)
    charts.forget()
    assert _normalised(charts.yearly_sparkline_spec(years, values, "eur", "en")) == _normalised(
        charts.sparkline(frame, "eur", "en", "yr:O").to_dict(validate=True))


@pytest.mark.parametrize("records", [
    [{"yr": 2019, "value": 1.5}, {"yr": 2020, "value": None}, {"yr": 2021, "value": float("nan")}],
    [{"period": "2024-01-01T00:00:00", "value": 3, "label": "Kanta-Häme"}, {"period": "2024-02-01T00:00:00",
                                                                             "value": 4, "label": None}],
    [{"a": 1, "b": "x"}, {"b": "y", "a": 2}],                        # keys in another order
    [{"a": 1}, {"a": 2, "b": 3.5}],                                  # a key missing from a row
    [{"yr": 2020, "value": 2.0}],
    [],
])
def test_datasets_as_arrow_are_what_the_frame_of_the_records_gives(records):
    """charts._arrow makes its frame column by column: the Arrow bytes are the very ones pandas' frame of the
    records gives."""
    want_table = pa.Table.from_pandas(pd.DataFrame(records), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, want_table.schema) as writer:
        writer.write_table(want_table)
    assert charts._arrow(records) == sink.getvalue().to_pybytes()

"""Child budgeting: hand-computed tiny budget to the cent, validation, versions, demo plausibility."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import child_budget as cbdata
from data_sources import schema
from data_sources.engine import make_engine
from metrics import child_budget as cb
from metrics.engine import Filters
from ui.i18n import t

from . import child_budget_tiny as tiny

F = Filters(year=tiny.YEAR, months=(1, 2))


@pytest.fixture()
def tiny_engine(tmp_path):
    engine = make_engine(f"duckdb:///{tmp_path / 'tiny.duckdb'}")
    tiny.build(engine)
    yield engine
    engine.dispose()


def cents(x) -> float:
    return round(float(x), 2)


def test_hand_computed_example_to_the_cent(tiny_engine):
    lv = cb.by_levels(tiny_engine, F).set_index(["level", "code"])
    a, b = lv.loc[("municipality", "AAA")], lv.loc[("municipality", "BBB")]
    assert cents(a.actual_eur) == tiny.A_TOTAL
    assert cents(a.child_actual) == tiny.A_CHILD == 1837.50
    assert cents(a.direct_child) == 1000.00
    assert cents(a.partial_child) == 837.50
    assert cents(a.not_targeted_total) == 5000.00
    assert cents(a.preventive_child) == tiny.A_PREVENTIVE
    assert cents(a.corrective_child) == tiny.A_CORRECTIVE
    assert cents(a.other_child) == 600.00
    assert cents(a.child_budget) == tiny.A_BUDGET_CHILD == 2012.50
    assert cents(a.child_low) == tiny.A_LOW == 1670.00
    assert cents(a.child_high) == tiny.A_HIGH == 2005.00
    assert a.child_share == pytest.approx(1837.50 / 9700 * 100, abs=1e-9)
    assert a.preventive_share == pytest.approx(1100 / 1837.50 * 100, abs=1e-9)
    # two months of costs, annualised (× 6) per child aged 0-17
    assert cents(a.eur_per_child) == cents(1837.50 * 6 / 25) == 441.00
    # B has no visit data: its visit key falls back to its own population share 10 %
    assert cents(b.child_actual) == tiny.B_CHILD
    every = lv.loc[("all", "")]
    county = lv.loc[("county", "X")]
    for row in (every, county):
        assert cents(row.child_actual) == tiny.ALL_CHILD == 1937.50
        assert cents(row.actual_eur) == tiny.ALL_TOTAL
        assert cents(row.eur_per_child) == cents(1937.50 * 6 / 35)
    assert cents(every.child_budget_diff) == cents(every.child_actual - every.child_budget)


def test_a_window_after_january_is_its_months_only(tiny_engine):
    """February alone (the year-to-date rollup's February minus its January): half of every amount, the same
    keys, annualised by one month; the same as summing the facts."""
    from metrics.engine import facts_only
    feb = Filters(year=tiny.YEAR, months=(2, 2))
    lv = cb.by_levels(tiny_engine, feb).set_index(["level", "code"])
    a = lv.loc[("municipality", "AAA")]
    assert cents(a.actual_eur) == tiny.A_TOTAL / 2
    assert cents(a.child_actual) == tiny.A_CHILD / 2 == 918.75
    assert cents(a.child_low) == tiny.A_LOW / 2 and cents(a.child_high) == tiny.A_HIGH / 2
    assert a.n_months == 1 and cents(a.eur_per_child) == cents(918.75 * 12 / 25) == 441.00
    with facts_only():
        slow = cb.by_levels(tiny_engine, feb).set_index(["level", "code"])
    pd.testing.assert_frame_equal(lv, slow, check_exact=False, atol=0.005)
    assert cb.by_levels(tiny_engine, Filters(year=tiny.YEAR, months=(3, 12))).empty      # no data: no lines


def test_line_table_traces_rules_and_keys(tiny_engine):
    ln = cb.by_line(tiny_engine, F, by=("municipality_code", "service_class", "cost_account")).set_index(
        ["municipality_code", "service_class", "cost_account"])
    assert ln.loc[("AAA", "C2", "4000"), "child_key"] == pytest.approx(0.25)
    assert ln.loc[("AAA", "C2", "4300"), ["rule", "allocation_key"]].tolist() == ["4300", "fixed"]
    assert ln.loc[("AAA", "C2", "4300"), "child_key"] == pytest.approx(0.5)
    assert ln.loc[("AAA", "C6", "4000"), "child_key"] == pytest.approx(0.125)
    assert ln.loc[("BBB", "C2", "4000"), "child_key"] == pytest.approx(0.10)
    assert ln.loc[("AAA", "C4", "4000"), "target_class"] == "not_targeted"
    keys = cb.keys(tiny_engine, F).set_index("municipality_code")
    assert keys.loc["AAA", "visit_key"] == pytest.approx(0.25)
    assert keys.loc["AAA", "population_key"] == pytest.approx(0.25)


def test_unclassified_line_counts_as_not_targeted(tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(sa.delete(schema.child_budget_class).where(schema.child_budget_class.c.service_class == "C1"))
    a = cb.by_levels(tiny_engine, F).set_index(["level", "code"]).loc[("municipality", "AAA")]
    assert cents(a.child_actual) == tiny.A_CHILD - 1000.00
    ln = cb.by_line(tiny_engine, F).set_index(["service_class", "cost_account"])
    assert pd.isna(ln.loc[("C1", "4000"), "rule"])


def _state(engine):
    with engine.connect() as conn:
        return (cbdata.read_classification(engine).drop(columns="version").fillna("").to_dict("records"),
                conn.execute(sa.select(sa.func.count()).select_from(schema.child_budget_class_version)).scalar(),
                conn.execute(sa.select(sa.func.count()).select_from(schema.child_budget_class_history)).scalar(),
                conn.execute(sa.select(sa.func.max(schema.meta_data_version.c.version))).scalar())


@pytest.mark.parametrize("change,key,words", [
    ({"fixed_share": 1.2}, "cb_err_share_over", "ylittää 100 %"),
    ({"fixed_share": -0.05}, "cb_err_share_negative", "ei voi olla negatiivinen"),
    ({"fixed_share": None}, "cb_err_share_missing", "puuttuu"),
    ({"allocation_key": None}, "cb_err_key", "kohdennusavain"),
    ({"key_source": " "}, "cb_err_source", "lähde"),
    ({"service_class": "ZZ9"}, "cb_err_service_class", "tuntematon palveluluokka"),
])
def test_bad_keys_are_rejected_with_a_clear_message_and_nothing_saved(tiny_engine, change, key, words):
    before = _state(tiny_engine)
    rules = tiny.RULES.copy()
    row = rules.index[(rules.service_class == "C3")][0]   # the fixed 12.5 % line
    for col, value in change.items():
        rules.at[row, col] = value
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.save_classification(tiny_engine, rules, "Analyytikko", "test")
    keys = [k for k, _ in err.value.problems]
    assert key in keys
    message = t(key, "fi", **dict(err.value.problems)[key])
    assert message.startswith("Rivi 4:") and words in message, message
    assert _state(tiny_engine) == before


def test_duplicate_rule_and_missing_author_are_rejected(tiny_engine):
    before = _state(tiny_engine)
    dup = pd.concat([tiny.RULES, tiny.RULES.iloc[[0]]], ignore_index=True)
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.save_classification(tiny_engine, dup, "Analyytikko")
    assert err.value.problems[0][0] == "cb_err_duplicate"
    assert "kahdesti: C1 / *" in t("cb_err_duplicate", "fi", **err.value.problems[0][1])
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.save_classification(tiny_engine, tiny.RULES, "  ")
    assert err.value.problems == [("cb_err_who", {})]
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.save_classification(tiny_engine, tiny.RULES, "Analyytikko")
    assert err.value.problems == [("cb_err_no_changes", {})]
    assert _state(tiny_engine) == before


def test_a_failing_write_leaves_the_warehouse_as_it_was(tiny_engine, monkeypatch):
    """The save is one transaction: break the last insert and nothing of the new version remains."""
    before = _state(tiny_engine)
    rules = tiny.RULES.copy()
    rules.loc[rules.service_class == "C4", "target_class"] = "direct"
    original = schema.meta_data_version
    monkeypatch.setattr(schema, "meta_data_version", sa.Table("no_such_table", sa.MetaData(),
                                                              *(c.copy() for c in original.columns)))
    with pytest.raises(sa.exc.DBAPIError):
        cbdata.save_classification(tiny_engine, rules, "Analyytikko")
    monkeypatch.setattr(schema, "meta_data_version", original)
    assert _state(tiny_engine) == before


def test_changing_a_class_updates_the_share_and_keeps_history(tiny_engine):
    rules = tiny.RULES.copy()
    rules.loc[rules.service_class == "C4", "target_class"] = "direct"       # 5 000 € now wholly for children
    rules.loc[rules.service_class == "C3", "fixed_share"] = 0.25            # 800 € × 25 % instead of 12.5 %
    version = cbdata.save_classification(tiny_engine, rules, "Analyytikko A", "workshop 2025")
    assert version == 2
    a = cb.by_levels(tiny_engine, F).set_index(["level", "code"]).loc[("municipality", "AAA")]
    assert cents(a.child_actual) == tiny.A_CHILD + 5000.00 + 100.00
    assert a.child_share == pytest.approx((tiny.A_CHILD + 5100) / tiny.A_TOTAL * 100)
    v = cbdata.read_versions(tiny_engine).set_index("version")
    assert v.loc[2, "changed_by"] == "Analyytikko A" and v.loc[2, "note"] == "workshop 2025"
    assert "C4/*: target_class not_targeted → direct" in v.loc[2, "changes"]
    assert "C3/*: fixed_share 0.125 → 0.25" in v.loc[2, "changes"]
    with tiny_engine.connect() as conn:
        hist = pd.DataFrame(conn.execute(sa.select(schema.child_budget_class_history)).mappings().all())
    assert sorted(hist.version.unique()) == [1, 2]
    assert hist[(hist.version == 1) & (hist.service_class == "C4")].target_class.item() == "not_targeted"


def test_editor_percent_round_trip():
    from ui.child_budget import editor_frame, from_editor
    current = tiny.RULES.assign(version=1)
    edited = editor_frame(current)
    # per cent as text in the user's format; empty cells empty, never "None" (issue 15)
    assert edited.loc[edited.service_class == "C3", "fixed_pct"].item() == "12,5"
    assert from_editor(edited).loc[edited.service_class == "C3", "fixed_share"].item() == pytest.approx(0.125)
    assert not edited.isna().any().any() and "None" not in edited.astype(str).to_numpy()
    edited.loc[edited.service_class == "C3", "fixed_pct"] = "120"
    back = from_editor(edited)
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.validate(back, {"C1", "C2", "C3", "C4", "C5", "C6"}, {"4000", "4300"})
    assert ("cb_err_share_over", {"row": 4, "value": 120.0}) in err.value.problems
    assert "ylittää 100 % (120.0 %)" in t("cb_err_share_over", "fi", row=4, value=120.0)


def test_default_classification_covers_every_service_class():
    """The shipped default classifies every class in reference/service_classes.csv and is valid."""
    from data_sources import reference
    classes = set(reference.load("service_classes").code)
    accounts = set(reference.load("cost_accounts").code.astype(str))
    rules = cbdata.validate(cbdata.default_classification(), classes, accounts)
    assert set(rules.service_class) == classes
    assert set(rules.target_class) == set(cbdata.TARGET_CLASSES)


# --- the demo warehouse -------------------------------------------------------------------------------
def oracle(duck, year: int, months: tuple[int, int], county: str | None = None) -> dict:
    """Independent pandas computation from the raw fact tables and the stored rules."""
    def q(sql, **p):
        with duck.connect() as conn:
            return pd.DataFrame(conn.execute(sa.text(sql), p).mappings().all())
    where = "EXTRACT(YEAR FROM f.month) = :y AND EXTRACT(MONTH FROM f.month) BETWEEN :a AND :b"
    if county:
        where += f" AND m.county_code = '{county}'"
    costs = q(f"SELECT f.municipality_code, f.service_class, f.cost_account, c.service_area, "
              f"SUM(f.actual_eur) AS actual FROM fact_costs f JOIN dim_municipality m USING (municipality_code) "
              f"JOIN dim_service_class c USING (service_class) WHERE {where} GROUP BY 1, 2, 3, 4",
              y=year, a=months[0], b=months[1])
    costs["actual"] = costs.actual.astype(float)
    pop = q("SELECT municipality_code, SUM(CASE WHEN age_group IN ('0-6','7-12','13-17') THEN population END) "
            "AS kids, SUM(population) AS pop FROM fact_population WHERE yr = :y GROUP BY 1", y=year)
    use = q(f"SELECT f.municipality_code, f.service_area, "
            f"SUM(CASE WHEN age_group IN ('0-6','7-12','13-17') THEN contacts ELSE 0 END) AS kv, "
            f"SUM(contacts) AS v, SUM(CASE WHEN age_group IN ('0-6','7-12','13-17') THEN clients ELSE 0 END) AS kc, "
            f"SUM(clients) AS c FROM fact_contacts f JOIN dim_municipality m USING (municipality_code) "
            f"WHERE {where} GROUP BY 1, 2", y=year, a=months[0], b=months[1])
    rules = cbdata.read_classification(duck)
    df = costs.merge(pop, on="municipality_code").merge(use, on=["municipality_code", "service_area"], how="left")
    spec = rules.set_index(["service_class", "cost_account"])
    child = prev = 0.0
    for r in df.itertuples():
        rule = spec.loc[(r.service_class, r.cost_account)] if (r.service_class, r.cost_account) in spec.index \
            else spec.loc[(r.service_class, "*")]
        if rule.target_class == "direct":
            share = 1.0
        elif rule.target_class == "partial":
            share = {"population_share": r.kids / r.pop, "visit_share": r.kv / r.v, "client_share": r.kc / r.c,
                     "fixed": rule.fixed_share}[rule.allocation_key]
        else:
            share = 0.0
        child += r.actual * share
        prev += r.actual * share if rule.prevention == "preventive" else 0.0
    kids = pop[pop.municipality_code.isin(costs.municipality_code)].kids.astype(float).sum()
    return {"share": child / costs.actual.sum() * 100, "child": child, "preventive": prev / child * 100,
            "eur_per_child": child * 12 / (months[1] - months[0] + 1) / kids}


def test_metrics_match_an_independent_pandas_oracle_on_the_demo(duck):
    f = Filters(year=2025, months=(1, 12), county="KH")
    got = cb.totals(duck, f).iloc[0]
    want = oracle(duck, 2025, (1, 12), "KH")
    assert got.child_actual == pytest.approx(want["child"], rel=1e-9)
    assert got.child_share == pytest.approx(want["share"], rel=1e-9)
    assert got.preventive_share == pytest.approx(want["preventive"], rel=1e-9)
    assert got.eur_per_child == pytest.approx(want["eur_per_child"], rel=1e-9)


def test_demo_shares_are_plausible(duck):
    """Plausible ranges for the demo (county net costs, wellbeing-county services only, no schools):
    child share 10-40 % of net cost (the 2020 municipal pilots found ~35 % with education included, the
    state budget ~14 %); preventive share of child spending 10-60 %; € per child 2 000-15 000 a year;
    the ±20 % key band contains the point estimate. Measured on the demo: ~17 %, ~27 %, ~6 000 €."""
    for county in ("KS", "KH", "PH"):
        f = Filters(year=2026, months=(1, 10), county=county)
        series = cb.trend(duck, f)
        assert list(series.yr) == list(range(2019, 2027))
        for r in series.itertuples():
            assert 10 < r.child_share < 40, (county, r.yr, r.child_share)
            assert 10 < r.preventive_share < 60, (county, r.yr, r.preventive_share)
            assert 2000 < r.eur_per_child < 15000, (county, r.yr, r.eur_per_child)
            assert r.child_share_low < r.child_share < r.child_share_high
        munis = cb.by_levels(duck, f)
        munis = munis[munis.level == "municipality"]
        assert munis.child_share.between(8, 45).all(), munis[["code", "child_share"]]


def test_an_edit_is_merged_into_rules_another_user_changed_meanwhile(tiny_engine):
    """Two users (or app servers) open the same classification; the second save keeps the first one's rows."""
    base = cbdata.read_classification(tiny_engine)
    assert len(base) >= 3
    first, second = base.copy(), base.copy()
    first.loc[0, "key_source"] = "ensimmäinen käyttäjä"
    second.loc[1, "key_source"] = "toinen käyttäjä"
    second = second.drop(index=2)
    cbdata.save_classification(tiny_engine, first, "eka", base=base)
    cbdata.save_classification(tiny_engine, second, "toka", base=base)
    now = cbdata.read_classification(tiny_engine)
    keys = lambda df: {(r.service_class, r.cost_account): r.key_source for r in df.itertuples()}
    got, was = keys(now), keys(base)
    k0, k1, k2 = [(base.service_class[i], base.cost_account[i]) for i in range(3)]
    assert got[k0] == "ensimmäinen käyttäjä" and got[k1] == "toinen käyttäjä" and k2 not in got
    assert {k: v for k, v in got.items() if k not in (k0, k1)} == {k: v for k, v in was.items() if k not in (k0, k1, k2)}


def test_the_same_row_changed_by_two_users_is_refused_by_name(tiny_engine):
    base = cbdata.read_classification(tiny_engine)
    first, second = base.copy(), base.copy()
    first.loc[0, "key_source"] = "A"
    second.loc[0, "key_source"] = "B"
    cbdata.save_classification(tiny_engine, first, "eka", base=base)
    versions = len(cbdata.read_versions(tiny_engine))
    with pytest.raises(cbdata.ClassificationError) as err:
        cbdata.save_classification(tiny_engine, second, "toka", base=base)
    (key, params), = err.value.problems
    assert key == "cb_err_conflict" and params["rows"] == f"{base.service_class[0]}/{base.cost_account[0]}"
    assert "samoja rivejä (" in t(key, "fi", **params)
    assert len(cbdata.read_versions(tiny_engine)) == versions                 # nothing written
    # the same change twice is no conflict
    same = base.copy()
    same.loc[0, "key_source"] = "A"
    same.loc[1, "key_source"] = "C"
    cbdata.save_classification(tiny_engine, same, "kolmas", base=base)
    assert cbdata.read_classification(tiny_engine).key_source.tolist()[:2] == ["A", "C"]

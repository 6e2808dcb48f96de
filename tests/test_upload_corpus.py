"""Issue 13: real-layout extracts are stored after at most one confirmed mapping, and the same source's next file
with none; row counts, keys and sums are checked against the source rows, in the validated file and in the
warehouse. Every refusal names a row or the header row and the nearest candidates.

The analyst is simulated as the mapping step offers it (data_sources.uploads.mapping.suggested: the suggestions
as they stand, the nearest valid value first in each value choice) and confirms once; the profile is saved with
profiles.save, as the page does."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import schema, uploads
from data_sources.uploads import grain, mapping as mp, profiles
from data_sources.uploads.ingest import target_table
from metrics.registry import load_registry
from ui.upload import issue_text

from .upload_corpus import VARIANTS

REG = tuple(k.id for k in load_registry().series_kpis())


@pytest.fixture(scope="module")
def wh(warehouse_copy):
    engine = warehouse_copy("corpus")
    with engine.connect() as conn:
        classes = [r[0] for r in conn.execute(sa.select(schema.dim_service_class.c.service_class)
                                              .order_by(schema.dim_service_class.c.service_class))]
        accounts = [r[0] for r in conn.execute(sa.select(schema.dim_cost_account.c.cost_account)
                                               .order_by(schema.dim_cost_account.c.cost_account))]
        points = conn.execute(sa.select(schema.dim_service_point.c.service_point_id,
                                        schema.dim_service_point.c.municipality_code)
                              .order_by(schema.dim_service_point.c.service_point_id).limit(12)).fetchall()
    areas = [("primary_care", "doctor"), ("primary_care", "nurse"), ("dental", "dentist"),
             ("dental", "dental_hygienist")]
    ctx = {"classes": classes, "accounts": accounts, "kpi": REG[0],
           "points": [(sp, m, *areas[i % 4]) for i, (sp, m) in enumerate(points)]}
    return engine, ctx


def analyst(engine, variant, data: bytes, name: str) -> tuple[uploads.Validated, int]:
    """Check the file; when the page would ask, confirm its suggestions once (plus the variant's changes)."""
    spec = uploads.DATASETS[variant.dataset]
    v = uploads.check_file(engine, data, name, variant.dataset, REG)
    lay = v.raw.layout
    if lay is None or not (lay.needs_mapping or mp.unknown_values(v)):
        return v, 0
    m = mp.suggested(lay)
    for col, choice in variant.overrides.items():
        m.columns[col] = choice
    trial = uploads.check_file(engine, data, name, variant.dataset, REG, mapping=m) if lay.needs_mapping else v
    vocabs = uploads.load_vocabularies(engine, spec, uploads.load_code_lists(engine, spec, REG))
    for col, value in mp.unknown_values(trial):
        m.values.setdefault(col, {})[mp.fold(value)] = vocabs[col].nearest(value)[0].split(" (")[0]
    profiles.save(engine, variant.name, variant.dataset, lay.signature, m, "analyytikko")
    return uploads.check_file(engine, data, name, variant.dataset, REG), 1


def _canon(df: pd.DataFrame, spec) -> pd.DataFrame:
    out = df[[c.name for c in spec.columns]].copy()
    for c in spec.columns:
        if c.kind == "month":
            out[c.name] = pd.to_datetime(out[c.name]).dt.date
        elif c.kind in ("int", "year"):
            out[c.name] = out[c.name].astype("int64")
        elif c.kind == "decimal":
            out[c.name] = out[c.name].astype(float).round(2)
        else:
            out[c.name] = out[c.name].astype(str)
    return out.sort_values(list(spec.key)).reset_index(drop=True)


def check_stored(engine, variant, v: uploads.Validated, expected: list[dict]) -> None:
    """The validated rows are the source rows (keys and every value), and after storing, the warehouse holds
    the same counts and sums for the file's periods and municipalities."""
    spec = v.spec
    assert v.ok, [(i.code, i.row, i.column, i.value, i.params) for i in v.issues][:8]
    want = _canon(pd.DataFrame(expected), spec)
    got = _canon(v.frame, spec)
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, atol=0.011)
    if grain.unspecified_columns(v):
        assert grain.overlap(engine, v) == "finer"             # upsert would count totals twice: refused
    res = uploads.ingest(engine, v, "analyytikko", variant.mode)
    assert res.comparison.rows == len(want)
    target = target_table(spec)
    time_col = spec.time_column
    periods = sorted(set(want[time_col]))
    where = [target.c[time_col].in_(periods),
             target.c.municipality_code.in_(sorted(set(want.municipality_code)))]
    if "kpi_id" in want:
        where.append(target.c.kpi_id.in_(sorted(set(want.kpi_id))))
    measures = [c.name for c in spec.columns if c.kind in ("int", "decimal")]
    with engine.connect() as conn:
        row = conn.execute(sa.select(sa.func.count(), *(sa.func.sum(target.c[m]) for m in measures))
                           .where(*where)).one()
    assert row[0] == len(want)
    for m, total in zip(measures, row[1:]):
        assert float(total) == pytest.approx(float(want[m].sum()), abs=0.05), m


STORED = [v for v in VARIANTS if not v.refused]
REFUSED = [v for v in VARIANTS if v.refused]


def test_corpus_is_big_and_varied():
    assert len(STORED) >= 20 and len({v.name for v in VARIANTS}) == len(VARIANTS)
    assert {v.dataset for v in STORED} >= {"care_guarantee", "phone", "costs", "population", "kpi_series", "contacts"}


@pytest.mark.parametrize("variant", STORED, ids=[v.name for v in STORED])
def test_stored_after_at_most_one_mapping_then_next_file_with_none(variant, wh):
    engine, ctx = wh
    data, name, expected = variant.make(variant.first, ctx)
    v, clicks = analyst(engine, variant, data, name)
    assert clicks == variant.clicks, (clicks, v.raw.layout.missing if v.raw.layout else None, v.counts)
    check_stored(engine, variant, v, expected)

    data, name, expected = variant.make(variant.second, ctx)
    v, clicks = analyst(engine, variant, data, name)
    assert clicks == 0, (v.raw.layout.missing, v.counts)
    if variant.clicks:
        assert v.raw.layout.profile == variant.name
        assert any(n.code == "profile_used" and n.params["name"] == variant.name for n in v.notes)
    check_stored(engine, variant, v, expected)


@pytest.mark.parametrize("variant", REFUSED, ids=[v.name for v in REFUSED])
def test_refusals_name_the_row_and_the_nearest_candidates(variant, wh):
    engine, ctx = wh
    data, name, _ = variant.make(variant.first, ctx)
    v = uploads.check_file(engine, data, name, variant.dataset, REG)
    assert not v.ok and variant.refused in v.counts, v.counts
    for issue in (i for i in v.issues if i.severity == "error"):
        problem, fix = issue_text(issue, v.spec, "fi")
        assert issue.row is not None, issue
        if issue.code in ("missing_columns", "share_without_denominator"):
            assert issue.row == issue.params["header_row"] == v.raw.layout.header_row
            assert f"Otsikkorivi {issue.row}" in problem + fix or f"otsikkorivi {issue.row}" in problem + fix
            assert all(f"'{h}'" in problem for h in v.raw.layout.headers if h)
        if issue.code == "missing_columns":
            assert issue.params["nearest"] and all(found for _, found in issue.params["nearest"])
            assert "Lähimmät otsikot:" in fix and "%" in fix
        if issue.code == "unknown_code":
            assert issue.cell and issue.column
            assert "Lähimmät kelvolliset arvot:" in fix
        if issue.code == "unknown_code" and issue.value == "Jyväskylää":
            assert fix.split(": ", 1)[1].startswith("179 (Jyväskylä)"), fix
        assert "liian pitkä" not in problem                   # nothing that contradicts what the analyst sees


def test_profile_signature_ignores_periods_and_years():
    a = mp.signature("population", ["Kuntakoodi", "Ikäryhmä", "2022", "2023", "2024", "Yhteensä"])
    b = mp.signature("population", ["Kuntakoodi", "Ikäryhmä", "2023", "2024", "2025", "2026", "Yhteensä"])
    c = mp.signature("care_guarantee", ["Kuntakoodi", "Ikäryhmä", "2023", "Yhteensä"])
    assert a == b != c
    assert mp.signature("costs", ["Toteuma 2025 (€)"]) == mp.signature("costs", ["TOTEUMA 2026"])


def test_profiles_rename_delete_and_one_profile_per_source(wh):
    engine, _ = wh
    m = mp.Mapping({"month": "kk"}, {}, {})
    profiles.save(engine, "Lähde A", "phone", "sig-a", m, "a")
    assert profiles.save(engine, "Lähde A uusi", "phone", "sig-a", m, "b") == "Lähde A uusi"   # same source: renamed
    names = set(profiles.listing(engine).name)
    assert "Lähde A uusi" in names and "Lähde A" not in names
    with pytest.raises(profiles.ProfileError):
        profiles.save(engine, "Lähde A uusi", "phone", "sig-b", m, "a")          # another source's name
    assert profiles.rename(engine, "Lähde A uusi", "Lähde B", "a") == "Lähde B"
    profiles.delete(engine, "Lähde B")
    assert profiles.find(engine, "phone", "sig-a") is None
    with pytest.raises(profiles.ProfileError):
        profiles.delete(engine, "Lähde B")


def test_value_vocabulary():
    voc = mp.vocabularies(uploads.DATASETS["contacts"], {"age_group": set(schema.AGE_GROUPS) | {"unspec"},
                                                         "channel": set(schema.CHANNELS) | {"unspec"}}, {})
    assert voc["age_group"].lookup("75 ja yli") == "75+" and voc["age_group"].lookup("0–6 v") == "0-6"
    assert voc["age_group"].lookup("yli 74") == "75+" and voc["age_group"].lookup("ei tiedossa") == "unspec"
    assert voc["channel"].lookup("PHONE") == "phone" and voc["channel"].lookup("Puhelin") == "phone"
    assert voc["channel"].lookup("Telefon") == "phone" and voc["channel"].lookup("fax") is None
    assert mp.municipality_number("77", {"077"}) == "077" and mp.municipality_number("0077", {"077"}) == "077"
    assert mp.period_of("marraskuu 2026") == ("month", dt.date(2026, 11, 1))

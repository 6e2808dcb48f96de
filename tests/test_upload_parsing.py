"""Table-driven checks of the cell parsers and the dataset specs."""
import datetime as dt

import pytest

from data_sources import schema
from data_sources.uploads import DATASETS, available_datasets
from data_sources.uploads.reader import col_letter, norm_header
from data_sources.uploads.validate import _parse_month, _parse_number
from ui.i18n import CATALOGUE


@pytest.mark.parametrize("cell, value, problem", [
    (12, 12.0, None), (12.5, 12.5, None), ("1 234", 1234.0, None), ("1\u00a0234,5", 1234.5, None),
    ("12,5", 12.5, None), ("1.234,50", 1234.5, None), ("1,234.50", 1234.5, None), ("(45)", -45.0, None),
    ("7 210 €", 7210.0, None), ("*", None, "suppressed_cell"), ("<5", None, "suppressed_cell"),
    ("paljon", None, "not_number"), ("", None, "required"), (True, None, "not_number"),
])
def test_numbers(cell, value, problem):
    got, prob, _ = _parse_number(cell)
    assert (got, prob) == (value, problem)


@pytest.mark.parametrize("cell, month, problem", [
    (dt.date(2024, 2, 1), dt.date(2024, 2, 1), None), (dt.datetime(2024, 2, 15), dt.date(2024, 2, 1), None),
    (45323.0, dt.date(2024, 2, 1), None), ("1.2.2024", dt.date(2024, 2, 1), None),
    ("2024-02-01", dt.date(2024, 2, 1), None), ("2024-02", dt.date(2024, 2, 1), None),
    ("2/2024", dt.date(2024, 2, 1), None), (202402, dt.date(2024, 2, 1), None),
    ("32.13.2024", None, "bad_date"), ("helmikuu", None, "bad_date"), (12, None, "bad_date"),
])
def test_months(cell, month, problem):
    got, prob, _ = _parse_month(cell)
    assert (got, prob) == (month, problem)


def test_headers_and_letters():
    assert norm_header(" Talousarvio (€) ") == "talousarvio"
    assert norm_header("Käynnit 7 vrk:ssa") == "käynnit 7 vrk ssa"
    assert [col_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def test_specs_match_their_tables_and_every_issue_has_words():
    offered = {d.id for d in available_datasets()}
    assert {"contacts", "care_guarantee", "phone", "costs", "population", "kpi_series"} <= offered
    assert ("child_budget_class" in offered) == ("child_budget_class" in schema.metadata.tables)
    for d in DATASETS.values():
        assert set(d.key) | set(d.scope) <= {c.name for c in d.columns}
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "data_sources" / "uploads"
    codes = set(re.findall(r'(?:Issue|Refused\(Issue)\("([a-z_]+)"', "".join(p.read_text() for p in root.glob("*.py"))))
    codes |= set(re.findall(r'probs\[[^\]]*\] = "([a-z_]+)"', (root / "validate.py").read_text()))
    codes |= {"required", "not_number", "suppressed_cell", "bad_date", "too_long"}
    for code in codes:
        assert f"upl_e_{code}" in CATALOGUE and f"upl_f_{code}" in CATALOGUE, code

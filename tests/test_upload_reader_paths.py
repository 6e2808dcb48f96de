"""The reader has a fast way (sheet XML head + fastexcel Arrow columns) and a thorough way (python-calamine
Python rows). Both must give the same validation for every file: same issues at the same cells, same notes,
same typed rows. And the fast way must really be the one taken for a clean extract."""
import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import python_calamine as pc
import xlsxwriter

from data_sources import uploads
from data_sources.uploads import reader

from .upload_files import CG_HEADERS_FI, bad_files, care_rows, good_care_guarantee, xlsx


@pytest.fixture(scope="module")
def engine(warehouse_copy):
    eng = warehouse_copy("paths")
    return eng


def _rows(month=dt.date(2026, 9, 1)):
    return [list(r) for r in care_rows(month)]


def _openpyxl_file(rows, start_row=1, start_col=1, title=None) -> bytes:
    """Written by openpyxl: shared strings, and the table may start anywhere on the sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    if title:
        ws.cell(row=1, column=start_col, value=title)
    for r, row in enumerate([CG_HEADERS_FI] + rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.cell(row=start_row + r, column=start_col + c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _late_text() -> bytes:
    """Text deep in a number column, after fastexcel's type-guessing sample (1 000 rows)."""
    rows = [list(r) for _ in range(30) for r in _rows()]
    for i, r in enumerate(rows):
        r[0] = dt.date(2020 + i // 1200, 1 + (i // 86) % 12, 1)
    rows[1500][3] = "<5"
    return xlsx({"Hoitotakuu": [CG_HEADERS_FI] + rows})


def _blank_and_totals_rows() -> bytes:
    rows = _rows()
    rows.insert(5, [None] * 7)
    rows[25:25] = [[None] * 7] * 20          # no row 31 in the XML: the head reader must still stop
    return xlsx({"Hoitotakuu": [CG_HEADERS_FI] + rows + [[None] * 7, [None, None, "Yhteensä", 1]]})


def _bool_and_inline() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})   # inline strings
    ws = wb.add_worksheet("Hoitotakuu")
    ws.write_row(0, 0, CG_HEADERS_FI)
    for r, row in enumerate(_rows(), start=1):
        ws.write_row(r, 0, [row[0].strftime("%Y-%m-%d"), *row[1:]])
    ws.write_boolean(3, 4, True)
    wb.close()
    return buf.getvalue()


EXTRA = {
    "good_care_guarantee": lambda: good_care_guarantee(),
    "openpyxl_shared_strings": lambda: _openpyxl_file(_rows()),
    "openpyxl_offset_table": lambda: _openpyxl_file(_rows(), start_row=5, start_col=3, title="Hoitotakuu 9/2026"),
    "late_text_in_numbers": _late_text,
    "blank_and_totals_rows": _blank_and_totals_rows,
    "bool_cell_inline_strings": _bool_and_inline,
    "municipality_as_number": lambda: xlsx({"Hoitotakuu": [CG_HEADERS_FI] + [
        [r[0], int(r[1]), *r[2:]] for r in _rows()]}),
}
FILES = [(b.name, b.file_name, b.dataset, b.make) for b in bad_files()
         if b.file_name.endswith(".xlsx") and b.name not in ("million_rows_xlsx", "zip_bomb")]
FILES += [(name, "hoitotakuu.xlsx", "care_guarantee", make) for name, make in EXTRA.items()]


def _check(engine, data, name, dataset, fast, monkeypatch):
    monkeypatch.setattr(reader, "FAST", fast)
    return uploads.check_file(engine, data, name, dataset, registry_ids=("care_guarantee_7d",),
                              today=dt.date(2026, 11, 25))


@pytest.mark.parametrize("name,file_name,dataset,make", FILES, ids=[f[0] for f in FILES])
def test_fast_and_thorough_reader_agree(name, file_name, dataset, make, engine, monkeypatch):
    data = make()
    fast = _check(engine, data, file_name, dataset, True, monkeypatch)
    slow = _check(engine, data, file_name, dataset, False, monkeypatch)
    assert fast.counts == slow.counts
    where = [(i.code, i.row, i.column, i.cell, i.value, i.sheet) for i in fast.issues]
    assert where == [(i.code, i.row, i.column, i.cell, i.value, i.sheet) for i in slow.issues]
    assert [(n.code, n.params) for n in fast.notes] == [(n.code, n.params) for n in slow.notes]
    assert fast.ok == slow.ok
    if fast.ok:
        pd.testing.assert_frame_equal(fast.frame, slow.frame)
        assert list(fast.frame.attrs["source_rows"]) == list(slow.frame.attrs["source_rows"])


def _count_thorough_reads(monkeypatch) -> list:
    calls = []
    original = reader._rows_loader

    def counting(rows):
        calls.append(len(rows))
        return original(rows)
    monkeypatch.setattr(reader, "_rows_loader", counting)
    return calls


@pytest.mark.parametrize("name", ["openpyxl_shared_strings", "openpyxl_offset_table", "blank_and_totals_rows",
                                  "municipality_as_number"])
def test_clean_extracts_take_the_fast_way(name, engine, monkeypatch):
    calls = _count_thorough_reads(monkeypatch)
    v = _check(engine, EXTRA[name](), "hoitotakuu.xlsx", "care_guarantee", True, monkeypatch)
    assert v.ok, v.counts
    assert calls == []


def test_mixed_column_falls_back_to_the_thorough_way_and_names_the_cell(engine, monkeypatch):
    calls = _count_thorough_reads(monkeypatch)
    v = _check(engine, _late_text(), "hoitotakuu.xlsx", "care_guarantee", True, monkeypatch)
    assert len(calls) == 1
    issue = next(i for i in v.issues if i.code == "suppressed_cell")
    assert issue.cell == "D1502" and issue.value == "<5"


def test_head_rows_read_from_xml_match_calamine():
    data = _openpyxl_file(_rows(), start_row=5, start_col=3, title="Hoitotakuu 9/2026")
    zf = zipfile.ZipFile(io.BytesIO(data))
    facts = reader._sheet_head(zf, "xl/worksheets/sheet1.xml", reader._SharedStrings(zf))
    rows = pc.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Data").to_python(
        skip_empty_area=False)[:reader.HEADER_SCAN_ROWS]
    assert len(facts.head) == len(rows)
    compared = 0
    for ours, theirs in zip(facts.head, rows):
        for c, cell in enumerate(theirs):
            if isinstance(cell, (str, float, bool)):          # dates: calamine applies the style, we need not
                assert (ours[c] if c < len(ours) else "") == cell
                compared += cell != ""
    assert compared > 100
    assert facts.head[4][2:4] == ["Kuukausi", "Kuntakoodi"]

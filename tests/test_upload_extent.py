"""The reader checks the real extent of a sheet before calamine or fastexcel allocate for it, and bounds a .csv
while reading it. The hostile files are valid extracts with their sheet XML rewritten; the ones that used to
abort the process or take gigabytes run in a child process (address space capped at 4 GB, so that a regression
fails the test instead of the machine) that reports its peak memory."""
import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from data_sources.uploads import DATASETS, reader
from data_sources.uploads.reader import read_upload

from .upload_files import CG_HEADERS_FI, care_csv, care_rows, xlsx

ROOT = Path(__file__).resolve().parent.parent
SHEET = "xl/worksheets/sheet1.xml"
SPEC = DATASETS["care_guarantee"]
GB = 1024 ** 3


def _valid() -> bytes:
    """87 rows x 7 columns; xlsxwriter declares <dimension ref="A1:G87"/>."""
    return xlsx({"Hoitotakuu": [CG_HEADERS_FI] + care_rows(dt.date(2026, 9, 1))})


def _rewrite(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            xml = src.read(info.filename)
            z.writestr(info.filename, change(xml) if info.filename == SHEET else xml)
    return buf.getvalue()


def _with_cell(ref: str, dimension: str | None = "A1:G87", cell: str | None = None) -> bytes:
    """The valid extract plus one cell at `ref` (its own row at the end), <dimension> replaced or removed."""
    row = re.search(r"\d+", ref).group()
    cell = cell or f'<c r="{ref}"><v>1</v></c>'

    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>'.encode())
        new = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
        return re.sub(rb'<dimension ref="[^"]*"/>', new, xml)
    return _rewrite(_valid(), change)


def _isolated(tmp_path, data: bytes, file_name: str = "hoitotakuu.xlsx", fast: bool = True) -> dict:
    """read_upload in a child process: its issues and its own peak RSS (VmHWM)."""
    path = tmp_path / file_name
    path.write_bytes(data)
    code = f"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
sys.path.insert(0, {str(ROOT)!r})
from data_sources.uploads import DATASETS, reader
reader.FAST = {fast}
raw = reader.read_upload(open({str(path)!r}, "rb").read(), {file_name!r}, DATASETS["care_guarantee"])
# VmHWM: this program's own peak (its address space is new at exec); ru_maxrss also counts the forking parent's
# size at the fork, which made a test worker that had read a large warehouse look like a 1,2 GB upload
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"issues": [[i.code, i.cell, i.sheet, i.params] for i in raw.issues],
                  "peak": int(hwm.split()[1]) * 1024}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["peak"] < GB, f"peak RSS {out['peak'] / 2 ** 20:.0f} MB"
    return out


def _codes(raw) -> list[str]:
    return [i.code for i in raw.issues]


# --- xlsx: a cell far away ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dimension", [None, "A1:G87"], ids=["no_dimension", "dimension_lies"])
def test_cell_at_xfd1048576_is_refused_without_allocating(dimension, tmp_path):
    out = _isolated(tmp_path, _with_cell("XFD1048576", dimension))
    [[code, cell, sheet, params]] = out["issues"]
    assert (code, cell, sheet) == ("sheet_too_large", "XFD1048576", "Hoitotakuu")
    assert params == {"rows": 1048576, "cols": 16384, "max_rows": reader.MAX_ROWS, "max_cols": reader.MAX_COLS}


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "thorough"])
def test_cell_at_xfd10000_is_refused_on_both_paths(fast, tmp_path):
    out = _isolated(tmp_path, _with_cell("XFD10000"), fast=fast)
    assert [i[:2] for i in out["issues"]] == [["sheet_too_large", "XFD10000"]]


def test_far_row_alone_is_refused(tmp_path):
    out = _isolated(tmp_path, _with_cell("A400000"))
    assert [i[:2] for i in out["issues"]] == [["sheet_too_large", "G400000"]]     # the corner Ctrl+End shows


def test_far_column_alone_is_refused(tmp_path):
    out = _isolated(tmp_path, _with_cell("ZZZ5"))
    assert [i[:2] for i in out["issues"]] == [["sheet_too_large", "ZZZ87"]]


def test_rows_times_columns_over_the_cell_limit_is_refused(tmp_path):
    out = _isolated(tmp_path, _with_cell("Y200000"))      # 200 000 rows and 25 columns are each allowed
    [[code, cell, _, params]] = out["issues"]
    assert (code, cell) == ("too_many_cells", "Y200000")
    assert params == {"rows": 200000, "cols": 25, "max": reader.MAX_CELLS}


@pytest.mark.parametrize("cell", [
    "<c r='XFD1048576'><v>1</v></c>",                      # single quotes
    '<c r = "xfd1048576"><v>1</v></c>',                     # spaces, lower case
    '<c s="0"\n r="XFD1048576"><v>1</v></c>',               # r not the first attribute
    '<x:c r="XFD1048576"><x:v>1</x:v></x:c>',               # a prefixed element
    '<c r="XFD01048576"><v>1</v></c>',                      # a leading zero
], ids=["quotes", "spaces_case", "r_not_first", "prefix", "leading_zero"])
def test_far_cell_written_another_way_is_refused(cell, tmp_path):
    out = _isolated(tmp_path, _with_cell("XFD1048576", cell=cell))
    assert [i[:2] for i in out["issues"]] == [["sheet_too_large", "XFD1048576"]]


def test_second_r_attribute_is_refused(tmp_path):
    """calamine takes the last of two r attributes; a well-formed sheet never has two."""
    out = _isolated(tmp_path, _with_cell("A88", cell='<c r="A88" r="XFD1048576"><v>1</v></c>'))
    assert [i[0] for i in out["issues"]] == ["corrupt_file"]


# --- xlsx: the declared extent -----------------------------------------------------------------------------
def test_declared_dimension_past_the_column_limit_is_refused():
    data = _rewrite(_valid(), lambda xml: xml.replace(b'<dimension ref="A1:G87"/>', b'<dimension ref="A1:XFD300000"/>'))
    raw = read_upload(data, "hoitotakuu.xlsx", SPEC)
    [issue] = raw.issues
    assert (issue.code, issue.cell, issue.sheet) == ("sheet_too_large", "XFD300000", "Hoitotakuu")


def test_declared_dimension_past_the_cell_limit_is_refused():
    data = _rewrite(_valid(), lambda xml: xml.replace(b'<dimension ref="A1:G87"/>', b'<dimension ref="A1:Z300000"/>'))
    assert _codes(read_upload(data, "hoitotakuu.xlsx", SPEC)) == ["too_many_cells"]


# --- xlsx: positions without r -----------------------------------------------------------------------------
def test_rows_and_cells_without_r_are_read_at_their_implicit_positions():
    def strip_refs(xml: bytes) -> bytes:
        xml = re.sub(rb'<row r="\d+"', b"<row", xml)
        return re.sub(rb'<c r="[A-Z]+\d+"', b"<c", xml)
    good = read_upload(_valid(), "hoitotakuu.xlsx", SPEC)
    raw = read_upload(_rewrite(_valid(), strip_refs), "hoitotakuu.xlsx", SPEC)
    assert raw.ok and good.ok, (raw.issues, good.issues)
    assert raw.n_rows == good.n_rows == 86


def test_row_without_r_after_the_last_allowed_row_is_refused():
    limit = reader.MAX_ROWS + reader.HEADER_SCAN_ROWS
    data = _rewrite(_valid(), lambda xml: xml.replace(
        b"</sheetData>", f'<row r="{limit}"><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData>'.encode()))
    raw = read_upload(data, "hoitotakuu.xlsx", SPEC)
    assert [(i.code, i.cell) for i in raw.issues] == [("sheet_too_large", f"G{limit + 1}")]


@pytest.mark.parametrize("cells, far", [
    ("<c><v>1</v></c>" * 300, "KN88"),                     # the 300th cell of the row
    ('<c r="IV88"><v>0</v></c><c><v>1</v></c>', "IW88"),   # the one after column IV
], ids=["row_of_them", "after_column_iv"])
def test_cells_without_r_past_the_column_limit_are_refused(cells, far, tmp_path):
    row = f'<row r="88">{cells}</row></sheetData>'.encode()
    out = _isolated(tmp_path, _rewrite(_valid(), lambda xml: xml.replace(b"</sheetData>", row)))
    assert [i[:2] for i in out["issues"]] == [["sheet_too_large", far]]


# --- xlsx: the sheet calamine reads is the one scanned ------------------------------------------------------
def test_sheet_whose_target_is_missing_is_refused():
    def retarget(data: bytes) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                xml = src.read(info.filename)
                if info.filename == "xl/_rels/workbook.xml.rels":
                    xml = xml.replace(b"worksheets/sheet1.xml", b"worksheets/sheet9.xml")
                z.writestr(info.filename, xml)
        return buf.getvalue()
    assert _codes(read_upload(retarget(_valid()), "hoitotakuu.xlsx", SPEC)) == ["corrupt_file"]


def test_ordinary_extract_passes_the_extent_check():
    raw = read_upload(_valid(), "hoitotakuu.xlsx", SPEC)
    assert raw.ok and raw.n_rows == 86


# --- csv -------------------------------------------------------------------------------------------------
def _csv(*extra: str) -> bytes:
    return care_csv() + "".join(extra).encode()


def test_csv_row_of_200000_delimiters_is_refused_before_parsing(tmp_path):
    out = _isolated(tmp_path, _csv(";" * 200_000 + "\n"), "hoitotakuu.csv")
    assert out["issues"] == [["csv_line_too_long", None, None, {"row": 88, "max_kb": 128}]]


def test_csv_line_of_5_million_delimiters_is_refused_before_parsing(tmp_path):
    out = _isolated(tmp_path, _csv(";" * 5_000_000 + "\n"), "hoitotakuu.csv")
    assert out["issues"] == [["csv_line_too_long", None, None, {"row": 88, "max_kb": 128}]]


def test_csv_row_wider_than_the_column_limit_is_refused_while_reading(tmp_path):
    out = _isolated(tmp_path, _csv(";" * 100_000 + "\n"), "hoitotakuu.csv")
    assert out["issues"] == [["too_many_columns", None, None, {"row": 88, "cols": 100_001, "max_cols": 256}]]


def test_csv_field_of_200_kb_on_one_line_is_refused():
    raw = read_upload(_csv("1.9.2026;179;" + "x" * 200_000 + ";1;1;1;1\n"), "hoitotakuu.csv", SPEC)
    assert _codes(raw) == ["csv_line_too_long"]


def test_csv_quoted_field_of_200_kb_over_many_lines_is_refused():
    """An unclosed quote swallows the rest of the file: csv.Error, which must not escape."""
    field = '"' + ("x" * 100 + "\n") * 2000 + '"'
    raw = read_upload(_csv(f"1.9.2026;179;{field};1;1;1;1\n"), "hoitotakuu.csv", SPEC)
    [issue] = raw.issues
    assert (issue.code, issue.row, issue.params) == ("csv_field_too_long", 88, {"row": 88, "max_kb": 128})


def test_csv_field_of_40_kb_is_read():
    raw = read_upload(_csv(f"1.9.2026;179;{'x' * 40_000};1;1;1;1\n"), "hoitotakuu.csv", SPEC)
    assert not {"csv_line_too_long", "csv_field_too_long", "corrupt_file"} & set(_codes(raw))
    assert raw.n_rows == 87


def test_csv_rows_times_fields_over_the_cell_limit_is_refused():
    line = ";".join(["1"] * 250) + "\n"                     # 250 fields are allowed, 20 000 x 250 cells are not
    raw = read_upload(_csv(line * 20_000), "hoitotakuu.csv", SPEC)
    [issue] = raw.issues
    assert issue.code == "too_many_cells" and issue.sheet == "hoitotakuu.csv"


def test_csv_with_old_mac_line_ends_is_counted_by_records():
    """No \\n at all, so the up-front line count sees one line; the records are counted while reading."""
    data = b"Kuukausi;Kuntakoodi\r" + b"1.2.2024;179\r" * (reader.MAX_ROWS + reader.HEADER_SCAN_ROWS + 1)
    assert _codes(read_upload(data, "hoitotakuu.csv", SPEC)) == ["too_many_rows"]


def test_long_valid_csv_is_read():
    rows = [r for m in range(1, 13) for r in care_rows(dt.date(2025, m, 1))] * 200      # 206 400 rows
    text = ";".join(CG_HEADERS_FI) + "\n" + "".join(
        f"{r[0]:%d.%m.%Y};{r[1]};{r[2]};{r[3]};{r[4]};{r[5]};{r[6]}\n" for r in rows)
    raw = read_upload(text.encode(), "hoitotakuu.csv", SPEC)
    assert not raw.issues and raw.n_rows == len(rows)


# --- whatever a parser throws ------------------------------------------------------------------------------
def test_unexpected_error_becomes_an_issue(monkeypatch):
    def boom(*args):
        raise RuntimeError("a parser bug")
    monkeypatch.setattr(reader, "_read_csv", boom)
    raw = read_upload(care_csv(), "hoitotakuu.csv", SPEC)
    assert _codes(raw) == ["corrupt_file"] and "a parser bug" in raw.issues[0].params["detail"]

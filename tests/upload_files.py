"""Makes the upload test files: good extracts as analysts send them, and a corpus of bad files.

    python -m tests.upload_files OUT_DIR      # writes the bad-file corpus for a look in Excel

Every bad file names the issue code the reader/validator must report for it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import xlsxwriter

from data_sources import reference

CG_HEADERS_FI = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa",
                 "Käynnit 14 vrk:ssa", "Käynnit 3 kk:ssa"]
CG_HEADERS_EN = ["Month", "Municipality code", "Service area", "Non-urgent visits", "Visits within 7 days",
                 "Visits within 14 days", "Visits within 3 months"]


CB_HEADER = "Palveluluokka;Tili;Kohdentuminen;Ennaltaehkäisy;Jakoperuste;Kiinteä osuus;Jakoperusteen lähde\n"


def municipality_codes() -> list[str]:
    return list(reference.municipalities().code)


def care_rows(month: dt.date, scale: int = 1) -> list[list]:
    """One row per municipality x area; numbers consistent (7d <= 14d <= 90d <= total)."""
    rows = []
    for i, m in enumerate(municipality_codes()):
        for j, area in enumerate(("primary_care", "dental")):
            total = (200 + 37 * i + 11 * j) * scale
            w7 = int(total * (0.82 if area == "primary_care" else 0.4))
            rows.append([month, m, area, total, w7, int(total * 0.9), int(total * 0.97)])
    return rows


def xlsx(sheets: dict[str, list[list]], *, date_fmt: str = "d.m.yyyy", merge=None, formula_error=None,
         title_rows: list[str] = ()) -> bytes:
    """An .xlsx with optional title rows, a merged range and a formula that evaluates to an error."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    fmt = wb.add_format({"num_format": date_fmt})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        r0 = 0
        for r0, title in enumerate(title_rows):
            ws.write(r0, 0, title)
        r0 = len(title_rows) + (1 if title_rows else 0)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, dt.date):
                    ws.write_datetime(r0 + r, c, dt.datetime(v.year, v.month, v.day), fmt)
                elif v is None:
                    continue
                else:
                    ws.write(r0 + r, c, v)
        if merge:
            ws.merge_range(*merge, "yhdistetty")
        if formula_error:
            ws.write_formula(*formula_error, "=1/0", None, "#DIV/0!")
    wb.close()
    return buf.getvalue()


def good_care_guarantee(month: dt.date = dt.date(2026, 11, 1), scale: int = 1) -> bytes:
    """A realistic extract: title rows, Finnish headers, text numbers with thousand spaces, a totals row."""
    rows = [CG_HEADERS_FI]
    for r in care_rows(month, scale):
        r = list(r)
        r[0] = f"{month.day}.{month.month}.{month.year}"
        if r[1].startswith("0"):
            r[1] = int(r[1])          # Excel dropped the leading zero
        r[3] = f"{r[3]:,}".replace(",", " ")
        rows.append(r)
    rows.append(["Yhteensä", None, None, sum(x[3] for x in care_rows(month, scale))])
    return xlsx({"Hoitotakuu": rows, "Tiedot lähteestä": [["Lähde: Avohilmo"]]},
                title_rows=[f"Hoitotakuun toteutuminen {month.month}/{month.year}", "Lähde: Avohilmo-poiminta"])


def care_csv(month: dt.date = dt.date(2026, 11, 1)) -> bytes:
    lines = [";".join(CG_HEADERS_EN)]
    for r in care_rows(month):
        lines.append(";".join([month.strftime("%Y-%m-%d"), r[1], r[2], *[str(x) for x in r[3:]]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _care(rows=None, headers=CG_HEADERS_FI, **kw) -> bytes:
    return xlsx({"Hoitotakuu": [headers] + (rows if rows is not None else care_rows(dt.date(2026, 9, 1)))}, **kw)


def _mutate(row_idx: int, col: int, value) -> bytes:
    rows = care_rows(dt.date(2026, 9, 1))
    rows[row_idx][col] = value
    return _care(rows)


def million_rows_xlsx(n: int = 1_000_000) -> bytes:
    """A minimal, valid .xlsx written directly as XML (xlsxwriter would take ~30 s for a million rows)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                   '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                   'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     f'spreadsheetml/2006/main"><dimension ref="A1:D{n + 1}"/><sheetData>'.encode())
            fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Kuukausi</t></is></c><c r="B1" t="inlineStr"><is>'
                     b'<t>Kuntakoodi</t></is></c><c r="C1" t="inlineStr"><is><t>Palvelualue</t></is></c></row>')
            chunk = []
            for r in range(2, n + 2):
                chunk.append(f'<row r="{r}"><c r="A{r}"><v>46296</v></c><c r="B{r}"><v>179</v></c>'
                             f'<c r="D{r}"><v>{r % 97}</v></c></row>')
                if len(chunk) == 50_000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            fh.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return buf.getvalue()


def zip_bomb(mb: int = 300) -> bytes:
    """A zip that looks like an .xlsx but whose sheet unpacks to hundreds of megabytes of zeros."""
    buf = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(_care()))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, good.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(mb):
                fh.write(block)
    return buf.getvalue()


def with_vba(data: bytes) -> bytes:
    """The same workbook with a vbaProject.bin inside: a macro file renamed to .xlsx."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name = \"Module1\"" * 20)
    return buf.getvalue()


def encrypted(data: bytes) -> bytes:
    """A real password-protected workbook (ECMA-376 agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("Salasana1", out)
    return out.getvalue()


@dataclass(frozen=True)
class BadFile:
    name: str
    file_name: str
    dataset: str
    expected: str          # the issue code that must be reported
    make: object           # () -> bytes


def bad_files() -> list[BadFile]:
    d = dt.date
    later = d.today().replace(day=1) + dt.timedelta(days=62)
    return [
        BadFile("wrong_headers", "hoitotakuu.xlsx", "care_guarantee", "missing_columns",
                lambda: _care(headers=["Aika", "Paikka", "Mitä", "Paljonko", "Nopeasti", "Hitaammin", "Lopulta"])),
        BadFile("missing_column", "hoitotakuu.xlsx", "care_guarantee", "missing_columns",
                lambda: xlsx({"Hoitotakuu": [CG_HEADERS_FI[:4] + CG_HEADERS_FI[5:]] +
                              [r[:4] + r[5:] for r in care_rows(d(2026, 9, 1))]})),
        BadFile("missing_sheet", "hoitotakuu.xlsx", "care_guarantee", "no_sheet",
                lambda: xlsx({"Ohjeet": [["Tiedot ovat välilehdellä Tiedot"], ["(välilehti puuttuu)"]]})),
        BadFile("wrong_dataset", "hoitotakuu.xlsx", "phone", "missing_columns", lambda: _care()),
        BadFile("text_in_number", "hoitotakuu.xlsx", "care_guarantee", "not_number", lambda: _mutate(3, 3, "paljon")),
        BadFile("merged_cells", "hoitotakuu.xlsx", "care_guarantee", "merged_cells",
                lambda: _care(merge=(4, 0, 6, 0))),
        BadFile("formula_error", "hoitotakuu.xlsx", "care_guarantee", "formula_error",
                lambda: _care(formula_error=(5, 4))),
        BadFile("zero_bytes", "hoitotakuu.xlsx", "care_guarantee", "empty_file", lambda: b""),
        BadFile("truncated_zip", "hoitotakuu.xlsx", "care_guarantee", "corrupt_file",
                lambda: good_care_guarantee()[:3000]),
        BadFile("not_a_zip", "hoitotakuu.xlsx", "care_guarantee", "corrupt_file",
                lambda: b"<html><body>Istunto vanhentunut</body></html>" * 20),
        BadFile("zip_bomb", "hoitotakuu.xlsx", "care_guarantee", "zip_bomb", lambda: zip_bomb()),
        BadFile("macro_enabled", "hoitotakuu.xlsm", "care_guarantee", "macro_file", lambda: with_vba(_care())),
        BadFile("macro_renamed", "hoitotakuu.xlsx", "care_guarantee", "macro_file", lambda: with_vba(_care())),
        BadFile("password_protected", "hoitotakuu.xlsx", "care_guarantee", "encrypted", lambda: encrypted(_care())),
        BadFile("legacy_xls", "hoitotakuu.xls", "care_guarantee", "legacy_xls",
                lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + b"Workbook".ljust(512, b"\0")),
        BadFile("pdf", "hoitotakuu.pdf", "care_guarantee", "bad_extension", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        BadFile("oversized", "hoitotakuu.csv", "care_guarantee", "too_large", lambda: b"1;2;3\n" * 9_000_000),
        BadFile("million_rows_xlsx", "hoitotakuu.xlsx", "care_guarantee", "too_many_rows",
                lambda: million_rows_xlsx()),
        BadFile("million_rows_csv", "hoitotakuu.csv", "care_guarantee", "too_many_rows",
                lambda: b"Kuukausi;Kuntakoodi\n" + b"1.2.2024;179\n" * 1_000_000),
        BadFile("unknown_municipality", "hoitotakuu.xlsx", "care_guarantee", "unknown_code",
                lambda: _mutate(2, 1, "999")),
        BadFile("unknown_service_area", "hoitotakuu.xlsx", "care_guarantee", "unknown_code",
                lambda: _mutate(2, 2, "kotisairaala")),
        BadFile("future_date", "hoitotakuu.xlsx", "care_guarantee", "future_date", lambda: _mutate(1, 0, later)),
        BadFile("too_old_date", "hoitotakuu.xlsx", "care_guarantee", "too_old", lambda: _mutate(1, 0, d(1998, 1, 1))),
        BadFile("bad_date_text", "hoitotakuu.xlsx", "care_guarantee", "bad_date", lambda: _mutate(1, 0, "32.13.2024")),
        BadFile("duplicate_rows", "hoitotakuu.xlsx", "care_guarantee", "duplicate_key",
                lambda: _care(care_rows(d(2026, 9, 1)) + care_rows(d(2026, 9, 1))[:3])),
        BadFile("negative_count", "hoitotakuu.xlsx", "care_guarantee", "negative", lambda: _mutate(4, 3, -12)),
        BadFile("numerator_over_denominator", "hoitotakuu.xlsx", "care_guarantee", "greater_than",
                lambda: _mutate(5, 4, 999_999)),
        BadFile("suppressed_cells", "hoitotakuu.xlsx", "care_guarantee", "suppressed_cell",
                lambda: _mutate(6, 4, "<5")),
        BadFile("empty_required_cell", "hoitotakuu.xlsx", "care_guarantee", "required", lambda: _mutate(7, 2, None)),
        BadFile("decimal_count", "hoitotakuu.xlsx", "care_guarantee", "not_integer", lambda: _mutate(8, 3, 12.5)),
        BadFile("header_only", "hoitotakuu.xlsx", "care_guarantee", "no_rows", lambda: _care(rows=[])),
        BadFile("binary_csv", "hoitotakuu.csv", "care_guarantee", "corrupt_file", lambda: b"\x00\x01\x02" * 500),
        BadFile("unknown_kpi_id", "sarja.csv", "kpi_series", "unknown_code",
                lambda: "Mittari;Kuukausi;Kuntakoodi;Arvo\nei_tallainen_mittari;1.9.2026;179;12,5\n".encode()),
        BadFile("population_future_year", "vaesto.csv", "population", "future_date",
                lambda: f"Vuosi;Kuntakoodi;Ikäryhmä;Väkiluku\n{d.today().year + 1};179;0-6;9 000\n".encode()),
        BadFile("classification_unknown_targeting", "luokitus.csv", "child_budget_class", "unknown_code",
                lambda: (CB_HEADER + "PL101;*;suora;preventive;;;\n").encode()),
        BadFile("classification_partial_without_key", "luokitus.csv", "child_budget_class", "required_when",
                lambda: (CB_HEADER + "PL101;*;partial;preventive;;;\n").encode()),
        BadFile("costs_text_in_euros", "kulut.csv", "costs", "not_number",
                lambda: "Kuukausi;Kuntakoodi;Palveluluokka;Tili;Talousarvio (€);Toteuma (€)\n"
                        "1.9.2026;179;PL101;4000;12 345,50;noin kymppitonni\n".encode()),
    ]


def checksum(engine: sa.Engine) -> dict[str, str]:
    """Per table: row count and an order-independent hash of every row (byte-for-byte equality check)."""
    insp = sa.inspect(engine)
    out = {}
    with engine.connect() as conn:
        for name in sorted(insp.get_table_names()):
            if engine.dialect.name == "duckdb":
                row = conn.execute(sa.text(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {name} t")).first()
            else:
                row = conn.execute(sa.text(
                    f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
                    f"FROM {name} t")).first()
            out[name] = f"{row[0]}:{row[1]}"
    return out


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for bf in bad_files():
        data = bf.make()
        (out / f"{bf.name}__{bf.file_name}").write_bytes(data)
        print(f"{bf.name:28s} {len(data):>12,d} bytes  expect {bf.expected}  sha256 {hashlib.sha256(data).hexdigest()[:12]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/artifacts/bad_files")

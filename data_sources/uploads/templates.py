"""Downloadable .xlsx template per dataset: headers, drop-down lists from the warehouse codes, instructions."""
from __future__ import annotations

import io

import sqlalchemy as sa
import xlsxwriter

from .specs import CODE, DEC, INT, MONTH, YEAR, DatasetSpec
from .validate import load_code_lists

DATA_SHEET = "Tiedot"
CODES_SHEET = "Koodit"
HELP_SHEET = "Ohjeet"


def template_xlsx(engine: sa.Engine, spec: DatasetSpec, registry_ids: tuple[str, ...] = (),
                  municipalities: set[str] | None = None) -> bytes:
    """Finnish headers on row 1 of 'Tiedot', drop-downs for every coded column, rules on 'Ohjeet'. With
    `municipalities` (the user's region scope) the municipality list offers only those."""
    codes = load_code_lists(engine, spec, registry_ids)
    if municipalities is not None and "municipality_code" in codes:
        codes["municipality_code"] = codes["municipality_code"] & set(municipalities)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    date_fmt = wb.add_format({"num_format": "d.m.yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    data = wb.add_worksheet(DATA_SHEET)
    code_ws = wb.add_worksheet(CODES_SHEET)
    help_ws = wb.add_worksheet(HELP_SHEET)
    last = 5000
    for i, c in enumerate(spec.columns):
        data.write(0, i, c.header_fi, head)
        data.set_column(i, i, max(14, len(c.header_fi) + 4), date_fmt if c.kind == MONTH else
                        text_fmt if c.kind == CODE else None)
        if c.name in codes:
            values = sorted(codes[c.name])
            code_ws.write(0, i, f"{c.header_fi} (sallitut)", head)
            for r, v in enumerate(values, start=1):
                code_ws.write_string(r, i, v)
            col = xlsxwriter.utility.xl_col_to_name(i)
            data.data_validation(1, i, last, i, {
                "validate": "list", "source": f"='{CODES_SHEET}'!${col}$2:${col}${len(values) + 1}",
                "error_title": "Tuntematon koodi", "error_message": f"Valitse {c.header_fi} listasta."})
        elif c.kind in (INT, YEAR):
            data.data_validation(1, i, last, i, {"validate": "integer", "criteria": "between",
                                                 "minimum": int(c.min or 0), "maximum": int(c.max or 10**9),
                                                 "error_message": "Kirjoita kokonaisluku."})
        elif c.kind == DEC:
            data.data_validation(1, i, last, i, {"validate": "decimal", "criteria": "between",
                                                 "minimum": c.min if c.min is not None else -1e12,
                                                 "maximum": c.max if c.max is not None else 1e12,
                                                 "error_message": "Kirjoita luku."})
        elif c.kind == MONTH:
            data.data_validation(1, i, last, i, {"validate": "date", "criteria": ">=",
                                                 "value": __import__("datetime").date(2000, 1, 1),
                                                 "error_message": "Kirjoita päivämäärä, esim. 1.2.2024."})
    data.freeze_panes(1, 0)
    help_ws.set_column(0, 0, 34)
    help_ws.set_column(1, 1, 70)
    help_ws.set_column(2, 2, 14)
    help_ws.write(0, 0, f"{spec.name_fi}: ohjeet", wb.add_format({"bold": True, "font_size": 14}))
    lines = [
        spec.description_fi,
        f"Täytä taulukko '{DATA_SHEET}' riviltä 2 alkaen. Älä muuta otsikoita, älä yhdistä soluja äläkä "
        "lisää kaavoja. Yhteensä-rivi alareunassa ohitetaan.",
        "Koodisarakkeiden sallitut arvot ovat taulukossa 'Koodit' ja pudotusvalikoissa.",
        "Desimaalipilkku ja välilyönti tuhaterottimena käyvät. Päivämäärä muodossa 1.2.2024.",
        "Pienet luvut (1-4) tallennetaan sellaisinaan: kojelauta piilottaa ne itse. Älä merkitse niitä "
        "tähdellä (*) tai <5.",
        f"Avain (sama yhdistelmä vain kerran): {', '.join(spec.column(k).header_fi for k in spec.key)}.",
    ]
    for r, line in enumerate(lines, start=2):
        help_ws.write(r, 0, line)
    r0 = len(lines) + 3
    for j, h in enumerate(("Sarake", "Ohje", "Pakollinen")):
        help_ws.write(r0, j, h, head)
    for r, c in enumerate(spec.columns, start=r0 + 1):
        rule = c.help_fi
        if c.min is not None and c.kind in (INT, DEC):
            rule += f" (vähintään {c.min:g})" if c.min > -1e11 else ""
        help_ws.write(r, 0, c.header_fi)
        help_ws.write(r, 1, rule)
        help_ws.write(r, 2, "kyllä" if c.required else "ei")
    code_ws.hide()
    data.activate()
    wb.close()
    return buf.getvalue()

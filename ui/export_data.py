"""The numbers behind a chart as .xlsx (formatted, with definitions) and .csv (UTF-8 BOM for Excel).

Text that Excel would run as a formula is neutralised, and suppressed cells stay "<5" in every file.
"""
from __future__ import annotations

import io
import math

import pandas as pd

from metrics.privacy import SUPPRESSED_LABEL

from .i18n import t
from .safe import INERT, cell_text, neutralise

SUPPRESSIBLE = ("value", "numerator", "denominator")


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Suppressed rows read "<5" in their value columns; the flag column itself is dropped."""
    out = df.copy()
    if "suppressed" in out.columns:
        mask = out["suppressed"].fillna(False).astype(bool)
        for col in SUPPRESSIBLE:
            if col in out.columns:
                out[col] = out[col].astype(object)
                out.loc[mask, col] = SUPPRESSED_LABEL
        out = out.drop(columns="suppressed")
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out.map(neutralise)


def to_csv(df: pd.DataFrame, lang: str = "fi") -> bytes:
    """Finnish Excel opens ';'-separated files with decimal commas directly; BOM marks UTF-8."""
    sep, decimal = (";", ",") if lang != "en" else (",", ".")
    data = safe_frame(df).map(lambda v: _csv_number(v, decimal))
    text = data.to_csv(index=False, sep=sep, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _csv_number(v, decimal: str):
    """Numbers in mixed columns (a value or "<5") still get the reader's decimal mark."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "dtype"):
        return v
    if isinstance(v, float) and math.isnan(v):
        return ""
    return repr(v.item() if hasattr(v, "item") else v).replace(".", decimal)


def definitions_frame(definitions: dict[str, str], lang: str) -> pd.DataFrame:
    rows = dict(definitions)
    rows.setdefault(t("export_privacy", lang), t("suppressed_note", lang))
    return pd.DataFrame({t("export_term", lang): list(rows), t("export_definition", lang): list(rows.values())})


def to_xlsx(df: pd.DataFrame, definitions: dict[str, str], lang: str = "fi", title: str = "") -> bytes:
    """Sheet 1: title and the table with a bold frozen header; sheet 2: definitions, source and time."""
    data = safe_frame(df)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": INERT}) as xw:
        wb = xw.book
        bold = wb.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1, "text_wrap": True})
        title_fmt = wb.add_format({"bold": True, "font_size": 14})
        num = wb.add_format({"num_format": "# ##0.0##"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        ws = wb.add_worksheet(t("export_sheet_data", lang)[:31])
        xw.sheets[ws.name] = ws
        ws.write_string(0, 0, str(neutralise(title)), title_fmt)
        start = 2
        for j, col in enumerate(data.columns):
            ws.write_string(start, j, col, bold)
            width = max([len(col)] + [len(str(v)) for v in data[col].head(200)])
            ws.set_column(j, j, min(max(width + 2, 10), 60))
        for i, row in enumerate(data.itertuples(index=False), start=start + 1):
            for j, v in enumerate(row):
                _write(ws, i, j, v, num)
        ws.freeze_panes(start + 1, 0)
        if len(data.columns):
            ws.autofilter(start, 0, start + len(data), len(data.columns) - 1)
        defs = safe_frame(definitions_frame(definitions, lang))
        ws2 = wb.add_worksheet(t("export_sheet_definitions", lang)[:31])
        xw.sheets[ws2.name] = ws2
        ws2.set_column(0, 0, 28)
        ws2.set_column(1, 1, 100, wrap)
        for j, col in enumerate(defs.columns):
            ws2.write_string(0, j, col, bold)
        for i, row in enumerate(defs.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                ws2.write_string(i, j, str(v), wrap if j else None)
    return buf.getvalue()


def _write(ws, i, j, v, num_fmt) -> None:
    """Numbers as numbers, everything else as text: write_string never turns '=…' into a formula."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        ws.write_blank(i, j, None)
    elif isinstance(v, bool):
        ws.write_boolean(i, j, v)
    elif isinstance(v, int):
        ws.write_number(i, j, v)
    elif isinstance(v, float):
        ws.write_number(i, j, v, num_fmt)
    elif hasattr(v, "item") and isinstance(v.item(), (int, float)):
        _write(ws, i, j, v.item(), num_fmt)
    else:
        ws.write_string(i, j, cell_text(str(v)))

"""The numbers behind a chart as .xlsx (formatted, with definitions) and .csv (UTF-8 BOM for Excel).

Text that Excel would run as a formula is neutralised, and suppressed cells stay "<5" in every file.
"""
from __future__ import annotations

import io
import math

import pandas as pd

from metrics.privacy import SUPPRESSED_LABEL

from .i18n import t
from . import sheets
from .safe import neutralise

SUPPRESSIBLE = ("value", "numerator", "denominator")


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Suppressed rows read "<5" in their value columns; the flag column itself is dropped; every text cell and
    header is neutralised (text that starts like a formula gets an apostrophe)."""
    out = _typed_frame(df)
    out.columns = [str(neutralise(c)) for c in out.columns]
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
    """Sheet 1: title and the table with a bold frozen header (numbers as numbers, dates as dates: ui.sheets);
    sheet 2: definitions, source and time."""
    data = _typed_frame(df)
    book = sheets.Book(lang=lang)
    ws = book.sheet(t("export_sheet_data", lang))
    book.text(ws, 0, 0, title, book.title)
    book.table(ws, data, start_row=2)
    defs = definitions_frame(definitions, lang)
    ws2 = book.sheet(t("export_sheet_definitions", lang))
    ws2.set_column(0, 0, 28)
    ws2.set_column(1, 1, 100, book.wrap)
    for j, col in enumerate(defs.columns):
        book.text(ws2, 0, j, col, book.head)
    for i, row in enumerate(defs.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            book.text(ws2, i, j, v, book.wrap if j else None)
    return book.close()


def _typed_frame(df: pd.DataFrame) -> pd.DataFrame:
    """safe_frame without the text step: suppressed values read "<5", the flag column goes; the writer
    guards the text and keeps numbers and dates typed."""
    out = df.copy()
    if "suppressed" in out.columns:
        mask = out["suppressed"].fillna(False).astype(bool)
        for col in SUPPRESSIBLE:
            if col in out.columns:
                out[col] = out[col].astype(object)
                out.loc[mask, col] = SUPPRESSED_LABEL
        out = out.drop(columns="suppressed")
    out.columns = [str(c) for c in out.columns]
    return out

"""The one spreadsheet writer: every .xlsx the product makes (chart data, the child-budget model, upload error
reports, the audit export, the data behind a native pptx chart) is written through here.

Text never becomes a formula or a link (xlsxwriter's inert options, and text that starts like a formula gets an
apostrophe), numbers are number cells with a Finnish-friendly format (thousands grouped, one decimal count per
column, %, €), dates are date cells, and a number we formatted ourselves ("81,3 %", "6 406 €/as.") is written
back as the number with the same look.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
import xlsxwriter

from .format import NBSP
from .i18n import t
from .safe import INERT, neutralise

# Excel number format codes are locale-neutral: ',' groups thousands and '.' is the decimal mark in the code,
# and the reader's locale draws them (Finnish: "1 234,5"); a literal space in the code would print as a space.
# The unit words are the catalogue's (unit_sfx_*), in the workbook's language.
_UNIT_KEYS = ("pct", "pp", "eur", "meur", "eur_per_resident", "days")


def _sfx(unit: str, lang: str = "fi") -> str:
    return {"pct": t("unit_sfx_pct", lang), "pp": t("unit_sfx_pp", lang), "eur": t("unit_sfx_eur", lang),
            "meur": t("unit_sfx_meur", lang), "eur_per_resident": t("unit_sfx_eur_per_resident", lang),
            "days": t("unit_sfx_days", lang)}[unit]


def formats(lang: str = "fi") -> dict[str, str]:
    """Format codes per unit for a workbook in `lang`."""
    pp = _sfx("pp", lang)
    return {"pct": f'0.0" {_sfx("pct", lang)}"', "eur": f'#,##0" {_sfx("eur", lang)}"',
            "eur_per_resident": f'#,##0" {_sfx("eur_per_resident", lang)}"',
            "days": f'#,##0.0" {_sfx("days", lang)}"', "count": INT, "persons": INT, "per_1000": INT,
            "index": "#,##0.00", "meur": f'#,##0.0" {_sfx("meur", lang)}"',
            "pp": f'+0.0" {pp}";-0.0" {pp}";0.0" {pp}"', "pct_change": '+0.0" %";-0.0" %";0.0" %"',
            "year": "0", "date": "d.m.yyyy", "month": "m/yyyy", "fraction": "0.000000"}


INT = "#,##0"
FORMATS = formats("fi")
# a printed number's unit word, in either language, back to its unit
_SUFFIX_UNIT = {_sfx(u, lang): u for lang in ("en", "fi") for u in _UNIT_KEYS}
_UNITS = "|".join(re.escape(u) for u in sorted(_SUFFIX_UNIT, key=len, reverse=True))
_SHOWN = {"fi": re.compile(rf"^(?P<sign>[+\-\u2212±]?)(?P<int>\d{{1,3}}(?:[{NBSP} ]\d{{3}})+|\d+)"
                           rf"(?:,(?P<dec>\d+))?(?:[{NBSP} ](?P<unit>{_UNITS}))?$"),
          "en": re.compile(rf"^(?P<sign>[+\-\u2212±]?)(?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)"
                           rf"(?:\.(?P<dec>\d+))?(?:[{NBSP} ]?(?P<unit>{_UNITS}))?$")}


def number_format(unit: str, decimals: int | None = None, lang: str = "fi") -> str:
    """The format code of a unit; `decimals` overrides the count of decimals of a plain number."""
    table = formats(lang)
    if unit in table and decimals is None:
        return table[unit]
    d = 0 if decimals is None else decimals
    core = "#,##0" + ("." + "0" * d if d else "")
    suffix = _sfx(unit, lang) if unit in ("pct", "eur", "eur_per_resident", "days") else ""
    return core + (f'" {suffix}"' if suffix else "")


def parse_shown(text: str, lang: str = "fi") -> tuple[float, str] | None:
    """A number we printed ("81,3 %", "−1,5 %-yks.", "6 406 €/as.", "12,4 M€") as (number, format code);
    None for anything else (a name, "<5", a code such as "091" whose leading zero is part of it)."""
    m = _SHOWN.get(lang, _SHOWN["fi"]).match(text.strip())
    if not m:
        return None
    digits = re.sub(r"[^\d]", "", m["int"])
    if len(digits) > 1 and digits.startswith("0"):
        return None
    value = float(digits + ("." + m["dec"] if m["dec"] else ""))
    if m["sign"] in ("-", "\u2212"):
        value = -value
    decimals = len(m["dec"] or "")
    unit = _SUFFIX_UNIT.get(m["unit"] or "", "")
    if unit == "meur":
        return value * 1e6, f'#,##0.0,," {_sfx("meur", lang)}"'
    if unit == "pp":
        return value, _signed(decimals, " " + _sfx("pp", lang))
    if unit == "pct" and m["sign"]:
        return value, _signed(decimals, " " + _sfx("pct", lang))      # a signed per cent is a change
    if not unit and not m["dec"] and NBSP not in m["int"] and " " not in m["int"] and "," not in m["int"]:
        return value, "0"                               # a year or a plain integer: no grouping
    return value, number_format(unit or "plain", decimals, lang)


def _signed(decimals: int, suffix: str) -> str:
    core = "0" + ("." + "0" * decimals if decimals else "")
    return f'+{core}"{suffix}";-{core}"{suffix}";{core}"{suffix}"'


def column_decimals(values) -> int:
    """One count of decimals for a column of floats (0-3): the fewest that show every value to 3 decimals."""
    vals = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
    for d in range(4):
        if all(abs(round(v, d) - round(v, 3)) < 1e-9 for v in vals):
            return d
    return 3


class Book:
    """An xlsxwriter workbook with the inert options, format objects made once, and typed cell writes."""

    def __init__(self, buf: io.BytesIO | None = None, lang: str = "fi"):
        self.buf = buf if buf is not None else io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, INERT)
        self.lang = lang
        self._formats: dict[tuple, object] = {}
        self.head = self.fmt(bold=True, bg_color="#e8eef5", border=1, text_wrap=True, valign="top")
        self.title = self.fmt(bold=True, font_size=14)
        self.wrap = self.fmt(text_wrap=True, valign="top")

    def fmt(self, num_format: str | None = None, **props):
        key = (num_format, tuple(sorted(props.items())))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format({**props, **({"num_format": num_format} if num_format else {})})
        return self._formats[key]

    def sheet(self, name: str):
        """A worksheet whose name Excel accepts (no []:*?/\\, at most 31 characters, unique)."""
        clean = re.sub(r"[\[\]:*?/\\]", " ", str(neutralise(name))).strip("'") or "Sheet"
        base, n = clean[:31], 2
        while base.lower() in {ws.name.lower() for ws in self.wb.worksheets()}:
            base = f"{clean[:27]} ({n})"
            n += 1
        return self.wb.add_worksheet(base)

    def text(self, ws, r: int, c: int, value, cell_format=None) -> None:
        """Text cell: XML-safe, a formula start neutralised; never a formula, never a link."""
        ws.write_string(r, c, str(neutralise(str(value))), cell_format)

    def cell(self, ws, r: int, c: int, value, num_format: str | None = None) -> None:
        """Any value by its type: empty, bool, number (with `num_format` or a plain one), date, or text (a number
        we printed ourselves is written back as that number)."""
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            try:
                value = value.item()
            except (ValueError, AttributeError):
                pass
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or \
                (not isinstance(value, (str, bytes, list, tuple, dict)) and pd.isna(value)):
            ws.write_blank(r, c, None)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value)
        elif isinstance(value, (int, float)):
            if math.isinf(value):
                ws.write_blank(r, c, None)
            else:
                ws.write_number(r, c, value, self.fmt(num_format or "General"))
        elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
            stamp = pd.Timestamp(value)
            stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
            ws.write_datetime(r, c, stamp.to_pydatetime(), self.fmt(num_format or FORMATS["date"]))
        else:
            shown = parse_shown(str(value), self.lang) if isinstance(value, str) else None
            if shown is not None:
                ws.write_number(r, c, shown[0], self.fmt(shown[1]))
            else:
                self.text(ws, r, c, value)

    def table(self, ws, df: pd.DataFrame, start_row: int = 0, formats: dict[str, str] | None = None,
              widths: bool = True, filter_: bool = True) -> int:
        """Header (bold, frozen, filtered) and rows; `formats` by column name, otherwise chosen from the
        column: dates as dates (months as m/yyyy), floats with one decimal count. Returns the next free row."""
        formats = dict(formats or {})
        for j, col in enumerate(df.columns):
            self.text(ws, start_row, j, col, self.head)
            if col in formats:
                continue
            s = df[col]
            if pd.api.types.is_datetime64_any_dtype(s) or s.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).all() \
                    and len(s.dropna()):
                d = pd.to_datetime(s.dropna())
                formats[col] = FORMATS["month"] if len(d) and (d.dt.day == 1).all() and \
                    (d.dt.hour == 0).all() else FORMATS["date"]
            elif pd.api.types.is_float_dtype(s) or s.map(lambda v: isinstance(v, float)).any():
                formats[col] = number_format("plain", column_decimals(s))
            elif pd.api.types.is_integer_dtype(s):
                name = str(col).lower()
                formats[col] = "0" if ("yr" in name or "vuosi" in name or "year" in name or "koodi" in name
                                       or "code" in name) else INT
        for i, row in enumerate(df.itertuples(index=False), start=start_row + 1):
            for j, v in enumerate(row):
                self.cell(ws, i, j, v, formats.get(df.columns[j]))
        ws.freeze_panes(start_row + 1, 0)
        if filter_ and len(df.columns):
            ws.autofilter(start_row, 0, start_row + len(df), len(df.columns) - 1)
        if widths:
            for j, col in enumerate(df.columns):
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
                ws.set_column(j, j, min(max(width + 2, 10), 60))
        return start_row + len(df) + 1

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()

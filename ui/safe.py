"""Renderers defend themselves: text on its way into markdown, XML-based files and spreadsheets is made inert.

The edge already cleans what users type (data_sources/text.py); these rules hold even for text that never
passed it (a driver message, an old row, a label built from data), because one bad character can stop a
renderer: vl-convert aborts the whole process on a control character, openpyxl refuses the workbook.
"""
from __future__ import annotations

import logging
import re
import uuid

log = logging.getLogger("dashboard")

# characters XML 1.0 cannot carry (vl-convert's SVG/PDF, python-pptx, openpyxl, xlsxwriter), plus bidi
# overrides and invisible format characters that make a name read as something else
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|"
                      "[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:^&])")
# GFM turns bare addresses into links after escapes are resolved, so escaping cannot stop it: an invisible
# word joiner after 'http', 'www' or before '@' breaks the pattern and the text still reads the same
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www|[\w.+-](?=@))")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# xlsxwriter options: text stays text ('=…' is no formula, 'http://…' no link) whichever write call is used
INERT = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
# Finnish/English formatted numbers such as "-1,5 %-yks." or "+12 %" are data, not formulas
_NUMBER_TEXT = re.compile(r"^[+-]?\d[\d\u00a0 ]*([.,]\d+)?(\u00a0?(%|%-yks\.|pp|€|M€|€/as\.|€/res\.|vrk|d))?$")


def xml_text(value) -> str:
    """Text an XML-based file format (and vl-convert) can carry: illegal characters dropped."""
    return _NOT_XML.sub("", str(value))


def xml_deep(obj):
    """xml_text applied to every string in a nested spec (keys too): a Vega-Lite spec, its inline data."""
    if isinstance(obj, str):
        return xml_text(obj)
    if isinstance(obj, dict):
        return {xml_deep(k): xml_deep(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [xml_deep(v) for v in obj]
    return obj


def md(value) -> str:
    """Literal text inside Streamlit markdown (alerts, captions, spinners): every markup character escaped,
    line breaks as spaces, so a user's `![x](http://…)` is shown, never fetched, and `*` is a star."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", xml_text(value))
    return _AUTOLINK.sub("\\1\u2060", _MARKDOWN.sub(r"\\\1", text))


def neutralise(x):
    """Text that starts like a formula gets an apostrophe (OWASP CSV injection advice); numbers stay."""
    if isinstance(x, str):
        x = xml_text(x)
        if x.startswith(FORMULA_START) and not _NUMBER_TEXT.match(x):
            return "'" + x
    return x


def cell_text(x):
    """A spreadsheet cell's text: XML-safe; the writers store it as a string cell, never as a formula."""
    return xml_text(x) if isinstance(x, str) else x


def inert_frame(df):
    """A frame whose text cells every spreadsheet writer can store: XML-safe strings, headers too."""
    out = df.copy()
    out.columns = [cell_text(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith(("str", "string")):
            out[col] = out[col].map(cell_text)
    return out


def no_formulas(ws) -> None:
    """openpyxl makes a formula of any text that starts with '='; a user's text stays a text cell."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def incident(exc: BaseException, what: str) -> str:
    """Log an unexpected error with its traceback and give the user a short id to quote instead of the
    driver's text (which names hosts, files, tables and SQL)."""
    ref = uuid.uuid4().hex[:8]
    log.error("%s failed [%s]: %s", what, ref, exc, exc_info=exc)
    return ref


def md_frame(df):
    """A frame for st.table, which renders every cell as markdown: text cells (and headers) escaped."""
    out = df.copy()
    out.columns = [md(c) for c in out.columns]
    return out.map(lambda v: md(v) if isinstance(v, str) else v)


def file_stem(name: str) -> str:
    """A download name's stem from a user's file name: letters, digits, '-' and '_' only (no path, no
    control or bidi characters, nothing a shell or a mail filter would trip on)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[^\w\-]+", "_", xml_text(stem)).strip("_")[:80] or "tiedosto"

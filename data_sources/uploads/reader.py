"""Read an analyst's .xlsx or .csv the way people really make them, after refusing files that are unsafe.

Safety first (before any parser sees the bytes): size, zip member sizes and ratios (zip bombs), macros,
encrypted or legacy OLE containers, truncated zips, too many rows, and the real extent of every sheet (the
parsers allocate rows x columns from A1 to the farthest cell, so one stray cell at XFD1048576 would abort the
process). Then the header row is found below title rows by matching Finnish/English aliases, and what was
recognised is reported as notes.

Two ways to read a sheet, same result:
- fast (the usual extract): the first rows are read straight from the sheet XML to find the header, then
  fastexcel loads the data columns as Arrow arrays with strict types, and each column is handed on as
  distinct values + one index per row (`Coded`), so no Python object is made per cell;
- thorough: python-calamine turns the whole sheet into Python values. Used whenever the fast way cannot
  vouch for the sheet: mixed types in a column (text in a number column, a 'Yhteensä' row under dates),
  cells without positions in the XML, headers that fastexcel names differently.
`tests/test_upload_reader_paths.py` checks that both give the same validation for every test file.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import html
import io
import itertools
import logging
import queue
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pac
import python_calamine as pc

from ..text import clean_text
from . import mapping as mp
from .specs import DEC, INT, DatasetSpec

MAX_BYTES = 50 * 1024 * 1024          # the upload itself
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # all zip members together
MAX_RATIO = 250                       # uncompressed / compressed for a big member: above this is a zip bomb
MAX_ROWS = 300_000                    # data rows per file
MAX_COLS = 256                        # columns a sheet may span (A..IV): the datasets have 4-9, extracts a few dozen
MAX_CELLS = 4_000_000                 # rows x columns from A1 to a sheet's farthest cell: the thorough reader makes a
                                      # Python value of each (~0.8 GB peak at this limit with text in every cell)
MAX_CSV_LINE = 128 * 1024             # bytes in one line of a .csv, checked before the csv module splits it
HEADER_SCAN_ROWS = 30
CHUNK = 4 << 20                       # sheet XML is inflated and scanned in pieces of this size (the RE2 scan
                                      # compiles its pattern per call: 1 MB pieces were ~20 % slower)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TOTAL_LABELS = {"yhteensä", "yhteensa", "kaikki yhteensä", "total", "totals", "grand total", "summa", "yht"}


@dataclass
class Issue:
    """One problem, located as precisely as we can: the UI turns code + params into a sentence and a fix."""
    code: str
    row: int | None = None          # row number as Excel shows it (1-based)
    column: str | None = None       # warehouse column name
    cell: str | None = None         # e.g. "C12"
    value: str | None = None
    params: dict = field(default_factory=dict)
    sheet: str | None = None
    severity: str = "error"


@dataclass
class Note:
    """Something the reader recognised and handled (title rows, decimal commas, a totals row...)."""
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Coded:
    """One column as its distinct cell values plus, per row, the index of its value (factorised)."""
    codes: np.ndarray
    uniques: list

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):
        return self.uniques[self.codes[i]]

    def take(self, idx: np.ndarray) -> "Coded":
        return Coded(self.codes[idx], self.uniques)


@dataclass
class Block:
    """The data part of one sheet: raw cell values per spec column (a list of Python values, a `Coded`
    column, or a float array when every cell is a number), with Excel row numbers and letters (per row in
    `cells` where a column's cells lie in several sheet columns: a wide layout turned into rows)."""
    sheet: str
    rows: list[int]
    values: dict[str, object]
    letters: dict[str, str]
    cells: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Layout:
    """How the file was read: the header row used, the headers seen, the header signature, what each template
    column was taken from (or the suggestions when the analyst has to confirm them), the profile applied."""
    sheet: str
    header_row: int                                  # as Excel shows it (1-based)
    headers: list[str]
    signature: str
    suggestions: dict = field(default_factory=dict)  # spec column -> mapping.Suggestion
    columns: dict = field(default_factory=dict)      # spec column -> file column index (or mp.WIDE)
    constants: dict = field(default_factory=dict)    # spec column -> the value every row gets
    shares: dict = field(default_factory=dict)       # spec column -> its denominator column (shares become counts)
    values: dict = field(default_factory=dict)       # spec column -> {folded file value: code} (from the mapping)
    missing: list = field(default_factory=list)      # required columns still without a source
    profile: str | None = None                       # the source profile applied, by name
    confirmed: bool = False                          # an explicit mapping (a profile or the analyst's) was applied

    @property
    def needs_mapping(self) -> bool:
        return bool(self.missing)


@dataclass
class RawUpload:
    file_name: str
    sha256: str
    size: int
    kind: str = ""
    blocks: list[Block] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    layout: Layout | None = None

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def n_rows(self) -> int:
        return sum(len(b.rows) for b in self.blocks)


class Refused(Exception):
    """The file is refused as a whole; carries the issue to show."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


def col_letter(idx: int) -> str:
    s = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        s = chr(65 + r) + s
    return s


def norm_header(value) -> str:
    """'Talousarvio (€)' and ' TALOUSARVIO ' both become 'talousarvio'."""
    text = str(value).replace("\u00a0", " ").lower()
    text = re.sub(r"[^0-9a-zåäö+\- ]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# --- container checks ----------------------------------------------------------------------------------
def _check_zip(data: bytes) -> tuple[zipfile.ZipFile, list[str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise Refused(Issue("corrupt_file"))
    names = [i.filename for i in infos]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise Refused(Issue("zip_bomb", params={"mb": total // (1024 * 1024)}))
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise Refused(Issue("zip_bomb", params={"mb": i.file_size // (1024 * 1024)}))
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise Refused(Issue("corrupt_file"))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused(Issue("macro_file"))
    try:   # CRC of every member; the worksheets that are read are inflated (and so checked) by _sheet_scan
        for info in infos:
            if not _is_worksheet(info.filename):
                with zf.open(info) as fh:
                    while fh.read(1 << 20):
                        pass
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Refused(Issue("corrupt_file"))
    return zf, names


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _sheet_members(zf: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """Sheet name -> zip member path, resolved the way calamine resolves it (workbook.xml, its relationships,
    'xl/' put in front). The extent check must scan the very member that calamine then parses, so a workbook
    that could be read two ways (another sheet list than calamine's, a name or an attribute twice) is refused."""
    try:
        targets = {a.get(b"Id"): a.get(b"Target", b"").decode("utf-8", "replace")
                   for a in _elements(zf.read("xl/_rels/workbook.xml.rels"), b"Relationship")}
        sheets = []
        for a in _elements(zf.read("xl/workbook.xml"), b"sheet"):
            rid = {a[k] for k in (b"r:id", b"relationships:id") if k in a}
            sheets.append((html.unescape(a.get(b"name", b"").decode("utf-8", "replace")),
                           _sheet_path(targets.get(rid.pop(), "")) if len(rid) == 1 else None))
    except KeyError:
        raise Refused(Issue("corrupt_file"))
    if [name for name, _ in sheets] != names or len(set(names)) != len(names) or \
            any(path is None for _, path in sheets):
        raise Refused(Issue("corrupt_file"))
    return dict(sheets)


def _sheet_path(target: str) -> str:
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


_ATTR = re.compile(rb'\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TAG_END = re.compile(rb'\s*/?>')


def _elements(xml: bytes, local: bytes) -> list[dict[bytes, bytes]]:
    """Attributes of every element with this local name, whatever its prefix (calamine ignores prefixes)."""
    return [_attributes(xml, m.end(), len(xml))
            for m in re.finditer(rb'<(?:[^\s/>!?:]+:)?' + local + rb'(?=[\s/>])', xml)]


def _attributes(xml: bytes, pos: int, end: int) -> dict[bytes, bytes]:
    """The attributes of the tag whose name ends at `pos`. Refused when the tag is not well-formed (an attribute
    twice, no closing '>'): XML readers differ on those, and ours must read what calamine reads."""
    attrs, n = {}, 0
    while a := _ATTR.match(xml, pos, end):
        attrs[a[1]] = a[2] if a[2] is not None else a[3]
        n, pos = n + 1, a.end()
    if len(attrs) != n or not _TAG_END.match(xml, pos, end):
        raise Refused(Issue("corrupt_file"))
    return attrs


_DIM = re.compile(rb'<dimension ref="(?:[^":]*:)?([^"]*)"')
_ERR = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"[^>]*?\bt="e"[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,9}):([A-Z]{1,3})(\d{1,9})"')
_ROW = re.compile(rb'<row\b[^>]*/>|<row\b([^>]*)>(.*?)</row>', re.S)
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,9})"')
_ROW_R = re.compile(rb'\br="(\d{1,9})"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb'<v>(.*?)</v>', re.S)
_T = re.compile(rb'<t(?:\s[^>]*)?>(.*?)</t>', re.S)
_SI = re.compile(rb'<si>(.*?)</si>|<si/>', re.S)


@dataclass
class SheetFacts:
    """What the sheet XML says without a full parse: declared last row and column (<dimension>), formula-error
    cells, merged ranges and the first HEADER_SCAN_ROWS rows as values (None when the XML is not plain enough
    to trust)."""
    last_row: int | None = None
    last_col: int | None = None
    errors: dict = field(default_factory=dict)
    merged: list = field(default_factory=list)
    head: list[list] | None = None
    hidden_cols: set = field(default_factory=set)


def _col_index(letters: bytes | str) -> int:
    col = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        col = col * 26 + ord(ch) - 64
    return col - 1


class _SharedStrings:
    """xl/sharedStrings.xml, decoded only as far as the head rows need."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf, self.items, self._iter = zf, [], None

    def get(self, i: int) -> str:
        if self._iter is None:
            try:
                self._iter = _SI.finditer(self.zf.read("xl/sharedStrings.xml"))
            except KeyError:
                self._iter = iter(())
        while len(self.items) <= i:
            m = next(self._iter, None)
            if m is None:
                raise ValueError("shared string index out of range")
            self.items.append(_xml_text(b"".join(_T.findall(m.group(1) or b""))))
        return self.items[i]


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _head_rows(xml: bytes, strings: _SharedStrings) -> list[list] | None:
    """The first rows as calamine would give them (from A1, '' for empty); None when a row or cell has no
    position attribute or a value cannot be read, so that the thorough reader takes over."""
    start = xml.find(b"<sheetData")
    if start < 0:
        return None
    rows: dict[int, dict[int, object]] = {}
    for rm in _ROW.finditer(xml, start):
        if rm.group(1) is None and rm.group(2) is None:
            continue                                    # <row .../> without cells
        rr = _ROW_R.search(rm.group(1))
        if not rr:
            return None
        r = int(rr.group(1)) - 1
        if r >= HEADER_SCAN_ROWS:
            break
        cells = rows.setdefault(r, {})
        for cm in _CELL.finditer(rm.group(2)):
            ref = _REF.search(cm.group(1))
            if not ref:
                return None
            typ = _TYPE.search(cm.group(1))
            typ = typ.group(1) if typ else b"n"
            body = cm.group(2) or b""
            v = _V.search(body)
            try:
                if typ == b"inlineStr":
                    value = _xml_text(b"".join(_T.findall(body)))
                elif v is None or typ == b"e":
                    value = ""
                elif typ == b"s":
                    value = strings.get(int(v.group(1)))
                elif typ in (b"str", b"d"):
                    value = _xml_text(v.group(1))
                elif typ == b"b":
                    value = v.group(1).strip() == b"1"
                else:
                    value = float(v.group(1))
            except ValueError:
                return None
            cells[_col_index(ref.group(1))] = value
    if not rows:
        return []
    width = max((max(c) + 1 for c in rows.values() if c), default=0)
    out = []
    for r in range(max(rows) + 1):
        row = [""] * width
        for c, value in rows.get(r, {}).items():
            row[c] = value
        out.append(row)
    return out


def _sheet_head(zf: zipfile.ZipFile, member: str, strings: _SharedStrings) -> SheetFacts:
    """Declared extent and the head rows, from the first part of the sheet XML only."""
    try:
        fh = zf.open(member)
    except KeyError:
        return SheetFacts()
    with fh:
        prefix = fh.read(1 << 16)
        m = _DIM.search(prefix[:4096])
        cols, rows = _ref(m.group(1)) if m else (0, 0)
        facts = SheetFacts(last_row=rows or None, last_col=cols or None, hidden_cols=_hidden_cols(prefix))
        if not _within(rows, cols):
            return facts
        chunks, size, chunk = [prefix], len(prefix), prefix
        while _last_row_number(chunk) <= HEADER_SCAN_ROWS and b"</sheetData>" not in chunk \
                and size < (64 << 20):
            chunk = fh.read(1 << 18)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    facts.head = _head_rows(b"".join(chunks), strings)
    return facts


_COL_TAG = re.compile(rb'<col\b([^>]*)/?>')
_NUM_ATTR = re.compile(rb'\b(min|max)="(\d{1,5})"')


def _hidden_cols(prefix: bytes) -> set[int]:
    """Columns the sheet hides (<cols><col min max hidden="1">), 0-based; only the sheet's first part is read."""
    end = prefix.find(b"<sheetData")
    out: set[int] = set()
    for m in _COL_TAG.finditer(prefix, 0, end if end > 0 else len(prefix)):
        if b'hidden="1"' in m.group(1) or b'hidden="true"' in m.group(1):
            nums = dict(_NUM_ATTR.findall(m.group(1)))
            lo, hi = int(nums.get(b"min", 0)), int(nums.get(b"max", 0))
            if 1 <= lo <= hi <= MAX_COLS:
                out.update(range(lo - 1, hi))
    return out


_ROW_TAG = re.compile(rb'<row\b[^>]*?\br="(\d{1,9})"')


def _last_row_number(chunk: bytes) -> int:
    """Highest row number among the row tags near the end of a chunk of sheet XML (0 if none)."""
    return max((int(m) for m in _ROW_TAG.findall(chunk[-16384:])), default=0)


@dataclass
class _Handover:
    """Between `_sheet_scan` inflating a sheet in a thread and `_Extent.read` checking it in the calling one."""
    pieces: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    checked: threading.Event = field(default_factory=threading.Event)
    refused: bool = False


def _sheet_scan(data: bytes, member: str, hand: _Handover) -> tuple[list, dict]:
    """Inflates one sheet's XML once (which also checks its CRC) and hands each chunk to the extent check, then,
    once the check has passed, finds the merged ranges and formula-error cells in the chunks. Runs in a thread:
    zlib and the extent check's RE2 do not hold the GIL, so they overlap, and the rest overlaps the parser."""
    chunks = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(member) as fh:
            while not hand.refused and (chunk := fh.read(CHUNK)):
                chunks.append(chunk)
                hand.pieces.put(chunk)
    except Exception as exc:  # noqa: BLE001 - handed over: the extent check refuses the file
        hand.pieces.put(exc)
        return [], {}
    hand.pieces.put(None)
    hand.checked.wait()                            # taking the GIL meanwhile would slow the check down
    errors, merged, tail = {}, [], b""
    for chunk in () if hand.refused else chunks:
        buf, start = tail + chunk, len(tail)       # a match ending in the tail was found in the previous chunk
        if b't="e"' in buf:
            for em in _ERR.finditer(buf):
                if em.end() > start:
                    errors[(int(em.group(2)) - 1, _col_index(em.group(1)))] = em.group(3).decode()
        if b"<mergeCell " in buf:
            merged += [((int(a[1]) - 1, _col_index(a[0])), (int(a[3]) - 1, _col_index(a[2])))
                       for a in (m.groups() for m in _MERGE.finditer(buf) if m.end() > start)]
        tail = buf[-(1 << 16):]                    # longer than any formula Excel allows
    return merged, errors


# --- the real extent of a sheet --------------------------------------------------------------------------
# calamine and fastexcel allocate rows x columns from A1 to the farthest cell, whatever <dimension> says: one
# stray cell at XFD1048576 asks for 512 GiB and aborts the process (no exception to catch). So the XML of
# every sheet they load is scanned first, a chunk at a time, for the farthest row and column.

def _within(rows: int, cols: int) -> bool:
    return rows <= MAX_ROWS + HEADER_SCAN_ROWS and cols <= MAX_COLS and rows * cols <= MAX_CELLS


def _check_extent(rows: int, cols: int, sheet: str) -> None:
    """Refuses a sheet reaching row `rows` or column `cols` past the limits, naming the far corner (the cell
    that Ctrl+End in Excel goes to)."""
    if _within(rows, cols):
        return
    cell = f"{col_letter(max(cols, 1) - 1)}{rows}"
    if rows > MAX_ROWS + HEADER_SCAN_ROWS or cols > MAX_COLS:
        raise Refused(Issue("sheet_too_large", sheet=sheet, cell=cell, params={
            "rows": rows, "cols": cols, "max_rows": MAX_ROWS, "max_cols": MAX_COLS}))
    raise Refused(Issue("too_many_cells", sheet=sheet, cell=cell, params={
        "rows": rows, "cols": cols, "max": MAX_CELLS}))


def _check_declared(facts: SheetFacts, sheet: str) -> None:
    """The extent the sheet declares (<dimension>), before reading the rest: a long extract is refused as
    too many rows, anything else like a real extent past the limits."""
    rows, cols = facts.last_row or 0, facts.last_col or 0
    if rows > MAX_ROWS + HEADER_SCAN_ROWS and cols <= MAX_COLS:
        raise Refused(Issue("too_many_rows", params={"rows": rows, "max": MAX_ROWS}))
    _check_extent(rows, cols, sheet)


_REF_PARTS = re.compile(rb'([A-Za-z]*)(\d*)')


def _ref(value: bytes) -> tuple[int, int]:
    """(column, row) numbers of a reference as calamine reads it ('xfd010' is XFD10): 0 for a missing part,
    past every limit for an absurdly long one."""
    letters, digits = _REF_PARTS.match(value).groups()
    return (_col_index(letters.upper()) + 1 if len(letters) <= 4 else 1 << 40,
            int(digits) if len(digits) <= 12 else 1 << 40)


@functools.lru_cache(maxsize=64)
def _odd_pattern(cols: int, rows: int) -> str:
    """RE2 pattern for any row or cell tag but a plain `<c r="B7"` or `<row r="7"` within `cols` x `rows`: a
    farther reference, no r, r written another way (quotes, case, spaces, leading zero, not first, twice).
    Written as the prefixes that decide it, as RE2 has no lookahead; every branch starts with '<', which RE2
    finds with memchr (a prefixed tag, `<x:c`, is looked for apart, by its ':')."""
    col, row = col_letter(cols - 1), str(rows)
    k, n = len(col), len(row)
    far_col = [f"[A-Z]{{{k + 1}}}"] + [f"{col[:i]}[{chr(ord(c) + 1)}-Z][A-Z]{{{k - i - 1}}}"
                                       for i, c in enumerate(col) if c < "Z"]
    far_row = [f"[1-9][0-9]{{{n}}}", f'[1-9][0-9]{{0,{n - 1}}}[^0-9"]'] + \
        [f"{row[:i]}[{int(d) + 1}-9][0-9]{{{n - i - 1}}}" for i, d in enumerate(row) if d < "9"]
    cell = "|".join(["[^A-Z]", *far_col, f"[A-Z]{{1,{k}}}(?:[^1-9A-Z]|{'|'.join(far_row)})"])
    again = r'''"(?:[^>"']|"[^"]*"|'[^']*')*\sr\s*='''          # a second r later in the tag
    return (f'<c(?:[\\t\\n\\r/>]| (?:[^r]|r[^=]|r=[^"]|r="(?:{cell}|[A-Z]+[0-9]+{again})))'
            f'|<row(?:[\\t\\n\\r/>]| (?:[^r]|r[^=]|r=[^"]|r="(?:[^1-9]|{"|".join(far_row)}|[0-9]+{again})))')


_PREFIXED = r':(?:c|row)[\t\n\r />]'


def _count(pattern: str, buf: bytes, end: int) -> int:
    """Matches of an RE2 pattern in buf[:end]: pyarrow's kernel, one pass of a DFA, without the GIL."""
    arr = pa.Array.from_buffers(pa.binary(), 1, [None, pa.py_buffer(np.array([0, end], np.int32)),
                                                 pa.py_buffer(buf)])
    return pac.count_substring_regex(arr, pattern)[0].as_py()


_PLAIN_ROW = re.compile(rb'<row r="(\d{1,9})"')
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d{1,9}"')
_ANY_TAG = re.compile(rb'<(?:[^\s/>!?:]+:)?(row|c)(?=[\s/>])')


class _Extent:
    """Farthest row and column of one sheet, from its XML in chunks. A chunk is checked in one RE2 pass against
    the farthest cell so far and the chunk's last row (rows come in order, so in an ordinary extract nothing
    matches); only a chunk where something does is walked tag by tag. Refused as soon as a limit is passed."""

    def __init__(self, sheet: str):
        self.sheet, self.rows, self.cols, self.row, self.col, self.carry = sheet, 0, 0, 0, 0, b""

    def read(self, hand: _Handover) -> None:
        """Consumes the chunks `_sheet_scan` inflates, and tells it whether to go on."""
        try:
            while (piece := hand.pieces.get()) is not None:
                if isinstance(piece, Exception):
                    raise Refused(Issue("corrupt_file", params={"detail": str(piece)[:120]}))
                self.feed(piece)
        except BaseException:
            hand.refused = True
            raise
        finally:
            hand.checked.set()

    def feed(self, chunk: bytes) -> None:
        """The next chunk of the sheet XML, its tags checked whole (a tag cut at the end waits for the next)."""
        buf = self.carry + chunk
        lt, gt = buf.rfind(b"<"), buf.rfind(b">")
        end = lt if lt > gt else len(buf)
        self.carry = buf[end:]
        if len(self.carry) > CHUNK:
            raise Refused(Issue("corrupt_file"))   # a tag longer than a chunk is no spreadsheet
        last = buf.rfind(b'<row r="', 0, end)         # the chunk's last row, and the whole one before it
        row = _PLAIN_ROW.match(buf, last) if last >= 0 else None
        cells = [(m.start(), _col_index(m.group(1)) + 1)
                 for m in _PLAIN_CELL.finditer(buf, max(buf.rfind(b'<row r="', 0, max(last, 0)), 0), end)]
        rows = max(self.rows, int(row.group(1)) if row else 0, 1)
        cols = max(self.cols, 1, *(c for _, c in cells))
        if _count(_odd_pattern(cols, rows), buf, end) or _count(_PREFIXED, buf, end):
            self._walk(buf, end)
        else:
            self.rows, self.cols = rows, cols
            if row:
                self.row, self.col = int(row.group(1)), 0
            if cells and cells[-1][0] > last:
                self.col = cells[-1][1]
        _check_extent(self.rows, self.cols, self.sheet)

    def _walk(self, buf: bytes, end: int) -> None:
        """Every row and cell tag of the chunk, placed as calamine places them: a row without r after the
        previous row, a cell without r after the previous cell of its row."""
        for m in _ANY_TAG.finditer(buf, 0, end):
            attrs = _attributes(buf, m.end(), end)
            col, row = _ref(attrs[b"r"]) if b"r" in attrs else (0, 0)
            if m.group(1) == b"row":
                self.row, self.col = row or self.row + 1, 0
                self.rows = max(self.rows, self.row)
            else:
                self.col = col or self.col + 1
                self.rows, self.cols = max(self.rows, row or self.row), max(self.cols, self.col)


# --- header detection and the column plan -------------------------------------------------------------
@dataclass
class Context:
    """What the reader is told besides the file: an explicit mapping (the analyst's, being confirmed), a way to
    find a saved profile by header signature, and per sheet the columns the sheet hides."""
    mapping: mp.Mapping | None = None
    profile_for: object = None              # callable(signature) -> Mapping | None
    hidden: dict = field(default_factory=dict)


def _header_row(rows: list[list], spec: DatasetSpec, known: set[str]) -> int:
    """The row among the first rows that looks most like this dataset's header (-1 when none does)."""
    best, best_score = -1, 1.4
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(isinstance(v, str) and bool(v.strip()) for v in row) < 2 and \
                sum(isinstance(v, (dt.date, dt.datetime)) for v in row) < 2:
            continue
        score = mp.header_row_score(row, spec, known)
        if score > best_score:
            best, best_score = r, score
    return best


def _header_text(v) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return f"{v.month}/{v.year}"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else clean_text(str(v)).strip()


def _denominator(spec: DatasetSpec, col: str) -> str | None:
    """The count a share of `col` is a share of: the end of its numerator <= denominator chain."""
    seen, cur = {col}, col
    while (nxt := next((b for a, b in spec.not_greater if a == cur), None)) and nxt not in seen:
        seen.add(nxt)
        cur = nxt
    return cur if cur != col else None


def _plan(spec: DatasetSpec, sheet: str, head: list[list], header_idx: int, ctx: Context, out: RawUpload
          ) -> tuple[Layout, dict[int, object]]:
    """Which file column (or constant, or the period columns) each template column comes from. A saved or
    confirmed mapping decides first; otherwise only sure matches (normalised names) are taken, and the rest
    become suggestions for the mapping step. Returns the layout and the wide layout's period columns."""
    header = head[header_idx]
    headers = [_header_text(v) for v in header]
    signature = mp.signature(spec.id, header)
    m = ctx.mapping or (ctx.profile_for(signature) if ctx.profile_for else None)
    hidden = ctx.hidden.get(sheet, set())
    norms = [mp.norm(h) for h in headers]
    totals = {i for i, h in enumerate(headers) if h and norm_header(h) in TOTAL_LABELS}
    periods = {i: p for i, v in enumerate(header) if i not in totals and (p := mp.period_of(v))}
    sugg = mp.assign(spec, headers, hidden, skip=set(periods) | totals)
    layout = Layout(sheet, header_idx + 1, headers, signature, sugg)
    cols, consts = layout.columns, layout.constants
    if m is not None:
        layout.profile, layout.confirmed, layout.values = m.name, True, {k: dict(v) for k, v in m.values.items()}
        used = set()
        for col, key in m.columns.items():
            if key == mp.WIDE:
                cols[col] = mp.WIDE
                continue
            idx = next((i for i, n in enumerate(norms) if n == key and i not in used), None)
            if idx is None:
                idx = next((i for i, h in enumerate(headers) if h == key and i not in used), None)
            if idx is not None:
                cols[col] = idx
                used.add(idx)
        consts.update({k: v for k, v in m.constants.items() if k not in cols})
    taken = {i for i in cols.values() if i != mp.WIDE}
    for col, sg in sugg.items():
        if col not in cols and col not in consts and sg.sure and sg.index not in taken:
            cols[col] = sg.index
            taken.add(sg.index)
    time_col = spec.time_column
    wide: dict[int, object] = {}
    if time_col and time_col not in cols and time_col not in consts:
        kind = spec.column(time_col).kind
        mine = {i: p[1] for i, p in periods.items() if p[0] == kind} if kind == "month" else \
            {i: p[1] for i, p in periods.items() if p[0] == "year"}
        measures = [c.name for c in spec.columns if c.kind in (INT, DEC) and c.name != time_col and c.required
                    and c.name not in cols and c.name not in consts]
        wide_measure = next((c for c, k in cols.items() if k == mp.WIDE), None)
        if len(mine) >= 2 and (wide_measure or len(measures) == 1):
            wide_measure = wide_measure or measures[0]
            cols[wide_measure] = cols[time_col] = mp.WIDE
            wide = mine
            out.notes.append(Note("wide_layout", {"sheet": sheet, "n": len(mine), "row": header_idx + 1,
                                                  "first": headers[min(mine)], "last": headers[max(mine)]}))
            if totals:
                out.notes.append(Note("totals_column", {"sheet": sheet, "names": ", ".join(
                    f"{col_letter(i)} ({headers[i]})" for i in sorted(totals))}))
        else:
            found = None
            for i in [i for c, i in cols.items() if i != mp.WIDE] + list(range(len(headers))):
                p = mp.period_in_text(headers[i]) if i < len(headers) else None
                if p and (p[0] == kind or (kind == "year" and p[0] == "month")):
                    found = (p, headers[i], f"{col_letter(i)}{header_idx + 1}")
                    break
            for r in range(header_idx):
                if found:
                    break
                for v in head[r]:
                    p = mp.period_in_text(v) if isinstance(v, str) else None
                    if p and (p[0] == kind or (kind == "year" and p[0] == "month")):
                        found = (p, _header_text(v), f"{r + 1}")
                        break
            if found:
                (pk, pv), text, where = found
                consts[time_col] = pv if kind == "month" else (pv.year if pk == "month" else pv)
                out.notes.append(Note("period_from_header", {"sheet": sheet, "header": text, "where": where,
                                                             "period": str(consts[time_col])}))
    for col, idx in cols.items():
        c = spec.column(col)
        if idx == mp.WIDE or c.kind != INT or not mp.is_share(headers[idx]):
            continue
        den = _denominator(spec, col)
        if den and isinstance(cols.get(den), int) and not mp.is_share(headers[cols[den]]):
            layout.shares[col] = den
            out.notes.append(Note("share_to_count", {"sheet": sheet, "header": headers[idx],
                                                     "denominator": headers[cols[den]]}))
        else:
            out.issues.append(Issue("share_without_denominator", row=header_idx + 1, column=col, sheet=sheet,
                                    cell=f"{col_letter(idx)}{header_idx + 1}", value=headers[idx],
                                    params={"header_row": header_idx + 1,
                                            "denominator": den or "", "headers": _seen(headers)}))
    layout.missing = [c.name for c in spec.columns if c.required and c.name not in cols and c.name not in consts]
    for col in layout.missing:                    # the mapping step's default for a dimension the file lacks
        allowed = spec.column(col).extra_codes
        if mp.UNSPECIFIED in allowed or (spec.column(col).kind == INT and "0" in allowed):
            sugg[col].constant = mp.UNSPECIFIED if mp.UNSPECIFIED in allowed else "0"
    return layout, wide


def _seen(headers: list[str], limit: int = 14) -> str:
    shown = [f"'{h}'" for h in headers if h][:limit]
    more = sum(1 for h in headers if h) - len(shown)
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def _is_empty(v) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


Columns = dict  # absolute column index -> list | Coded | float array, all of the same length


def _blocks_from_rows(sheet: str, head: list[list], spec: DatasetSpec, merged_errors, out: RawUpload,
                      load, ctx: Context | None = None) -> tuple[float, Block | None, list[str]] | None:
    """Find the header in one sheet's first rows, plan the columns and cut the data block; returns (score, block,
    missing columns) and leaves the sheet's Layout on `out`. `load(header_idx, wanted columns)` gives (row count,
    columns below the header), or None when it cannot vouch for them: then this returns None and the caller
    reads the sheet the thorough way. `merged_errors()` gives the sheet's merged ranges and formula-error cells
    (it may wait for a thread)."""
    ctx = ctx or Context()
    known = set(ctx.mapping.columns.values()) if ctx.mapping else set()
    header_idx = _header_row(head, spec, known)
    required = [c.name for c in spec.columns if c.required]
    if header_idx < 0:         # no row looks like this dataset's: the first row of several texts is its header
        header_idx = next((r for r, row in enumerate(head[:HEADER_SCAN_ROWS])
                           if sum(isinstance(v, str) and bool(v.strip()) for v in row) >= 3), -1)
    if header_idx < 0:
        return 0, None, required
    layout, wide = _plan(spec, sheet, head, header_idx, ctx, out)
    out.layout = layout
    mapping = {c: i for c, i in layout.columns.items() if i != mp.WIDE}
    score = len(mapping) + len(layout.constants) + (2 if wide else 0)
    letters = {name: col_letter(i) for name, i in mapping.items()}
    if layout.missing or not out.ok:             # explained by the caller; no need to read the data
        return score, Block(sheet, [], {}, letters), layout.missing
    wanted = sorted(set(mapping.values()) | set(wide) | {0, 1, 2})
    loaded = load(header_idx, wanted)
    if loaded is None:
        return None
    n, columns = loaded
    cut_map = {**mapping, **{f"#{i}": i for i in wide}}
    measures = [i for c, i in mapping.items() if spec.column(c).kind in (INT, DEC)] + sorted(wide)
    block_rows, values, totals, table_end = _cut(n, columns, header_idx, cut_map, measures)
    cells: dict[str, list[str]] = {}
    if wide:
        block_rows, values, cells, empty = _melt(spec, block_rows, values, wide, mapping)
        letters.update({col: "" for col in cells} | {spec.time_column: ""})
        if empty:
            out.notes.append(Note("wide_empty", {"sheet": sheet, "n": empty}))
    k = len(block_rows)
    for col, value in layout.constants.items():
        values[col] = Coded(np.zeros(k, dtype=np.int64), [value])
        letters[col] = ""
    block = Block(sheet, block_rows, values, letters, cells)
    if header_idx > 0:
        out.notes.append(Note("title_rows", {"sheet": sheet, "n": header_idx, "row": header_idx + 1}))
    lang = _header_language(head[header_idx], spec)
    out.notes.append(Note(f"headers_{lang}", {"sheet": sheet}))
    if layout.profile:
        out.notes.append(Note("profile_used", {"name": layout.profile}))
    if totals:
        out.notes.append(Note("totals_row", {"sheet": sheet, "rows": ", ".join(map(str, totals))}))
    if table_end:
        out.notes.append(Note("table_end", {"sheet": sheet, "row": table_end[0], "last": table_end[1]}))
    used = set(mapping.values()) | set(wide)
    unknown = [h for i, h in enumerate(layout.headers) if h and i not in used]
    if unknown:
        out.notes.append(Note("ignored_columns", {"sheet": sheet, "names": ", ".join(unknown[:10])}))
    hidden = sorted(ctx.hidden.get(sheet, set()) & set(range(len(layout.headers))))
    if hidden:
        out.notes.append(Note("hidden_columns", {"sheet": sheet, "names": ", ".join(
            f"{col_letter(i)} ({layout.headers[i]})" + ("" if i in used else "*") for i in hidden[:10])}))
    merged, errors = merged_errors() if merged_errors else ((), {})
    for (r0, c0), (r1, c1) in merged or ():
        if r1 >= header_idx and (not table_end or r0 + 1 < table_end[0]):
            out.issues.append(Issue("merged_cells", row=r0 + 1, sheet=sheet,
                                    cell=f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"))
    by_index = {i: name for name, i in mapping.items()}
    for (r, c), val in sorted((errors or {}).items()):
        if r > header_idx and c in by_index and (not table_end or r + 1 < table_end[0]):
            out.issues.append(Issue("formula_error", row=r + 1, column=by_index[c], sheet=sheet,
                                    cell=f"{col_letter(c)}{r + 1}", value=val))
    return score, block, []


def _melt(spec: DatasetSpec, rows: list[int], values: dict, wide: dict[int, object], mapping: dict[str, int]):
    """A wide layout (one column per month or year) as rows: each row x period column, empty cells left out.
    Returns (rows, values, per-row cell letters of the measure, empty cells left out)."""
    time_col = spec.time_column
    measure = next(c.name for c in spec.columns if c.name not in mapping and c.name != time_col
                   and c.kind in (INT, DEC) and c.required)
    out_rows, idx, period, cells, meas = [], [], [], [], []
    empty = 0
    for i, p in sorted(wide.items()):
        col = values.pop(f"#{i}")
        letter = col_letter(i)
        for j, r in enumerate(rows):
            v = col[j]
            if _is_empty(v):
                empty += 1
                continue
            out_rows.append(r)
            idx.append(j)
            period.append(p)
            cells.append(f"{letter}{r}")
            meas.append(v.item() if isinstance(v, np.generic) else v)
    take = np.asarray(idx, dtype=np.int64)
    out = {name: _take(col, take) for name, col in values.items()}
    out[measure] = meas
    out[time_col] = period
    return out_rows, out, {measure: cells}, empty


def _rows_loader(rows: list[list]):
    """Columns below the header from Python rows (calamine's or the csv reader's)."""
    def load(header_idx: int, wanted: list[int]) -> tuple[int, Columns]:
        data = rows[header_idx + 1:]
        width = max((len(r) for r in data), default=0)
        if any(len(r) != width for r in data):                       # csv rows may be ragged
            data = [list(r) + [""] * (width - len(r)) for r in data]
        columns = list(zip(*data)) if data else []
        n = len(data)
        return n, {i: (columns[i] if i < width else ("",) * n) for i in wanted}
    return load


def _arrow_column(arr: pa.Array):
    """Arrow -> float array (numbers without gaps) or Coded (everything else; null becomes '' as in calamine,
    midnight timestamps become dates as in calamine)."""
    if (pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type)) and arr.null_count == 0:
        return arr.to_numpy(zero_copy_only=False).astype(float, copy=False)
    if pa.types.is_null(arr.type):
        return Coded(np.zeros(len(arr), dtype=np.int64), [""])
    enc = pac.dictionary_encode(arr)
    uniques = enc.dictionary.to_pylist()
    if pa.types.is_timestamp(arr.type):
        uniques = [u.date() if u is not None and u.time() == _MIDNIGHT else u for u in uniques]
    elif pa.types.is_integer(arr.type):
        uniques = [float(u) for u in uniques]
    codes = enc.indices.fill_null(len(uniques)).to_numpy(zero_copy_only=False).astype(np.int64)
    return Coded(codes, uniques + [""])


_MIDNIGHT = dt.time(0, 0)


def _fast_loader(book: "fastexcel.ExcelReader", sheet: str, head: list[list]):
    """Columns below the header straight from fastexcel's Arrow arrays; None when a column mixes types (the
    thorough reader then reports each odd cell) or fastexcel names a header differently than we read it."""
    def load(header_idx: int, wanted: list[int]) -> tuple[int, Columns] | None:
        keep = set(wanted)
        try:
            # strict types guessed from every row: a column that mixes numbers and text is refused here,
            # never turned into nulls (the thorough reader then names each odd cell)
            loaded = book.load_sheet(sheet, header_row=header_idx, dtype_coercion="strict",
                                     schema_sample_rows=None, use_columns=lambda col: col.absolute_index in keep)
            infos = list(loaded.selected_columns)
            batch = loaded.to_arrow()
        except Exception:   # noqa: BLE001 - fastexcel raises its own error types; the thorough path decides
            return None
        header = head[header_idx]
        for info in infos:
            i = info.absolute_index
            text = header[i] if i < len(header) else ""
            if not isinstance(text, str) or norm_header(info.name) != norm_header(text):
                if text not in ("", None) or not info.name.startswith("__UNNAMED__"):
                    return None
        if batch.schema.names != [info.name for info in infos]:
            return None
        return batch.num_rows, {info.absolute_index: _arrow_column(batch.column(k)) for k, info in enumerate(infos)}
    return load


def _marks(col, test, n: int) -> np.ndarray:
    """Rows whose value passes `test`, testing each distinct value once."""
    if isinstance(col, np.ndarray):
        return np.fromiter((test(u) for u in col), dtype=bool, count=n) if col.dtype == object \
            else np.zeros(n, dtype=bool)                       # numbers are never empty or a label
    if isinstance(col, Coded):
        return np.fromiter((test(u) for u in col.uniques), dtype=bool, count=len(col.uniques))[col.codes]
    hits = {u for u in set(col) if test(u)}
    if not hits:
        return np.zeros(n, dtype=bool)
    return np.fromiter((v in hits for v in col), dtype=bool, count=n)


def _take(col, idx: np.ndarray):
    if isinstance(col, Coded):
        return col.take(idx)
    if isinstance(col, np.ndarray):
        return col[idx]
    return [col[j] for j in idx]


def _cut(n: int, columns: Columns, header_idx: int, mapping: dict[str, int], measures: list[int] = ()
         ) -> tuple[list[int], dict[str, object], list[int], tuple[int, int] | None]:
    """Data rows below the header, column-wise (one pass per column, not per cell): drops empty rows and
    totals rows ('Yhteensä' in one of the first three columns), ends the table at an empty row followed by a row
    of text where the numbers are (a second table below), and keeps Excel row numbers."""
    picked = {name: columns[i] for name, i in mapping.items()}
    empty = np.logical_and.reduce([_marks(col, _is_empty, n) for col in picked.values()]) if picked \
        else np.zeros(n, bool)
    keep = ~empty
    is_total = np.zeros(n, dtype=bool)
    for i in (0, 1, 2):
        if i in columns:
            is_total |= _marks(columns[i], _is_total_label, n)
    excel_rows = np.arange(header_idx + 2, header_idx + 2 + n)
    table_end = None
    if empty.any() and measures:
        texty = np.ones(n, dtype=bool)          # no number where the numbers are: a title or another header
        for i in measures:
            if i in columns:
                texty &= _marks(columns[i], _no_number, n)
        gaps = np.flatnonzero(empty)
        filled = np.flatnonzero(~empty)
        for g in gaps:
            later = filled[filled > g]
            if len(later) and texty[later[0]] and (~empty[:g]).any():
                table_end = (int(excel_rows[later[0]]), int(excel_rows[g - 1]))
                keep[g:] = False
                break
    totals = excel_rows[keep & is_total].tolist()
    keep &= ~is_total
    if keep.all():
        values = {name: (col if isinstance(col, (np.ndarray, Coded)) else list(col)) for name, col in picked.items()}
    else:
        idx = np.flatnonzero(keep)
        values = {name: _take(col, idx) for name, col in picked.items()}
    return excel_rows[keep].tolist(), values, totals, table_end


_NUMBERISH = re.compile(r"^[\s\d.,\-\u2212%€()*<>x]*$")


def _no_number(u) -> bool:
    """An empty cell or a cell of words where a number belongs (a title or header of another table)."""
    if not isinstance(u, str):
        return u is None
    return not u.strip() or (not _NUMBERISH.match(u) and u.strip() not in ("..", "x", "X"))


def _is_total_label(u) -> bool:
    return isinstance(u, str) and norm_header(u) in TOTAL_LABELS


def _header_language(row: list, spec: DatasetSpec) -> str:
    fi = {norm_header(c.header_fi) for c in spec.columns}
    en = {norm_header(c.header_en) for c in spec.columns}
    cells = {norm_header(v) for v in row if not _is_empty(v)}
    return "en" if len(cells & en) > len(cells & fi) else "fi"


def _choose(found_sheets: list[tuple[str, tuple, RawUpload]], spec: DatasetSpec, out: RawUpload) -> None:
    """Keep every sheet whose header has all required columns; otherwise explain what is missing: the header row
    used, the headers seen and, per missing column, the nearest headers and why they were not taken.
    `found_sheets`: (sheet name, _blocks_from_rows result, the probe holding that sheet's notes/issues/layout)."""
    found, best_missing, scanned = [], None, []
    for name, (score, block, missing), probe in found_sheets:
        scanned.append(name)
        if block is not None and not missing:
            found.append((block, probe))
        elif block is not None and (best_missing is None or score > best_missing[0]):
            best_missing = (score, name, missing, probe)
    if not found:
        if best_missing:
            _, name, missing, probe = best_missing
            lay = probe.layout
            out.layout = lay
            out.issues.extend(i for i in probe.issues if i.code == "share_without_denominator")
            out.issues.append(Issue("missing_columns", sheet=name, row=lay.header_row if lay else None, params={
                "columns_fi": ", ".join(spec.column(c).header_fi for c in missing),
                "columns_en": ", ".join(spec.column(c).header_en for c in missing),
                "header_row": lay.header_row if lay else "", "headers": _seen(lay.headers) if lay else "",
                "nearest": [(c, [(h, sc) for h, sc in lay.suggestions[c].nearest if sc > 0][:3])
                            for c in missing] if lay else []}))
        else:
            heads = [probe.layout for *_, probe in found_sheets if probe.layout]
            out.issues.append(Issue("no_sheet", params={
                "sheets": ", ".join(scanned) or "-",
                "columns_fi": ", ".join(c.header_fi for c in spec.columns if c.required),
                "columns_en": ", ".join(c.header_en for c in spec.columns if c.required),
                "header_row": heads[0].header_row if heads else "",
                "headers": _seen(heads[0].headers) if heads else ""}))
        return
    for block, probe in found:
        out.blocks.append(block)
        out.issues.extend(probe.issues)
        out.notes.extend(probe.notes)
    out.layout = found[0][1].layout
    used = [b.sheet for b, _ in found]
    if len(found_sheets) > 1:
        out.notes.append(Note("sheets_used", {"used": ", ".join(used),
                                              "ignored": ", ".join(s for s in scanned if s not in used) or "-"}))


# --- entry point ---------------------------------------------------------------------------------------
def read_upload(data: bytes, file_name: str, spec: DatasetSpec, mapping: mp.Mapping | None = None,
                profile_for=None) -> RawUpload:
    """Never raises for a bad file: problems come back as issues on the result. `mapping`: the analyst's
    confirmed mapping; `profile_for(signature)`: the saved source profile for a header signature, if any."""
    out = RawUpload(file_name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        _read(data, file_name, spec, out, Context(mapping, profile_for))
    except Refused as r:
        out.issues.append(r.issue)
        out.blocks = []
    except Exception as exc:  # noqa: BLE001 - no file may crash the page; an unforeseen error is logged too
        if not isinstance(exc, (pc.CalamineError, zipfile.BadZipFile, EOFError, ValueError, KeyError, OSError)):
            logging.getLogger(__name__).exception("unexpected error reading %s", file_name)
        out.issues.append(Issue("corrupt_file", params={"detail": str(exc)[:120]}))
        out.blocks = []
    if out.ok and not out.n_rows and not any(i.code in ("no_sheet", "missing_columns") for i in out.issues):
        out.issues.append(Issue("no_rows"))
    _clean_names(out)
    return out


def _clean_names(out: RawUpload) -> None:
    """The file's own names (file, sheets, headers, cell texts quoted in issues) as the one text rule has them:
    they are stored in the log and shown again, so no control or bidi character gets past the reader."""
    def clean(params: dict) -> dict:
        return {k: clean_text(v) if isinstance(v, str) else v for k, v in params.items()}
    out.file_name = clean_text(out.file_name, 255)
    for block in out.blocks:
        block.sheet = clean_text(block.sheet)
    for issue in out.issues:
        issue.sheet = clean_text(issue.sheet) if issue.sheet else issue.sheet
        issue.value = clean_text(issue.value) if isinstance(issue.value, str) else issue.value
        issue.params = clean(issue.params)
    for note in out.notes:
        note.params = clean(note.params)


def _read(data: bytes, file_name: str, spec: DatasetSpec, out: RawUpload, ctx: Context) -> None:
    ext = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if len(data) == 0:
        raise Refused(Issue("empty_file"))
    if len(data) > MAX_BYTES:
        raise Refused(Issue("too_large", params={"mb": round(len(data) / 1024 / 1024, 1),
                                                  "max_mb": MAX_BYTES // (1024 * 1024)}))
    if ext in ("xlsm", "xltm", "xlam"):
        raise Refused(Issue("macro_file"))
    if data[:8] == OLE_MAGIC:
        encrypted = "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data
        raise Refused(Issue("encrypted" if encrypted else "legacy_xls"))
    if ext not in ("xlsx", "csv"):
        raise Refused(Issue("bad_extension", params={"ext": ext or "-"}))
    if ext == "csv":
        out.kind = "csv"
        return _read_csv(data, file_name, spec, out, ctx)
    out.kind = "xlsx"
    zf, _ = _check_zip(data)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    members = _sheet_members(zf, [meta.name for meta in wb.sheets_metadata])
    strings = _SharedStrings(zf)
    book = None
    results = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for meta in wb.sheets_metadata:
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet) or \
                    str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
                continue  # charts and hidden code lists are not data a person filled in
            member = members[meta.name]
            facts = _sheet_head(zf, member, strings)
            _check_declared(facts, meta.name)
            ctx.hidden[meta.name] = facts.hidden_cols
            hand = _Handover()
            scan = pool.submit(_sheet_scan, data, member, hand)
            _Extent(meta.name).read(hand)              # before calamine or fastexcel allocate for the sheet
            merged_errors = scan.result
            probe = RawUpload(out.file_name, out.sha256, out.size)
            result = None
            if FAST and facts.head is not None:
                book = book or _open_fast(data)
                if book is not None:
                    result = _blocks_from_rows(meta.name, facts.head, spec, merged_errors, probe,
                                               _fast_loader(book, meta.name, facts.head), ctx)
            if result is None:
                probe = RawUpload(out.file_name, out.sha256, out.size)
                sheet = wb.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise Refused(Issue("too_many_rows", params={"rows": len(rows), "max": MAX_ROWS}))
                result = _blocks_from_rows(meta.name, rows, spec,
                                           lambda: (sheet.merged_cell_ranges or [], merged_errors()[1]), probe,
                                           _rows_loader(rows), ctx)
            results.append((meta.name, result, probe))
    _choose(results, spec, out)
    if out.n_rows > MAX_ROWS:
        raise Refused(Issue("too_many_rows", params={"rows": out.n_rows, "max": MAX_ROWS}))


FAST = True   # tests switch the fast reader off to compare both ways on the same files


def _open_fast(data: bytes):
    try:
        return fastexcel.read_excel(data)
    except Exception:   # noqa: BLE001 - the thorough reader reports what is wrong with the file
        return None


def _read_csv(data: bytes, file_name: str, spec: DatasetSpec, out: RawUpload, ctx: Context) -> None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):          # "Unicode text" as Excel and reporting tools save it
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise Refused(Issue("corrupt_file"))
        out.notes.append(Note("encoding_utf16"))
    if data.count(b"\n") > MAX_ROWS + HEADER_SCAN_ROWS:
        raise Refused(Issue("too_many_rows", params={"rows": data.count(b"\n"), "max": MAX_ROWS}))
    if b"\x00" in data[:4096]:
        raise Refused(Issue("corrupt_file"))
    _check_csv_lines(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        out.notes.append(Note("encoding_cp1252"))
    sample = "".join(itertools.islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS))
    counts = {d: sample.count(d) for d in (";", "\t", ",")}
    delimiter = ";" if counts[";"] else max(counts, key=counts.get)
    rows = _csv_rows(text, delimiter, file_name)
    out.notes.append(Note("csv_delimiter", {"delimiter": {"\t": "tab"}.get(delimiter, delimiter)}))
    probe = RawUpload(out.file_name, out.sha256, out.size)
    _choose([(file_name, _blocks_from_rows(file_name, rows, spec, None, probe, _rows_loader(rows), ctx), probe)],
            spec, out)


def _check_csv_lines(data: bytes) -> None:
    """Refuses a line longer than MAX_CSV_LINE before the csv module splits it (5 MB of ';' would be 5 million
    fields). Jumps from line break to line break a window at a time: a few rfind calls per megabyte."""
    pos = 0
    while len(data) - pos > MAX_CSV_LINE:
        window = pos + MAX_CSV_LINE + 1
        brk = max(data.rfind(b"\n", pos, window), data.rfind(b"\r", pos, window))
        if brk < 0:
            line = max(data.count(b"\n", 0, pos), data.count(b"\r", 0, pos)) + 1
            raise Refused(Issue("csv_line_too_long", row=line, params={"row": line, "max_kb": MAX_CSV_LINE // 1024}))
        pos = brk + 1


def _csv_rows(text: str, delimiter: str, file_name: str) -> list[list[str]]:
    """The records, refused as soon as there are too many, one is too wide or the rows x columns to pad them to
    pass MAX_CELLS. Read 64 records at a time: few enough to stay small, many enough to cost nothing."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, width = [], 0
    try:
        while batch := list(itertools.islice(reader, 64)):
            if max(map(len, batch)) > MAX_COLS:
                n = len(rows) + next(i for i, r in enumerate(batch) if len(r) > MAX_COLS) + 1
                raise Refused(Issue("too_many_columns", row=n, params={
                    "row": n, "cols": max(map(len, batch)), "max_cols": MAX_COLS}))
            rows += batch
            width = max(width, *map(len, batch))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise Refused(Issue("too_many_rows", params={"rows": len(rows), "max": MAX_ROWS}))
            if len(rows) * width > MAX_CELLS:
                raise Refused(Issue("too_many_cells", sheet=file_name, params={
                    "rows": len(rows), "cols": width, "max": MAX_CELLS}))
    except csv.Error as exc:   # a field over the csv module's limit (an unclosed quote, usually), a NUL byte
        if "field larger than field limit" not in str(exc):
            raise Refused(Issue("corrupt_file", params={"detail": str(exc)[:120]}))
        again, line = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 0
        try:                   # the line the field starts on: where the quote was left open
            for _ in again:
                line = again.line_num
        except csv.Error:
            line += 1
        raise Refused(Issue("csv_field_too_long", row=line, params={
            "row": line, "max_kb": csv.field_size_limit() // 1024}))
    return rows

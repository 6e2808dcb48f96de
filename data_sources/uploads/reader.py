"""Read an analyst's .xlsx or .csv the way people really make them, after refusing files that are unsafe.

Safety first (before any parser sees the bytes): size, zip member sizes and ratios (zip bombs), macros,
encrypted or legacy OLE containers, truncated zips, too many rows. Then the header row is found below title
rows by matching Finnish/English aliases, and what was recognised is reported as notes.

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
import hashlib
import html
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pac
import python_calamine as pc

from .specs import DatasetSpec

MAX_BYTES = 50 * 1024 * 1024          # the upload itself
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # all zip members together
MAX_RATIO = 250                       # uncompressed / compressed for a big member: above this is a zip bomb
MAX_ROWS = 300_000                    # data rows per file
HEADER_SCAN_ROWS = 30
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
    column, or a float array when every cell is a number), with Excel row numbers and letters."""
    sheet: str
    rows: list[int]
    values: dict[str, object]
    letters: dict[str, str]


@dataclass
class RawUpload:
    file_name: str
    sha256: str
    size: int
    kind: str = ""
    blocks: list[Block] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

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
    try:   # CRC of every member; worksheets are read whole (and so checked) by _sheet_facts instead
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


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member path, from workbook.xml and its relationships."""
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in
                    re.finditer(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(r'<sheet\b[^>]*>', wb):
        tag = m.group(0)
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            target = targets[rid.group(1)].lstrip("/")
            out[_unescape(name.group(1))] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _unescape(s: str) -> str:
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")


_DIM = re.compile(rb'<dimension ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_ERR = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_ROW = re.compile(rb'<row\b[^>]*/>|<row\b([^>]*)>(.*?)</row>', re.S)
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_R = re.compile(rb'\br="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb'<v>(.*?)</v>', re.S)
_T = re.compile(rb'<t(?:\s[^>]*)?>(.*?)</t>', re.S)
_SI = re.compile(rb'<si>(.*?)</si>|<si/>', re.S)


@dataclass
class SheetFacts:
    """What the sheet XML says without a full parse: declared last row, formula-error cells, merged ranges
    and the first HEADER_SCAN_ROWS rows as values (None when the XML is not plain enough to trust)."""
    last_row: int | None = None
    errors: dict = field(default_factory=dict)
    merged: list = field(default_factory=list)
    head: list[list] | None = None


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
    """Declared last row and the head rows, from the first part of the sheet XML only."""
    try:
        fh = zf.open(member)
    except KeyError:
        return SheetFacts()
    with fh:
        prefix = fh.read(1 << 16)
        m = _DIM.search(prefix[:4096])
        facts = SheetFacts(last_row=int(m.group(1)) if m else None)
        if facts.last_row and facts.last_row > MAX_ROWS + HEADER_SCAN_ROWS:
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


_ROW_TAG = re.compile(rb'<row\b[^>]*?\br="(\d+)"')


def _last_row_number(chunk: bytes) -> int:
    """Highest row number among the row tags near the end of a chunk of sheet XML (0 if none)."""
    return max((int(m) for m in _ROW_TAG.findall(chunk[-16384:])), default=0)


def _sheet_scan(data: bytes, member: str) -> tuple[list, dict]:
    """Merged ranges and formula-error cells of one sheet, from its whole XML (which also checks its CRC).
    Runs in a thread beside the sheet parser: it is mostly zlib, which does not hold the GIL."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            xml = zf.read(member)
        except KeyError:
            return [], {}
    errors = {}
    if b't="e"' in xml:
        for em in _ERR.finditer(xml):
            letters, row, val = em.group(1), int(em.group(2)), em.group(3).decode()
            errors[(row - 1, _col_index(letters))] = val
    merged = []
    tail = max(xml.rfind(b"</sheetData>"), 0)
    if xml.find(b"<mergeCell ", tail) >= 0:
        merged = [((int(a[1]) - 1, _col_index(a[0])), (int(a[3]) - 1, _col_index(a[2])))
                  for a in _MERGE.findall(xml, tail)]
    return merged, errors


# --- header detection ----------------------------------------------------------------------------------
def _alias_map(spec: DatasetSpec) -> dict[str, str]:
    out = {}
    for c in spec.columns:
        for h in c.headers:
            out.setdefault(norm_header(h), c.name)
    return out


def _find_header(rows: list[list], aliases: dict[str, str]) -> tuple[int, dict[str, int], list[str]]:
    """Best header row among the first rows: (row index, spec column -> column index, unknown headers)."""
    best = (-1, {}, [])
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        unknown = []
        for c, cell in enumerate(row):
            if cell in ("", None):
                continue
            name = aliases.get(norm_header(cell))
            if name and name not in mapping:
                mapping[name] = c
            elif not name and isinstance(cell, str):
                unknown.append(cell.strip())
        if len(mapping) > len(best[1]):
            best = (r, mapping, unknown)
    return best


def _is_empty(v) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


Columns = dict  # absolute column index -> list | Coded | float array, all of the same length


def _blocks_from_rows(sheet: str, head: list[list], spec: DatasetSpec, merged_errors, out: RawUpload,
                      load) -> tuple[int, Block | None, list[str]] | None:
    """Find the header in one sheet's first rows and cut its data block; returns (score, block, missing
    columns). `load(header_idx, wanted columns)` gives (row count, columns below the header), or None when
    it cannot vouch for them: then this returns None and the caller reads the sheet the thorough way.
    `merged_errors()` gives the sheet's merged ranges and formula-error cells (it may wait for a thread)."""
    aliases = _alias_map(spec)
    header_idx, mapping, unknown = _find_header(head, aliases)
    required = [c.name for c in spec.columns if c.required]
    missing = [c for c in required if c not in mapping]
    if header_idx < 0 or len(mapping) < min(2, len(required)):
        return 0, None, missing
    letters = {name: col_letter(i) for name, i in mapping.items()}
    if missing:                                  # explained by the caller; no need to read the data
        return len(mapping), Block(sheet, [], {}, letters), missing
    loaded = load(header_idx, sorted(set(mapping.values()) | {0, 1, 2}))
    if loaded is None:
        return None
    block_rows, values, totals = _cut(*loaded, header_idx, mapping)
    block = Block(sheet, block_rows, values, letters)
    if header_idx > 0:
        out.notes.append(Note("title_rows", {"sheet": sheet, "n": header_idx, "row": header_idx + 1}))
    lang = _header_language(head[header_idx], spec)
    out.notes.append(Note(f"headers_{lang}", {"sheet": sheet}))
    if totals:
        out.notes.append(Note("totals_row", {"sheet": sheet, "rows": ", ".join(map(str, totals))}))
    if unknown:
        out.notes.append(Note("ignored_columns", {"sheet": sheet, "names": ", ".join(unknown[:10])}))
    merged, errors = merged_errors() if merged_errors else ((), {})
    for (r0, c0), (r1, c1) in merged or ():
        if r1 >= header_idx:
            out.issues.append(Issue("merged_cells", row=r0 + 1, sheet=sheet,
                                    cell=f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"))
    by_index = {i: name for name, i in mapping.items()}
    for (r, c), val in sorted((errors or {}).items()):
        if r > header_idx and c in by_index:
            out.issues.append(Issue("formula_error", row=r + 1, column=by_index[c], sheet=sheet,
                                    cell=f"{col_letter(c)}{r + 1}", value=val))
    return len(mapping), block, missing


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


def _cut(n: int, columns: Columns, header_idx: int, mapping: dict[str, int]
         ) -> tuple[list[int], dict[str, object], list[int]]:
    """Data rows below the header, column-wise (one pass per column, not per cell): drops empty rows and
    totals rows ('Yhteensä' in one of the first three columns) and keeps Excel row numbers."""
    picked = {name: columns[i] for name, i in mapping.items()}
    keep = ~np.logical_and.reduce([_marks(col, _is_empty, n) for col in picked.values()]) if picked \
        else np.ones(n, bool)
    is_total = np.zeros(n, dtype=bool)
    for i in (0, 1, 2):
        if i in columns:
            is_total |= _marks(columns[i], _is_total_label, n)
    excel_rows = np.arange(header_idx + 2, header_idx + 2 + n)
    totals = excel_rows[keep & is_total].tolist()
    keep &= ~is_total
    if keep.all():
        values = {name: (col if isinstance(col, (np.ndarray, Coded)) else list(col)) for name, col in picked.items()}
    else:
        idx = np.flatnonzero(keep)
        values = {name: _take(col, idx) for name, col in picked.items()}
    return excel_rows[keep].tolist(), values, totals


def _is_total_label(u) -> bool:
    return isinstance(u, str) and norm_header(u) in TOTAL_LABELS


def _header_language(row: list, spec: DatasetSpec) -> str:
    fi = {norm_header(c.header_fi) for c in spec.columns}
    en = {norm_header(c.header_en) for c in spec.columns}
    cells = {norm_header(v) for v in row if not _is_empty(v)}
    return "en" if len(cells & en) > len(cells & fi) else "fi"


def _choose(found_sheets: list[tuple[str, tuple, RawUpload]], spec: DatasetSpec, out: RawUpload) -> None:
    """Keep every sheet whose header has all required columns; otherwise explain what is missing.
    `found_sheets`: (sheet name, _blocks_from_rows result, the probe holding that sheet's notes/issues)."""
    found, best_missing, scanned = [], None, []
    for name, (score, block, missing), probe in found_sheets:
        scanned.append(name)
        if block is not None and not missing:
            found.append((block, probe))
        elif block is not None and (best_missing is None or score > best_missing[0]):
            best_missing = (score, name, missing)
    if not found:
        if best_missing:
            _, name, missing = best_missing
            out.issues.append(Issue("missing_columns", sheet=name, params={
                "columns_fi": ", ".join(spec.column(c).header_fi for c in missing),
                "columns_en": ", ".join(spec.column(c).header_en for c in missing)}))
        else:
            out.issues.append(Issue("no_sheet", params={
                "sheets": ", ".join(scanned) or "-",
                "columns_fi": ", ".join(c.header_fi for c in spec.columns if c.required),
                "columns_en": ", ".join(c.header_en for c in spec.columns if c.required)}))
        return
    for block, probe in found:
        out.blocks.append(block)
        out.issues.extend(probe.issues)
        out.notes.extend(probe.notes)
    used = [b.sheet for b, _ in found]
    if len(found_sheets) > 1:
        out.notes.append(Note("sheets_used", {"used": ", ".join(used),
                                              "ignored": ", ".join(s for s in scanned if s not in used) or "-"}))


# --- entry point ---------------------------------------------------------------------------------------
def read_upload(data: bytes, file_name: str, spec: DatasetSpec) -> RawUpload:
    """Never raises for a bad file: problems come back as issues on the result."""
    out = RawUpload(file_name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        _read(data, file_name, spec, out)
    except Refused as r:
        out.issues.append(r.issue)
        out.blocks = []
    except (pc.CalamineError, zipfile.BadZipFile, EOFError, ValueError, KeyError, OSError) as exc:
        out.issues.append(Issue("corrupt_file", params={"detail": str(exc)[:120]}))
        out.blocks = []
    if out.ok and not out.n_rows and not any(i.code in ("no_sheet", "missing_columns") for i in out.issues):
        out.issues.append(Issue("no_rows"))
    return out


def _read(data: bytes, file_name: str, spec: DatasetSpec, out: RawUpload) -> None:
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
        return _read_csv(data, file_name, spec, out)
    out.kind = "xlsx"
    zf, _ = _check_zip(data)
    members = _sheet_members(zf)
    strings = _SharedStrings(zf)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    book = None
    results = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for meta in wb.sheets_metadata:
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet) or \
                    str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
                continue  # charts and hidden code lists are not data a person filled in
            member = members.get(meta.name)
            facts = _sheet_head(zf, member, strings) if member else SheetFacts()
            if facts.last_row and facts.last_row > MAX_ROWS + HEADER_SCAN_ROWS:
                raise Refused(Issue("too_many_rows", params={"rows": facts.last_row, "max": MAX_ROWS}))
            scan = pool.submit(_sheet_scan, data, member) if member else None
            merged_errors = scan.result if scan else (lambda: ([], {}))
            probe = RawUpload(out.file_name, out.sha256, out.size)
            result = None
            if FAST and facts.head is not None:
                book = book or _open_fast(data)
                if book is not None:
                    result = _blocks_from_rows(meta.name, facts.head, spec, merged_errors, probe,
                                               _fast_loader(book, meta.name, facts.head))
            if result is None:
                probe = RawUpload(out.file_name, out.sha256, out.size)
                sheet = wb.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise Refused(Issue("too_many_rows", params={"rows": len(rows), "max": MAX_ROWS}))
                result = _blocks_from_rows(meta.name, rows, spec,
                                           lambda: (sheet.merged_cell_ranges or [], merged_errors()[1]), probe,
                                           _rows_loader(rows))
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


def _read_csv(data: bytes, file_name: str, spec: DatasetSpec, out: RawUpload) -> None:
    if data.count(b"\n") > MAX_ROWS + HEADER_SCAN_ROWS:
        raise Refused(Issue("too_many_rows", params={"rows": data.count(b"\n"), "max": MAX_ROWS}))
    if b"\x00" in data[:4096]:
        raise Refused(Issue("corrupt_file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        out.notes.append(Note("encoding_cp1252"))
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    counts = {d: sample.count(d) for d in (";", "\t", ",")}
    delimiter = ";" if counts[";"] else max(counts, key=counts.get)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    out.notes.append(Note("csv_delimiter", {"delimiter": {"\t": "tab"}.get(delimiter, delimiter)}))
    probe = RawUpload(out.file_name, out.sha256, out.size)
    _choose([(file_name, _blocks_from_rows(file_name, rows, spec, None, probe, _rows_loader(rows)), probe)],
            spec, out)

"""Read an analyst's .xlsx or .csv the way people really make them, after refusing files that are unsafe.

Safety first (before any parser sees the bytes): size, zip member sizes and ratios (zip bombs), macros,
encrypted or legacy OLE containers, truncated zips, too many rows. Then python-calamine reads the sheets,
the header row is found below title rows by matching Finnish/English aliases, and what was recognised
is reported as notes.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
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
class Block:
    """The data part of one sheet: raw cell values per spec column, with Excel row numbers and letters."""
    sheet: str
    rows: list[int]
    values: dict[str, list]
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
    try:
        if zf.testzip() is not None:
            raise Refused(Issue("corrupt_file"))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Refused(Issue("corrupt_file"))
    return zf, names


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


def _sheet_facts(zf: zipfile.ZipFile, member: str) -> tuple[int | None, dict[tuple[int, int], str]]:
    """Declared last row (from <dimension>, read from the first bytes only) and formula-error cells."""
    try:
        with zf.open(member) as fh:
            head = fh.read(4096)
    except KeyError:
        return None, {}
    m = _DIM.search(head)
    last_row = int(m.group(1)) if m else None
    if last_row and last_row > MAX_ROWS + HEADER_SCAN_ROWS:
        return last_row, {}
    errors: dict[tuple[int, int], str] = {}
    xml = zf.read(member)
    if b't="e"' in xml:
        for em in _ERR.finditer(xml):
            letters, row, val = em.group(1).decode(), int(em.group(2)), em.group(3).decode()
            col = 0
            for ch in letters:
                col = col * 26 + ord(ch) - 64
            errors[(row - 1, col - 1)] = val
    return last_row, errors


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


def _blocks_from_rows(sheet: str, rows: list[list], spec: DatasetSpec, merged, errors, out: RawUpload,
                      ) -> tuple[int, Block | None, list[str]]:
    """Find the header in one sheet and cut its data block; returns (score, block, missing columns)."""
    aliases = _alias_map(spec)
    header_idx, mapping, unknown = _find_header(rows, aliases)
    required = [c.name for c in spec.columns if c.required]
    missing = [c for c in required if c not in mapping]
    if header_idx < 0 or len(mapping) < min(2, len(required)):
        return 0, None, missing
    block_rows, values, totals = _cut(rows, header_idx, mapping)
    block = Block(sheet, block_rows, values, {name: col_letter(i) for name, i in mapping.items()})
    if not missing:
        if header_idx > 0:
            out.notes.append(Note("title_rows", {"sheet": sheet, "n": header_idx, "row": header_idx + 1}))
        lang = _header_language(rows[header_idx], spec)
        out.notes.append(Note(f"headers_{lang}", {"sheet": sheet}))
        if totals:
            out.notes.append(Note("totals_row", {"sheet": sheet, "rows": ", ".join(map(str, totals))}))
        if unknown:
            out.notes.append(Note("ignored_columns", {"sheet": sheet, "names": ", ".join(unknown[:10])}))
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


def _cut(rows: list[list], header_idx: int, mapping: dict[str, int]) -> tuple[list[int], dict[str, list], list[int]]:
    """Data rows below the header, column-wise (one pass per column, not per cell): drops empty rows and
    totals rows ('Yhteensä' in one of the first columns) and keeps Excel row numbers."""
    data = rows[header_idx + 1:]
    width = max((len(r) for r in data), default=0)
    if any(len(r) != width for r in data):                       # csv rows may be ragged
        data = [list(r) + [""] * (width - len(r)) for r in data]
    columns = list(zip(*data)) if data else []
    n = len(data)

    def marks(col, test) -> np.ndarray:
        """Rows whose value passes `test`, testing each distinct value once (set membership, no pandas)."""
        hits = {u for u in set(col) if test(u)}
        if not hits:
            return np.zeros(n, dtype=bool)
        return np.fromiter((v in hits for v in col), dtype=bool, count=n)

    picked = {name: (columns[i] if i < width else ("",) * n) for name, i in mapping.items()}
    keep = ~np.logical_and.reduce([marks(col, _is_empty) for col in picked.values()]) if picked else np.ones(n, bool)
    is_total = np.zeros(n, dtype=bool)
    for i in range(min(3, width)):
        is_total |= marks(columns[i], lambda u: isinstance(u, str) and norm_header(u) in TOTAL_LABELS)
    excel_rows = np.arange(header_idx + 2, header_idx + 2 + n)
    totals = excel_rows[keep & is_total].tolist()
    keep &= ~is_total
    idx = np.flatnonzero(keep)
    if len(idx) == n:
        values = {name: list(col) for name, col in picked.items()}
    else:
        values = {name: [col[j] for j in idx] for name, col in picked.items()}
    return excel_rows[keep].tolist(), values, totals


def _header_language(row: list, spec: DatasetSpec) -> str:
    fi = {norm_header(c.header_fi) for c in spec.columns}
    en = {norm_header(c.header_en) for c in spec.columns}
    cells = {norm_header(v) for v in row if not _is_empty(v)}
    return "en" if len(cells & en) > len(cells & fi) else "fi"


def _choose(sheets: list[tuple[str, list[list], object, object]], spec: DatasetSpec, out: RawUpload) -> None:
    """Keep every sheet whose header has all required columns; otherwise explain what is missing."""
    found, best_missing, scanned = [], None, []
    for name, rows, merged, errors in sheets:
        probe = RawUpload(out.file_name, out.sha256, out.size)
        score, block, missing = _blocks_from_rows(name, rows, spec, merged, errors, probe)
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
    if len(sheets) > 1:
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
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in wb.sheets_metadata:
        if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet) or str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
            continue  # charts and hidden code lists are not data a person filled in
        last_row, errors = _sheet_facts(zf, members[meta.name]) if meta.name in members else (None, {})
        if last_row and last_row > MAX_ROWS + HEADER_SCAN_ROWS:
            raise Refused(Issue("too_many_rows", params={"rows": last_row, "max": MAX_ROWS}))
        sheet = wb.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
            raise Refused(Issue("too_many_rows", params={"rows": len(rows), "max": MAX_ROWS}))
        sheets.append((meta.name, rows, sheet.merged_cell_ranges, errors))
    _choose(sheets, spec, out)
    if out.n_rows > MAX_ROWS:
        raise Refused(Issue("too_many_rows", params={"rows": out.n_rows, "max": MAX_ROWS}))


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
    _choose([(file_name, rows, None, None)], spec, out)

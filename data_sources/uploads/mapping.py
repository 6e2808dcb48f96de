"""Match a file's own headers and values to a dataset's template, the way a person would at a glance.

- Headers are compared by a normalised name: case, diacritics, punctuation, units and years in parentheses or at
  the end, 'lkm', '€' and '%' do not count ('Kiireettömät käynnit (lkm) 2025' is 'kiireettomat kaynnit').
  A normalised name equal to a template header or alias is a sure match; anything else gets a fuzzy score
  (rapidfuzz) and becomes a suggestion the analyst confirms or changes once (the mapping step).
- Headers that are periods (months or years as columns) make a wide layout: turned into rows by the reader.
- A period in a header ('Väkiluku 2025') is the period of the rows when they have none.
- Values: codes in any letter case, Finnish, Swedish and English names and common synonyms of service areas,
  channels, professions, age groups and municipalities, municipality numbers with or without leading zeros.
- What the analyst confirmed is a `Mapping` (column map, constants, value map), saved as a named source profile
  (profiles.py) under the file's header signature, and applied without a question to the next file like it.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process

from .specs import CODE, INT, DEC, MONTH, TEXT, YEAR, DatasetSpec

WIDE = "*"                   # a column map value: the measure is spread over the period columns
SURE = 100                   # score of a normalised-name match: no question asked
SUGGEST = 60                 # below this no header is offered for a column (the analyst may still pick one)
UNSPECIFIED = "unspec"       # the explicit "not specified" member of a dimension a coarser extract lacks

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PERIOD_TAIL = re.compile(r"(?:\b\d{1,2}\s*[/.]\s*)?(?:19|20)\d{2}(?:\s*[-/.]\s*\d{1,2})?\s*$")
_NOISE = {"lkm", "kpl", "eur", "euroa", "e", "pros", "prosenttia", "n", "no"}
_SHORT = {**dict.fromkeys(("vuorokausi", "vuorokauden", "vuorokaudessa", "vuorokautta", "paivan", "paivassa"), "vrk"),
          **dict.fromkeys(("kuukauden", "kuukaudessa", "kuukautta"), "kk"), "ssa": "", "ssä": "", "sta": ""}
_SHARE_WORDS = ("%", "osuus", "prosentti", "share", "percent", "andel")


def fold(text) -> str:
    """Lower case without diacritics or punctuation: 'Kiireettömät  Käynnit!' -> 'kiireettomat kaynnit'."""
    s = unicodedata.normalize("NFKD", str(text).replace("\u00a0", " ").lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[^0-9a-z+]+", " ", s)).strip()


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return norm(text)


def norm(text) -> str:
    """A header's normalised name: no parentheses, units, counts words or a period at the end."""
    s = _PAREN.sub(" ", str(text)).replace("€", " ").replace("%", " ")
    s = _PERIOD_TAIL.sub(" ", s.strip())
    words = [_SHORT.get(w, w) for w in fold(s).split() if w not in _NOISE]
    return " ".join(w for w in words if w)


def is_share(text) -> bool:
    t = str(text).lower()
    return any(w in t for w in _SHARE_WORDS)


# --- periods in headers -------------------------------------------------------------------------------
_MONTHS = {
    **{m: i + 1 for i, m in enumerate(("tammi", "helmi", "maalis", "huhti", "touko", "kesa", "heina", "elo", "syys",
                                       "loka", "marras", "joulu"))},
    **{m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"))},
    "maj": 5, "okt": 10, "mars": 3, "juni": 6, "juli": 7, "augusti": 8,
}
_M_NUM = re.compile(r"^(\d{1,2})\s*[/.]\s*((?:19|20)\d{2})$")
_M_ISO = re.compile(r"^((?:19|20)\d{2})\s*(?:-|/|m)\s*(\d{1,2})$")
_M_NAME = re.compile(r"^([a-z]+)\.?\s*((?:19|20)\d{2})$")
_M_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})$")
_YEAR = re.compile(r"^(?:vuosi |year |ar )?((?:19|20)\d{2})$")
_ANY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*[/.]\s*((?:19|20)\d{2})(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def period_of(cell) -> tuple[str, object] | None:
    """('month', date) or ('year', int) when a header cell is a period: 11/2026, 2026-11, 2026M11,
    'marraskuu 2026', 'Nov 2026', a date cell, or a year alone (2025, 'Vuosi 2025')."""
    if isinstance(cell, (dt.date, dt.datetime)):
        return "month", dt.date(cell.year, cell.month, 1)
    if isinstance(cell, float) and cell.is_integer() and 1990 <= cell <= 2100:
        return "year", int(cell)
    if not isinstance(cell, str):
        return None
    s = unicodedata.normalize("NFKD", cell.strip().lower())
    s = re.sub(r"\s+", " ", "".join(ch for ch in s if not unicodedata.combining(ch)))
    if m := _M_DMY.match(s):
        cell = dt.date(int(m[3]), int(m[2]), 1) if 1 <= int(m[2]) <= 12 else None
        return ("month", cell) if cell else None
    try:
        if m := _M_NUM.match(s):
            return "month", dt.date(int(m[2]), int(m[1]), 1)
        if m := _M_ISO.match(s):
            return "month", dt.date(int(m[1]), int(m[2]), 1)
        if m := _M_NAME.match(s):
            word = m[1]
            month = next((n for stem, n in _MONTHS.items() if word.startswith(stem)), None)
            if month:
                return "month", dt.date(int(m[2]), month, 1)
        if m := _YEAR.match(s):
            return "year", int(m[1])
    except ValueError:
        return None
    return None


def period_in_text(text) -> tuple[str, object] | None:
    """A period named inside a header or title ('Toteuma 2025', 'Käynnit 11/2026'): the month if one is named,
    else the year; None when there is none or more than one year."""
    s = str(text)
    if m := _ANY_MONTH.search(s):
        try:
            return "month", dt.date(int(m[2]), int(m[1]), 1)
        except ValueError:
            return None
    for word in fold(s).split():
        month = next((n for stem, n in _MONTHS.items() if len(word) >= 4 and word.startswith(stem)), None)
        years = _ANY_YEAR.findall(s)
        if month and len(years) == 1:
            return "month", dt.date(int(years[0]), month, 1)
    years = set(_ANY_YEAR.findall(s))
    if len(years) == 1:
        return "year", int(years.pop())
    return None


# --- header matching ------------------------------------------------------------------------------------
@dataclass
class Suggestion:
    """The best candidate of a file for one template column (or the constant to use, or nothing)."""
    column: str
    index: int | None = None          # the file's column (0-based); None: no header chosen
    header: str = ""                  # the file's header text
    score: int = 0                    # 0-100; SURE for a normalised-name match
    constant: str | None = None       # the value every row gets (e.g. the not-specified member)
    nearest: list = field(default_factory=list)   # [(header, score)] the closest headers, best first

    @property
    def sure(self) -> bool:
        return self.score >= SURE and (self.index is not None or self.constant is not None)


@functools.lru_cache(maxsize=256)
def names(spec_column) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in (norm(h) for h in spec_column.headers) if n))


@functools.lru_cache(maxsize=16384)
def name_score(header_norm: str, spec_column) -> int:
    """How like the column's names a normalised header is (SURE when equal to one)."""
    if not header_norm:
        return 0
    best = 0
    for n in names(spec_column):
        if header_norm == n:
            return SURE
        s = max(fuzz.ratio(header_norm, n), fuzz.token_sort_ratio(header_norm, n))
        hw, nw = set(header_norm.split()), set(n.split())
        if nw <= hw and (len(nw) > 1 or len(n) >= 6):
            s = max(s, 88 - 3 * len(hw - nw))          # all the name's words, and a few more
        elif hw <= nw and len(header_norm) >= 4:
            s = max(s, 80 - 5 * len(nw - hw))          # a shorter form of the name
        hn, nn = _numbers(header_norm), _numbers(n)
        if nn and hn == nn:
            s = max(s, 75 + 5 * len(hw & nw - nn))     # the same numbers (7 vrk, 14 vrk, 3 kk) decide
        elif nn and hn != nn:
            s = min(s, 50)
        best = max(best, int(round(min(s, 99))))
    return best


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def header_row_score(row: list, spec: DatasetSpec, known: set[str] = frozenset()) -> float:
    """How much a row looks like this dataset's header row: sure names 1, likely names 0.5, periods 0.3."""
    score, periods = 0.0, 0
    for cell in row:
        if not isinstance(cell, str) or not cell.strip():
            if isinstance(cell, (dt.date, dt.datetime)):
                periods += 1
            continue
        h = _norm(cell)
        if h in known:
            score += 1
            continue
        best = max((name_score(h, c) for c in spec.columns), default=0)
        score += 1 if best >= SURE else 0.5 if best >= 80 else 0
        if period_of(cell):
            periods += 1
    return score + 0.3 * min(periods, 3) if periods >= 2 else score


def assign(spec: DatasetSpec, headers: list, hidden: set[int] = frozenset(), skip: set[int] = frozenset()
           ) -> dict[str, Suggestion]:
    """Best header per template column, each header used once (highest scores first; a visible column before a
    hidden one). Also keeps the nearest headers per column for the refusal."""
    cands = []
    scores: dict[str, list] = {c.name: [] for c in spec.columns}
    for i, h in enumerate(headers):
        if i in skip or not isinstance(h, str) or not h.strip():
            continue
        hn = norm(h)
        for c in spec.columns:
            s = name_score(hn, c)
            if i in hidden:
                s = max(0, s - 15)
            scores[c.name].append((s, i, h))
            if s >= SUGGEST:
                cands.append((s, -i, c.name, i, h))
    out = {c.name: Suggestion(c.name) for c in spec.columns}
    used = set()
    for s, _, col, i, h in sorted(cands, reverse=True):
        if out[col].index is None and i not in used:
            out[col] = Suggestion(col, i, h, s)
            used.add(i)
    for col, lst in scores.items():
        out[col].nearest = [(h, s) for s, _, h in sorted(lst, key=lambda x: (-x[0], x[1]))[:3]]
    return out


def signature(dataset: str, headers: list) -> str:
    """The source's header signature: the dataset and its normalised headers in order, periods as '#'
    (next month's wide file has other month columns but the same signature)."""
    parts = []
    for h in headers:
        if h in ("", None):
            continue
        part = "#" if period_of(h) else norm(h) or fold(h)
        if not (part == "#" and parts and parts[-1] == "#"):      # a run of period columns, however long
            parts.append(part)
    return hashlib.sha256(json.dumps([dataset, parts]).encode()).hexdigest()[:32]


@dataclass
class Mapping:
    """What an analyst confirmed for a source: spec column -> normalised file header (or WIDE), constants for
    columns the file lacks, and per column a map from the file's value (folded) to the code."""
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    name: str | None = None            # the source profile it came from

    def to_json(self) -> str:
        d = asdict(self)
        d.pop("name")
        return json.dumps(d, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, name: str | None = None) -> "Mapping":
        d = json.loads(text or "{}")
        return cls({str(k): str(v) for k, v in d.get("columns", {}).items()},
                   {str(k): str(v) for k, v in d.get("constants", {}).items()},
                   {str(k): {str(a): str(b) for a, b in v.items()} for k, v in d.get("values", {}).items()}, name)


# --- values ---------------------------------------------------------------------------------------------
# Names and common synonyms (Finnish, Swedish, English) besides the warehouse's own names (dimension tables).
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "channel": {
        "in_person": ("lähikäynti", "lähivastaanotto", "vastaanotto", "vastaanottokäynti", "käynti", "fyysinen käynti",
                      "paikan päällä", "kasvokkain", "in person", "face to face", "visit", "office visit", "besök",
                      "fysiskt besök", "mottagningsbesök"),
        "phone": ("puhelin", "puhelu", "puhelinasiointi", "puhelinkontakti", "puhelinvastaanotto", "telephone",
                  "phone call", "telefon", "telefonsamtal"),
        "video": ("videovastaanotto", "videopuhelu", "etävastaanotto", "video call", "videosamtal", "distansmottagning"),
        "chat": ("chatti", "chat-asiointi", "chat asiointi", "verkkochat", "chatt", "web chat"),
    },
    "profession": {
        "doctor": ("lääkäri", "yleislääkäri", "terveyskeskuslääkäri", "erikoislääkäri", "läkare", "physician"),
        "nurse": ("sairaanhoitaja", "hoitaja", "sjukskötare", "registered nurse"),
        "public_health_nurse": ("terveydenhoitaja", "hälsovårdare", "public health nurse"),
        "practical_nurse": ("lähihoitaja", "perushoitaja", "närvårdare", "practical nurse"),
        "psychiatric_nurse": ("psykiatrinen sairaanhoitaja", "psykiatrisk sjukskötare", "psychiatric nurse"),
        "psychologist": ("psykologi", "psykolog"),
        "dentist": ("hammaslääkäri", "tandläkare"),
        "dental_hygienist": ("suuhygienisti", "munhygienist", "dental hygienist"),
        "social_worker": ("sosiaalityöntekijä", "socialarbetare", "social worker"),
        "social_counsellor": ("sosiaaliohjaaja", "socialhandledare", "social counsellor", "social counselor"),
    },
    "service_area": {
        "primary_care": ("perusterveydenhuolto", "terveysasemat", "terveysasema", "avovastaanotto", "primärvård",
                         "hälsostation", "primary health care"),
        "dental": ("suun terveydenhuolto", "hammashoito", "hammashuolto", "tandvård", "mun- och tandvård",
                   "oral health", "oral health care", "dental"),
        "mental_substance": ("mielenterveyspalvelut", "päihdepalvelut", "mielenterveys ja päihde", "mtp",
                             "mielenterveys- ja päihdetyö", "mentalvård och missbrukarvård", "mental health"),
        "child_family": ("lapsiperhepalvelut", "perhepalvelut", "barn- och familjetjänster", "family services"),
        "social_work": ("aikuissosiaalityö", "vammaispalvelut", "socialt arbete för vuxna", "adult social work"),
        "elderly_care": ("vanhuspalvelut", "ikäihmisten palvelut", "ikääntyneet", "äldreomsorg",
                         "tjänster för äldre", "elderly care", "older people"),
        "specialist": ("erikoissairaanhoito", "esh", "specialiserad sjukvård", "specialised care",
                       "specialized care", "hospital care"),
    },
}
_UNSPEC_WORDS = ("ei tiedossa", "tuntematon", "ei määritelty", "määrittelemätön", "muu tai tuntematon", "kaikki",
                 "not specified", "unknown", "all", "ej angiven", "okänd", "unspec", "unspecified")

_AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|—|\.\.|to|till)\s*(\d{1,3})(?:\s*(?:v|vuotta|vuotiaat|år|y|years|yrs))?$")
_AGE_OVER = re.compile(r"^(?:yli\s*|över\s*|over\s*)?(\d{1,3})\s*(?:\+|-|–|v\+|\s*ja yli|\s*ja vanhemmat|\s*vuotta ja yli|"
                       r"\s*v ja yli|\s*år och äldre|\s*and over|\s*or older|\s*or over)$")


def age_group(text: str, groups: set[str]) -> str | None:
    """'0–6 v', '0 - 6 vuotta', '75 ja yli', 'yli 74', '75 år och äldre' -> the age group code."""
    s = str(text).strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    if m := _AGE_RANGE.match(s):
        code = f"{int(m[1])}-{int(m[2])}"
        return code if code in groups else None
    m = _AGE_OVER.match(s) or re.match(r"^(?:yli|över|over)\s*(\d{1,3})(?:\s*v|\s*vuotta|\s*år|\s*years)?$", s)
    if m:
        n = int(m[1]) + (1 if s.startswith(("yli", "över", "over")) else 0)
        code = f"{n}+"
        return code if code in groups else None
    return None


def municipality_number(text: str, codes: set[str]) -> str | None:
    """'77', '0077', 'KU077', '077 Jyväskylä' -> '077' when that is a code."""
    s = str(text).strip().upper()
    m = re.match(r"^(?:KU)?0*(\d{1,3})(?:\.0+)?(?:\s+\S.*)?$", s)
    if m:
        code = m[1].zfill(3)
        return code if code in codes else None
    return None


@dataclass
class Vocabulary:
    """For one column: folded name or synonym -> code, and the valid codes with names to suggest from."""
    column: str
    names: dict[str, str]
    codes: set[str]
    labels: dict[str, str]              # code -> 'code (name)' for the nearest valid values
    unspecified: bool = False

    def lookup(self, value: str) -> str | None:
        v = str(value).strip()
        if v in self.codes:
            return v
        f = fold(v)
        if f in self.names:
            return self.names[f]
        if self.column == "age_group":
            return age_group(v, self.codes)
        if self.column == "municipality_code":
            return municipality_number(v, self.codes)
        return None

    def nearest(self, value: str, n: int = 3) -> list[str]:
        """The valid values nearest to a value, as 'code (name)', best first."""
        choices = {**{k: self.labels.get(c, c) for k, c in self.names.items()},
                   **{fold(c): self.labels.get(c, c) for c in self.codes}}
        found = process.extract(fold(value), list(choices), scorer=fuzz.WRatio, limit=n * 4)
        out = []
        for key, _, _ in found:
            label = choices[key]
            if label not in out:
                out.append(label)
            if len(out) == n:
                break
        return out


def vocabularies(spec: DatasetSpec, codes: dict[str, set], dim_names: dict[str, list[tuple]]) -> dict[str, Vocabulary]:
    """A vocabulary per code column that has a code list: the codes themselves in any case, the dimension's
    names (dim_names: column -> [(code, name), ...] from the warehouse) and SYNONYMS."""
    out = {}
    for c in spec.columns:
        allowed = codes.get(c.name)
        if c.kind not in (CODE, TEXT) or (allowed is None and c.name not in SYNONYMS):
            continue
        allowed = set(allowed) if allowed is not None else set(SYNONYMS[c.name])
        words: dict[str, str] = {fold(code): code for code in allowed}
        labels = {}
        for code, name in dim_names.get(c.name, ()):
            if code in allowed and name:
                words.setdefault(fold(name), code)
                labels.setdefault(code, f"{code} ({name})")
        for code, syns in SYNONYMS.get(c.name, {}).items():
            if code in allowed:
                for s in syns:
                    words.setdefault(fold(s), code)
        unspec = UNSPECIFIED in allowed
        if unspec:
            for s in _UNSPEC_WORDS:
                words.setdefault(fold(s), UNSPECIFIED)
        out[c.name] = Vocabulary(c.name, words, allowed, labels, unspec)
    return out


def kind_fits(kind: str, values: list) -> float:
    """Share of sample values that look like the column's kind (numbers for counts, dates for months)."""
    vals = [v for v in values if v not in ("", None)]
    if not vals:
        return 1.0
    if kind in (INT, DEC, YEAR):
        ok = sum(isinstance(v, (int, float)) or bool(re.match(r"^[\s\d.,\-−%€()]+$", str(v))) for v in vals)
    elif kind == MONTH:
        ok = sum(isinstance(v, (dt.date, dt.datetime, int, float)) or bool(re.search(r"\d", str(v))) for v in vals)
    else:
        return 1.0
    return ok / len(vals)


# --- what the mapping step starts from (the page and the tests use the same) -------------------------------------
MAX_VALUE_QUESTIONS = 30


def suggested(layout) -> Mapping:
    """A reader Layout's plan plus its suggestions as a Mapping: what the mapping step's form starts from."""
    cols = {c: norm(layout.headers[i]) if i != WIDE else WIDE for c, i in layout.columns.items()}
    consts = dict(layout.constants)
    for c, sg in layout.suggestions.items():
        if c in cols or c in consts:
            continue
        if sg.index is not None and sg.score >= SUGGEST:
            cols[c] = norm(sg.header)
        elif sg.constant is not None:
            consts[c] = sg.constant
    return Mapping(cols, consts, {k: dict(x) for k, x in layout.values.items()})


def unknown_values(v) -> list[tuple[str, str]]:
    """Distinct (column, value) of a validated file's unknown codes in code and text columns, when they are its
    only errors and few enough to map by hand (the mapping step's value table)."""
    seen = list(dict.fromkeys((i.column, i.value) for i in v.issues if i.code == "unknown_code" and i.value
                              and v.spec.column(i.column).kind in (CODE, TEXT)))
    other = [i for i in v.issues if i.code != "unknown_code" and i.severity == "error"]
    return seen if seen and len(seen) <= MAX_VALUE_QUESTIONS and not other else []

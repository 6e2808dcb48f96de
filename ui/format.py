"""Numbers as a Finnish reader expects them: 1 234,5 · 80,1 % · 7 210 € (English: 1,234.5)."""
from __future__ import annotations

import math
import re

from .i18n import t

NBSP = "\u00a0"
MINUS = "\u2212"
_HYPHEN_MINUS = re.compile(r"(?<![\w.,/])-(?=\d)")
_UNIT_WORDS = sorted({w for lang in ("fi", "en") for w in (
    t("unit_sfx_pct", lang), t("unit_sfx_pp", lang), t("unit_sfx_eur", lang), t("unit_sfx_meur", lang),
    t("unit_sfx_eur_per_resident", lang), t("unit_sfx_days", lang))}, key=len, reverse=True)
_UNIT_SPACE = re.compile(r"(\d) (?=(" + "|".join(re.escape(w) + (r"\b" if w[-1].isalnum() else "")
                                                  for w in _UNIT_WORDS) + "))")       # "99 %" stays on one line
_SIGN_SPACE = re.compile(r"(^|\s)([<>≤≥]) (?=\d)")                # "> 99" too
SUPPRESSED = "<5"

DECIMALS = {"count": 0, "persons": 0, "pct": 1, "eur": 0, "eur_per_resident": 0, "per_1000": 0,
            "days": 1, "index": 2}
# the words after a number, by unit (catalogue keys); a unit not listed has none (count, persons, per_1000, index)
UNIT_SUFFIX = {"pct": "unit_sfx_pct", "eur": "unit_sfx_eur", "eur_per_resident": "unit_sfx_eur_per_resident",
               "days": "unit_sfx_days"}


def unit_suffix(unit: str, lang: str = "fi") -> str:
    """'%', '€', '€/as.', 'vrk' (English '€/res.', 'd'); '' for a unit without one."""
    key = UNIT_SUFFIX.get(unit)
    return t(key, lang) if key else ""


def fmt_number(x, decimals: int = 0, lang: str = "fi") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang != "en":
        s = s.replace(",", NBSP).replace(".", ",")
    if s.startswith("-"):
        # the minus sign U+2212, as on the charts' axes; "-0,0" is no negative number
        s = MINUS + s[1:] if s.strip("-0,.\u00a0") else s[1:]
    return s


def fmt_value(x, unit: str, lang: str = "fi", suppressed: bool = False) -> str:
    """A KPI value with its unit; suppressed small counts read "<5"."""
    if suppressed:
        return SUPPRESSED
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    decimals = DECIMALS.get(unit, 1)
    if unit == "eur" and abs(x) >= 10_000_000:
        return f"{fmt_number(x / 1e6, 1, lang)}{NBSP}{t('unit_sfx_meur', lang)}"
    n = fmt_number(x, decimals, lang)
    suffix = unit_suffix(unit, lang)
    return f"{n}{NBSP}{suffix}" if suffix else n


def eur_scale(values) -> bool:
    """Whether a column of euros is written in M€ (its largest amount is 10 M€ or more): one unit per column,
    never "−19,0 M€" above "−7 353 416 €"."""
    finite = [abs(v) for v in values if v is not None and v == v]
    return bool(finite) and max(finite) >= 10_000_000


def fmt_eur(x, millions: bool, lang: str = "fi", unit: bool = True) -> str:
    """Euros in the column's one unit: M€ with two decimals, or whole euros; `unit` False when the header says it."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    n = fmt_number(x / 1e6, 2, lang) if millions else fmt_number(x, 0, lang)
    return f"{n}{NBSP}{t('unit_sfx_meur' if millions else 'unit_sfx_eur', lang)}" if unit else n


def fmt_change(x, unit: str, lang: str = "fi") -> str:
    """Change vs a reference: percentage points for shares, per cent otherwise, always signed."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if round(x, 1) == 0:
        x = 0.0
    sign = "+" if x > 0 else "±" if x == 0 else ""
    n = fmt_number(x, 1, lang)
    return f"{sign}{n}{NBSP}{t('unit_sfx_pp' if unit == 'pct' else 'unit_sfx_pct', lang)}"


def fmt_trimmed(x, unit: str, lang: str = "fi") -> str:
    """A value with no needless decimals (a target: "35 %", "80,5 %", "0 vrk", never "35,0 %")."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    decimals = DECIMALS.get(unit, 1)
    while decimals and round(x, decimals) == round(x, decimals - 1):
        decimals -= 1
    n = fmt_number(x, decimals, lang)
    suffix = unit_suffix(unit, lang)
    return f"{n}{NBSP}{suffix}" if suffix else n


def fmt_target(x, unit: str, direction: str = "neutral", lang: str = "fi") -> str:
    """A target's value: no needless decimals ("35 %"); a target of zero on a lower-is-better indicator reads
    "enintään 0 vrk" ("at most 0 d"), never a bare "0,0 vrk"."""
    shown = fmt_trimmed(x, unit, lang)
    if x == 0 and direction == "lower":
        return t("target_at_most", lang, value=shown)
    return shown


def target_label(x, unit: str, direction: str = "neutral", lang: str = "fi") -> str:
    """A chart's target line label: "Tavoite 35 %", "Tavoite enintään 0 vrk"."""
    return f"{t('target', lang)} {fmt_target(x, unit, direction, lang)}"


def fmt_month(when, lang: str = "fi") -> str:
    """A month in the one date style of the app: "12/2025" (a date, "2025-12" or a Timestamp)."""
    import pandas as pd
    p = pd.Timestamp(str(when) + ("-01" if len(str(when)) == 7 else "")) if isinstance(when, str) else pd.Timestamp(when)
    return f"{p.month}/{p.year}"


def no_break(text: str) -> str:
    """A minus before a number becomes the minus sign U+2212, which no renderer breaks off its number
    ("vuodesta −16,5 %", never "vuodesta -" / "16,5 %"); hyphens inside words and dates stay; a unit or a
    '>' keeps to its number with a no-break space ("> 99 %" never splits)."""
    text = _UNIT_SPACE.sub("\\1" + NBSP, _HYPHEN_MINUS.sub(MINUS, text))
    return _SIGN_SPACE.sub("\\1\\2" + NBSP, text)

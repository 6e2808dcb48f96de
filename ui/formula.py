"""A KPI's formula said in words in the user's language ("Etäkontaktit ÷ kontaktit × 100; palvelualue: …"); the
SQL it compiles to is shown apart, behind a toggle, for the analyst who wants it."""
from __future__ import annotations

from metrics.registry import KPI, Registry

from .format import fmt_number
from .i18n import t

# the filter columns the registry uses, said in words; their values are named by `value_name`
FILTER_COLUMNS = ("service_area", "age_group", "channel", "profession", "kpi_id")


def value_name(column: str, value, lang: str, reg: Registry, area_names: dict[str, str]) -> str:
    """One filter value in words: a service area's name, a channel, a profession, a KPI's name; an age group as
    "18–64 v."."""
    if column == "service_area":
        return area_names.get(value, str(value))
    if column == "channel":
        return t(f"channel_{value}", lang).lower()
    if column == "profession":
        return t(f"formula_prof_{value}", lang)
    if column == "kpi_id":
        return reg[value].name(lang) if value in reg.kpis else str(value)
    if column == "age_group":
        return t("formula_age", lang, group=str(value).replace("-", "–"))
    return str(value)


def _filters_text(filt: dict, lang: str, reg: Registry, area_names: dict[str, str]) -> str:
    parts = []
    for column, values in filt.items():
        names = [value_name(column, v, lang, reg, area_names) for v in values]
        listed = names[0] if len(names) == 1 else t("formula_or", lang, first=", ".join(names[:-1]), last=names[-1])
        label = t(f"formula_col_{column}", lang) if column in FILTER_COLUMNS else column
        parts.append(f"{label}: {listed}")
    return "; ".join(parts)


def measure_words(mid: str, lang: str, reg: Registry, area_names: dict[str, str]) -> str:
    """A measure in words: its name, averaged when it is an average, monthly mean for a stock, its own filter."""
    m = reg.measures[mid]
    text = t(f"measure_{mid}", lang)
    if m.agg == "avg":
        text = t("formula_mean_of", lang, what=text)
    if m.time_agg == "mean":
        text += f" ({t('formula_monthly_mean_words', lang)})"
    if m.filter:
        text += f" ({_filters_text(m.filter, lang, reg, area_names)})"
    return text


def formula_words(k: KPI, lang: str, reg: Registry, area_names: dict[str, str]) -> str:
    """The whole formula in words: numerator ÷ denominator × multiplier, annualised, and the KPI's own filter."""
    text = measure_words(k.numerator, lang, reg, area_names)
    if k.denominator:
        text += f" ÷ {measure_words(k.denominator, lang, reg, area_names)}"
    if k.multiplier != 1:
        text += f" × {fmt_number(k.multiplier, 0, lang)}"
    if k.annualize:
        text += f", {t('formula_annualised_words', lang)}"
    text = text[:1].upper() + text[1:]
    if k.filter:
        text += f". {t('formula_limited', lang)}: {_filters_text(k.filter, lang, reg, area_names)}"
    return text + "."

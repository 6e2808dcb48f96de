"""A target verdict (metrics.targets.verdict) in words, with its traffic light: the one way every page, table,
card, board-pack caption and export says it ("12/2025: ei saavutettu, 76,8 %", then the next target)."""
from __future__ import annotations

import pandas as pd

from .format import fmt_month, fmt_number, fmt_target, fmt_value
from .i18n import month_window, t

# colour for markdown, a distinct shape (never colour alone)
LIGHT_MARK = {"green": ("green", "●"), "amber": ("orange", "▲"), "red": ("red", "■"), None: ("gray", "○")}


def _date(goal) -> str:
    return fmt_month(goal.date)


def _one(v, k, lang: str, period: bool) -> str:
    """One target's verdict: a passed one as 'date: state, value', a coming one with its probability."""
    date = _date(v.goal)
    state = t(f"vd_state_{v.state}", lang)
    value = fmt_value(v.value, k.unit, lang) if v.value is not None else "–"
    target = fmt_target(v.goal.value, k.unit, k.direction, lang)
    judged = ""
    if period:
        months = (v.start.month, v.end.month) if v.start.year == v.end.year else (1, 12)
        judged = " " + t("vd_period", lang, months=month_window(months, lang) if v.months > 1 else
                         month_window((v.end.month, v.end.month), lang), year=v.end.year, n=v.months)
    if v.past:
        if v.state == "unknown":
            return t("vd_past_unknown", lang, date=date, target=target, state=state) + judged
        return t("vd_past", lang, date=date, state=state, value=value, target=target) + judged
    if v.state == "unknown":
        return t(f"vd_future_unknown_{v.basis}", lang, date=date, target=target)
    if v.probability is None:
        return t("vd_future_trend", lang, date=date, target=target, state=state, value=value) + judged
    return t("vd_future", lang, date=date, target=target, state=state, value=value,
             p=percent(v.probability, lang)) + judged


def percent(p: float, lang: str) -> str:
    """A probability in whole per cent; never a flat 0 or 100 (a forecast is never certain)."""
    if p > 0.99:
        return "> 99"
    if p < 0.01:
        return "< 1"
    return fmt_number(round(p * 100), 0, lang)


def verdict_text(v, k, lang: str, period: bool = False) -> str:
    """The verdict in words; a passed target is said first, then the next one ('· seuraava tavoite: …').
    `period` adds which months were judged. '–' without a verdict (no target)."""
    if v is None:
        return t("vd_none", lang) if k.targets else "–"
    text = _one(v, k, lang, period)
    if v.previous is not None:
        text = f"{_one(v.previous, k, lang, period)} · {t('vd_next', lang)} {text}"
    return text


def verdict_label(v, k, lang: str) -> str:
    """For tables and files: the traffic light's shape and the words, no markup."""
    return f"{LIGHT_MARK[v.light if v else None][1]} {verdict_text(v, k, lang)}"


def verdict_markdown(v, k, lang: str, period: bool = False) -> str:
    """For captions and the forecast page's verdict panel: the shape in its colour and the words (numbers and
    names only: no user text). `period` adds which months were judged."""
    colour, shape = LIGHT_MARK[v.light if v else None]
    return f":{colour}[{shape}] {verdict_text(v, k, lang, period)}"

"""E-mails of subscriptions and alerts as text: subject, a plain-text part and an HTML part, in the subscriber's
language, numbers in its format (Finnish: 1 234,5 · 80,1 % · −4,5 %-yks.). Every text from a user or the data (a
selection's name, a display name, a place) is escaped in the HTML and kept on one line in the subject; meaning is
never in colour alone (the traffic light's shape and its word, as on the pages). Sending is the glue's
(app/subscriptions.py)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from metrics.alerts import Change
from metrics.registry import KPI

from .format import fmt_change, fmt_value, no_break
from .i18n import t
from .safe import xml_text
from .verdict import LIGHT_MARK

INK, MUTED = "#1f2933", "#52606d"
COLOUR = {"green": "#1b7f3b", "amber": "#9a5b00", "red": "#b3261e", None: "#52606d"}


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def one_line(text: str, limit: int = 200) -> str:
    """Text for a header: no line breaks or control characters (no header injection), bounded length."""
    return re.sub(r"\s+", " ", xml_text(text)).strip()[:limit]


def _e(text) -> str:
    return html.escape(xml_text(text), quote=True)


def _page(lang: str, heading: str, body: str, footer: str) -> str:
    return (f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8"><title>{_e(heading)}</title></head>'
            f'<body style="font-family:Arial,Helvetica,sans-serif;color:{INK};font-size:15px;line-height:1.45">'
            f'<h1 style="font-size:20px">{_e(heading)}</h1>{body}'
            f'<p style="color:{MUTED};font-size:13px;margin-top:24px">{footer}</p></body></html>')


def _link(url: str, label: str) -> str:
    return f'<a href="{_e(url)}">{_e(label)}</a>'


def _light_word(light: str | None, lang: str) -> str:
    words = {"green": t("mail_light_green", lang), "amber": t("mail_light_amber", lang),
             "red": t("mail_light_red", lang), None: t("mail_light_none", lang)}
    return words.get(light, words[None])


def _state(s: dict, lang: str) -> str:
    """'■ punainen: ei saavutettu' — the shape, the light's word and the verdict's words."""
    shape = LIGHT_MARK.get(s.get("light"), LIGHT_MARK[None])[1]
    return f"{shape} {_light_word(s.get('light'), lang)}: {t('vd_state_' + str(s.get('state')), lang)}"


def _value(x: float | None, side: dict, unit: str, lang: str) -> str:
    if x is None and side.get("suppressed"):
        return fmt_value(None, unit, lang, suppressed=True)
    return no_break(fmt_value(x, unit, lang))


def change_lines(c: Change, k: KPI, lang: str) -> dict:
    """The words of one change: verdict before → after, the target, value before → after and by how much."""
    before, after, judged = c.values()
    if before is None or after is None:
        by = ""
    elif k.unit == "pct":
        by = fmt_change(after - before, "pct", lang)
    else:
        sign = "+" if after > before else "±" if after == before else ""
        by = f"{sign}{fmt_value(after - before, k.unit, lang)}"
    target = c.after.get("target")
    goal = t("mail_target", lang, target=fmt_value(target, k.unit, lang),
             date=_month(c.after.get("target_date") or "")) if target is not None else ""
    return {
        "name": k.name(lang),
        "verdict": f"{_state(c.before, lang)} → {_state(c.after, lang)}",
        "before": _state(c.before, lang),
        "after": _state(c.after, lang),
        "target": no_break(goal),
        "value_label": t("mail_judged" if judged else "mail_value", lang),
        "value": no_break(f"{_value(before, c.before, k.unit, lang)} → {_value(after, c.after, k.unit, lang)}"
                          + (f" ({by})" if by else "")),
    }


def _month(date: str) -> str:
    """'2025-12' -> '12/2025'."""
    return f"{int(date[5:7])}/{date[:4]}" if re.fullmatch(r"\d{4}-\d{2}", date) else date


def alert_mail(lang: str, display: str, place: str, items: list[tuple[Change, KPI, str]], manage_url: str) -> Mail:
    """One e-mail for every KPI of a subscriber whose verdict changed: (change, KPI, link to its view)."""
    lines = [(change_lines(c, k, lang), url, c) for c, k, url in items]
    if len(lines) == 1:
        subject = t("mail_alert_subject_one", lang, name=lines[0][0]["name"],
                    state=_light_word(lines[0][2].after.get("light"), lang))
    else:
        subject = t("mail_alert_subject_many", lang, n=len(lines))
    intro = t("mail_alert_intro", lang, place=place)
    text = [t("mail_hello", lang, name=one_line(display)), "", intro, ""]
    body = [f"<p>{_e(t('mail_hello', lang, name=one_line(display)))}</p><p>{_e(intro)}</p>"]
    for words, url, c in lines:
        text += [words["name"], f"  {t('mail_verdict', lang)}: {words['verdict']}"]
        if words["target"]:
            text.append(f"  {words['target']}")
        text += [f"  {words['value_label']}: {words['value']}", f"  {t('mail_open', lang)}: {url}", ""]
        was, now = (COLOUR.get(side.get("light"), COLOUR[None]) for side in (c.before, c.after))
        body.append(
            f'<h2 style="font-size:17px;margin-bottom:4px">{_e(words["name"])}</h2><ul style="margin-top:0">'
            f'<li>{_e(t("mail_verdict", lang))}: <span style="color:{was}">{_e(words["before"])}</span> → '
            f'<strong style="color:{now}">{_e(words["after"])}</strong></li>'
            + (f'<li>{_e(words["target"])}</li>' if words["target"] else "")
            + f'<li>{_e(words["value_label"])}: {_e(words["value"])}</li>'
            f'<li>{_link(url, t("mail_open_view", lang, name=words["name"]))}</li></ul>')
    footer = t("mail_alert_footer", lang)
    text += ["--", footer, manage_url]
    return Mail(one_line(subject), "\n".join(text) + "\n",
                _page(lang, one_line(subject), "".join(body), f"{_e(footer)} {_link(manage_url, manage_url)}"))


def pack_mail(lang: str, display: str, title: str, subtitle: str, version: int, slides: int, open_url: str,
              manage_url: str, files: list[str]) -> Mail:
    """The board-pack e-mail: what is attached (PowerPoint and PDF), of which area and period, which data version."""
    subject = t("mail_pack_subject", lang, title=one_line(title, 120), period=one_line(subtitle, 80))
    intro = t("mail_pack_intro", lang, title=one_line(title), subtitle=one_line(subtitle), version=version,
              slides=slides)
    footer = t("mail_pack_footer", lang)
    text = [t("mail_hello", lang, name=one_line(display)), "", intro, "",
            f"{t('mail_attached', lang)}: {', '.join(files)}", f"{t('mail_open', lang)}: {open_url}", "", "--",
            footer, manage_url]
    body = (f"<p>{_e(t('mail_hello', lang, name=one_line(display)))}</p><p>{_e(intro)}</p>"
            f"<p>{_e(t('mail_attached', lang))}: {_e(', '.join(files))}</p>"
            f"<p>{_link(open_url, t('mail_open_dashboard', lang))}</p>")
    return Mail(one_line(subject), "\n".join(text) + "\n",
                _page(lang, one_line(subject), body, f"{_e(footer)} {_link(manage_url, manage_url)}"))

"""Real-layout extracts (issue 13), made by code: the same source data written the ways patient-record, finance
and statistics systems and people write it. Each variant makes a file for a month (or year) and gives the rows
the warehouse must end up with (codes as the warehouse has them), so that row counts and sums can be checked.

    python -m tests.upload_corpus OUT_DIR      # writes every variant's first file for a look in Excel
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import xlsxwriter

from data_sources import reference

M1, M2 = dt.date(2026, 9, 1), dt.date(2026, 10, 1)       # first file, the same source's next file
Y1, Y2 = 2024, 2025
MUNIS = reference.municipalities()
CODES = list(MUNIS.code)
NAME_FI = dict(zip(MUNIS.code, MUNIS.name_fi))
NAME_SV = dict(zip(MUNIS.code, MUNIS.name_sv))
AREA_FI = {"primary_care": "Perusterveydenhuollon vastaanotot", "dental": "Suun terveydenhuolto"}
AREA_SV = {"primary_care": "Primärvård", "dental": "Tandvård"}
AGES = ("0-6", "7-12", "13-17", "18-64", "65-74", "75+")
AGE_TEXT = {"0-6": "0–6 v", "7-12": "7-12 vuotta", "13-17": "13 - 17", "18-64": "18–64 v", "65-74": "65-74 v",
            "75+": "75 ja yli"}
CHANNEL_FI = {"in_person": "Lähikäynti", "phone": "Puhelin", "video": "Videovastaanotto", "chat": "Chatti"}
PROF_FI = {"doctor": "Lääkäri", "nurse": "Sairaanhoitaja", "dentist": "Hammaslääkäri",
           "dental_hygienist": "Suuhygienisti"}


@dataclass
class Variant:
    name: str
    dataset: str
    make: Callable                  # (period, ctx) -> (bytes, file name, expected rows as dicts)
    first: object = M1
    second: object = M2
    clicks: int = 0                 # confirmed mappings the first file needs (0 or 1)
    overrides: dict = field(default_factory=dict)    # what the analyst changes in the suggestions
    refused: str | None = None      # a refusal variant: the issue code expected (nothing stored)
    mode: str = "replace"


# --- writers ---------------------------------------------------------------------------------------------
def xlsx(rows: list[list], *, titles=(), hidden_cols=(), hidden_rows=(), sheet="Tiedot", below: list[list] = ()
         ) -> bytes:
    """An .xlsx: title rows, the table, optionally hidden columns/rows (0-based, table row indexes) and a
    second table below a blank row."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    fmt = wb.add_format({"num_format": "d.m.yyyy"})
    r0 = 0
    for r0, title in enumerate(titles):
        ws.write(r0, 0, title)
    r0 = len(titles) + (1 if titles else 0)
    for c in hidden_cols:
        ws.set_column(c, c, None, None, {"hidden": True})
    for r, row in enumerate(list(rows) + ([[]] + list(below) if below else [])):
        if r in hidden_rows:
            ws.set_row(r0 + r, None, None, {"hidden": True})
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(r0 + r, c, dt.datetime(v.year, v.month, v.day), fmt)
            elif v is not None:
                ws.write(r0 + r, c, v)
    wb.close()
    return buf.getvalue()


def csv_bytes(rows: list[list], sep=";", encoding="utf-8") -> bytes:
    text = "\r\n".join(sep.join(str(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def fi_num(x: float, decimals: int = 2) -> str:
    return f"{x:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


# --- the source data ---------------------------------------------------------------------------------------
def care(month: dt.date) -> list[dict]:
    out = []
    for i, m in enumerate(CODES):
        for j, area in enumerate(("primary_care", "dental")):
            total = 180 + 41 * i + 13 * j + month.month
            out.append(dict(month=month, municipality_code=m, service_area=area, visits_total=total,
                            visits_within_7d=int(total * (0.81 if j == 0 else 0.43)),
                            visits_within_14d=int(total * 0.9), visits_within_90d=int(total * 0.97)))
    return out


def phone(month: dt.date) -> list[dict]:
    out = []
    for i, m in enumerate(CODES[:20]):
        for area in ("primary_care", "dental"):
            calls = 900 + 17 * i + month.month
            out.append(dict(month=month, municipality_code=m, service_area=area, calls=calls,
                            answered=int(calls * 0.8), callbacks=int(calls * 0.15),
                            callback_delay_days_sum=round(calls * 0.15 * 1.25 + i / 4, 2)))
    return out


def population(year: int) -> list[dict]:
    return [dict(yr=year, municipality_code=m, age_group=a, population=1000 + 97 * i + 31 * k + year % 10)
            for i, m in enumerate(CODES[:15]) for k, a in enumerate(AGES)]


def costs(month: dt.date, ctx) -> list[dict]:
    out = []
    for i, m in enumerate(CODES[:6]):
        for k, cls in enumerate(ctx["classes"][:3]):
            for n, acc in enumerate(ctx["accounts"][:2]):
                budget = round(12000 + 517.25 * i + 101.5 * k + 7 * n + month.month, 2)
                out.append(dict(month=month, municipality_code=m, service_class=cls, cost_account=acc,
                                budget_eur=budget, actual_eur=round(budget * 1.037, 2)))
    return out


def kpi(month: dt.date, ctx) -> list[dict]:
    return [dict(kpi_id=ctx["kpi"], month=month, municipality_code=m, value=round(40 + i * 1.5 + month.month / 10, 2))
            for i, m in enumerate(CODES[:12])]


def contacts(month: dt.date, ctx) -> list[dict]:
    out = []
    for i, (sp, m, area, prof) in enumerate(ctx["points"][:12]):
        for ch in ("in_person", "phone"):
            for age in ("18-64", "75+"):
                n = 20 + 3 * i + (5 if ch == "phone" else 0) + (2 if age == "75+" else 0) + month.month
                out.append(dict(month=month, service_point_id=sp, municipality_code=m, service_area=area,
                                channel=ch, profession=prof, age_group=age, contacts=n, clients=n // 2 + 1))
    return out


def contacts_coarse(month: dt.date) -> list[dict]:
    out = []
    for i, m in enumerate(CODES[:10]):
        n = 3000 + 211 * i + month.month
        out.append(dict(month=month, service_point_id=0, municipality_code=m, service_area="unspec",
                        channel="unspec", profession="unspec", age_group="unspec", contacts=n, clients=n // 3))
    return out


# --- the variants --------------------------------------------------------------------------------------------
def _v_units(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", f"Kiireettömät käynnit (lkm) {month.year}",
            "Käynnit 7 vrk:ssa (lkm)", "Käynnit 14 vrk:ssa, lkm", f"Käynnit 3 kk:ssa {month.year}"]
    body = [[r["month"], r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body, titles=[f"Hoitotakuu {month.month}/{month.year}"]), "hoitotakuu_yksikot.xlsx", rows


def _v_long_names(month, ctx):
    rows = care(month)
    head = ["Tilastokuukausi", "Kunnan numero", "Palvelu", "Kiireettömät käynnit yhteensä",
            "Toteutunut 7 vuorokauden kuluessa", "Toteutunut 14 vuorokauden kuluessa",
            "Toteutunut 3 kuukauden kuluessa"]
    body = [[f"{month.month}/{month.year}", r["municipality_code"], r["service_area"], r["visits_total"],
             r["visits_within_7d"], r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body), "hoitotakuu_pitkat.xlsx", rows


def _v_names(month, ctx):
    rows = care(month)
    head = ["kuukausi", "KUNTA", "palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], NAME_FI[r["municipality_code"]].upper() if k % 3 == 0 else NAME_FI[r["municipality_code"]],
             AREA_FI[r["service_area"]] if k % 2 else r["service_area"].upper(), r["visits_total"],
             r["visits_within_7d"], r["visits_within_14d"], r["visits_within_90d"]] for k, r in enumerate(rows)]
    return xlsx([head] + body), "hoitotakuu_nimet.xlsx", rows


def _v_swedish(month, ctx):
    rows = care(month)
    head = ["Month", "Municipality", "Service area", "Non-urgent visits", "Visits within 7 days",
            "Visits within 14 days", "Visits within 3 months"]
    body = [[month.isoformat(), NAME_SV[r["municipality_code"]], AREA_SV[r["service_area"]], r["visits_total"],
             r["visits_within_7d"], r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body), "vardgaranti.xlsx", rows


def _v_numbers(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntanro", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], int(r["municipality_code"]) if k % 2 else f"KU{r['municipality_code']}", r["service_area"],
             r["visits_total"], r["visits_within_7d"], r["visits_within_14d"], r["visits_within_90d"]]
            for k, r in enumerate(rows)]
    return xlsx([head] + body), "hoitotakuu_kuntanumerot.xlsx", rows


def _v_shares(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa (%)",
            "Käynnit 14 vrk:ssa (%)", "Käynnit 3 kk:ssa (%)"]
    body = [[r["month"], r["municipality_code"], r["service_area"], r["visits_total"],
             *(round(100 * r[k] / r["visits_total"], 4) for k in ("visits_within_7d", "visits_within_14d",
                                                                  "visits_within_90d"))] for r in rows]
    return xlsx([head] + body), "hoitotakuu_osuudet.xlsx", rows


def _v_share_no_denominator(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Käynnit 7 vrk:ssa (%)", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], r["municipality_code"], r["service_area"], 81.5, r["visits_within_14d"],
             r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body), "hoitotakuu_vain_osuus.xlsx", []


def _v_utf16(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[f"{month.day}.{month.month}.{month.year}", r["municipality_code"], r["service_area"],
             *(r[k] for k in ("visits_total", "visits_within_7d", "visits_within_14d", "visits_within_90d"))]
            for r in rows]
    return csv_bytes([head] + body, "\t", "utf-16"), "hoitotakuu_unicode.csv", rows


def _v_cp1252(month, ctx):
    rows = phone(month)
    head = ["Kuukausi", "Kunta", "Palvelualue", "Saapuneet puhelut (kpl)", "Vastatut puhelut",
            "Takaisinsoittopyynnöt", "Takaisinsoiton viive yhteensä (vrk)"]
    body = [[f"{month.month}/{month.year}", NAME_FI[r["municipality_code"]], AREA_FI[r["service_area"]],
             fi_num(r["calls"], 0), r["answered"], r["callbacks"], fi_num(r["callback_delay_days_sum"])] for r in rows]
    return csv_bytes([head] + body, ";", "cp1252"), "puhelut_ansi.csv", rows


def _v_hidden(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi (vanha)", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa",
            "Käynnit 14 vrk:ssa", "Käynnit 3 kk:ssa"]
    body = [[r["month"], "999", r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body, hidden_cols=(1,), hidden_rows=(3, 4, 5)), "hoitotakuu_piilotetut.xlsx", rows


def _v_two_tables(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    below = [["Edellisen vuoden vertailu"], head] + [[dt.date(month.year - 1, month.month, 1), *b[1:]] for b in body[:5]]
    return xlsx([head] + body, below=below), "hoitotakuu_kaksi_taulukkoa.xlsx", rows


def _v_totals_column(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa", "Yhteensä"]
    body = [[r["month"], r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"], r["visits_total"] * 3] for r in rows]
    body.append(["Yhteensä", None, None, sum(r["visits_total"] for r in rows)])
    return xlsx([head] + body), "hoitotakuu_yhteensa.xlsx", rows


def _v_pop_wide(year, ctx):
    years = list(range(year - 2, year + 1))
    rows = [r for y in years for r in population(y)]
    head = ["Kuntakoodi", "Ikäryhmä", *map(str, years), "Yhteensä"]
    by = {(r["municipality_code"], r["age_group"], r["yr"]): r["population"] for r in rows}
    body = [[m, a, *(by[(m, a, y)] for y in years), sum(by[(m, a, y)] for y in years)]
            for m in CODES[:15] for a in AGES]
    return xlsx([head] + body, titles=["Väestö ikäryhmittäin"]), "vaesto_vuodet.xlsx", rows


def _v_pop_year_header(year, ctx):
    rows = population(year)
    head = ["Kunta", "Ikäryhmä", f"Väkiluku {year}"]
    body = [[NAME_FI[r["municipality_code"]], AGE_TEXT[r["age_group"]], r["population"]] for r in rows]
    return xlsx([head] + body), "vakiluku.xlsx", rows


def _v_kpi_wide(month, ctx):
    months = [dt.date(month.year, m, 1) for m in range(month.month - 2, month.month + 1)]
    rows = [r for m in months for r in kpi(m, ctx)]
    head = ["Mittari", "Kunta", *(f"{m.month}/{m.year}" for m in months), "Yhteensä"]
    by = {(r["municipality_code"], r["month"]): r["value"] for r in rows}
    body = [[ctx["kpi"].upper(), NAME_FI[c], *(fi_num(by[(c, m)]) for m in months),
             fi_num(sum(by[(c, m)] for m in months))] for c in CODES[:12]]
    return xlsx([head] + body), "mittari_kuukaudet.xlsx", rows


def _v_title_period(month, ctx):
    rows = care(month)
    fi_month = ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu",
                "syyskuu", "lokakuu", "marraskuu", "joulukuu"][month.month - 1]
    head = ["Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body, titles=[f"Hoitotakuun toteutuminen, {fi_month} {month.year}"]), \
        "hoitotakuu_otsikkokausi.xlsx", rows


def _v_costs(month, ctx):
    rows = costs(month, ctx)
    head = ["Kuukausi", "Kunta", "Palveluluokka", "Tili", f"Talousarvio {month.year} (€)", f"Toteuma {month.year} (€)"]
    body = [[f"{month.day}.{month.month}.{month.year}", int(r["municipality_code"]), r["service_class"].lower(),
             r["cost_account"], fi_num(r["budget_eur"]), fi_num(r["actual_eur"])] for r in rows]
    return xlsx([head] + body, titles=["Taloushallinnon raportti"]), "kustannukset.xlsx", rows


def _v_phone_english(month, ctx):
    rows = phone(month)
    head = ["Month", "Municipality code", "Service area", "Calls (n)", "Answered calls", "Callback requests",
            "Callback delay total (days)"]
    body = [[month, r["municipality_code"], r["service_area"].upper(), r["calls"], r["answered"], r["callbacks"],
             r["callback_delay_days_sum"]] for r in rows]
    return xlsx([head] + body), "phone_report.xlsx", rows


def _v_contacts_names(month, ctx):
    rows = contacts(month, ctx)
    head = ["Kuukausi", "Toimipiste", "Kuntakoodi", "Palvelualue", "Yhteystapa", "Ammattinimike", "Ikäryhmä",
            "Käynnit (lkm)", "Asiakkaat (lkm)"]
    body = [[r["month"], r["service_point_id"], r["municipality_code"], AREA_FI.get(r["service_area"], r["service_area"]),
             CHANNEL_FI[r["channel"]], PROF_FI.get(r["profession"], r["profession"]), AGE_TEXT[r["age_group"]],
             r["contacts"], r["clients"]] for r in rows]
    return xlsx([head] + body), "kontaktit_nimet.xlsx", rows


def _v_contacts_coarse(month, ctx):
    rows = contacts_coarse(month)
    head = ["Kuukausi", "Kunta", "Käyntimäärä", "Asiakasmäärä"]
    body = [[r["month"], NAME_FI[r["municipality_code"]], r["contacts"], r["clients"]] for r in rows]
    return xlsx([head] + body, titles=["Käynnit kunnittain"]), "kaynnit_kunnittain.xlsx", rows


def _v_local_value(month, ctx):
    rows = care(month)
    local = {"primary_care": "Terveysasemien vastaanotto", "dental": "Hammashoitolat"}
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], r["municipality_code"], local[r["service_area"]], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    return xlsx([head] + body), "hoitotakuu_omat_nimet.xlsx", rows


def _v_pop_ages(year, ctx):
    rows = population(year)
    head = ["Vuosi", "Kommun", "Åldersgrupp", "Väkiluku"]
    body = [[year, NAME_SV[r["municipality_code"]], AGE_TEXT[r["age_group"]].replace("ja yli", "år och äldre"),
             r["population"]] for r in rows]
    return csv_bytes([head] + body, ",", "utf-8-sig"), "befolkning.csv", rows


def _v_unrelated(month, ctx):
    head = ["Asiakasnumero", "Nimi", "Osoite", "Puhelin"]
    return xlsx([head, [1, "A", "B", "C"], [2, "D", "E", "F"]]), "asiakkaat.xlsx", []


def _v_bad_value(month, ctx):
    rows = care(month)
    head = ["Kuukausi", "Kuntakoodi", "Palvelualue", "Kiireettömät käynnit", "Käynnit 7 vrk:ssa", "Käynnit 14 vrk:ssa",
            "Käynnit 3 kk:ssa"]
    body = [[r["month"], r["municipality_code"], r["service_area"], r["visits_total"], r["visits_within_7d"],
             r["visits_within_14d"], r["visits_within_90d"]] for r in rows]
    body[4][1] = "Jyväskylää"                      # a typo the value table could map, and a wrong count
    body[6][3] = -5
    return xlsx([head] + body), "hoitotakuu_virhe.xlsx", []


VARIANTS = [
    Variant("units_years_in_headers", "care_guarantee", _v_units),
    Variant("longer_finnish_names", "care_guarantee", _v_long_names, clicks=1),
    Variant("names_and_mixed_case", "care_guarantee", _v_names),
    Variant("swedish_names_english_headers", "care_guarantee", _v_swedish),
    Variant("municipality_numbers", "care_guarantee", _v_numbers),
    Variant("shares_with_denominator", "care_guarantee", _v_shares),
    Variant("utf16_tab_csv", "care_guarantee", _v_utf16),
    Variant("cp1252_semicolon_decimal_comma", "phone", _v_cp1252),
    Variant("hidden_rows_and_columns", "care_guarantee", _v_hidden),
    Variant("two_tables_on_one_sheet", "care_guarantee", _v_two_tables),
    Variant("totals_column_and_row", "care_guarantee", _v_totals_column),
    Variant("population_years_as_columns", "population", _v_pop_wide, first=Y2, second=Y2 + 1),
    Variant("population_year_in_header", "population", _v_pop_year_header, first=Y1, second=Y2),
    Variant("kpi_months_as_columns", "kpi_series", _v_kpi_wide),
    Variant("period_in_title_row", "care_guarantee", _v_title_period),
    Variant("costs_year_in_header_decimal_comma", "costs", _v_costs),
    Variant("phone_english_units", "phone", _v_phone_english),
    Variant("contacts_names_instead_of_codes", "contacts", _v_contacts_names),
    Variant("contacts_coarse_grain", "contacts", _v_contacts_coarse, clicks=1),
    Variant("local_value_names", "care_guarantee", _v_local_value, clicks=1),
    Variant("population_swedish_csv", "population", _v_pop_ages, first=Y1, second=Y2),
    Variant("share_without_denominator", "care_guarantee", _v_share_no_denominator,
            refused="share_without_denominator"),
    Variant("unrelated_file", "care_guarantee", _v_unrelated, refused="missing_columns"),
    Variant("value_errors", "care_guarantee", _v_bad_value, refused="unknown_code"),
]


def main(out: str) -> None:
    from data_sources.engine import make_engine  # noqa: F401 - a context needs a warehouse; names only here
    Path(out).mkdir(parents=True, exist_ok=True)
    ctx = {"classes": ["PL101", "PL102", "PL201"], "accounts": ["4000", "4100"], "kpi": "kpi",
           "points": [(1, CODES[0], "primary_care", "doctor")]}
    for v in VARIANTS:
        data, name, _ = v.make(v.first, ctx)
        (Path(out) / f"{v.name}__{name}").write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus")

"""The one UI catalogue: key -> (Finnish, English). Code names stay English; users read Finnish first."""
from __future__ import annotations

LANGS = ("fi", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    "app_title": ("Johdon työpöytä", "Leadership dashboard"),
    "app_caption": ("Hyvinvointialueen tilannekuva: palvelutarve, saatavuus, kustannukset ja lapsibudjetointi",
                    "Wellbeing services county at a glance: service need, access, costs and child budgeting"),
    "language": ("Kieli", "Language"),
    "filters": ("Rajaukset", "Filters"),
    "county": ("Hyvinvointialue", "Wellbeing services county"),
    "all_counties": ("Kaikki alueet", "All counties"),
    "municipality": ("Kunta", "Municipality"),
    "all_municipalities": ("Kaikki kunnat", "All municipalities"),
    "year": ("Vuosi", "Year"),
    "months": ("Kuukaudet", "Months"),
    "period": ("Jakso", "Period"),
    "section_overview": ("Yleiskuva", "Overview"),
    "page_overview": ("Strateginen yleiskuva", "Strategic overview"),
    "overview_intro": ("Keskeiset strategiset mittarit valitulla jaksolla, muutos edellisestä vuodesta ja "
                       "vuodesta 2019 (ennen koronaa) samoilta kuukausilta sekä tavoite.",
                       "Key strategic indicators for the selected period, change from the previous year and "
                       "from 2019 (pre-covid) for the same months, and the target."),
    "target": ("Tavoite", "Target"),
    "no_target": ("ei tavoitetta", "no target"),
    "vs_prev_year": ("vs. ed. vuosi", "vs previous year"),
    "vs_2019": ("vs. 2019", "vs 2019"),
    "status_green": ("Tavoitteessa", "On target"),
    "status_amber": ("Lähellä tavoitetta", "Near target"),
    "status_red": ("Jäljessä tavoitteesta", "Behind target"),
    "status_none": ("Ei tavoitetta", "No target"),
    "suppressed_note": ("Alle 5 henkilön luvut on piilotettu tietosuojan vuoksi (<5).",
                        "Counts below 5 are hidden to protect privacy (<5)."),
    "db_down": ("Tietovarastoon ei saada yhteyttä. Yritä hetken kuluttua uudelleen tai ota yhteys "
                "ylläpitoon. Syy: {reason}",
                "The data warehouse cannot be reached. Try again shortly or contact support. Reason: {reason}"),
    "no_data": ("Valitulle rajaukselle ei ole tietoja.", "There is no data for the selected filters."),
    "trend_title": ("{name}: kehitys vuosittain ({months})", "{name}: yearly trend ({months})"),
    "chart_alt_trend": ("Viivakaavio: {name} vuosina {first}–{last}. Viimeisin arvo {value}.",
                        "Line chart: {name} in {first}-{last}. Latest value {value}."),
    "chart_alt_regions": ("Pylväskaavio: {name} kunnittain vuonna {year}. Suurin {max_name} {max}, pienin "
                          "{min_name} {min}.",
                          "Bar chart: {name} by municipality in {year}. Highest {max_name} {max}, lowest "
                          "{min_name} {min}."),
    "regions_title": ("{name} kunnittain, {period}", "{name} by municipality, {period}"),
    "select_kpi": ("Mittari", "Indicator"),
    "value": ("Arvo", "Value"),
    "source": ("Lähde", "Source"),
    "data_version": ("Tietoversio {version}, päivitetty {at}", "Data version {version}, updated {at}"),
    "table_view": ("Näytä luvut taulukkona", "Show the numbers as a table"),
    "col_year": ("Vuosi", "Year"),
    "col_municipality": ("Kunta", "Municipality"),
    "col_value": ("Arvo", "Value"),
    "col_status": ("Tila", "Status"),
}

MONTHS = {
    "fi": ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def t(key: str, lang: str = "fi", **fmt) -> str:
    fi, en = CATALOGUE[key]
    text = en if lang == "en" else fi
    return text.format(**fmt) if fmt else text


def month_window(months: tuple[int, int], lang: str = "fi") -> str:
    names = MONTHS["en" if lang == "en" else "fi"]
    a, b = months
    if (a, b) == (1, 12):
        return "koko vuosi" if lang != "en" else "full year"
    if a == b:
        return names[a - 1] + ("kuu" if lang != "en" else "")
    return f"{names[a - 1]}–{names[b - 1]}{'kuu' if lang != 'en' else ''}"

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
    "trend_word": ("Vuosikehitys:", "Yearly trend:"),
    "fact": ("Tieto", "Item"),
    # --- KPI pages (strategic, tactical, operational, deficit, detail)
    "section_kpis": ("Mittarit", "Indicators"),
    "page_strategic": ("Strateginen taso", "Strategic level"),
    "page_tactical": ("Taktinen taso", "Tactical level"),
    "page_operational": ("Operatiivinen taso", "Operational level"),
    "page_deficit": ("Palveluvelka 2019–2021", "Service deficit 2019-2021"),
    "page_detail": ("Mittarin tiedot", "Indicator details"),
    "details_link": ("Mittarin tiedot →", "Indicator details →"),
    "strategic_intro": ("Kokonaispisteet osa-alueittain, väestö, kustannukset asukasta kohden ja strategian "
                        "tavoitteet.", "Composite scores by area, population, cost per resident and strategy targets."),
    "composite_title": ("Kokonaispisteet osa-alueittain", "Composite scores by area"),
    "composite_help": ("Jokainen mittari pisteytetään 0–100: lähtötaso = 0, tavoite = 100, lineaarisesti "
                       "välillä. Osa-alueen pisteet ovat mittaripisteiden painotettu keskiarvo. Vihreä ≥ {green}, "
                       "keltainen ≥ {amber}, muuten punainen.",
                       "Each indicator is scored 0-100: baseline = 0, target = 100, linear in between. The area "
                       "score is the weighted mean of the indicator scores. Green ≥ {green}, amber ≥ {amber}, "
                       "otherwise red."),
    "composite_how": ("Näin pisteet laskettiin", "How the score was computed"),
    "score": ("Pisteet", "Score"),
    "points": ("Painotetut pisteet", "Weighted points"),
    "weight": ("Paino", "Weight"),
    "baseline": ("Lähtötaso", "Baseline"),
    "indicator": ("Mittari", "Indicator"),
    "population_by_age": ("Väestö ikäryhmittäin", "Population by age group"),
    "age_group": ("Ikäryhmä", "Age group"),
    "service_area": ("Palvelualue", "Service area"),
    "all_service_areas": ("Kaikki palvelualueet", "All service areas"),
    "all_age_groups": ("Kaikki ikäryhmät", "All age groups"),
    "cost_by_area": ("Nettokustannukset asukasta kohden palvelualueittain", "Net cost per resident by service area"),
    "strategy_targets": ("Strategian tavoitteet", "Strategy targets"),
    "on_track": ("Ennuste", "Outlook"),
    "track_on_track": ("▲ Tavoite saavutetaan nykytrendillä", "▲ On track for the target"),
    "track_off_track": ("▼ Tavoite ei toteudu nykytrendillä", "▼ Off track for the target"),
    "track_reached": ("● Tavoite saavutettu", "● Target reached"),
    "track_missed": ("■ Tavoitetta ei saavutettu määräaikaan", "■ Target missed by its date"),
    "track_none": ("–", "–"),
    "tactical_intro": ("Saatavuus, asiointikanavat, yksikkökustannukset ja hoidon jatkuvuus. Rajaa palvelualueella "
                       "ja ikäryhmällä.", "Access, channel mix, unit costs and continuity. Filter by service area "
                       "and age group."),
    "tab_access": ("Saatavuus", "Access"),
    "tab_channels": ("Asiointikanavat", "Channels"),
    "tab_unit_costs": ("Yksikkökustannukset", "Unit costs"),
    "tab_continuity": ("Jatkuvuus", "Continuity"),
    "monthly_title": ("{name} kuukausittain", "{name} by month"),
    "month": ("Kuukausi", "Month"),
    "channel": ("Kanava", "Channel"),
    "channel_in_person": ("Vastaanotto", "In person"),
    "channel_phone": ("Puhelin", "Phone"),
    "channel_video": ("Video", "Video"),
    "channel_chat": ("Chat / sähköinen asiointi", "Chat / e-service"),
    "channel_mix_title": ("Kontaktit asiointikanavittain", "Contacts by channel"),
    "share_pct": ("Osuus, %", "Share, %"),
    "contacts": ("Kontaktit", "Contacts"),
    "clients": ("Asiakkaat", "Clients"),
    "net_cost": ("Nettokustannukset", "Net cost"),
    "eur_per_contact": ("€ / kontakti", "€ per contact"),
    "eur_per_client": ("€ / asiakas", "€ per client"),
    "unit_cost_title": ("Kustannus kontaktia kohden palvelualueittain", "Cost per contact by service area"),
    "unit_cost_trend": ("Kustannus kontaktia kohden vuosittain", "Cost per contact by year"),
    "operational_intro": ("Valitun jakson viimeinen kuukausi verrattuna edelliseen kuukauteen ja vuoden takaiseen; "
                          "porautuminen kuntiin ja toimipisteisiin.", "The last month of the selected period against "
                          "the previous month and a year earlier; drill to municipalities and service points."),
    "vs_prev_month": ("vs. ed. kk", "vs previous month"),
    "last_24_months": ("{name}, 24 kuukautta", "{name}, 24 months"),
    "by_municipality": ("Kunnittain", "By municipality"),
    "service_points": ("Toimipisteiden T3 (lääkärin vastaanotto), vrk", "Service point T3 (doctor), days"),
    "service_point": ("Toimipiste", "Service point"),
    "pick_municipality": ("Valitse kunta toimipisteitä varten", "Pick a municipality for its service points"),
    "deficit_intro": ("Palveluvelka: muutos vuodesta 2019 vuoteen 2021 (%). Luvut ovat Keski-Suomen "
                      "hyvinvointialueen RRF-suunnitelmasta (2023–25); ne ovat viitetietoa, eivät tämän "
                      "tietovaraston laskelmia.", "Service deficit: change from 2019 to 2021 (%). The figures come "
                      "from the Central Finland wellbeing services county RRF plan (2023-25); they are reference "
                      "data, not computed from this warehouse."),
    "deficit_title": ("Muutos 2019 → 2021, %", "Change 2019 → 2021, %"),
    "deficit_group": ("Ryhmä", "Group"),
    "change_pct": ("Muutos, %", "Change, %"),
    "deficit_alt": ("Pylväskaavio palveluvelasta: {n} mittaria, suurin kasvu {max_name} {max}, suurin lasku "
                    "{min_name} {min}.", "Bar chart of the service deficit: {n} indicators, largest rise {max_name} "
                    "{max}, largest fall {min_name} {min}."),
    "deficit_direction": ("Suunta", "Direction"),
    "dir_up": ("▲ kasvu", "▲ rise"),
    "dir_down": ("▼ lasku", "▼ fall"),
    "detail_intro": ("Mittarin määritelmä, laskentakaava, lähde, tavoite ja luvut, joista arvo on laskettu.",
                     "The indicator's definition, formula, source, target and the numbers behind it."),
    "definition": ("Määritelmä", "Definition"),
    "formula": ("Laskentakaava", "Formula"),
    "owner": ("Vastuutaho", "Owner"),
    "level": ("Taso", "Level"),
    "level_strategic": ("Strateginen", "Strategic"),
    "level_tactical": ("Taktinen", "Tactical"),
    "level_operational": ("Operatiivinen", "Operational"),
    "unit": ("Yksikkö", "Unit"),
    "direction": ("Suunta", "Direction"),
    "direction_higher": ("Suurempi on parempi", "Higher is better"),
    "direction_lower": ("Pienempi on parempi", "Lower is better"),
    "direction_neutral": ("Ei arvosuuntaa", "No preferred direction"),
    "grains": ("Aikatasot", "Time grains"),
    "numerator": ("Osoittaja", "Numerator"),
    "denominator": ("Nimittäjä", "Denominator"),
    "suppression_rule": ("Tietosuoja: alle {n} henkilön luvut piilotetaan", "Privacy: counts below {n} are hidden"),
    "numbers_behind": ("Luvut, joista arvo on laskettu", "The numbers behind the value"),
    "grain": ("Aikataso", "Grain"),
    "grain_month": ("Kuukausi", "Month"),
    "grain_quarter": ("Vuosineljännes", "Quarter"),
    "grain_year": ("Vuosi", "Year"),
    "quarter": ("Neljännes", "Quarter"),
    "n_months": ("Kuukausia", "Months"),
    "chart_alt_monthly": ("Viivakaavio: {name} {first}–{last}, viimeisin {value}.",
                          "Line chart: {name} {first}-{last}, latest {value}."),
    "chart_alt_bars": ("Pylväskaavio: {name}. Suurin {max_name} {max}, pienin {min_name} {min}.",
                       "Bar chart: {name}. Highest {max_name} {max}, lowest {min_name} {min}."),
    "chart_alt_stack": ("Pinottu pylväskaavio: {name} kuukausittain {first}–{last}.",
                        "Stacked bar chart: {name} by month {first}-{last}."),
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

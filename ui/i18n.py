"""The one UI catalogue: key -> (Finnish, English). Code names stay English; users read Finnish first.
Every text a person reads is here and is read with t(); a missing key or format parameter never raises."""
from __future__ import annotations

import logging
from collections.abc import Mapping

LANGS = ("fi", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    "app_title": ("Johdon työpöytä", "Leadership dashboard"),
    "app_caption": ("Hyvinvointialueen tilannekuva: palvelutarve, saatavuus, kustannukset ja lapsibudjetointi",
                    "Wellbeing services county at a glance: service need, access, costs and child budgeting"),
    "language": ("Kieli", "Language"),
    "filters": ("Rajaukset", "Filters"),
    "latest_full_month": ("Viimeisin täysi kuukausi: {month}", "Latest full month: {month}"),
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
                "ylläpitoon (virhetunnus {ref}).",
                "The data warehouse cannot be reached. Try again shortly or contact support (error id {ref})."),
    "db_timeout": ("Haku kesti liian kauan ja keskeytettiin. Kokeile suppeampaa rajausta tai yritä hetken kuluttua "
                   "uudelleen (virhetunnus {ref}).",
                   "The query took too long and was stopped. Try narrower filters or try again shortly (error id {ref})."),
    "db_stale": ("Tietovarasto ei juuri nyt vastaa, joten näytetyt luvut ovat välimuistista ja tilanteesta {at} "
                 "(virhetunnus {ref}).",
                 "The data warehouse is not answering right now, so the figures shown are cached and as of {at} "
                 "(error id {ref})."),
    "no_data": ("Valitulle rajaukselle ei ole tietoja.", "There is no data for the selected filters."),
    "no_data_yet": ("Tietovarastossa ei ole vielä palvelukontakteja, joten mittareita ei voi laskea. Aineisto "
                    "ladataan sivulla Tietojen lataus.",
                    "The warehouse has no service contacts yet, so no indicator can be computed. Data is loaded on "
                    "the Data upload page."),
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
                       "kun jokainen mittari on tavoitteessaan (eikä sen tavoitearvio ole 'ei saavutettu'); "
                       "keltainen ≥ {amber}, muuten punainen.",
                       "Each indicator is scored 0-100: baseline = 0, target = 100, linear in between. The area "
                       "score is the weighted mean of the indicator scores. Green ≥ {green} when every indicator "
                       "is at its target (and its target verdict is not 'not met'); amber ≥ {amber}, "
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
    # --- child budgeting (lapsibudjetointi), issue 5
    "section_child_budget": ("Lapset ja talous", "Children and finance"),
    "page_child_budget": ("Lapsibudjetointi", "Child budgeting"),
    "cb_intro": ("Kuinka suuri osa nettokustannuksista kohdistuu lapsiin (0–17 v.), kuinka paljon siitä on "
                 "ennaltaehkäisevää ja kasvaako osuus. Jokainen luku johtuu kustannusriveistä, luokituksesta ja "
                 "kohdennusavaimista, jotka näkyvät alla.",
                 "How much of the net cost goes to children (0-17), how much of it is preventive, and is it "
                 "growing. Every figure follows from the cost lines, the classification and the allocation keys "
                 "shown below."),
    "cb_saved": ("Luokitus tallennettu versiona {version}. Luvut on laskettu uudelleen.",
                 "Classification saved as version {version}. The figures have been recalculated."),
    "cb_child_share": ("Lapsiin kohdistuva osuus", "Child share of net cost"),
    "cb_child_share_help": ("Lapsiin kohdistuvat kustannukset (suorat + osittaiset × kohdennusavain) jaettuna "
                            "kaikilla nettokustannuksilla.",
                            "Child spending (direct + partial × allocation key) divided by all net costs."),
    "cb_eur_per_child": ("Euroa lasta kohden", "Euros per child"),
    "cb_eur_per_child_help": ("Lapsiin kohdistuvat kustannukset vuositasolle muutettuna jaettuna 0–17-vuotiaiden "
                              "määrällä.", "Child spending, annualised, divided by the number of 0-17-year-olds."),
    "cb_preventive_share": ("Ennaltaehkäisevän osuus", "Preventive share"),
    "cb_preventive_help": ("Ennaltaehkäisevien palvelujen osuus lapsiin kohdistuvista kustannuksista. Tavoite: "
                           "osuus kasvaa (rakennesuunnitelma, työpaketti 3B).",
                           "Preventive services as a share of child spending. Goal: the share grows "
                           "(work package 3B)."),
    "cb_child_spending": ("Lapsiin käytetty", "Child spending"),
    "cb_child_spending_help": ("Toteutuneet lapsiin kohdistuvat nettokustannukset valitulla jaksolla; muutos "
                               "kertoo eron talousarvion vastaavaan osuuteen.",
                               "Actual child spending in the selected period; the change is the difference from "
                               "the budget's child spending."),
    "cb_vs_budget": ("vs. talousarvio", "vs budget"),
    "cb_goal": ("Tavoite: ennaltaehkäisevän osuus kasvaa", "Goal: the preventive share grows"),
    "cb_goal_met": ("toteutuu", "met"),
    "cb_goal_not_met": ("ei toteudu", "not met"),
    "cb_band_caption": ("Herkkyysväli (avaimet ±{pct} %): {share} · {eur} lasta kohden",
                        "Sensitivity band (keys ±{pct}%): {share} · {eur} per child"),
    "cb_budget_caption": ("Talousarviossa lapsiin {budget} ({share})", "Budget for children {budget} ({share})"),
    "cb_waterfall_title": ("Kokonaiskustannuksista lapsiin, {period}", "From total cost to children, {period}"),
    "cb_waterfall_alt": ("Vesiputouskaavio: nettokustannukset {total}, joista lapsiin {child} ({share}): suoraan "
                         "{direct} ja osittain kohdistuvista {partial}.",
                         "Waterfall chart: net cost {total}, of which {child} ({share}) goes to children: {direct} "
                         "directly and {partial} from partly targeted lines."),
    "cb_step_total": ("Nettokustannukset yhteensä", "Total net cost"),
    "cb_step_not_targeted": ("− ○ Ei kohdistu lapsiin", "− ○ Not targeted at children"),
    "cb_step_partial_other": ("− ◐ Osittaisista muille kuin lapsille", "− ◐ Partly targeted: others' part"),
    "cb_step_partial_child": ("= ◐ Osittaisista lapsille", "= ◐ Partly targeted: children's part"),
    "cb_step_direct": ("= ● Suoraan lapsiin", "= ● Directly to children"),
    "cb_col_step": ("Vaihe", "Step"),
    "cb_col_amount": ("Euroa", "Euros"),
    "cb_col_share": ("Osuus", "Share"),
    "cb_axis_eur": ("Euroa", "Euros"),
    "cb_axis_meur": ("Milj. euroa", "Million euros"),
    "cb_prevention_title": ("Ennaltaehkäisevä ja korjaava vuosittain ({months})",
                            "Preventive and corrective by year ({months})"),
    "cb_prevention_alt": ("Pinottu pylväskaavio: lapsiin kohdistuvat kustannukset ennaltaehkäisevään, korjaavaan "
                          "ja muuhun vuosina {first}–{last}. Ennaltaehkäisevän osuus {a} → {b}; tavoite: {goal}.",
                          "Stacked bar chart: child spending split into preventive, corrective and other in "
                          "{first}-{last}. Preventive share {a} → {b}; goal: {goal}."),
    "cb_regions_header": ("Kunnat rinnakkain, {period}", "Municipalities side by side, {period}"),
    "cb_regions_title": ("Lapsiin kohdistuva osuus kunnittain, {period}", "Child share by municipality, {period}"),
    "cb_regions_alt": ("Pylväskaavio: lapsiin kohdistuva osuus kunnittain vuonna {year}. Suurin {max_name} {max}, "
                       "pienin {min_name} {min}. Suluissa herkkyysväli.",
                       "Bar chart: child share by municipality in {year}. Highest {max_name} {max}, lowest "
                       "{min_name} {min}. The sensitivity band in brackets."),
    "cb_all_together": ("Kaikki yhteensä", "All together"),
    "cb_col_level": ("Taso", "Level"),
    "cb_level_all": ("Yhteensä", "Total"),
    "cb_level_county": ("Hyvinvointialue", "County"),
    "cb_level_municipality": ("Kunta", "Municipality"),
    "cb_col_band": ("Herkkyysväli", "Sensitivity band"),
    "cb_col_vs_budget": ("Toteuma / talousarvio", "Actual / budget"),
    "cb_lines_header": ("Kustannusrivit ja luokitus, {period}", "Cost lines and classification, {period}"),
    "cb_lines_caption": ("Luokka näkyy värinä, symbolina ja sanana: ● suoraan (vihreä), ◐ osittain (keltainen), "
                         "○ ei kohdistu (punainen). Avain on rivin euroilla painotettu lasten osuus; herkkyysväli "
                         "avaimet ±{pct} %.",
                         "The class shows as colour, symbol and word: ● direct (green), ◐ partial (yellow), "
                         "○ not targeted (red). The key is the child share weighted by the line's euros; "
                         "sensitivity band keys ±{pct}%."),
    "cb_col_target": ("Kohdistus", "Target class"),
    "cb_col_service_class": ("Palveluluokka", "Service class"),
    "cb_col_account": ("Tili", "Account"),
    "cb_col_prevention": ("Luonne", "Nature"),
    "cb_col_key": ("Kohdennusavain", "Allocation key"),
    "cb_col_key_value": ("Lasten osuus", "Child share"),
    "cb_col_actual": ("Toteuma", "Actual"),
    "cb_col_child": ("Lapsille", "To children"),
    "cb_col_rule": ("Sääntö", "Rule"),
    "cb_col_fixed": ("Kiinteä osuus %", "Fixed share %"),
    "cb_col_source": ("Avaimen lähde / peruste", "Key source / justification"),
    "cb_unclassified": ("luokittelematon", "unclassified"),
    "cb_target_direct": ("Suoraan lapsiin", "Direct"),
    "cb_target_partial": ("Osittain", "Partial"),
    "cb_target_not_targeted": ("Ei kohdistu", "Not targeted"),
    "cb_prev_preventive": ("Ennaltaehkäisevä", "Preventive"),
    "cb_prev_corrective": ("Korjaava", "Corrective"),
    "cb_prev_other": ("Muu", "Other"),
    "cb_key_population_share": ("Osuus väestöstä", "Share of population"),
    "cb_key_client_share": ("Osuus asiakkaista", "Share of clients"),
    "cb_key_visit_share": ("Osuus käynneistä", "Share of visits"),
    "cb_key_fixed": ("Kiinteä osuus", "Fixed share"),
    "cb_indicators_header": ("Lasten ja nuorten tilanne rahan rinnalla", "Children and young people beside the money"),
    "cb_col_group": ("Ryhmä", "Group"),
    "cb_col_indicator": ("Mittari", "Indicator"),
    "cb_col_change": ("Muutos 2019→2021", "Change 2019→2021"),
    "cb_worse": ("heikentynyt", "worse"),
    "cb_better": ("parantunut", "better"),
    "cb_deficit_caption": ("Palveluvaje 2019→2021 (kouluterveyskysely ja palvelutiedot, Keski-Suomi). ▼ = "
                           "tilanne heikentynyt, ▲ = parantunut.",
                           "Service deficit 2019→2021 (school health survey and service data, Central Finland). "
                           "▼ = worse, ▲ = better."),
    "cb_edit_header": ("Luokitus: muokkaa ja tallenna uusi versio", "Classification: edit and save a new version"),
    "cb_edit_intro": ("Sääntö koskee palveluluokkaa ja tiliä (kaikki tilit = koko luokka; tilikohtainen sääntö "
                      "voittaa). Osittain kohdistuville valitaan kohdennusavain ja sen lähde; kiinteä osuus 0–100 %.",
                      "A rule applies to a service class and account (all accounts = the whole class; an account "
                      "rule wins). Partly targeted lines need an allocation key and its source; a fixed share is "
                      "0-100%."),
    "cb_all_accounts": ("kaikki tilit", "all accounts"),
    "cb_note": ("Perustelu", "Reason"),
    "cb_save": ("Tallenna uusi versio", "Save a new version"),
    "cb_not_saved": ("Luokitusta ei tallennettu, tietovarasto ennallaan:", "The classification was not saved; the "
                     "warehouse is unchanged:"),
    "cb_versions": ("Versiohistoria (kuka muutti mitä ja milloin)", "Version history (who changed what, when)"),
    "cb_export": ("Lataa koko malli Excelinä", "Download the whole model as Excel"),
    "cb_export_caption": ("Excel sisältää tulokset, kustannusrivit kunnittain, kohdennusavaimet, luokituksen ja "
                          "sen versiot tarkastusta varten.",
                          "The Excel file holds the results, the cost lines by municipality, the allocation keys, "
                          "the classification and its versions for audit."),
    "cb_err_empty": ("Luokituksessa ei ole yhtään riviä.", "The classification has no rows."),
    "cb_err_service_class": ("Rivi {row}: tuntematon palveluluokka {value}.", "Row {row}: unknown service class {value}."),
    "cb_err_account": ("Rivi {row}: tuntematon tili {value}.", "Row {row}: unknown account {value}."),
    "cb_err_target": ("Rivi {row}: kohdistus puuttuu tai on tuntematon ({value}).",
                      "Row {row}: target class missing or unknown ({value})."),
    "cb_err_prevention": ("Rivi {row}: luonne puuttuu tai on tuntematon ({value}).",
                          "Row {row}: nature missing or unknown ({value})."),
    "cb_err_key": ("Rivi {row}: osittain kohdistuvalle riville tarvitaan kohdennusavain ({value}).",
                   "Row {row}: a partly targeted line needs an allocation key ({value})."),
    "cb_err_share_number": ("Rivi {row}: kiinteä osuus ei ole luku.", "Row {row}: the fixed share is not a number."),
    "cb_err_share_missing": ("Rivi {row}: kiinteä osuus puuttuu.", "Row {row}: the fixed share is missing."),
    "cb_err_share_negative": ("Rivi {row}: kohdennusavain ei voi olla negatiivinen ({value} %).",
                              "Row {row}: an allocation key cannot be negative ({value}%)."),
    "cb_err_share_over": ("Rivi {row}: kohdennusavain ylittää 100 % ({value} %).",
                          "Row {row}: the allocation key is above 100% ({value}%)."),
    "cb_err_source": ("Rivi {row}: kirjaa kohdennusavaimen lähde tai peruste.",
                      "Row {row}: give the allocation key's source or justification."),
    "cb_err_duplicate": ("Sama palveluluokka ja tili on luokiteltu kahdesti: {value}.",
                         "The same service class and account is classified twice: {value}."),
    "cb_err_too_long": ("Rivi {row}: kohdennusavaimen lähde on liian pitkä ({n} merkkiä, enintään {max}).",
                        "Row {row}: the allocation key source is too long ({n} characters, at most {max})."),
    "cb_err_who": ("Kirjaa muuttajan nimi.", "Enter who makes the change."),
    "cb_err_no_changes": ("Luokitukseen ei tehty muutoksia.", "The classification was not changed."),
    "cb_err_conflict": ("Toinen käyttäjä muutti samaan aikaan samoja rivejä ({rows}): tarkista ne uusimmasta "
                        "luokituksesta ja tallenna uudelleen.",
                        "Another user changed the same rows at the same time ({rows}): check them in the newest "
                        "classification and save again."),
    "cb_sheet_readme": ("Lue minut", "Read me"),
    "cb_sheet_results": ("Tulokset", "Results"),
    "cb_sheet_trend": ("Kehitys", "Trend"),
    "cb_sheet_lines": ("Rivit", "Lines"),
    "cb_sheet_keys": ("Avaimet", "Keys"),
    "cb_sheet_classification": ("Luokitus", "Classification"),
    "cb_sheet_versions": ("Versiot", "Versions"),
    "cb_col_item": ("Kohta", "Item"),
    "cb_readme_place": ("Alue", "Area"),
    "cb_readme_period": ("Jakso (kk/vuosi)", "Period (months/year)"),
    "cb_readme_version": ("Tietoversio", "Data version"),
    "cb_readme_made": ("Tehty", "Made"),
    "cb_readme_method": ("Menetelmä", "Method"),
    "cb_readme_keys": ("Kohdennusavaimet", "Allocation keys"),
    "cb_readme_band": ("Herkkyysväli", "Sensitivity band"),
    "cb_readme_suppression": ("Tietosuoja", "Privacy"),
    "cb_method": ("Lapsiin kohdistuvat = suoraan kohdistuvat rivit kokonaan + osittain kohdistuvat rivit × "
                  "kohdennusavain; ei kohdistuvat 0. Tilikohtainen sääntö voittaa palveluluokan säännön.",
                  "Child spending = directly targeted lines in full + partly targeted lines × allocation key; "
                  "not targeted 0. An account rule wins over the service-class rule."),
    "cb_keys_note": ("Avain lasketaan samasta kunnasta, vuodesta ja kuukausista: 0–17-vuotiaiden osuus väestöstä, "
                     "palvelualueen asiakkaista (kuukausittain summattuna) tai käynneistä; ilman käyntitietoa osuus "
                     "väestöstä.",
                     "A key comes from the same municipality, year and months: the 0-17-year-olds' share of the "
                     "population, of the service area's clients (summed by month) or of its visits; without "
                     "visit data the population share."),
    "cb_band_note": ("Osittaisten rivien avaimet ±{pct} % (enintään 100 %).",
                     "Partly targeted keys ±{pct}% (at most 100%)."),
    "cbc_level": ("Taso", "Level"), "cbc_code": ("Koodi", "Code"), "cbc_yr": ("Vuosi", "Year"),
    "cbc_county_code": ("Hyvinvointialue", "County"), "cbc_municipality_code": ("Kuntanumero", "Municipality code"),
    "cbc_municipality": ("Kunta", "Municipality"), "cbc_service_area": ("Palvelualue", "Service area"),
    "cbc_service_class": ("Palveluluokka", "Service class"), "cbc_class_name": ("Palveluluokan nimi", "Class name"),
    "cbc_cost_account": ("Tili", "Account"), "cbc_actual_eur": ("Toteuma €", "Actual €"),
    "cbc_budget_eur": ("Talousarvio €", "Budget €"), "cbc_n_months": ("Kuukausia", "Months"),
    "cbc_target_class": ("Kohdistus", "Target class"), "cbc_prevention": ("Luonne", "Nature"),
    "cbc_allocation_key": ("Kohdennusavain", "Allocation key"), "cbc_key_source": ("Avaimen lähde", "Key source"),
    "cbc_rule": ("Sääntö (tili)", "Rule (account)"), "cbc_child_key": ("Lasten osuus (0–1)", "Child share (0-1)"),
    "cbc_child_actual": ("Lapsille, toteuma €", "To children, actual €"),
    "cbc_child_budget": ("Lapsille, talousarvio €", "To children, budget €"),
    "cbc_child_low": ("Lapsille, alaraja €", "To children, low €"),
    "cbc_child_high": ("Lapsille, yläraja €", "To children, high €"),
    "cbc_child_share": ("Lasten osuus %", "Child share %"), "cbc_child_share_low": ("Alaraja %", "Low %"),
    "cbc_child_share_high": ("Yläraja %", "High %"), "cbc_child_share_budget": ("Osuus talousarviossa %", "Budget share %"),
    "cbc_direct_child": ("Suoraan lapsiin €", "Direct €"), "cbc_partial_child": ("Osittaisista lapsille €", "Partial to children €"),
    "cbc_preventive_child": ("Ennaltaehkäisevä €", "Preventive €"), "cbc_corrective_child": ("Korjaava €", "Corrective €"),
    "cbc_other_child": ("Muu €", "Other €"), "cbc_preventive_share": ("Ennaltaehkäisevän osuus %", "Preventive share %"),
    "cbc_child_population": ("0–17-vuotiaat", "Aged 0-17"), "cbc_population": ("Väestö", "Population"),
    "cbc_eur_per_child": ("€ / lapsi (vuositaso)", "€ per child (annual)"),
    "cbc_child_realisation": ("Toteuma / talousarvio %", "Actual / budget %"),
    "cbc_child_budget_diff": ("Toteuma − talousarvio €", "Actual − budget €"),
    "cbc_child_clients": ("Asiakkaat 0–17", "Clients 0-17"), "cbc_clients": ("Asiakkaat", "Clients"),
    "cbc_child_visits": ("Käynnit 0–17", "Visits 0-17"), "cbc_visits": ("Käynnit", "Visits"),
    "cbc_population_key": ("Avain: väestö", "Key: population"), "cbc_client_key": ("Avain: asiakkaat", "Key: clients"),
    "cbc_visit_key": ("Avain: käynnit", "Key: visits"), "cbc_fixed_share": ("Kiinteä osuus (0–1)", "Fixed share (0-1)"),
    "cbc_version": ("Versio", "Version"), "cbc_changed_at": ("Muutettu", "Changed at"),
    "cbc_changed_by": ("Muuttaja", "Changed by"), "cbc_note": ("Perustelu", "Reason"),
    "cbc_changes": ("Muutokset", "Changes"),
    "cbc_child_share_yoy_pp": ("Osuuden muutos %-yks.", "Share change pp"),
    "cbc_preventive_share_yoy_pp": ("Ennaltaehk. muutos %-yks.", "Preventive change pp"),
    "cbc_child_actual_yoy_pct": ("Lapsille € muutos %", "Child € change %"),
    "cbc_level_name": ("Tason nimi", "Level name"), "cbc_code_name": ("Alueen nimi", "Area name"),
    "cbc_service_area_name": ("Palvelualueen nimi", "Service area name"),
    # --- analyst upload (issue 7)
    "section_data": ("Tiedot", "Data"),
    "page_upload": ("Tietojen lataus", "Data upload"),
    "upl_intro": ("Lataa kuukausittainen Excel- tai CSV-poiminta. Tiedosto tarkistetaan ensin; mitään ei "
                  "tallenneta ennen kuin hyväksyt esikatselun. Lataus tallentuu kokonaan tai ei ollenkaan.",
                  "Upload a monthly Excel or CSV extract. The file is checked first; nothing is stored until you "
                  "accept the preview. An upload is stored completely or not at all."),
    "upl_dataset": ("Aineisto", "Dataset"),
    "upl_template": ("Lataa mallipohja (.xlsx)", "Download the template (.xlsx)"),
    "upl_file": ("Valitse tiedosto (.xlsx tai .csv)", "Choose a file (.xlsx or .csv)"),
    "upl_file_help": ("Vain .xlsx ja .csv, enintään {mb} Mt ja {rows} riviä. Otsikkorivit tiedon yläpuolella ja "
                      "Yhteensä-rivi lopussa tunnistetaan.",
                      "Only .xlsx and .csv, at most {mb} MB and {rows} rows. Title rows above the data and a totals "
                      "row at the end are recognised."),
    "upl_recognised": ("Tunnistettu tiedostosta", "Recognised in the file"),
    "upl_errors": ("Tiedostossa on {n} virhettä. Korjaa ne ja lataa tiedosto uudelleen; tietovarastoa ei "
                   "muutettu.", "The file has {n} errors. Fix them and upload the file again; the warehouse "
                   "was not changed."),
    "upl_error_one": ("Tiedostossa on 1 virhe. Korjaa se ja lataa tiedosto uudelleen; tietovarastoa ei muutettu.",
                      "The file has 1 error. Fix it and upload the file again; the warehouse was not changed."),
    "upl_errors_more": ("Näytetään {shown} ensimmäistä virhettä; kaikki {n} ovat virheraportissa.",
                        "Showing the first {shown} errors; all {n} are in the error report."),
    "upl_error_report": ("Lataa virheraportti (.xlsx)", "Download the error report (.xlsx)"),
    "upl_valid": ("Tiedosto on kunnossa: {rows} riviä.", "The file is valid: {rows} rows."),
    "upl_preview": ("Esikatselu", "Preview"),
    "upl_mode": ("Tallennustapa", "How to store"),
    "upl_mode_upsert": ("Lisää uudet ja päivitä samat rivit", "Insert new rows and update matching ones"),
    "upl_mode_replace": ("Korvaa tiedoston kuukaudet ja kunnat kokonaan",
                         "Replace the file's months and municipalities completely"),
    "upl_changes": ("Muutokset:", "Changes:"),
    "upl_mode_replace_all": ("Korvaa koko taulu tiedoston riveillä", "Replace the whole table with the file's rows"),
    "upl_rows": ("Rivejä tiedostossa", "Rows in the file"),
    "upl_inserted": ("Uusia", "New"),
    "upl_updated": ("Päivittyviä", "Updated"),
    "upl_unchanged": ("Ennallaan", "Unchanged"),
    "upl_deleted": ("Poistuvia", "Removed"),
    "upl_new_periods": ("Uudet kaudet: {periods}", "New periods: {periods}"),
    "upl_beyond_latest": ("Sivut näyttävät kuukaudet siihen asti, jolta palvelukontaktit on ladattu ({latest}). "
                          "{periods} tulee sivuille näkyviin, kun palvelukontaktit ladataan myös sille.",
                          "The pages show months up to the last one with service contacts ({latest}). {periods} "
                          "will show on the pages once service contacts are uploaded for it too."),
    "upl_no_new_periods": ("Tiedostossa ei ole uusia kausia; se korjaa olemassa olevia tietoja.",
                           "The file has no new periods; it corrects existing data."),
    "upl_chart_title": ("{measure}: tiedosto ja tietovarasto", "{measure}: file and warehouse"),
    "upl_chart_alt": ("Viivakaavio: {measure} kausittain. Tietovarastossa {n_old} kautta, tiedostossa {n_new} "
                      "kautta; tiedoston viimeisin {last} = {value}.",
                      "Line chart: {measure} by period. {n_old} periods in the warehouse, {n_new} in the file; "
                      "the file's latest {last} = {value}."),
    "upl_src_warehouse": ("Tietovarasto", "Warehouse"),
    "upl_src_file": ("Tiedosto", "File"),
    "upl_col_period": ("Kausi", "Period"),
    "upl_col_source": ("Lähde", "Source"),
    "upl_ingest": ("Tallenna tietovarastoon", "Store in the warehouse"),
    "upl_progress": ("Tallennetaan: {stage}", "Storing: {stage}"),
    "upl_checking": ("Luetaan ja tarkistetaan {name}…", "Reading and checking {name}…"),
    "upl_stage_staging": ("rivit välitauluun", "rows into staging"),
    "upl_stage_comparing": ("verrataan", "comparing"),
    "upl_stage_backup": ("varmuuskopioidaan korvattavat rivit", "backing up replaced rows"),
    "upl_stage_deleting": ("poistetaan korvattavat", "removing replaced rows"),
    "upl_stage_inserting": ("lisätään uudet", "inserting new rows"),
    "upl_stage_committing": ("vahvistetaan", "committing"),
    "upl_stage_done": ("valmis", "done"),
    "upl_done": ("Lataus {id} tallennettu: {inserted} uutta, {updated} päivitettyä, {deleted} poistettua riviä. "
                 "Tietoversio {version}: kaikki sivut näyttävät nyt uudet luvut.",
                 "Upload {id} stored: {inserted} new, {updated} updated, {deleted} removed rows. Data version "
                 "{version}: every page now shows the new numbers."),
    "upl_already": ("Sama tiedosto (SHA-256) on jo tallennettu latauksena {id}; mitään ei muutettu.",
                    "The same file (SHA-256) was already stored as upload {id}; nothing was changed."),
    "upl_nothing": ("Tiedoston rivit ovat jo tietovarastossa täsmälleen samoina; mitään ei muutettu.",
                    "The warehouse already has exactly these rows; nothing was changed."),
    "upl_failed": ("Tallennus epäonnistui eikä tietovarastoa muutettu. Yritä uudelleen tai ota yhteys ylläpitoon "
                   "(virhetunnus {ref}).",
                   "Storing failed and the warehouse was not changed. Try again or contact support (error id {ref})."),
    "upl_audit": ("Latausloki", "Upload log"),
    "upl_rollback": ("Peru lataus (ylläpitäjä)", "Roll back an upload (admin)"),
    "upl_rollback_pick": ("Peruttava lataus", "Upload to roll back"),
    "upl_rollback_confirm": ("Ymmärrän, että lataus perutaan ja korvatut rivit palautetaan.",
                             "I understand that the upload is undone and the replaced rows restored."),
    "upl_rollback_button": ("Peru lataus", "Roll back"),
    "upl_rolled_back": ("Lataus {id} peruttu. Tietoversio {version}.", "Upload {id} rolled back. Data version {version}."),
    "upl_none": ("Ei latauksia vielä.", "No uploads yet."),
    "upl_status_committed": ("tallennettu", "stored"),
    "upl_status_rolled_back": ("peruttu", "rolled back"),
    "upl_col_id": ("Nro", "No."), "upl_col_when": ("Aika", "Time"), "upl_col_who": ("Lataaja", "By"),
    "upl_col_file": ("Tiedosto", "File"), "upl_col_dataset": ("Aineisto", "Dataset"),
    "upl_col_rows": ("Rivejä", "Rows"), "upl_col_status": ("Tila", "Status"),
    "upl_col_inserted": ("Uusia", "Inserted"), "upl_col_updated": ("Päivitettyjä", "Updated"),
    "upl_col_deleted": ("Poistettuja", "Deleted"), "upl_col_version": ("Tietoversio", "Data version"),
    "upl_status_rolled_back_by": ("peruttu {when} ({who})", "rolled back {when} ({who})"),
    "upl_col_sheet": ("Taulukko", "Sheet"), "upl_col_row": ("Rivi", "Row"), "upl_col_cell": ("Solu", "Cell"),
    "upl_col_column": ("Sarake", "Column"), "upl_col_value": ("Arvo", "Value"),
    "upl_col_problem": ("Ongelma", "Problem"), "upl_col_fix": ("Näin korjaat", "How to fix"),
    "upl_report_title": ("Virheraportti: {file}", "Error report: {file}"),
    # notes: what the reader recognised
    "upl_n_title_rows": ("Taulukko {sheet}: {n} otsikkoriviä ohitettiin, sarakeotsikot rivillä {row}.",
                         "Sheet {sheet}: {n} title rows skipped, column headers on row {row}."),
    "upl_n_headers_fi": ("Taulukko {sheet}: suomenkieliset sarakeotsikot.", "Sheet {sheet}: Finnish column headers."),
    "upl_n_headers_en": ("Taulukko {sheet}: englanninkieliset sarakeotsikot.", "Sheet {sheet}: English column headers."),
    "upl_n_totals_row": ("Taulukko {sheet}: yhteensä-rivi ohitettiin (rivi {rows}).",
                         "Sheet {sheet}: totals row skipped (row {rows})."),
    "upl_n_ignored_columns": ("Taulukko {sheet}: ylimääräiset sarakkeet ohitettiin: {names}.",
                              "Sheet {sheet}: extra columns ignored: {names}."),
    "upl_n_sheets_used": ("Käytetyt taulukot: {used}; ohitetut: {ignored}.", "Sheets used: {used}; ignored: {ignored}."),
    "upl_n_encoding_cp1252": ("Merkistö: Windows-1252 (ei UTF-8).", "Encoding: Windows-1252 (not UTF-8)."),
    "upl_n_csv_delimiter": ("CSV-erotin: {delimiter}", "CSV delimiter: {delimiter}"),
    "upl_n_excel_serial": ("{n} päivämäärää Excelin sarjanumeroina.", "{n} dates as Excel serial numbers."),
    "upl_n_finnish_date": ("{n} päivämäärää muodossa 1.2.2024.", "{n} dates written as 1.2.2024."),
    "upl_n_zero_padded": ("{n} kuntakoodiin palautettiin etunollat (77 → 077).",
                          "{n} municipality codes got their leading zeros back (77 → 077)."),
    "upl_n_thousand_spaces": ("{n} lukua tekstinä tuhaterottimin (1 200).", "{n} numbers as text with thousand separators (1 200)."),
    "upl_n_decimal_comma": ("{n} lukua desimaalipilkulla (12,5).", "{n} numbers with a decimal comma (12,5)."),
    # problems and fixes
    "upl_e_empty_file": ("Tiedosto on tyhjä (0 tavua).", "The file is empty (0 bytes)."),
    "upl_f_empty_file": ("Tallenna tiedosto Excelissä uudelleen ja lataa se uudestaan.", "Save the file again in Excel and upload it again."),
    "upl_e_too_large": ("Tiedosto on liian suuri ({mb} Mt, enintään {max_mb} Mt).", "The file is too large ({mb} MB, at most {max_mb} MB)."),
    "upl_f_too_large": ("Jaa poiminta pienempiin osiin, esim. kuukausittain.", "Split the extract, e.g. by month."),
    "upl_e_macro_file": ("Makroja sisältäviä tiedostoja (.xlsm) ei hyväksytä.", "Files with macros (.xlsm) are not accepted."),
    "upl_f_macro_file": ("Tallenna tiedosto muodossa Excel-työkirja (.xlsx) ilman makroja.", "Save the file as an Excel workbook (.xlsx) without macros."),
    "upl_e_encrypted": ("Tiedosto on salasanasuojattu tai salattu.", "The file is password-protected or encrypted."),
    "upl_f_encrypted": ("Poista salasana (Tiedosto → Tiedot → Suojaa työkirja) ja tallenna .xlsx-muodossa.", "Remove the password (File → Info → Protect Workbook) and save as .xlsx."),
    "upl_e_legacy_xls": ("Vanhaa .xls-muotoa ei tueta.", "The old .xls format is not supported."),
    "upl_f_legacy_xls": ("Tallenna tiedosto muodossa Excel-työkirja (.xlsx).", "Save the file as an Excel workbook (.xlsx)."),
    "upl_e_bad_extension": ("Tiedostotyyppiä .{ext} ei tueta.", "File type .{ext} is not supported."),
    "upl_f_bad_extension": ("Käytä .xlsx- tai .csv-tiedostoa.", "Use an .xlsx or .csv file."),
    "upl_e_corrupt_file": ("Tiedosto on vioittunut tai katkennut eikä sitä voi lukea.", "The file is damaged or truncated and cannot be read."),
    "upl_f_corrupt_file": ("Avaa tiedosto Excelissä, tallenna uudelleen .xlsx-muodossa ja lataa uudestaan.", "Open it in Excel, save again as .xlsx and upload again."),
    "upl_e_zip_bomb": ("Tiedosto purkautuisi epätavallisen suureksi ({mb} Mt); se hylättiin turvallisuussyistä.", "The file would unpack to an unusually large size ({mb} MB); it was refused for safety."),
    "upl_f_zip_bomb": ("Käytä järjestelmän alkuperäistä poimintaa tai mallipohjaa.", "Use the original system extract or the template."),
    "upl_e_too_many_rows": ("Tiedostossa on liikaa rivejä ({rows}, enintään {max}).", "The file has too many rows ({rows}, at most {max})."),
    "upl_f_too_many_rows": ("Jaa poiminta useaan tiedostoon, esim. kuukausittain.", "Split the extract into several files, e.g. by month."),
    "upl_e_sheet_too_large": ("Taulukossa {sheet} on soluja kaukana tietojen ulkopuolella (solu {cell}); sallittu alue on enintään {max_rows} riviä ja {max_cols} saraketta.",
                              "Sheet {sheet} has cells far outside the data (cell {cell}); the allowed area is at most {max_rows} rows and {max_cols} columns."),
    "upl_f_sheet_too_large": ("Poista ylimääräiset solut (Ctrl+End vie Excelissä viimeiseen käytettyyn soluun) tai kopioi tiedot uuteen taulukkoon.",
                              "Delete the extra cells (Ctrl+End in Excel goes to the last used cell) or copy the data to a new sheet."),
    "upl_e_too_many_cells": ("Taulukon {sheet} käytetty alue on liian suuri: {rows} riviä × {cols} saraketta (enintään {max} solua).",
                             "The used area of sheet {sheet} is too large: {rows} rows × {cols} columns (at most {max} cells)."),
    "upl_f_too_many_cells": ("Poista tarpeettomat sarakkeet ja rivit tai jaa poiminta useaan tiedostoon.", "Delete unneeded columns and rows or split the extract into several files."),
    "upl_e_too_many_columns": ("Rivillä {row} on {cols} kenttää (enintään {max_cols}).", "Line {row} has {cols} fields (at most {max_cols})."),
    "upl_f_too_many_columns": ("Tarkista, että tiedosto on tallennettu CSV-muodossa oikealla erottimella eikä rivien lopussa ole ylimääräisiä erottimia.",
                               "Check that the file was saved as CSV with the right delimiter and that the lines do not end in extra delimiters."),
    "upl_e_csv_line_too_long": ("Rivi {row} on liian pitkä (yli {max_kb} kt).", "Line {row} is too long (over {max_kb} KB)."),
    "upl_f_csv_line_too_long": ("Tarkista, että tiedosto on CSV-tiedosto, jossa jokainen tietue on omalla rivillään.", "Check that the file is a CSV file with each record on a line of its own."),
    "upl_e_csv_field_too_long": ("Rivillä {row} on kenttä, joka on yli {max_kb} kt pitkä.", "Line {row} has a field longer than {max_kb} KB."),
    "upl_f_csv_field_too_long": ("Tarkista lainausmerkit: kentän aloittava lainausmerkki (\") on usein jäänyt sulkematta.", "Check the quotes: a field's opening quote (\") is often left unclosed."),
    "upl_e_no_sheet": ("Yhdestäkään taulukosta ({sheets}) ei löytynyt tämän aineiston sarakkeita.", "No sheet ({sheets}) has the columns of this dataset."),
    "upl_f_no_sheet": ("Tarkista, että valitsit oikean aineiston. Tarvittavat sarakkeet: {columns}. Käytä mallipohjaa.", "Check that you chose the right dataset. Columns needed: {columns}. Use the template."),
    "upl_e_missing_columns": ("Taulukosta {sheet} ei löytynyt varmasti sarakkeita: {columns}. Otsikkorivi {header_row}, "
                              "otsikot: {headers}.", "Sheet {sheet}: no sure match for the columns {columns}. Header "
                              "row {header_row}, headers: {headers}."),
    "upl_f_missing_columns": ("Lähimmät otsikot: {nearest}. Valitse sarakkeet vastaavuusvaiheessa tai nimeä otsikot "
                              "mallipohjan mukaan.", "Nearest headers: {nearest}. Choose the columns in the mapping "
                              "step or name the headers as in the template."),
    "upl_e_no_rows": ("Tiedostossa ei ole yhtään tietoriviä.", "The file has no data rows."),
    "upl_f_no_rows": ("Täytä tiedot otsikkorivin alle.", "Fill the data below the header row."),
    "upl_e_merged_cells": ("Yhdistettyjä soluja alueella {cell}.", "Merged cells in {cell}."),
    "upl_f_merged_cells": ("Pura solujen yhdistäminen ja kirjoita arvo jokaiselle riville.", "Unmerge the cells and write the value on every row."),
    "upl_e_formula_error": ("Kaava antaa virheen {value}.", "A formula gives the error {value}."),
    "upl_f_formula_error": ("Korjaa kaava tai liitä solun arvo pelkkänä arvona.", "Fix the formula or paste the cell as a plain value."),
    "upl_e_required": ("Arvo puuttuu.", "The value is missing."),
    "upl_f_required": ("Täytä solu; sarake on pakollinen.", "Fill the cell; the column is required."),
    "upl_e_not_number": ("'{value}' ei ole luku.", "'{value}' is not a number."),
    "upl_f_not_number": ("Kirjoita pelkkä luku, esim. 1 200 tai 12,5.", "Write a plain number, e.g. 1200 or 12.5."),
    "upl_e_not_integer": ("'{value}' ei ole kokonaisluku.", "'{value}' is not a whole number."),
    "upl_f_not_integer": ("Lukumäärät ovat kokonaislukuja: poista desimaalit.", "Counts are whole numbers: remove the decimals."),
    "upl_e_negative": ("Negatiivinen määrä {value}.", "Negative count {value}."),
    "upl_f_negative": ("Määrä ei voi olla negatiivinen; tarkista poiminta.", "A count cannot be negative; check the extract."),
    "upl_e_out_of_range": ("{value} on sallitun välin ulkopuolella ({min} – {max}).", "{value} is outside the allowed range ({min} – {max})."),
    "upl_f_out_of_range": ("Tarkista luku ja sen yksikkö.", "Check the number and its unit."),
    "upl_e_bad_date": ("'{value}' ei ole päivämäärä.", "'{value}' is not a date."),
    "upl_f_bad_date": ("Kirjoita päivämäärä muodossa 1.2.2024 tai 2024-02.", "Write the date as 1.2.2024 or 2024-02."),
    "upl_e_future_date": ("Kausi {value} on tulevaisuudessa.", "Period {value} is in the future."),
    "upl_f_future_date": ("Tarkista vuosi ja kuukausi; vain toteutuneita kausia voi ladata.", "Check the year and month; only past periods can be uploaded."),
    "upl_e_too_old": ("Päivämäärä {value} on ennen vuotta 2000.", "Date {value} is before 2000."),
    "upl_f_too_old": ("Tarkista vuosi.", "Check the year."),
    "upl_e_unknown_code": ("Tuntematon koodi '{value}'.", "Unknown code '{value}'."),
    "upl_f_unknown_code": ("Lähimmät kelvolliset arvot: {examples}. Voit kohdistaa arvon kerran vastaavuustaulukossa.",
                           "Nearest valid values: {examples}. You can map the value once in the value table."),
    "upl_e_too_long": ("Teksti on liian pitkä.", "The text is too long."),
    "upl_f_too_long": ("Lyhennä tekstiä.", "Shorten the text."),
    "upl_e_suppressed_cell": ("Solu on peitetty ('{value}'); tietovarasto tarvitsee todellisen luvun.", "The cell is suppressed ('{value}'); the warehouse needs the real number."),
    "upl_f_suppressed_cell": ("Lataa peittämätön poiminta: kojelauta piilottaa pienet luvut (1–4) itse.", "Upload the unsuppressed extract: the dashboard hides small counts (1–4) itself."),
    "upl_e_greater_than": ("{column} ({value}) on suurempi kuin {other} ({other_value}).", "{column} ({value}) is greater than {other} ({other_value})."),
    "upl_f_greater_than": ("Osoittaja ei voi olla suurempi kuin nimittäjä: tarkista rivin luvut.", "A part cannot exceed its whole: check the row's numbers."),
    "upl_e_required_when": ("{column} puuttuu; se tarvitaan, kun {other} on {other_value}.",
                            "{column} is missing; it is needed when {other} is {other_value}."),
    "upl_f_required_when": ("Täytä {column} tai muuta sarakkeen {other} arvoa.", "Fill in {column} or change {other}."),
    "upl_e_duplicate_key": ("Sama rivi kahteen kertaan (sama {key} kuin rivillä {first_row}).", "Duplicate row (same {key} as row {first_row})."),
    "upl_f_duplicate_key": ("Poista toinen riveistä tai laske ne yhteen.", "Remove one of the rows or add them up."),
    "upl_e_normalised_day": ("{n} päivämäärää ei ollut kuun ensimmäinen päivä; ne tulkittiin kuukaudeksi.", "{n} dates were not the first day of a month; they were read as the month."),
    "upl_f_normalised_day": ("Ei toimenpiteitä, jos tarkoitit kuukautta.", "Nothing to do if you meant the month."),
    "upl_x_not_valid": ("Tiedostossa on virheitä, joten sitä ei tallennettu.", "The file has errors, so it was not stored."),
    "upl_x_bad_mode": ("Tuntematon tallennustapa {mode}.", "Unknown storing mode {mode}."),
    "upl_x_no_such_upload": ("Latausta {upload_id} ei ole.", "There is no upload {upload_id}."),
    "upl_x_already_rolled_back": ("Lataus {upload_id} on jo peruttu.", "Upload {upload_id} was already rolled back."),
    "upl_x_later_classification": ("Latausta {upload_id} ei voi perua, koska luokitusta on muutettu sen jälkeen "
                                   "(versio {later}). Palauta aiempi versio Lapsibudjetointi-sivulla.",
                                   "Upload {upload_id} cannot be rolled back because the classification has changed "
                                   "since (version {later}). Restore an earlier version on the Child budgeting page."),
    "upl_x_classification": ("Luokitusta ei voi tallentaa: {problems}", "The classification cannot be stored: {problems}"),
    "upl_x_later_upload": ("Latausta {upload_id} ei voi perua, koska uudempi lataus {later} muutti samaa taulua. "
                           "Peru ensin lataus {later}.", "Upload {upload_id} cannot be rolled back because the newer "
                           "upload {later} changed the same table. Roll back {later} first."),
    # --- export: chart snapshots, data files, board pack
    "export_menu": ("Vie", "Export"),
    "export_menu_help": ("Lataa kaavio kuvana (PNG, SVG, PDF) tai luvut taulukkona (Excel, CSV).",
                         "Download the chart as an image (PNG, SVG, PDF) or its numbers (Excel, CSV)."),
    "export_png": ("PNG-kuva (tulostuslaatu)", "PNG image (print quality)"),
    "export_svg": ("SVG-vektorikuva", "SVG vector image"),
    "export_pdf": ("PDF", "PDF"),
    "export_xlsx": ("Excel-taulukko (.xlsx)", "Excel workbook (.xlsx)"),
    "export_csv": ("CSV (UTF-8)", "CSV (UTF-8)"),
    "export_version": ("Tietoversio {version}", "Data version {version}"),
    "export_printed": ("Tulostettu {at}", "Exported {at}"),
    "export_default_source": ("Johdon työpöytä, hyvinvointialueen tietovarasto",
                              "Leadership dashboard, county data warehouse"),
    "export_sheet_data": ("Tiedot", "Data"),
    "export_sheet_definitions": ("Määritelmät", "Definitions"),
    "export_term": ("Käsite", "Term"),
    "export_definition": ("Selite", "Definition"),
    "export_privacy": ("Tietosuoja", "Privacy"),
    "export_chart": ("Kaavio", "Chart"),
    "export_filters": ("Rajaukset ja jakso", "Filters and period"),
    "export_indicator": ("Mittari", "Indicator"),
    "export_unit": ("Yksikkö", "Unit"),
    "export_target_row": ("Tavoite", "Target"),
    "export_baseline": ("Lähtötaso", "Baseline"),
    "page_board_pack": ("Hallituksen raporttipaketti", "Board pack"),
    "section_export": ("Raportointi", "Reporting"),
    "pack_intro": ("Valitse kaaviot ja mittarikortit hallituksen kokoukseen, järjestä ne ja lataa PowerPoint- "
                   "ja PDF-esitys. Tallennettu valinta toimii ensi kuussa uusilla tiedoilla.",
                   "Pick the charts and indicator cards for the board meeting, order them and download a "
                   "PowerPoint and PDF deck. A saved selection works next month with the new data."),
    "pack_saved": ("Tallennettu valinta", "Saved selection"),
    "pack_none": ("(uusi valinta)", "(new selection)"),
    "pack_items": ("Dioille tulevat kaaviot ja kortit (valintajärjestyksessä)",
                   "Charts and cards for the slides (in the order picked)"),
    "pack_items_help": ("Kaavio- ja korttidiat tulevat esitykseen siinä järjestyksessä, jossa ne on valittu. "
                        "Järjestystä voi muuttaa siirtonapeilla.",
                        "Slides follow the order in which items were picked. Use the move buttons to reorder."),
    "pack_order": ("Diojen järjestys", "Slide order"),
    "pack_move_up": ("Siirrä ylös: {item}", "Move up: {item}"),
    "pack_move_down": ("Siirrä alas: {item}", "Move down: {item}"),
    "pack_kind_trend": ("kehitys vuosittain", "yearly trend"),
    "pack_kind_regions": ("kunnittain", "by municipality"),
    "pack_kind_card": ("mittarikortti", "indicator card"),
    "pack_kind_forecast": ("ennuste kuukausittain", "monthly forecast"),
    "pack_kind_child_budget": ("osuus, € lasta kohden, ennaltaehkäisy ja kustannuksista lapsiin",
                               "share, € per child, preventive share and from total cost to children"),
    "pack_cb_name": ("Lapsibudjetointi", "Child budgeting"),
    "pack_cb_title": ("Lapsibudjetointi: kustannuksista lapsiin, {period}",
                      "Child budgeting: from total cost to children, {period}"),
    "pack_cb_share": ("Lapsiin kohdistuu {share} nettokustannuksista (herkkyysväli {low}–{high}); muutos "
                      "edellisestä vuodesta {change}.",
                      "{share} of net cost goes to children (sensitivity band {low}–{high}); change from the "
                      "previous year {change}."),
    "pack_cb_eur": ("Euroa lasta kohden {eur} vuodessa; muutos edellisestä vuodesta {change}.",
                    "{eur} per child a year; change from the previous year {change}."),
    "pack_cb_prev": ("Ennaltaehkäisevän osuus lasten menoista {share}; muutos edellisestä vuodesta {change}.",
                     "Preventive share of child spending {share}; change from the previous year {change}."),
    "pack_cb_total": ("Nettokustannukset {total}, joista lapsiin {child}.", "Net cost {total}, of which to "
                      "children {child}."),
    "pack_cb_source": ("Talouden toteuma, lapsibudjetoinnin luokitus ja kohdennusavaimet",
                       "Financial actuals, the child-budget classification and allocation keys"),
    "pack_cb_base": ("Alku", "Start"),
    "pack_cb_amount": ("Euroa", "Euros"),
    "pack_fc_end": ("Ennuste {when}: {value} (80 %:n väli {lo}–{hi}).", "Forecast {when}: {value} (80 % interval {lo}–{hi})."),
    "pack_fc_model": ("Malli: {model}. Testijakson virhe {mape} (kausinaivi {naive}).",
                      "Model: {model}. Backtest error {mape} (seasonal naive {naive})."),
    "pack_name": ("Valinnan nimi", "Selection name"),
    "pack_save": ("Tallenna valinta", "Save selection"),
    "pack_saved_ok": ("Valinta \"{name}\" tallennettu.", "Selection \"{name}\" saved."),
    "pack_save_no_name": ("Anna valinnalle nimi ennen tallennusta.", "Give the selection a name before saving."),
    "pack_empty": ("Valitse ainakin yksi kaavio tai kortti.", "Pick at least one chart or card."),
    "pack_pictures": ("Kaaviot kuvina (muuten muokattavat PowerPoint-kaaviot)",
                      "Charts as pictures (otherwise editable PowerPoint charts)"),
    "pack_build": ("Luo esitys", "Build the deck"),
    "pack_building": ("Luodaan esitystä…", "Building the deck…"),
    "pack_built": ("Esitys valmis: {slides} diaa, {seconds} s.", "Deck ready: {slides} slides, {seconds} s."),
    "pack_download_pptx": ("Lataa PowerPoint (.pptx)", "Download PowerPoint (.pptx)"),
    "pack_download_pdf": ("Lataa PDF", "Download PDF"),
    "pack_failed": ("Esityksen luonti epäonnistui. Yritä uudelleen tai ota yhteys ylläpitoon (virhetunnus {ref}).",
                    "Building the deck failed. Try again or contact support (error id {ref})."),
    "pack_title": ("Hallituksen raporttipaketti", "Board pack"),
    "pack_made": ("Tietoversio {version} · Laadittu {at}", "Data version {version} · Prepared {at}"),
    "pack_contents": ("Sisältö", "Contents"),
    "pack_regions_title": ("{name} kunnittain, {period}", "{name} by municipality, {period}"),
    "pack_card_title": ("{name}", "{name}"),
    "cap_value": ("{period}: {value}.", "{period}: {value}."),
    "cap_change": ("Muutos edellisestä vuodesta {change}, vuodesta 2019 {base}.",
                   "Change from the previous year {change}, from 2019 {base}."),
    "cap_verdict": ("Tavoitearvio: {verdict}.", "Target verdict: {verdict}."),
    "cap_no_target": ("Mittarille ei ole asetettu tavoitetta.", "The indicator has no target."),
    "cap_suppressed": ("Arvo on piilotettu tietosuojan vuoksi (<5).", "The value is hidden for privacy (<5)."),
    "cap_regions": ("Suurin {max_name} {max}, pienin {min_name} {min}.", "Highest {max_name} {max}, lowest {min_name} {min}."),
    "cap_regions_hidden": ("{n} kunnan luku piilotettu (<5).", "{n} municipalities hidden (<5)."),
    "notes_definition": ("Määritelmä: {text}", "Definition: {text}"),
    "notes_source": ("Lähde: {text}", "Source: {text}"),
    "notes_target": ("Tavoite: {target} ({date}); lähtötaso {baseline}. Suunta: {direction}.",
                     "Target: {target} ({date}); baseline {baseline}. Direction: {direction}."),
    "notes_privacy": ("Alle {n} henkilön luvut ja niistä lasketut arvot on piilotettu (<5).",
                      "Counts below {n} and values derived from them are hidden (<5)."),
    "notes_direction_higher": ("suurempi on parempi", "higher is better"),
    "notes_direction_lower": ("pienempi on parempi", "lower is better"),
    "notes_direction_neutral": ("ei suuntaa", "no direction"),
    "series_target": ("Tavoite", "Target"),
    # forecasts
    "page_forecast": ("Ennusteet", "Forecasts"),
    "fc_intro": ("Mihin mittari on menossa: kuukausiennuste 80 %:n ja 95 %:n ennustevälein. Malli valitaan "
                 "testijaksoilla: jokainen ehdokas ennustaa kuukaudet, joita se ei nähnyt, ja sitä verrataan "
                 "kausinaiviin ennusteeseen (sama kuukausi vuotta aiemmin). Ennustevälit on mitoitettu "
                 "testijaksojen toteutuneilla virheillä.",
                 "Where the indicator is heading: a monthly forecast with 80 % and 95 % prediction intervals. The "
                 "model is chosen on backtests: each candidate forecasts months it did not see and is compared "
                 "with a seasonal-naive forecast (the same month a year earlier). The intervals are sized by the "
                 "errors the backtests actually made."),
    "fc_all_title": ("Kaikki mittarit: mihin ollaan menossa", "All indicators: where they are heading"),
    "fc_all_help": ("Jokaisen kuukausimittarin ennuste 12 kuukauden päähän ja tavoitearvio: tavoitekuukauteen "
                    "päättyvän vuosineljänneksen keskiarvo, raha- ja vuositason mittareilla vuoden keskiarvo. "
                    "Mennyt tavoite arvioidaan toteumasta, tuleva ennusteen jakaumasta (todennäköisyys). "
                    "● = saavutettu tai todennäköisesti saavutetaan, ▲ = vaarassa, ■ = ei saavutettu tai "
                    "todennäköisesti jää saavuttamatta, ○ = ei arvioitavissa.",
                    "Each monthly indicator's forecast 12 months ahead and its target verdict: the mean of the "
                    "quarter ending in the target month (a year for money and annualised indicators). A passed "
                    "target is judged on the actuals, a coming one on the forecast distribution (a probability). "
                    "● = met or likely, ▲ = at risk, ■ = not met or unlikely, ○ = cannot be judged."),
    "fc_all_running": ("Lasketaan tämän alueen ennusteita: {i}/{n}", "Computing this area's forecasts: {i}/{n}"),
    "fc_background": ("Uusien tietojen ennusteita lasketaan taustalla: {i}/{n}",
                      "Forecasts of the new data are being computed in the background: {i}/{n}"),
    "fc_note_short": ("Sarjassa on alle 24 kuukautta: ennuste on viimeisen 12 kuukauden keskiarvo ja sen "
                      "vaihteluväli, ei mallia eikä testijaksoa.",
                      "The series has under 24 months: the forecast is the mean of the last 12 months with their "
                      "spread; no model and no backtest."),
    "fc_note_short_cv": ("Sarjassa on alle 42 kuukautta, joten kolmea testijaksoa ei voi ajaa: ennuste on "
                         "kausinaivi (sama kuukausi vuotta aiemmin) ja sen oma vaihteluväli.",
                         "The series has under 42 months, too few for three backtests: the forecast is the "
                         "seasonal naive (the same month a year earlier) with its own spread."),
    "vd_col": ("Tavoitearvio", "Target verdict"),
    "vd_state_met": ("saavutettu", "met"),
    "vd_state_missed": ("ei saavutettu", "not met"),
    "vd_state_on_track": ("todennäköisesti saavutetaan", "likely to be met"),
    "vd_state_at_risk": ("vaarassa", "at risk"),
    "vd_state_off_track": ("todennäköisesti jää saavuttamatta", "likely to be missed"),
    "vd_state_unknown": ("ei arvioitavissa", "cannot be judged"),
    "vd_past": ("{date}: {state}, {value} (tavoite {target})", "{date}: {state}, {value} (target {target})"),
    "vd_past_unknown": ("{date}: {state} (tavoite {target}; kuukausia piilotettu tai puuttuu)",
                        "{date}: {state} (target {target}; months hidden or missing)"),
    "vd_future": ("Tavoite {target} {date}: {state}, todennäköisyys {p} % (ennuste {value})",
                  "Target {target} by {date}: {state}, probability {p} % (forecast {value})"),
    "vd_future_trend": ("Tavoite {target} {date}: {state} (vuositrendin mukaan {value})",
                        "Target {target} by {date}: {state} (by the yearly trend {value})"),
    "vd_future_unknown_beyond": ("Tavoite {target} {date}: ennustejakson jälkeen",
                                 "Target {target} by {date}: beyond the forecast"),
    "vd_future_unknown_no_forecast": ("Tavoite {target} {date}: ei arvioitavissa (ei ennustetta)",
                                      "Target {target} by {date}: cannot be judged (no forecast)"),
    "vd_future_unknown_hidden": ("Tavoite {target} {date}: ei arvioitavissa (piilotettuja kuukausia)",
                                 "Target {target} by {date}: cannot be judged (hidden months)"),
    "vd_future_unknown_too_short": ("Tavoite {target} {date}: ei arvioitavissa (liian lyhyt sarja)",
                                    "Target {target} by {date}: cannot be judged (series too short)"),
    "vd_period": ("– arvioitu jaksosta {months} {year}", "– judged on {months} {year}"),
    "vd_next": ("seuraava tavoite:", "next target:"),
    "vd_none": ("○ ei arviota (ei tietoja)", "○ no verdict (no data)"),
    "fc_col_latest": ("Viimeisin", "Latest"),
    "fc_col_12": ("Ennuste {when}", "Forecast {when}"),
    "fc_col_range": ("80 %:n väli", "80 % interval"),
    "fc_short_suppressed": ("ei ennustetta: piilotettuja kuukausia (<5)", "no forecast: hidden months (<5)"),
    "fc_short_too_short": ("ei ennustetta: sarja alle 12 kk", "no forecast: under 12 months"),
    "fc_short_no_monthly": ("ei ennustetta: vain vuositietoja", "no forecast: yearly data only"),
    "fc_link": ("Ennuste ja testijakso →", "Forecast and backtest →"),
    "fc_horizon": ("Ennustejakso", "Horizon"),
    "fc_months": ("{n} kk", "{n} months"),
    "fc_history": ("Näytettävä historia", "History shown"),
    "fc_title": ("{name}: toteuma ja ennuste", "{name}: actual and forecast"),
    "fc_actual": ("Toteuma", "Actual"),
    "fc_forecast": ("Ennuste", "Forecast"),
    "fc_band80": ("80 %:n ennusteväli", "80 % interval"),
    "fc_band95": ("95 %:n ennusteväli", "95 % interval"),
    "fc_at_horizon": ("Ennuste {when}", "Forecast {when}"),
    "fc_range": ("80 %:n väli {lo}–{hi}", "80 % interval {lo}–{hi}"),
    "fc_latest": ("Viimeisin toteuma {when}", "Latest actual {when}"),
    "fc_model": ("Malli", "Model"),
    "fc_model_ets_AAdA": ("ETS: vaimennettu trendi + kausivaihtelu", "ETS: damped trend + seasonality"),
    "fc_model_ets_AAdM": ("ETS: vaimennettu trendi + suhteellinen kausivaihtelu",
                          "ETS: damped trend + multiplicative seasonality"),
    "fc_model_ets_AAA": ("ETS: lineaarinen trendi + kausivaihtelu", "ETS: linear trend + seasonality"),
    "fc_model_ets_AAM": ("ETS: lineaarinen trendi + suhteellinen kausivaihtelu",
                         "ETS: linear trend + multiplicative seasonality"),
    "fc_model_ets_ANA": ("ETS: taso + kausivaihtelu", "ETS: level + seasonality"),
    "fc_model_ets_ANM": ("ETS: taso + suhteellinen kausivaihtelu", "ETS: level + multiplicative seasonality"),
    "fc_model_ets_AAdN": ("ETS: vaimennettu trendi", "ETS: damped trend"),
    "fc_model_ets_ANN": ("ETS: eksponentiaalinen tasoitus", "ETS: simple exponential smoothing"),
    "fc_model_log_AAdA": ("Log-ETS: vaimennettu trendi + kausivaihtelu (log-asteikolla)",
                          "Log ETS: damped trend + seasonality (log scale)"),
    "fc_model_log_AAA": ("Log-ETS: lineaarinen trendi + kausivaihtelu (log-asteikolla)",
                         "Log ETS: linear trend + seasonality (log scale)"),
    "fc_model_log_ANA": ("Log-ETS: taso + kausivaihtelu (log-asteikolla)", "Log ETS: level + seasonality (log scale)"),
    "fc_model_log_AAdN": ("Log-ETS: vaimennettu trendi (log-asteikolla)", "Log ETS: damped trend (log scale)"),
    "fc_model_seasonal_naive": ("Kausinaivi (sama kuukausi vuotta aiemmin)", "Seasonal naive (same month last year)"),
    "fc_model_drift": ("Drift (viimeisin arvo + keskimääräinen muutos)", "Drift (last value + mean change)"),
    "fc_model_combo": ("Yhdistelmä: kolmen parhaan mallin keskiarvo", "Combination: mean of the three best models"),
    "fc_model_mean12": ("Viimeisen 12 kuukauden keskiarvo", "Mean of the last 12 months"),
    "fc_backtest": ("Testijakso: kuinka hyvin mallit olisivat osuneet", "Backtest: how well the models would have done"),
    "fc_backtest_help": ("Jokainen malli sovitettiin 3–8 kertaa aineistoon, josta oli jätetty pois viimeiset "
                         "12, 15, 18, … tai 33 kuukautta, ja sen 12 kuukauden ennustetta verrattiin toteutuneeseen. "
                         "MAPE = keskimääräinen prosenttivirhe; MASE < 1 = parempi kuin kausinaivi ennuste "
                         "aineiston sisällä. Lähes tasaväkisistä (5 %) valitaan vakain: yhdistelmä, vaimennettu "
                         "trendi, ei trendiä, lineaarinen trendi, drift, kausinaivi.",
                         "Each model was fitted 3-8 times to the data without the last 12, 15, 18, ... or 33 months "
                         "and its 12-month forecast compared with what happened. MAPE = mean absolute percentage "
                         "error; MASE < 1 = better than a seasonal-naive forecast within the data. Of near-ties "
                         "(5 %) the most robust is chosen: a combination, a damped trend, no trend, a linear "
                         "trend, drift, seasonal naive."),
    "fc_col_model": ("Malli", "Model"),
    "fc_col_mape": ("MAPE", "MAPE"),
    "fc_col_mase": ("MASE", "MASE"),
    "fc_col_n": ("Testikuukausia", "Months tested"),
    "fc_col_chosen": ("Käytössä", "Used"),
    "fc_yes": ("kyllä", "yes"),
    "fc_col_lo80": ("80 % alaraja", "80 % lower"),
    "fc_col_hi80": ("80 % yläraja", "80 % upper"),
    "fc_col_lo95": ("95 % alaraja", "95 % lower"),
    "fc_col_hi95": ("95 % yläraja", "95 % upper"),
    "fc_col_kind": ("Tieto", "Kind"),
    "fc_none_suppressed": ("Ennustetta ei lasketa: sarjassa on tietosuojan vuoksi piilotettuja kuukausia (<5). "
                           "Valitse laajempi alue.",
                           "No forecast: the series has months hidden for privacy (<5). Choose a wider area."),
    "fc_none_too_short": ("Ennustetta ei lasketa: yhtenäistä kuukausisarjaa on alle 12 kuukautta.",
                          "No forecast: less than 12 consecutive months of data."),
    "fc_none_no_monthly": ("Mittarista on vain vuositietoja; ennuste tehdään kuukausisarjoista.",
                           "This indicator is yearly only; forecasts need monthly series."),
    "fc_computing": ("Lasketaan ennustetta ja testijaksoa…", "Computing the forecast and backtest…"),
    "fc_alt": ("Viivakaavio: {name}, toteuma {first}–{last} (viimeisin {value}) ja ennuste {horizon} kuukautta "
               "eteenpäin: {when} {fc} (80 %:n väli {lo}–{hi}). Malli: {model}.",
               "Line chart: {name}, actual {first}–{last} (latest {value}) and a forecast {horizon} months ahead: "
               "{when} {fc} (80 % interval {lo}–{hi}). Model: {model}."),
    "fc_scope_note": ("Ennuste koskee valittua aluetta ja palvelurajausta; vuosi- ja kuukausivalinta ei rajaa "
                      "sitä, vaan malli näkee koko kuukausisarjan 1/2019 alkaen.",
                      "The forecast follows the chosen area and service filters; the year and month choice does "
                      "not limit it: the model sees the whole monthly series from 1/2019."),
    "fc_stored": ("Laskettu tietoversiosta {version} ({seconds} s).", "Computed from data version {version} ({seconds} s)."),
    # --- shared words: the language switch, month windows, units, dates, file names
    "language_switch": ("Kieli / Language", "Kieli / Language"),    # both languages: findable in either
    "lang_name": ("Suomi", "English"),                              # each language named in itself
    "full_year": ("koko vuosi", "full year"),
    "month_long": ("{month}kuu", "{month}"),
    "month_range": ("{first}–{last}kuu", "{first}–{last}"),
    "quarter_label": ("Q{q}/{year}", "Q{q}/{year}"),
    "unit_sfx_pct": ("%", "%"),
    "unit_sfx_pp": ("%-yks.", "pp"),
    "unit_sfx_eur": ("€", "€"),
    "unit_sfx_meur": ("M€", "M€"),
    "unit_sfx_eur_per_resident": ("€/as.", "€/res."),
    "unit_sfx_days": ("vrk", "d"),
    "stamp_format": ("%d.%m.%Y klo %H.%M", "%d %b %Y %H:%M"),      # strftime: the time printed on an export
    "privacy": ("Tietosuoja", "Privacy"),
    "formula_and": ("ja", "and"),
    "formula_in": ("∈", "in"),
    "formula_monthly_mean": ("kk-keskiarvo", "monthly mean"),
    "formula_annualised": ("× 12 / kuukausia", "× 12 / months"),
    "deficit_subtitle": ("Keski-Suomen hyvinvointialue, RRF-suunnitelma 2023–25",
                         "Central Finland wellbeing services county, RRF plan 2023-25"),
    "cbc_upload_id": ("Lataus", "Upload"),
    "cb_export_file": ("lapsibudjetti_{year}.xlsx", "child_budget_{year}.xlsx"),
    "upl_template_file": ("malli_{dataset}.xlsx", "template_{dataset}.xlsx"),
    "upl_report_file": ("virheraportti_{name}.xlsx", "error_report_{name}.xlsx"),
    "upl_sheet_errors": ("Virheet", "Errors"),
    "upl_sheet_notes": ("Tunnistettu", "Recognised"),
    "unknown_user": ("tuntematon", "unknown"),
    # --- h14 / issue 14: region comparison ("Alueiden vertailu"), intervals, funnel, spine, change, scatter ----------
    "page_compare": ("Alueiden vertailu", "Region comparison"),
    "cmp_intro": ("Alueet rinnakkain reilusti: ikävakioidut vuosiluvut 1 000 asukasta kohden, 95 %:n luottamusvälit ja "
                  "vertailukohta. Alue merkitään vain, kun sen koko luottamusväli on vertailukohdan ylä- tai alapuolella.",
                  "Areas side by side, fairly: age-standardised rates per 1,000 residents, 95% confidence intervals and "
                  "a benchmark. An area is marked only when its whole interval lies above or below the benchmark."),
    "cmp_standard": ("Luvut", "Rates"),
    "cmp_standard_help": ("Suora ikävakiointi: kunkin ikäryhmän luku painotetaan vakioväestön ikärakenteella, jolloin "
                          "eri-ikäisten alueiden luvut ovat vertailukelpoisia. Luottamusväli gammamenetelmällä "
                          "(Fay ja Feuer 1997).",
                          "Direct age standardisation: each age group's rate is weighted by the standard population's "
                          "age structure, so areas with different ages compare fairly. Interval by the gamma method "
                          "(Fay and Feuer 1997)."),
    "cmp_std_crude": ("Vakioimaton", "Crude"),
    "cmp_std_esp": ("Ikävakioitu (ESP 2013)", "Age-standardised (ESP 2013)"),
    "cmp_std_pooled": ("Ikävakioitu (alueiden väestö)", "Age-standardised (areas' population)"),
    "cmp_std_crude_note": ("Vakioimattomat luvut; välit: Wilson (osuudet), tarkka Poisson (määrät ja vuosiluvut).",
                           "Crude values; intervals: Wilson (shares), exact Poisson (counts and rates)."),
    "cmp_std_crude_no_interval_note": ("Vakioimattomat luvut; ei luottamusväliä.", "Crude values; no interval."),
    "cmp_std_esp_note": ("Ikävakioitu suoralla menetelmällä, vakioväestö Euroopan standardiväestö 2013 (ESP 2013) "
                         "kuuteen ikäryhmään koottuna; välit gammamenetelmällä.",
                         "Directly age-standardised to the European Standard Population 2013 (ESP 2013) collapsed to "
                         "the six age groups; intervals by the gamma method."),
    "cmp_std_pooled_note": ("Ikävakioitu suoralla menetelmällä, vakioväestö kolmen hyvinvointialueen yhteenlaskettu "
                            "väestö {year}; välit gammamenetelmällä.",
                            "Directly age-standardised to the three counties' combined population in {year}; "
                            "intervals by the gamma method."),
    "cmp_no_std": ("Mittarille {name} ei ole ikäryhmittäisiä tietoja vuosilukuna asukasta kohden, joten ikävakiointia "
                   "ei tarjota: luvut ovat vakioimattomia.",
                   "{name} has no age-specific rate per residents, so age standardisation is not offered: the "
                   "values are crude."),
    "cmp_no_interval": ("Mittari {name} ei ole lukumäärien suhde, joten sille ei lasketa luottamusväliä eikä "
                        "merkitsevyyttä.",
                        "{name} is not a ratio of counts, so it has no confidence interval and no significance."),
    "cmp_no_target": ("Mittarilla {name} ei ole tavoitetta: valitse toinen vertailukohta.",
                      "{name} has no target: choose another benchmark."),
    "cmp_bench": ("Vertailukohta", "Benchmark"),
    "cmp_bench_county": ("Oma hyvinvointialue", "Own county"),
    "cmp_bench_all": ("Kaikki alueet", "All areas"),
    "cmp_view": ("Näkymä", "View"),
    "cmp_view_ranked": ("Järjestys", "Ranking"),
    "cmp_view_funnel": ("Suppilokuvio", "Funnel plot"),
    "cmp_view_spine": ("Mittaristo", "Spine chart"),
    "cmp_view_change": ("Muutos 2019→", "Change since 2019"),
    "cmp_view_scatter": ("Kaksi mittaria", "Two indicators"),
    "cmp_view_counties": ("Hyvinvointialueet", "Counties"),
    "cmp_kpi_y": ("Toinen mittari (pystyakseli)", "Second indicator (vertical axis)"),
    "cmp_area": ("Alue", "Area"),
    "cmp_flag_above_better": ("▲ Merkitsevästi parempi", "▲ Significantly better"),
    "cmp_flag_below_better": ("▼ Merkitsevästi parempi", "▼ Significantly better"),
    "cmp_flag_above_worse": ("▲ Merkitsevästi huonompi", "▲ Significantly worse"),
    "cmp_flag_below_worse": ("▼ Merkitsevästi huonompi", "▼ Significantly worse"),
    "cmp_flag_above": ("▲ Merkitsevästi korkeampi", "▲ Significantly higher"),
    "cmp_flag_below": ("▼ Merkitsevästi matalampi", "▼ Significantly lower"),
    "cmp_flag_same": ("● Ei merkitsevää eroa", "● No significant difference"),
    "cmp_flag_none": ("○ Ei testattavissa", "○ Not testable"),
    "cmp_flag_suppressed": ("<5 Tietosuoja", "<5 Privacy"),
    "cmp_legend": ("Verrattuna: {bench}", "Compared with: {bench}"),
    "cmp_legend_plain": ("Ero vertailukohtaan", "Difference from the benchmark"),
    "cmp_ranked_title": ("{name} alueittain {year}", "{name} by area {year}"),
    "cmp_alt_ranked": ("Pistekaavio luottamusväleineen: {name}, {n} aluetta järjestyksessä. Korkein {max_name} {max}, "
                       "matalin {min_name} {min}. Vertailukohtaa merkitsevästi korkeampia {above}, matalampia {below}. "
                       "Viitearvot: {refs}.",
                       "Dot chart with intervals: {name}, {n} areas ranked. Highest {max_name} {max}, lowest "
                       "{min_name} {min}. Significantly above the benchmark {above}, below {below}. References: {refs}."),
    "cmp_alt_ranked_untested": ("Pistekaavio: {name}, {n} aluetta järjestyksessä. Korkein {max_name} {max}, matalin "
                                "{min_name} {min}. Mittarille ei lasketa luottamusväliä, joten eroja ei testata. "
                                "Viitearvot: {refs}.",
                                "Dot chart: {name}, {n} areas ranked. Highest {max_name} {max}, lowest {min_name} "
                                "{min}. The indicator has no confidence interval, so no difference is tested. "
                                "References: {refs}."),
    "cmp_legend_untested": ("Ei luottamusväliä: eroja ei testata", "No interval: differences not tested"),
    "cmp_col_rank": ("Sija", "Rank"),
    "cmp_col_area": ("Alue", "Area"),
    "cmp_col_interval": ("95 %:n luottamusväli", "95% confidence interval"),
    "cmp_col_crude": ("Vakioimaton", "Crude"),
    "cmp_col_bench": ("Vertailukohta", "Benchmark"),
    "cmp_col_flag": ("Ero vertailukohtaan", "Difference from the benchmark"),
    "cmp_col_change": ("Muutos", "Change"),
    "cmp_col_min": ("Alueiden pienin", "Lowest area"),
    "cmp_col_max": ("Alueiden suurin", "Highest area"),
    "cmp_col_range": ("Alueiden vaihteluväli", "Range of the areas"),
    "cmp_focus": ("Etsi ja lisää kuntia", "Find and add municipalities"),
    "cmp_focus_placeholder": ("Kirjoita kunnan nimi", "Type a municipality's name"),
    "cmp_focus_help": ("Oletuksena näytetään {n} korkeinta ja {n} matalinta sekä valitut kunnat.",
                       "By default the {n} highest and {n} lowest are shown, and the chosen municipalities."),
    "cmp_show_all": ("Näytä kaikki {n}", "Show all {n}"),
    "cmp_focus_note": ("Näytetään {shown}/{n} kuntaa: kärki, häntä ja valitut.",
                       "Showing {shown} of {n} municipalities: top, bottom and chosen."),
    "cmp_funnel_title": ("{name}: suppilokuvio {year}", "{name}: funnel plot {year}"),
    "cmp_funnel_x": ("Nimittäjä (väestö tai tapahtumat), log-asteikko", "Denominator (population or events), log scale"),
    "cmp_funnel_legend": ("Sijainti suppilossa", "Position in the funnel"),
    "cmp_funnel_lines": ("Viivat", "Lines"),
    "cmp_funnel_above998": ("▲ Yli 99,8 %:n rajan", "▲ Above the 99.8% limit"),
    "cmp_funnel_above95": ("▲ Yli 95 %:n rajan", "▲ Above the 95% limit"),
    "cmp_funnel_inside": ("● Rajojen sisällä", "● Within the limits"),
    "cmp_funnel_below95": ("▼ Alle 95 %:n rajan", "▼ Below the 95% limit"),
    "cmp_funnel_below998": ("▼ Alle 99,8 %:n rajan", "▼ Below the 99.8% limit"),
    "cmp_bench_line": ("Vertailukohta {value}", "Benchmark {value}"),
    "cmp_limit95": ("95 %:n valvontaraja", "95% control limit"),
    "cmp_limit998": ("99,8 %:n valvontaraja", "99.8% control limit"),
    "cmp_funnel_crude": ("Suppilokuvio käyttää vakioimattomia lukuja: valvontarajat olettavat yhden väestön.",
                         "The funnel plot uses crude values: its control limits assume one population."),
    "cmp_overdispersion": ("Huomioi ylihajonta", "Allow for over-dispersion"),
    "cmp_overdispersion_help": ("Kun kuntien erot ovat suurempia kuin sattuma selittää (ylihajonta), rajoja "
                                "levennetään kertoimella √φ (Spiegelhalter 2005; φ 10 %:n winsorisoiduista "
                                "z-arvoista). Silloin rajojen ulkopuolelle jäävät vain selvimmin poikkeavat.",
                                "When the municipalities differ more than chance explains (over-dispersion), the "
                                "limits are widened by √φ (Spiegelhalter 2005; φ from 10% winsorised z-scores), so "
                                "only the clearest outliers fall outside."),
    "cmp_phi_note": ("Ylihajontakerroin φ = {phi}: erot ovat suurempia kuin sattuma selittää.",
                     "Over-dispersion factor φ = {phi}: the areas differ more than chance explains."),
    "cmp_phi_none": ("Ylihajontakerroin φ = {phi}: ei merkitsevää ylihajontaa, rajoja ei levennetä.",
                     "Over-dispersion factor φ = {phi}: no significant over-dispersion, the limits are not widened."),
    "cmp_verdicts": ("Tavoitteiden ennusteet", "Target forecasts"),
    "cmp_verdicts_help": ("Kunkin hyvinvointialueen tavoitearvio sen omasta ennusteesta (sama sääntö kuin muilla "
                          "sivuilla). Ensimmäinen avaus laskee puuttuvat ennusteet.",
                          "Each county's target verdict from its own forecast (the same rule as on every page). "
                          "The first view computes forecasts that are missing."),
    "cmp_verdicts_title": ("Tavoitteet hyvinvointialueittain: toteuma tai ennuste", "Targets by county: actual or "
                           "forecast"),
    "cmp_no_funnel": ("Suppilokuvio tarvitsee lukumäärien suhteen ja vertailukohdan; tälle valinnalle sitä ei voi "
                      "piirtää.", "A funnel plot needs a ratio of counts and a benchmark; it cannot be drawn for "
                      "this choice."),
    "cmp_alt_funnel": ("Suppilokuvio: {name}, {n} kuntaa koon mukaan, vertailukohta {bench}. 95 %:n rajojen "
                       "ulkopuolella {out95}, 99,8 %:n rajojen ulkopuolella {out998}: {names}.",
                       "Funnel plot: {name}, {n} municipalities by size, benchmark {bench}. Outside the 95% limits "
                       "{out95}, outside the 99.8% limits {out998}: {names}."),
    "cmp_spine_title": ("{area}: mittarit suhteessa muihin alueisiin {year}", "{area}: indicators against the other "
                        "areas {year}"),
    "cmp_spine_axis": ("← huonompi · vertailukohta keskellä · parempi →", "← worse · benchmark in the middle · better →"),
    "cmp_spine_key": ("Vaalea palkki: kuntien vaihteluväli; tumma: keskimmäinen puolet kunnista; pystyviiva: "
                      "vertailukohta; ◇ tavoite; merkki: alueen arvo (muoto ja väri kertovat eron).",
                      "Light bar: the municipalities' range; dark: their middle half; vertical line: the benchmark; "
                      "◇ target; marker: the area's value (shape and colour give the difference)."),
    "cmp_alt_spine": ("Selkärankakaavio: {area}, {n} mittaria alueiden vaihteluvälin, vertailukohdan ja tavoitteen "
                      "rinnalla; merkitsevästi poikkeavia {sig}.",
                      "Spine chart: {area}, {n} indicators against the areas' range, the benchmark and the target; "
                      "significantly different {sig}."),
    "cmp_change_title": ("{name}: {base} ja {year} alueittain", "{name}: {base} and {year} by area"),
    "cmp_moved_up": ("▲ merkitsevä nousu", "▲ significant rise"),
    "cmp_moved_down": ("▼ merkitsevä lasku", "▼ significant fall"),
    "cmp_moved_same": ("● ei merkitsevää muutosta", "● no significant change"),
    "cmp_alt_change": ("Käsipainokaavio: {name} vuonna {base} (avoin ympyrä) ja {year} (neliö), {n} aluetta; "
                       "merkitsevästi nousseita {up}, laskeneita {down}.",
                       "Dumbbell chart: {name} in {base} (open circle) and {year} (square), {n} areas; "
                       "significant rises {up}, falls {down}."),
    "cmp_scatter_title": ("{x} ja {y} kunnittain {year}", "{x} and {y} by municipality {year}"),
    "cmp_population": ("Väestö", "Population"),
    "cmp_alt_scatter": ("Hajontakuvio: {x} (vaaka) ja {y} (pysty), {n} kuntaa, pisteen koko väestön mukaan; "
                        "korrelaatio {r}.",
                        "Scatter plot: {x} (horizontal) and {y} (vertical), {n} municipalities, dot size by "
                        "population; correlation {r}."),
    "cmp_counties_title": ("Hyvinvointialueet rinnakkain {year} (kaikki alueet = 100)",
                           "The counties side by side {year} (all areas = 100)"),
    "cmp_index_axis": ("Indeksi, kaikki alueet = 100", "Index, all areas = 100"),
    "cmp_index_ref": ("Kaikki alueet = 100", "All areas = 100"),
    "cmp_alt_counties": ("Pistekaavio: {k} hyvinvointialuetta {n} mittarilla indeksinä (kaikki alueet = 100); "
                         "korkein indeksi: {top} mittarissa {top_kpi}, {top_index}.",
                         "Dot chart: {k} counties on {n} indicators as an index (all areas = 100); highest index: {top} "
                         "on {top_kpi}, {top_index}."),
}

# Sign-in, roles, region scope and the audit trail (issue 11).
CATALOGUE.update({
    "auth_title": ("Kirjaudu sisään", "Sign in"),
    "auth_intro": ("Johdon työpöytä on hyvinvointialueen henkilöstön käyttöön. Kirjaudu omalla tunnuksellasi.",
                   "The leadership dashboard is for the county's staff. Sign in with your own account."),
    "auth_intro_oidc": ("Kirjaudu organisaatiosi tunnuksella.", "Sign in with your organisation's account."),
    "auth_oidc": ("Kirjaudu organisaation tunnuksella", "Sign in with your organisation account"),
    "auth_name": ("Käyttäjätunnus", "User name"),
    "auth_password": ("Salasana", "Password"),
    "auth_submit": ("Kirjaudu", "Sign in"),
    "auth_failed": ("Kirjautuminen ei onnistunut. Tarkista käyttäjätunnus ja salasana. Viiden epäonnistuneen "
                    "yrityksen jälkeen tunnus lukitaan 15 minuutiksi.",
                    "Sign-in failed. Check the user name and password. After five failed attempts the account "
                    "is locked for 15 minutes."),
    "auth_expired": ("Istunto päättyi, koska sitä ei käytetty hetkeen. Kirjaudu uudelleen.",
                     "Your session ended after a period of inactivity. Please sign in again."),
    "auth_no_role": ("Tunnuksellesi ei ole annettu käyttöoikeutta johdon työpöytään. Ota yhteys pääkäyttäjään.",
                     "Your account has no access to the leadership dashboard. Contact the administrator."),
    "auth_closed": ("Johdon työpöydällä ei ole vielä käyttäjiä. Ylläpitäjä lisää ensimmäisen komennolla "
                    "`python -m app.users add <tunnus> --role admin`.",
                    "The dashboard has no users yet. An administrator adds the first one with "
                    "`python -m app.users add <name> --role admin`."),
    "auth_signed_in": ("Kirjautunut: {name} ({role})", "Signed in: {name} ({role})"),
    "auth_signout": ("Kirjaudu ulos", "Sign out"),
    "auth_page_denied": ("Sinulla ei ole oikeutta tähän sivuun. Valitse sivu valikosta.",
                         "You do not have access to this page. Choose a page from the menu."),
    "auth_action_denied": ("Sinulla ei ole oikeutta tähän toimintoon. Mitään ei muutettu.",
                           "You are not allowed to do this. Nothing was changed."),
    "auth_demo_banner": ("Kirjautuminen ei ole käytössä: jokainen sivun avaaja voi kokeilla mitä tahansa roolia "
                         "sivupalkin kohdasta Esittelytila. Luo käyttäjä ennen kuin tietovarastoon ladataan oikeita "
                         "tietoja.",
                         "Sign-in is not in use: anyone who opens the page can try any role under Demo mode in the "
                         "sidebar. Create a user before real data is loaded into the warehouse."),
    "auth_demo_badge": ("ESITTELYTILA", "DEMO MODE"),
    "auth_demo_box": ("Esittelytila: rooli", "Demo mode: role"),
    "auth_demo_role": ("Kokeile roolia", "Try a role"),
    "auth_demo_scope": ("Aluerajaus", "Region scope"),
    "auth_demo_user": ("esittely", "demo"),
    "auth_scope_all": ("Ei rajausta (kaikki alueet)", "No limit (all counties)"),
    "auth_scope_ignored": ("Linkin alue ({value}) ei kuulu käyttöoikeutesi piiriin, joten näytetään oma alueesi.",
                           "The link's region ({value}) is outside your access, so your own region is shown."),
    "auth_param_ignored": ("Linkin arvoa ({value}) ei tunnistettu, joten se ohitettiin.",
                           "The link's value ({value}) was not recognised and was ignored."),
    "auth_scope_caption": ("Käyttöoikeus: {place}", "Access: {place}"),
    "upl_e_out_of_scope": ("Kunta {value} ei kuulu käyttöoikeutesi alueeseen.",
                           "Municipality {value} is outside the region you have access to."),
    "upl_f_out_of_scope": ("Poista rivi tai pyydä tiedot alueen omalta analyytikolta. Sallitut kunnat: {allowed}.",
                           "Remove the row or ask the region's own analyst. Allowed municipalities: {allowed}."),
    "upl_x_scope_replace": ("Korvaava tallennus poistaisi tämän aineiston rivejä myös muilta alueilta, joten se "
                            "ei ole käytettävissä aluerajatulle tunnukselle. Valitse päivittävä tallennus.",
                            "Replacing would delete this dataset's rows of other regions too, so it is not available "
                            "to a region-limited account. Choose the update mode."),
    "section_admin": ("Ylläpito", "Administration"),
    "page_admin": ("Käyttäjät ja tapahtumaloki", "Users and audit trail"),
    "adm_users": ("Käyttäjät", "Users"),
    "adm_audit": ("Tapahtumaloki", "Audit trail"),
    "adm_mode": ("Kirjautumistapa: {mode}", "Sign-in: {mode}"),
    "adm_mode_local": ("paikalliset käyttäjät", "local users"),
    "adm_mode_oidc": ("organisaation tunnistus (OIDC)", "organisation identity provider (OIDC)"),
    "adm_mode_demo": ("esittelytila (ei käyttäjiä)", "demo mode (no users)"),
    "adm_mode_closed": ("suljettu (ei käyttäjiä)", "closed (no users)"),
    "adm_no_users": ("Käyttäjiä ei ole vielä lisätty.", "No users have been added yet."),
    "adm_display": ("Nimi", "Name"),
    "adm_role": ("Rooli", "Role"),
    "adm_scope": ("Aluerajaus", "Region scope"),
    "adm_status": ("Tila", "Status"),
    "adm_active": ("käytössä", "active"),
    "adm_disabled": ("poistettu käytöstä", "disabled"),
    "adm_sign_in": ("Tunnistus", "Sign-in"),
    "adm_oidc": ("organisaation tunnus", "organisation account"),
    "adm_password": ("salasana", "password"),
    "adm_add": ("Lisää käyttäjä", "Add a user"),
    "adm_add_submit": ("Lisää", "Add"),
    "adm_edit": ("Muuta käyttäjää", "Change a user"),
    "adm_pick": ("Käyttäjä", "User"),
    "adm_scope_county": ("Hyvinvointialue", "Wellbeing services county"),
    "adm_scope_munis": ("Kunnat", "Municipalities"),
    "adm_scope_munis_all": ("koko alue", "the whole county"),
    "adm_new_password": ("Uusi salasana (vähintään 12 merkkiä)", "New password (at least 12 characters)"),
    "adm_save_role": ("Tallenna rooli", "Save role"),
    "adm_save_scope": ("Tallenna aluerajaus", "Save region scope"),
    "adm_reset_password": ("Vaihda salasana", "Reset password"),
    "adm_disable": ("Poista käytöstä", "Disable"),
    "adm_enable": ("Ota käyttöön", "Enable"),
    "adm_added": ("Käyttäjä {name} lisättiin.", "User {name} was added."),
    "adm_changed": ("Käyttäjän {name} tiedot tallennettiin.", "User {name} was saved."),
    "adm_err_role": ("Tuntematon rooli.", "Unknown role."),
    "adm_err_county": ("Tuntematon hyvinvointialue.", "Unknown county."),
    "adm_err_municipality": ("Tuntematon kunta: {value}.", "Unknown municipality: {value}."),
    "adm_err_outside_county": ("Kunnat {value} eivät kuulu valittuun alueeseen.",
                               "Municipalities {value} are not in the chosen county."),
    "adm_err_password_short": ("Salasanassa pitää olla vähintään {n} merkkiä.",
                               "The password must have at least {n} characters."),
    "adm_err_password_mismatch": ("Salasanat eivät täsmää.", "The passwords do not match."),
    "adm_err_empty_name": ("Anna käyttäjätunnus.", "Enter a user name."),
    "adm_err_name_taken": ("Käyttäjätunnus on jo käytössä.", "That user name is taken."),
    "adm_err_unknown_user": ("Käyttäjää ei löydy.", "No such user."),
    "adm_err_self_disable": ("Omaa tunnusta ei voi poistaa käytöstä.", "You cannot disable your own account."),
    "adm_window": ("Aikaväli", "Time window"),
    "adm_filter_user": ("Käyttäjä", "User"),
    "adm_filter_text": ("Hae kohteesta tai lisätiedoista", "Search object or detail"),
    "adm_filter_actions": ("Tapahtumat", "Events"),
    "adm_all_actions": ("kaikki tapahtumat", "all events"),
    "adm_n_events": ("{n} tapahtumaa (uusin ensin)", "{n} events (newest first)"),
    "adm_col_at": ("Aika", "Time"),
    "adm_col_action": ("Tapahtuma", "Event"),
    "adm_col_object": ("Kohde", "Object"),
    "adm_col_detail": ("Lisätiedot", "Detail"),
    "adm_audit_file": ("tapahtumaloki.{ext}", "audit_trail.{ext}"),
    "adm_action_signin_ok": ("kirjautuminen", "sign-in"),
    "adm_action_signin_failed": ("epäonnistunut kirjautuminen", "failed sign-in"),
    "adm_action_signin_locked": ("kirjautuminen lukitulla tunnuksella", "sign-in while locked"),
    "adm_action_signout": ("uloskirjautuminen", "sign-out"),
    "adm_action_session_expired": ("istunto vanheni", "session expired"),
    "adm_action_denied": ("pääsy estetty", "access denied"),
    "adm_action_upload": ("tietojen lataus", "upload"),
    "adm_action_rollback": ("latauksen peruminen", "rollback"),
    "adm_action_export": ("vienti", "export"),
    "adm_action_board_pack": ("raporttipaketti", "board pack"),
    "adm_action_classification": ("luokittelun muutos", "classification edit"),
    "adm_action_profile": ("lähdeprofiili", "source profile"),
    "adm_action_user_admin": ("käyttäjähallinta", "user administration"),
    "adm_action_scope_ignored": ("aluerajauksen ulkopuolinen linkki", "out-of-scope link"),
    "adm_action_forecast_run": ("ennusteajo", "forecast run"),
    "cb_edit_readonly": ("Luokittelua muokkaavat analyytikot ja pääkäyttäjät; alla voimassa olevat säännöt.",
                         "Analysts and administrators edit the classification; the rules in force are below."),
    "role_viewer": ("katselija", "viewer"),
    "role_analyst": ("analyytikko", "analyst"),
    "role_executive": ("johto", "executive"),
    "role_admin": ("pääkäyttäjä", "administrator"),
})

# --- issue 13: the mapping step, source profiles, value mapping, layouts ---------------------------------------
CATALOGUE.update({
    "upl_drop_hint": ("Vedä tiedosto alla olevaan kenttään tai valitse se sen Upload-painikkeella (kentän omat tekstit "
                      "ovat Streamlitin englanninkielisiä, ks. saavutettavuusseloste). Vain .xlsx tai .csv, enintään "
                      "{mb} Mt.",
                      "Drag the file onto the field below or choose it with its button. Only .xlsx or .csv, at most "
                      "{mb} MB."),
    "upl_e_share_without_denominator": ("Sarake '{value}' on osuus, mutta tiedostossa ei ole sen nimittäjää ({other}). "
                                        "Otsikkorivi {header_row}, otsikot: {headers}.",
                                        "Column '{value}' is a share, but the file has no denominator ({other}). "
                                        "Header row {header_row}, headers: {headers}."),
    "upl_f_share_without_denominator": ("Osuutta ei voi muuttaa lukumääräksi ilman nimittäjää: lisää sarake {other} "
                                        "tai anna lukumäärät (otsikkorivi {header_row}).",
                                        "A share cannot become a count without its denominator: add the column "
                                        "{other} or give counts (header row {header_row})."),
    "upl_nearest_pick": ("{column}: {found}", "{column}: {found}"),
    "upl_nearest_none": ("ei yhtään samankaltaista otsikkoa", "no similar header"),
    "upl_nearest_one": ("'{header}' {score} %", "'{header}' {score}%"),
    "upl_nearest_why": ("alle varman rajan 100 %", "below the sure limit of 100%"),
    "upl_n_wide_layout": ("Taulukko {sheet}: kaudet sarakkeina ({first}–{last}, {n} saraketta rivillä {row}) "
                          "muutettiin riveiksi.", "Sheet {sheet}: periods as columns ({first}–{last}, {n} columns on "
                          "row {row}) turned into rows."),
    "upl_n_wide_empty": ("Taulukko {sheet}: {n} tyhjää kausisolua ohitettiin.", "Sheet {sheet}: {n} empty period cells "
                         "skipped."),
    "upl_n_totals_column": ("Taulukko {sheet}: yhteensä-sarake ohitettiin: {names}.",
                            "Sheet {sheet}: totals column skipped: {names}."),
    "upl_n_period_from_header": ("Taulukko {sheet}: riveillä ei ole kautta, joten kausi {period} otettiin otsikosta "
                                 "'{header}' ({where}).", "Sheet {sheet}: the rows have no period, so the period "
                                 "{period} was taken from the header '{header}' ({where})."),
    "upl_n_share_to_count": ("Taulukko {sheet}: osuus '{header}' muutettiin lukumääräksi nimittäjästä '{denominator}'.",
                             "Sheet {sheet}: the share '{header}' became a count of its denominator '{denominator}'."),
    "upl_n_profile_used": ("Lähdeprofiili '{name}' käytettiin: sarakkeet ja arvot kohdistettiin kuten viimeksi.",
                           "Source profile '{name}' applied: columns and values mapped as last time."),
    "upl_n_table_end": ("Taulukko {sheet}: taulukko päättyi riviin {last}; rivistä {row} alkava toinen taulukko "
                        "ohitettiin.", "Sheet {sheet}: the table ended at row {last}; a second table from row {row} "
                        "was ignored."),
    "upl_n_hidden_columns": ("Taulukko {sheet}: piilotetut sarakkeet {names} (* = ei käytetty).",
                             "Sheet {sheet}: hidden columns {names} (* = not used)."),
    "upl_n_encoding_utf16": ("Merkistö: UTF-16 (Unicode-teksti).", "Encoding: UTF-16 (Unicode text)."),
    "upl_n_name_to_code": ("{n} nimeä tai eri kirjainkoolla kirjoitettua koodia muutettiin koodeiksi.",
                           "{n} names or codes in other letter case became codes."),
    "upl_n_value_mapped": ("{n} arvoa kohdistettiin vastaavuustaulukon mukaan.", "{n} values mapped by the value table."),
    "upl_map_needed": ("Tiedostoa ei voi vielä tallentaa: vahvista alla sarakkeiden ja arvojen vastaavuus. Taulukko "
                       "kertoo, mitä ei tunnistettu varmasti.", "The file cannot be stored yet: confirm the column and "
                       "value mapping below. The table says what was not recognised for sure."),
    "upl_map_title": ("Sarakkeiden vastaavuus", "Column mapping"),
    "upl_map_intro": ("Kaikki otsikot eivät vastanneet mallipohjaa varmasti. Tarkista kunkin sarakkeen valinta "
                      "(varmuus suluissa) ja vahvista kerran: vastaavuus tallentuu lähdeprofiiliksi, ja saman "
                      "lähteen seuraava tiedosto luetaan kysymättä.",
                      "Not every header matched the template for sure. Check each column's choice (confidence in "
                      "brackets) and confirm once: the mapping is saved as a source profile, and the next file "
                      "from the same source is read without questions."),
    "upl_map_none": ("(ei saraketta)", "(no column)"),
    "upl_map_const": ("vakio: {value}", "constant: {value}"),
    "upl_map_unspec": ("ei määritelty", "not specified"),
    "upl_map_option": ("{header} ({score} %)", "{header} ({score}%)"),
    "upl_map_wide": ("kausisarakkeet", "the period columns"),
    "upl_map_constant_input": ("Vakio, jos tiedostossa ei ole saraketta: {column}",
                               "Constant when the file lacks the column: {column}"),
    "upl_map_profile_name": ("Lähdeprofiilin nimi", "Source profile name"),
    "upl_map_profile_default": ("{dataset}: {file}", "{dataset}: {file}"),
    "upl_map_confirm": ("Vahvista vastaavuus ja tallenna profiili", "Confirm the mapping and save the profile"),
    "upl_map_values_title": ("Arvojen vastaavuus", "Value mapping"),
    "upl_map_values_intro": ("Näitä arvoja ei tunnistettu. Valitse kullekin oikea koodi; valinta tallentuu profiiliin.",
                             "These values were not recognised. Choose the right code for each; the choice is saved "
                             "in the profile."),
    "upl_map_value_label": ("{column}: '{value}'", "{column}: '{value}'"),
    "upl_map_saved": ("Lähdeprofiili '{name}' tallennettu.", "Source profile '{name}' saved."),
    "upl_profiles": ("Lähdeprofiilit", "Source profiles"),
    "upl_profiles_none": ("Ei tallennettuja lähdeprofiileja.", "No saved source profiles."),
    "upl_profile_pick": ("Profiili", "Profile"),
    "upl_profile_new_name": ("Uusi nimi", "New name"),
    "upl_profile_rename": ("Nimeä uudelleen", "Rename"),
    "upl_profile_delete": ("Poista profiili", "Delete profile"),
    "upl_profile_renamed": ("Profiili nimettiin uudelleen: {name}.", "Profile renamed: {name}."),
    "upl_profile_deleted": ("Profiili '{name}' poistettiin.", "Profile '{name}' deleted."),
    "upl_pcol_name": ("Nimi", "Name"), "upl_pcol_dataset": ("Aineisto", "Dataset"),
    "upl_pcol_columns": ("Sarakkeita", "Columns"), "upl_pcol_constants": ("Vakioita", "Constants"),
    "upl_pcol_values": ("Arvoja", "Values"), "upl_pcol_by": ("Muokkaaja", "Changed by"),
    "upl_pcol_at": ("Muokattu", "Changed"), "upl_pcol_uses": ("Käyttökertoja", "Uses"),
    "upl_x_profile_name_empty": ("Anna profiilille nimi.", "Give the profile a name."),
    "upl_x_profile_name_taken": ("Nimi '{name}' on jo toisen lähteen profiililla.",
                                 "The name '{name}' is already another source's profile."),
    "upl_x_profile_missing": ("Profiilia '{name}' ei ole (joku poisti sen juuri).",
                              "There is no profile '{name}' (someone just deleted it)."),
    "upl_x_grain_overlap": ("Tietovarastossa on samoille kuukausille ja kunnille {other} rivejä. Lisäys laskisi "
                            "kokonaismäärät kahteen kertaan: valitse tila 'Korvaa', niin kuukauden ja kunnan rivit "
                            "korvataan tällä tiedostolla.",
                            "The warehouse has {other} rows for the same months and municipalities. Adding would count "
                            "totals twice: choose 'Replace' so that the month and municipality rows are replaced by "
                            "this file."),
    "upl_grain_finer": ("tarkemman tason", "finer-grained"),
    "upl_grain_coarser": ("karkeamman tason ('ei määritelty')", "coarser ('not specified')"),
    "upl_coarse_kpis": ("Tiedosto on karkeammalla tasolla: {columns} tallennetaan arvolla 'ei määritelty'. Mittarit, "
                        "jotka tarvitsevat näitä tietoja, eivät näytä näitä rivejä oikein jaoteltuina: {kpis}.",
                        "The file is coarser: {columns} are stored as 'not specified'. Indicators that need these "
                        "dimensions cannot split these rows: {kpis}."),
    # --- h15b: e-mail subscriptions (monthly board pack) and KPI alerts (issue 15) -------------------------------
    "adm_action_subscribe": ("tilauksen teko", "subscribe"),
    "adm_action_unsubscribe": ("tilauksen peruminen", "unsubscribe"),
    "adm_action_mail_sent": ("sähköposti lähetetty", "e-mail sent"),
    "adm_action_mail_failed": ("sähköpostin lähetys epäonnistui", "e-mail failed"),
    "adm_err_email": ("Sähköpostiosoite ei kelpaa (muoto nimi@organisaatio.fi).",
                      "The e-mail address is not valid (form name@organisation.fi)."),
    "mail_light_green": ("vihreä", "green"),
    "mail_light_amber": ("keltainen", "amber"),
    "mail_light_red": ("punainen", "red"),
    "mail_light_none": ("ei arviota", "no verdict"),
    "mail_hello": ("Hei {name},", "Hello {name},"),
    "mail_verdict": ("Tavoitearvio", "Target verdict"),
    "mail_target": ("Tavoite {target} ({date})", "Target {target} ({date})"),
    "mail_judged": ("Arvioitu arvo", "Judged value"),
    "mail_value": ("Arvo", "Value"),
    "mail_open": ("Avaa", "Open"),
    "mail_open_view": ("Avaa {name} työpöydällä", "Open {name} on the dashboard"),
    "mail_open_dashboard": ("Avaa johdon työpöytä", "Open the leadership dashboard"),
    "mail_alert_subject_one": ("Mittarihälytys: {name} – nyt {state}", "Indicator alert: {name} – now {state}"),
    "mail_alert_subject_many": ("Mittarihälytys: {n} mittarin tila muuttui", "Indicator alert: {n} indicators changed"),
    "mail_alert_intro": ("Tilaamiesi mittareiden tila muuttui uusimmissa tiedoissa ({place}):",
                         "The status of indicators you follow changed in the latest data ({place}):"),
    "mail_alert_footer": ("Saat tämän viestin, koska tilasit mittarihälytykset johdon työpöydältä. Tilaukset voi "
                          "perua Mittarin tiedot -sivulla:",
                          "You receive this because you subscribed to indicator alerts on the leadership "
                          "dashboard. Manage them on the Indicator details page:"),
    "mail_pack_subject": ("Raporttipaketti: {title} · {period}", "Board pack: {title} · {period}"),
    "mail_pack_intro": ("Liitteenä raporttipaketti \"{title}\" ({subtitle}), tietoversio {version}, {slides} diaa.",
                        "Attached is the board pack \"{title}\" ({subtitle}), data version {version}, {slides} "
                        "slides."),
    "mail_attached": ("Liitteet", "Attachments"),
    "mail_pack_footer": ("Saat tämän viestin, koska tilasit raporttipaketin johdon työpöydältä. Tilauksen voi perua "
                         "Hallituksen raporttipaketti -sivulla:",
                         "You receive this because you subscribed to a board pack on the leadership dashboard. "
                         "Manage it on the Board pack page:"),

    "sub_no_email": ("Sähköpostitilaukset lähetetään käyttäjätiedoissasi olevaan sähköpostiosoitteeseen, jota "
                     "sinulla ei vielä ole. Pyydä ylläpitäjää lisäämään se (python -m app.users email NIMI OSOITE).",
                     "Subscriptions are sent to the e-mail address in your user record, which you do not have yet. "
                     "Ask an administrator to add it (python -m app.users email NAME ADDRESS)."),
    "sub_pack_title": ("Tilaa sähköpostina", "Subscribe by e-mail"),
    "sub_pack_intro": ("Tallennettu valinta lähetetään PowerPoint- ja PDF-liitteinä osoitteeseen {address} "
                       "omalla aluerajauksellasi ja tällä kielellä.",
                       "A saved selection is sent as PowerPoint and PDF attachments to {address}, limited to your "
                       "region and in this language."),
    "sub_pack_none_saved": ("Tallenna ensin valinta, niin voit tilata sen.", "Save a selection first to subscribe to it."),
    "sub_pack_selection": ("Tilattava valinta", "Selection to subscribe to"),
    "sub_schedule": ("Milloin", "When"),
    "sub_schedule_monthly": ("kuukauden ensimmäisenä arkipäivänä", "on the first workday of the month"),
    "sub_schedule_version": ("kun tiedot päivittyvät", "when the data is updated"),
    "sub_subscribe": ("Tilaa", "Subscribe"),
    "sub_pack_ok": ("Tilattu: \"{name}\" lähetetään osoitteeseen {address}.",
                    "Subscribed: \"{name}\" will be sent to {address}."),
    "sub_alerts_title": ("Tilaukset", "Subscriptions"),
    "sub_alert_intro": ("Saat sähköpostin osoitteeseen {address}, kun tämän mittarin liikennevalo tai tavoitearvio "
                        "muuttuu tietojen päivittyessä (omalla aluerajauksellasi).",
                        "Get an e-mail at {address} when this indicator's traffic light or target verdict changes "
                        "with new data (for your region)."),
    "sub_alert_on": ("Tämän mittarin muutoksista lähetetään sähköposti osoitteeseen {address}.",
                     "Changes of this indicator are e-mailed to {address}."),
    "sub_alert_start": ("Tilaa mittarihälytys", "Subscribe to alerts"),
    "sub_alert_stop": ("Lopeta tämän mittarin hälytykset", "Stop alerts on this indicator"),
    "sub_alert_no_target": ("Tällä mittarilla ei ole tavoitetta, joten siitä ei lähetetä hälytyksiä.",
                            "This indicator has no target, so no alerts are sent on it."),
    "sub_alert_ok": ("Hälytys tilattu: {name} ({address}).", "Alert subscribed: {name} ({address})."),
    "sub_alert_removed": ("Hälytys lopetettu: {name}.", "Alert stopped: {name}."),
    "sub_none": ("Ei tilauksia.", "No subscriptions."),
    "sub_kind_pack": ("raporttipaketti", "board pack"),
    "sub_kind_alert": ("mittarihälytys", "indicator alert"),
    "sub_remove": ("Peru", "Remove"),
    "sub_remove_help": ("Peru tilaus: {name}", "Remove the subscription: {name}"),
    "adm_email": ("Sähköposti", "E-mail"),
    "adm_email_help": ("Osoite, johon käyttäjän tilaamat raporttipaketit ja mittarihälytykset lähetetään; tyhjä "
                       "poistaa sen.", "Where the user's board-pack subscriptions and indicator alerts are sent; "
                       "empty removes it."),
    "adm_save_email": ("Tallenna sähköposti", "Save e-mail"),
    # --- issue 15 (h15a): the view in the URL, saved views ("Omat näkymät"), notes on KPIs ("Huomautukset") ---
    "sv_title": ("Omat näkymät", "My views"),
    "sv_pick": ("Tallennettu näkymä", "Saved view"),
    "sv_open": ("Avaa", "Open"),
    "sv_delete": ("Poista", "Delete"),
    "sv_start": ("Aseta aloitusnäkymäksi", "Set as start view"),
    "sv_start_off_button": ("Poista aloitusnäkymä", "Remove start view"),
    "sv_role": ("Roolin oletusnäkymä", "Role's default view"),
    "sv_role_button": ("Aseta roolin aloitusnäkymäksi", "Set as the role's start view"),
    "sv_none": ("Ei tallennettuja näkymiä. Tallenna nykyinen näkymä nimellä: sivu, suodattimet ja valinnat.",
                "No saved views yet. Save the current view by name: page, filters and choices."),
    "sv_name": ("Näkymän nimi", "View name"),
    "sv_save": ("Tallenna nykyinen näkymä", "Save current view"),
    "sv_no_name": ("Anna näkymälle nimi ennen tallennusta.", "Give the view a name before saving."),
    "sv_saved": ("Näkymä \"{name}\" tallennettu.", "View \"{name}\" saved."),
    "sv_deleted": ("Näkymä \"{name}\" poistettu.", "View \"{name}\" deleted."),
    "sv_start_set": ("Näkymä \"{name}\" avautuu, kun avaat työpöydän etusivun.",
                     "View \"{name}\" opens when you open the dashboard's front page."),
    "sv_start_off": ("Näkymä \"{name}\" ei ole enää aloitusnäkymä.", "View \"{name}\" is no longer the start view."),
    "sv_role_set": ("Näkymä \"{name}\" on roolin {role} aloitusnäkymä.", "View \"{name}\" is the start view of role {role}."),
    "nt_title": ("Huomautukset", "Notes"),
    "nt_intro": ("Analyytikoiden huomautukset tästä mittarista (esim. uusi puhelinjärjestelmä 3/2025). Ne näkyvät "
                 "mittarin kaavioissa, taulukoissa, vienneissä ja raporttipaketissa, kun näkymä kattaa huomautuksen "
                 "alueen.",
                 "Analysts' notes on this indicator (e.g. a new phone system 3/2025). They show on the indicator's "
                 "charts, tables, exports and board pack when the view covers the note's region."),
    "nt_none": ("Tällä mittarilla ei ole huomautuksia tässä näkymässä.", "This indicator has no notes in this view."),
    "nt_col": ("Huomautus", "Note"),
    "nt_col_period": ("Ajankohta", "Period"),
    "nt_col_region": ("Alue", "Region"),
    "nt_col_text": ("Huomautus", "Note"),
    "nt_col_by": ("Muokkaaja", "Edited by"),
    "nt_col_at": ("Muokattu", "Edited"),
    "nt_whole_area": ("Koko alue", "Whole area"),
    "nt_same_month": ("(sama kuukausi)", "(same month)"),
    "nt_add": ("Lisää huomautus", "Add a note"),
    "nt_text": ("Huomautuksen teksti", "Note text"),
    "nt_placeholder": ("esim. uusi puhelinjärjestelmä käyttöön", "e.g. new phone system in use"),
    "nt_from": ("Alkaen", "From"),
    "nt_to": ("Päättyen", "Until"),
    "nt_region": ("Alue", "Region"),
    "nt_save": ("Tallenna huomautus", "Save note"),
    "nt_edit": ("Muokkaa tai poista huomautus", "Edit or delete a note"),
    "nt_pick": ("Huomautus", "Note"),
    "nt_save_edit": ("Tallenna muutokset", "Save changes"),
    "nt_delete": ("Poista huomautus", "Delete note"),
    "nt_done_add": ("Huomautus tallennettu.", "Note saved."),
    "nt_done_edit": ("Huomautuksen muutokset tallennettu.", "Changes to the note saved."),
    "nt_done_delete": ("Huomautus poistettu.", "Note deleted."),
    "nt_error_empty": ("Kirjoita huomautukselle teksti.", "Write a text for the note."),
    "nt_error_missing": ("Huomautusta ei enää ole tässä näkymässä (se on ehkä poistettu).",
                         "The note is no longer in this view (it may have been deleted)."),
    "nt_caption": ("Huomautus {period}: {text}", "Note {period}: {text}"),
    "nt_caption_more": ("… ja {n} muuta huomautusta (puhujan muistiinpanoissa).",
                        "… and {n} more notes (in the speaker notes)."),
    "nt_notes_head": ("Huomautukset:", "Notes:"),
    "adm_action_annotation": ("huomautus", "note"),
    "adm_action_saved_view": ("tallennettu näkymä", "saved view"),
})


# --- issue 15, rough edges (h15c): composite status, formula in words, axes, child budget, deficit, upload,
# --- the accessibility statement ---------------------------------------------------------------------------------
CATALOGUE.update({
    "score_of_100": ("pistettä 100:sta", "points out of 100"),
    "composite_short": ("Tavoitteesta jäljessä olevia mittareita: {n} (ks. laskenta)",
                        "Indicators short of their target: {n} (see how it was computed)"),
    "composite_meets": ("Tavoitteessa", "On target"),
    "composite_yes": ("● kyllä", "● yes"),
    "composite_no": ("■ ei", "■ no"),
    "composite_na": ("–", "–"),
    # Mittarin tiedot: the formula in words
    "formula_sql": ("Näytä SQL-kysely", "Show the SQL query"),
    "formula_sql_note": ("Kysely valituilla rajauksilla ({place}, {year}), tietovaraston murteella {dialect}.",
                         "The query for the chosen filters ({place}, {year}), in the warehouse's dialect {dialect}."),
    "formula_or": ("{first} tai {last}", "{first} or {last}"),
    "formula_age": ("{group} v.", "aged {group}"),
    "formula_mean_of": ("{what}, keskiarvo", "{what}, mean"),
    "formula_monthly_mean_words": ("kuukausien keskiarvo", "mean over the months"),
    "formula_annualised_words": ("muutettuna vuositasolle (× 12 / jakson kuukausien määrä)",
                                 "annualised (× 12 / months in the period)"),
    "formula_limited": ("Rajaus", "Limited to"),
    "formula_col_service_area": ("palvelualue", "service area"),
    "formula_col_age_group": ("ikäryhmä", "age group"),
    "formula_col_channel": ("asiointikanava", "channel"),
    "formula_col_profession": ("ammattiryhmä", "profession"),
    "formula_col_kpi_id": ("ladattu sarja", "uploaded series"),
    "formula_prof_doctor": ("lääkäri", "doctor"),
    "suppression_rule_short": ("alle {n} henkilön luvut piilotetaan", "counts below {n} are hidden"),
    "target_at_most": ("enintään {value}", "at most {value}"),
    "measure_population": ("asukkaat", "residents"),
    "measure_contacts": ("kontaktit", "contacts"),
    "measure_remote_contacts": ("etäkontaktit (puhelin, video, chat)", "remote contacts (phone, video, chat)"),
    "measure_clients": ("asiakkaat", "clients"),
    "measure_doctor_contacts": ("lääkärikontaktit", "doctor contacts"),
    "measure_dental_contacts": ("hammashoidon kontaktit", "dental contacts"),
    "measure_digital_contacts": ("kontaktit", "contacts"),
    "measure_cg_visits": ("kiireettömät käynnit", "non-urgent visits"),
    "measure_cg_within_7d": ("käynnit 7 vrk:n kuluessa hoidon tarpeen arviosta",
                             "visits within 7 days of the care-need assessment"),
    "measure_cg_within_14d": ("käynnit 14 vrk:n kuluessa hoidon tarpeen arviosta",
                              "visits within 14 days of the care-need assessment"),
    "measure_cg_within_90d": ("käynnit 3 kuukauden kuluessa hoidon tarpeen arviosta",
                              "visits within 3 months of the care-need assessment"),
    "measure_t3_days": ("päivät kolmanteen vapaaseen aikaan (T3)", "days to the third free appointment (T3)"),
    "measure_calls": ("saapuneet puhelut", "incoming calls"),
    "measure_calls_answered": ("vastatut puhelut", "answered calls"),
    "measure_callbacks": ("takaisinsoitot", "callbacks"),
    "measure_callback_delay_days": ("takaisinsoittojen viiveet yhteensä (vrk)", "callback delays in total (days)"),
    "measure_eservice_users": ("sähköisen asioinnin käyttäjät", "e-service users"),
    "measure_team_clients": ("tiimiasiakkaat", "team clients"),
    "measure_multi_service_clients": ("paljon palveluja tarvitsevat asiakkaat", "multi-service clients"),
    "measure_coc_same": ("saman ammattilaisen peräkkäiset käyntiparit", "consecutive visit pairs with the same professional"),
    "measure_coc_total": ("kaikki peräkkäiset käyntiparit", "all consecutive visit pairs"),
    "measure_cost_actual": ("toteutuneet nettokustannukset (€)", "actual net costs (€)"),
    "measure_cost_budget": ("talousarvion nettokustannukset (€)", "budgeted net costs (€)"),
    "measure_series_value": ("analyytikon lataama kuntien arvo", "the municipalities' uploaded value"),
    "cb_fixed_help": ("Lasten osuus prosentteina, esim. 12,5. Tyhjä, kun avain ei ole kiinteä osuus.",
                      "The children's share in per cent, e.g. 12.5. Empty unless the key is a fixed share."),
    "cb_col_child_band": ("Lapsille (väli)", "To children (band)"),
    # the accessibility statement (saavutettavuusseloste), law 306/2019
    "page_accessibility": ("Saavutettavuusseloste", "Accessibility statement"),
    "a11y_intro": ("Tämä seloste koskee Johdon työpöytä -palvelua (hyvinvointialueen johdon tietopalvelu). "
                   "Digitaalisten palvelujen saavutettavuudesta säädetään laissa digitaalisten palvelujen "
                   "tarjoamisesta (306/2019); vaatimuksena on WCAG 2.1 -ohjeiston tasot A ja AA.",
                   "This statement covers the Leadership dashboard service (the wellbeing services county's "
                   "management information service). The accessibility of digital services is governed by the Act "
                   "on the Provision of Digital Services (306/2019); the requirement is WCAG 2.1 levels A and AA."),
    "a11y_status_title": ("Saavutettavuuden tila", "Compliance status"),
    "a11y_status": ("Palvelu täyttää saavutettavuusvaatimukset **osittain**. Puutteet ja niiden syyt on lueteltu "
                    "alla.", "The service is **partially compliant** with the accessibility requirements. The "
                    "non-compliances and their reasons are listed below."),
    "a11y_gaps_title": ("Sisältö, joka ei ole saavutettavaa", "Non-accessible content"),
    "a11y_gaps_intro": ("Palvelu on tehty Streamlit-sovelluskehyksellä (versio {version}). Seuraavat puutteet "
                        "johtuvat kehyksen omista osista, joita sen julkinen rajapinta ei anna muuttaa:",
                        "The service is built on the Streamlit framework (version {version}). The following "
                        "gaps come from the framework's own parts, which its public interface does not let us "
                        "change:"),
    "a11y_gap_uploader": ("Tiedoston latauskentän painike ja kokorajan teksti ovat englanniksi (\"Upload\", "
                          "\"… per file\"; Streamlit {version}: vain otsikko, ohje ja kokoraja "
                          "(server.maxUploadSize) ovat muutettavissa). Kentän yllä on ohje suomeksi "
                          "(WCAG 3.1.2 Osien kieli).",
                          "The file upload field's button and size-limit text are in English (\"Upload\", "
                          "\"… per file\"; Streamlit {version}: only the label, help and size limit "
                          "(server.maxUploadSize) can be set). Instructions in the user's language are above the "
                          "field (WCAG 3.1.2 Language of Parts)."),
    "a11y_gap_builtin_english": ("Kehyksen omat tekstit ovat englanniksi myös suomenkielisessä näkymässä: "
                                 "taulukoiden työkalurivin painikkeet (haku, lataus, koko näyttö), valintalistan "
                                 "\"No results\" ja yhteyden katkeamisen ilmoitus (WCAG 3.1.2).",
                                 "The framework's own texts stay in English in the Finnish view too: the table "
                                 "toolbar's buttons (search, download, full screen), a selection list's "
                                 "\"No results\" and the connection-lost notice (WCAG 3.1.2)."),
    "a11y_gap_grid": ("Vuorovaikutteiset taulukot piirretään canvas-elementtiin: ruudunlukija lukee niitä vain "
                      "solu kerrallaan taulukon omalla näppäimistöohjauksella (WCAG 1.3.1 Informaatio ja "
                      "suhteet). Samat luvut saa Excel- ja CSV-tiedostona, ja keskeiset taulukot ovat tavallisia "
                      "HTML-taulukoita.",
                      "Interactive tables are drawn on a canvas element: a screen reader reads them only cell by "
                      "cell with the table's own keyboard control (WCAG 1.3.1 Info and Relationships). The same "
                      "numbers are available as Excel and CSV files, and the key tables are plain HTML tables."),
    "a11y_gap_toolbar_focus": ("Taulukoiden ja kaavioiden työkalurivi tulee näkyviin vasta hiiren tai "
                               "näppäimistön kohdistuksen osuessa elementtiin (WCAG 1.4.13 Osoitettaessa tai "
                               "kohdistettaessa näytettävä sisältö).",
                               "The toolbar of tables and charts appears only when the pointer or the keyboard "
                               "focus reaches the element (WCAG 1.4.13 Content on Hover or Focus)."),
    "a11y_own_title": ("Näin palvelu korvaa puutteita", "How the service makes up for them"),
    "a11y_own_charts": ("Jokaisella kaaviolla on tekstivastine ja sen luvut taulukkona.",
                        "Every chart has a text alternative and its numbers as a table."),
    "a11y_own_colour": ("Merkitys ei ole koskaan pelkän värin varassa: tila kerrotaan myös muodolla ja sanalla.",
                        "Meaning never rests on colour alone: a status also has a shape and a word."),
    "a11y_own_keyboard": ("Suodattimet, valikko, mittarin tiedot ja kaavioiden vienti toimivat näppäimistöllä.",
                          "The filters, the menu, indicator details and chart exports work with the keyboard."),
    "a11y_own_languages": ("Palvelu on suomeksi ja englanniksi; kielen voi vaihtaa jokaisella sivulla.",
                           "The service is in Finnish and English; the language can be switched on every page."),
    "a11y_feedback_title": ("Palaute ja yhteystiedot", "Feedback and contact information"),
    "a11y_feedback": ("Jos huomaat saavutettavuuspuutteen, joka ei ole tässä listassa, tai tarvitset sisällön "
                      "saavutettavassa muodossa, kerro siitä meille. Vastaamme 14 päivän kuluessa.",
                      "If you notice an accessibility gap that is not listed here, or need content in an "
                      "accessible form, tell us. We answer within 14 days."),
    "a11y_contact": ("Saavutettavuuspalaute: {contact}", "Accessibility feedback: {contact}"),
    "a11y_contact_admin": ("Saavutettavuuspalautteen osoitetta ei ole vielä asetettu (asetus "
                           "DASHBOARD_A11Y_CONTACT): ota yhteyttä palvelun pääkäyttäjään.",
                           "No address for accessibility feedback has been set yet (setting "
                           "DASHBOARD_A11Y_CONTACT): contact the service's administrator."),
    "a11y_supervisor_title": ("Valvontaviranomainen", "Supervisory authority"),
    "a11y_supervisor": ("Jos et saa vastausta 14 päivässä tai vastaus ei tyydytä, voit tehdä ilmoituksen "
                        "valvontaviranomaiselle. Saavutettavuusvaatimusten valvonta siirtyi 1.1.2025 Etelä-Suomen "
                        "aluehallintovirastolta Liikenne- ja viestintävirasto Traficomille (laki 306/2019 "
                        "muutoksineen).  \nLiikenne- ja viestintävirasto Traficom, saavutettavuusvalvonta  \n"
                        "www.saavutettavuusvaatimukset.fi  \nsaavutettavuus@traficom.fi  \npuhelinvaihde "
                        "029 534 5000",
                        "If you get no answer within 14 days or the answer does not satisfy you, you may notify the "
                        "supervisory authority. Supervision of the accessibility requirements moved on 1 January "
                        "2025 from the Regional State Administrative Agency for Southern Finland to the Finnish "
                        "Transport and Communications Agency Traficom (Act 306/2019 as amended).  \n"
                        "Finnish Transport and Communications Agency Traficom, accessibility supervision  \n"
                        "www.webaccessibility.fi  \nsaavutettavuus@traficom.fi  \nswitchboard +358 29 534 5000"),
    "a11y_assessed_title": ("Arviointi", "Assessment"),
    "a11y_assessed": ("Seloste on laadittu {date} itsearvioinnin perusteella: automaattinen axe-core-tarkastus "
                      "(WCAG 2.1 A ja AA) jokaisella sivulla suomeksi ja englanniksi 1280 × 720 -ikkunassa ja "
                      "suuressa ikkunassa, sekä näppäimistötesti (Tab, Enter, nuolinäppäimet) Chromium-selaimella. "
                      "Streamlit-versio {version}.",
                      "This statement was prepared on {date} from a self-assessment: an automatic axe-core audit "
                      "(WCAG 2.1 A and AA) of every page in Finnish and English at a 1280 × 720 window and a large "
                      "one, and a keyboard test (Tab, Enter, arrow keys) in Chromium. Streamlit version {version}."),
    # h15c-end
})

MONTHS = {
    "fi": ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


_log = logging.getLogger("dashboard")
_warned: set[str] = set()


def _code(lang: str) -> str:
    """The catalogue's language for `lang`: English when asked for, Finnish otherwise."""
    return "en" if lang == "en" else "fi"


def _warn_once(key: str, message: str, *args) -> None:
    if key not in _warned:
        _warned.add(key)
        _log.warning(message, key, *args)


class _Keep(dict):
    """A missing format parameter leaves its {placeholder} in the text."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def t(key: str, lang: str = "fi", **fmt) -> str:
    """The catalogue text for `key` in `lang`, formatted with `fmt`. Never raises: an unknown key is logged once
    and comes back as the key itself; a missing parameter leaves its {placeholder}."""
    entry = CATALOGUE.get(key)
    if entry is None:
        _warn_once(key, "i18n: no catalogue entry %r; the key is shown instead")
        return key
    text = entry[1] if _code(lang) == "en" else entry[0]
    if not fmt:
        return text
    for name, value in fmt.items():     # a value ending in an abbreviation (€/as.) that ends a sentence: one stop
        if isinstance(value, str) and value.endswith(".") and "{" + name + "}." in text:
            text = text.replace("{" + name + "}.", "{" + name + "}")
    try:
        return text.format_map(_Keep(fmt))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:
        _warn_once(key, "i18n: catalogue entry %r cannot be formatted (%s); shown unformatted", exc)
        return text


def local_col(name: str, lang: str) -> str:
    """The name of a bilingual column or field in the user's language: local_col("name", "en") == "name_en"."""
    return f"{name}_{_code(lang)}"


def local(obj, name: str, lang: str):
    """`obj`'s bilingual `name` in the user's language: a DataFrame's column, a Series' (a row's) or a dict's
    item, or a named tuple's, dataclass' or object's attribute. local(row, "county", "en") is row["county_en"]."""
    col = local_col(name, lang)
    if isinstance(obj, Mapping) or hasattr(obj, "loc"):       # dict, DataFrame, Series
        return obj[col]
    return getattr(obj, col)


def month_name(month: int, lang: str = "fi") -> str:
    """The short month name (1-12): 'tammi', 'Jan'."""
    return MONTHS[_code(lang)][month - 1]


def month_window(months: tuple[int, int], lang: str = "fi") -> str:
    a, b = months
    if (a, b) == (1, 12):
        return t("full_year", lang)
    if a == b:
        return t("month_long", lang, month=month_name(a, lang))
    return t("month_range", lang, first=month_name(a, lang), last=month_name(b, lang))

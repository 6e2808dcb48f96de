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
    "cb_step_not_targeted": ("− ○ Ei kohdistu lapsiin (punainen)", "− ○ Not targeted (red)"),
    "cb_step_partial_other": ("− ◐ Osittaisista muille kuin lapsille", "− ◐ Partly targeted: others' part"),
    "cb_step_partial_child": ("= ◐ Osittaisista lapsille (keltainen)", "= ◐ Partly targeted: children's part (yellow)"),
    "cb_step_direct": ("= ● Suoraan lapsiin (vihreä)", "= ● Directly to children (green)"),
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
    "cb_changed_by": ("Muuttaja (nimi)", "Changed by (name)"),
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
    "cb_err_who": ("Kirjaa muuttajan nimi.", "Enter who makes the change."),
    "cb_err_no_changes": ("Luokitukseen ei tehty muutoksia.", "The classification was not changed."),
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

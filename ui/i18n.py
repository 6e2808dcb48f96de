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
    "pack_failed": ("Esityksen luonti epäonnistui: {reason}", "Building the deck failed: {reason}"),
    "pack_title": ("Hallituksen raporttipaketti", "Board pack"),
    "pack_made": ("Tietoversio {version} · Laadittu {at}", "Data version {version} · Prepared {at}"),
    "pack_contents": ("Sisältö", "Contents"),
    "pack_regions_title": ("{name} kunnittain, {period}", "{name} by municipality, {period}"),
    "pack_card_title": ("{name}", "{name}"),
    "cap_value": ("{period}: {value}.", "{period}: {value}."),
    "cap_change": ("Muutos edellisestä vuodesta {change}, vuodesta 2019 {base}.",
                   "Change from the previous year {change}, from 2019 {base}."),
    "cap_target": ("Tavoite {target} ({date}): {status}.", "Target {target} ({date}): {status}."),
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
    "direction_higher": ("suurempi on parempi", "higher is better"),
    "direction_lower": ("pienempi on parempi", "lower is better"),
    "direction_neutral": ("ei suuntaa", "no direction"),
    "series_target": ("Tavoite", "Target"),
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

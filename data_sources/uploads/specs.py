"""What an analyst may upload: one DatasetSpec per dataset, declared as data (target table, key, columns,
header aliases in Finnish and English, ranges, code lists). Reader, validator, templates and ingest read it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import child_budget as cb
from .. import schema

UNSPEC = ("unspec",)          # the explicit "not specified" member a coarser extract is stored with (issue 13)

MONTH, YEAR, INT, DEC, CODE, TEXT = "month", "year", "int", "decimal", "code", "text"


@dataclass(frozen=True)
class ColumnSpec:
    name: str                       # column in the warehouse table
    kind: str                       # month | year | int | decimal | code | text
    header_fi: str
    header_en: str
    help_fi: str
    help_en: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    min: float | None = None
    max: float | None = None
    codes: str | tuple[str, ...] | None = None   # "dim_table.column" from the warehouse, or a fixed tuple
    extra_codes: tuple[str, ...] = ()   # allowed besides the warehouse codes (e.g. "*" = every account)
    zero_pad: int = 0               # municipality code 77 -> 077 (Excel drops leading zeros)
    max_len: int = 60

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header_fi, self.header_en, self.name, *self.aliases)


@dataclass(frozen=True)
class DatasetSpec:
    id: str
    name_fi: str
    name_en: str
    table: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    scope: tuple[str, ...]                      # what "replace" mode replaces: these values' rows
    chart_measure: str                          # summed per month in the preview chart
    not_greater: tuple[tuple[str, str], ...] = ()   # (a, b): a <= b on every row (numerator <= denominator)
    required_when: tuple[tuple[str, str, tuple[str, ...]], ...] = ()   # (a, b, values): a needed where b in values
    description_fi: str = ""
    description_en: str = ""
    optional_table: bool = False                # offered only when the warehouse schema has the table
    extra: dict = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fi

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def time_column(self) -> str | None:
        return next((c.name for c in self.columns if c.kind in (MONTH, YEAR)), None)


def _month() -> ColumnSpec:
    return ColumnSpec("month", MONTH, "Kuukausi", "Month", "Kuukauden ensimmäinen päivä, esim. 1.2.2024",
                      "First day of the month, e.g. 2024-02-01", aliases=("kk", "ajankohta", "period", "date",
                                                                          "päivämäärä", "pvm", "tilastokuukausi",
                                                                          "kausi", "månad", "vuosi ja kuukausi"))


def _muni() -> ColumnSpec:
    return ColumnSpec("municipality_code", CODE, "Kuntakoodi", "Municipality code",
                      "Tilastokeskuksen kolminumeroinen kuntakoodi, esim. 077", "Statistics Finland 3-digit code",
                      aliases=("kunta", "kuntanumero", "municipality", "kunta_koodi", "kuntanro", "kunnan numero",
                               "kunnan koodi", "kommun", "kommunkod", "municipality number", "kotikunta"),
                      codes="dim_municipality.municipality_code", zero_pad=3, max_len=3)


def _area(codes="dim_service_area.service_area", extra=()) -> ColumnSpec:
    return ColumnSpec("service_area", CODE, "Palvelualue", "Service area", "Palvelualueen koodi, esim. primary_care",
                      "Service area code, e.g. primary_care", aliases=("palvelu", "tehtäväalue", "palvelualueen nimi",
                                                                     "tulosalue", "serviceområde"),
                      codes=codes, extra_codes=extra, max_len=30)


def _count(name, fi, en, help_fi, help_en, aliases=()) -> ColumnSpec:
    return ColumnSpec(name, INT, fi, en, help_fi, help_en, aliases=aliases, min=0, max=10_000_000)


DATASETS: dict[str, DatasetSpec] = {d.id: d for d in (
    DatasetSpec(
        "contacts", "Palvelukontaktit", "Service contacts", "fact_contacts",
        (_month(),
         ColumnSpec("service_point_id", INT, "Toimipiste", "Service point", "Toimipisteen tunnus (numero)",
                    "Service point id (number)", aliases=("toimipistetunnus", "service_point_id", "yksikkö"),
                    min=0, codes="dim_service_point.service_point_id", extra_codes=("0",)),
         _muni(), _area(extra=UNSPEC),
         ColumnSpec("channel", CODE, "Kanava", "Channel", "in_person, phone, video tai chat",
                    "in_person, phone, video or chat", aliases=("yhteystapa", "asiointikanava", "kontaktityyppi",
                                                                "kontaktin tyyppi"),
                    codes=schema.CHANNELS, extra_codes=UNSPEC),
         ColumnSpec("profession", TEXT, "Ammattiryhmä", "Profession", "Ammattiryhmän koodi, esim. nurse",
                    "Profession code, e.g. nurse", aliases=("ammatti", "ammattinimike", "yrkesgrupp"), max_len=30,
                    extra_codes=UNSPEC),
         ColumnSpec("age_group", CODE, "Ikäryhmä", "Age group", "0-6, 7-12, 13-17, 18-64, 65-74 tai 75+",
                    "0-6, 7-12, 13-17, 18-64, 65-74 or 75+", aliases=("ikä", "age", "ikäluokka", "åldersgrupp"),
                    codes=schema.AGE_GROUPS, extra_codes=UNSPEC),
         _count("contacts", "Kontaktit", "Contacts", "Kontaktien määrä kuukaudessa", "Contacts in the month",
                ("käynnit", "kontaktien määrä", "visits", "käyntimäärä", "käyntien määrä", "kontaktit yhteensä",
                 "besök")),
         _count("clients", "Asiakkaat", "Clients", "Eri asiakkaiden määrä", "Distinct clients",
                ("asiakasmäärä", "henkilöt"))),
        key=("month", "service_point_id", "municipality_code", "service_area", "channel", "profession", "age_group"),
        scope=("month", "municipality_code"), chart_measure="contacts", not_greater=(("clients", "contacts"),),
        description_fi="Avohilmo- tai potilastietojärjestelmän poiminta: kontaktit kuukausittain.",
        description_en="Extract from the patient system: contacts per month."),
    DatasetSpec(
        "care_guarantee", "Hoitotakuu ja saatavuus", "Care-guarantee access", "fact_care_guarantee",
        (_month(), _muni(), _area(("primary_care", "dental")),
         _count("visits_total", "Kiireettömät käynnit", "Non-urgent visits", "Kiireettömien käyntien määrä",
                "Number of non-urgent visits", ("käynnit yhteensä", "visits")),
         _count("visits_within_7d", "Käynnit 7 vrk:ssa", "Visits within 7 days",
                "Käynnit, jotka toteutuivat 7 vrk:n kuluessa hoidon tarpeen arviosta", "Visits within 7 days",
                ("7 vrk", "within 7 days")),
         _count("visits_within_14d", "Käynnit 14 vrk:ssa", "Visits within 14 days",
                "Käynnit 14 vrk:n kuluessa", "Visits within 14 days", ("14 vrk", "within 14 days")),
         _count("visits_within_90d", "Käynnit 3 kk:ssa", "Visits within 3 months",
                "Käynnit 3 kuukauden (90 vrk) kuluessa", "Visits within 3 months (90 days)",
                ("3 kk", "90 vrk", "within 90 days"))),
        key=("month", "municipality_code", "service_area"), scope=("month", "municipality_code"),
        chart_measure="visits_total",
        not_greater=(("visits_within_7d", "visits_within_14d"), ("visits_within_14d", "visits_within_90d"),
                     ("visits_within_90d", "visits_total")),
        description_fi="Kiireettömän hoidon toteutuminen 7 ja 14 vuorokaudessa sekä 3 kuukaudessa.",
        description_en="Non-urgent care within 7 and 14 days and within 3 months."),
    DatasetSpec(
        "phone", "Puhelinpalvelu", "Phone service", "fact_phone",
        (_month(), _muni(), _area(),
         _count("calls", "Puhelut", "Calls", "Saapuneet puhelut", "Incoming calls", ("saapuneet puhelut",)),
         _count("answered", "Vastatut", "Answered", "Vastatut puhelut", "Answered calls", ("vastatut puhelut", "answered calls")),
         _count("callbacks", "Takaisinsoitot", "Callbacks", "Takaisinsoittopyynnöt", "Callback requests",
                ("takaisinsoittopyynnöt", "callback requests", "soittopyynnöt")),
         ColumnSpec("callback_delay_days_sum", DEC, "Takaisinsoiton viive yhteensä (vrk)",
                    "Callback delay total (days)", "Takaisinsoittojen viiveiden summa vuorokausina",
                    "Sum of callback delays in days", aliases=("viive vrk", "callback delay"), min=0, max=1e9)),
        key=("month", "municipality_code", "service_area"), scope=("month", "municipality_code"),
        chart_measure="calls", not_greater=(("answered", "calls"), ("callbacks", "calls")),
        description_fi="Puhelinjärjestelmän kuukausiraportti.", description_en="Monthly phone-system report."),
    DatasetSpec(
        "costs", "Kustannukset: talousarvio ja toteuma", "Costs: budget and actual", "fact_costs",
        (_month(), _muni(),
         ColumnSpec("service_class", CODE, "Palveluluokka", "Service class", "Palveluluokan koodi, esim. PL101",
                    "Service class code, e.g. PL101", aliases=("palveluluokka koodi",),
                    codes="dim_service_class.service_class", max_len=10),
         ColumnSpec("cost_account", CODE, "Tili", "Account", "Kustannustilin numero, esim. 4000",
                    "Cost account, e.g. 4000", aliases=("kustannustili", "tilinumero", "cost account"),
                    codes="dim_cost_account.cost_account", max_len=10),
         ColumnSpec("budget_eur", DEC, "Talousarvio (€)", "Budget (€)", "Talousarvio euroina",
                    "Budget in euros", aliases=("talousarvio", "ta", "budget"), min=-1e12, max=1e12),
         ColumnSpec("actual_eur", DEC, "Toteuma (€)", "Actual (€)", "Toteutunut nettokustannus euroina",
                    "Actual net cost in euros", aliases=("toteuma", "tot", "actual"), min=-1e12, max=1e12)),
        key=("month", "municipality_code", "service_class", "cost_account"), scope=("month", "municipality_code"),
        chart_measure="actual_eur",
        description_fi="Taloushallinnon poiminta palveluluokittain ja tileittäin.",
        description_en="Finance-system extract by service class and account."),
    DatasetSpec(
        "population", "Väestö", "Population", "fact_population",
        (ColumnSpec("yr", YEAR, "Vuosi", "Year", "Tilastovuosi, esim. 2024", "Statistics year, e.g. 2024",
                    aliases=("vuosi", "year"), min=2000, max=2100),
         _muni(),
         ColumnSpec("age_group", CODE, "Ikäryhmä", "Age group", "0-6, 7-12, 13-17, 18-64, 65-74 tai 75+",
                    "0-6, 7-12, 13-17, 18-64, 65-74 or 75+", aliases=("ikä", "age", "ikäluokka", "åldersgrupp"),
                    codes=schema.AGE_GROUPS),
         _count("population", "Väkiluku", "Population", "Asukkaiden määrä", "Residents", ("asukkaat", "väestö"))),
        key=("yr", "municipality_code", "age_group"), scope=("yr", "municipality_code"),
        chart_measure="population",
        description_fi="Tilastokeskuksen väestörakenne ikäryhmittäin.",
        description_en="Statistics Finland population by age group."),
    DatasetSpec(
        "kpi_series", "Valmis mittarisarja", "Ready KPI series", "fact_kpi_series",
        (ColumnSpec("kpi_id", CODE, "Mittari", "Indicator", "Mittarin tunnus rekisteristä, esim. ips_employment",
                    "Indicator id, e.g. ips_employment", aliases=("mittarin tunnus", "kpi", "indicator id"),
                    codes="registry", max_len=60),
         _month(), _muni(),
         ColumnSpec("value", DEC, "Arvo", "Value", "Mittarin arvo (desimaalipilkku käy)",
                    "Indicator value", aliases=("luku",), min=-1e12, max=1e12)),
        key=("kpi_id", "month", "municipality_code"), scope=("kpi_id", "month"), chart_measure="value",
        description_fi="Muualla laskettu mittari valmiina kuukausisarjana.",
        description_en="An indicator computed elsewhere, given as a monthly series."),
    DatasetSpec(
        "child_budget_class", "Lapsibudjetoinnin luokittelu", "Child-budget classification", "child_budget_class",
        (ColumnSpec("service_class", CODE, "Palveluluokka", "Service class", "Palveluluokan koodi, esim. PL501",
                    "Service class code", codes="dim_service_class.service_class", max_len=10),
         ColumnSpec("cost_account", CODE, "Tili", "Account", "Kustannustili, esim. 4000; * = luokan kaikki tilit",
                    "Cost account, e.g. 4000; * = every account of the class",
                    codes="dim_cost_account.cost_account", extra_codes=(cb.ALL_ACCOUNTS,), max_len=10),
         ColumnSpec("target_class", CODE, "Kohdentuminen", "Targeting", " / ".join(cb.TARGET_CLASSES),
                    " / ".join(cb.TARGET_CLASSES), codes=cb.TARGET_CLASSES, max_len=20),
         ColumnSpec("prevention", CODE, "Ennaltaehkäisy", "Prevention", " / ".join(cb.PREVENTION),
                    " / ".join(cb.PREVENTION), codes=cb.PREVENTION, max_len=20),
         ColumnSpec("allocation_key", CODE, "Jakoperuste", "Allocation key",
                    "Osittain kohdistuvalle riville: " + " / ".join(cb.ALLOCATION_KEYS),
                    "For a partly targeted line: " + " / ".join(cb.ALLOCATION_KEYS), codes=cb.ALLOCATION_KEYS,
                    required=False, max_len=40),
         ColumnSpec("fixed_share", DEC, "Kiinteä osuus", "Fixed share", "Lasten osuus 0-1, kun jakoperuste on fixed",
                    "Child share 0-1 when the allocation key is fixed", required=False, min=0, max=1),
         ColumnSpec("key_source", TEXT, "Jakoperusteen lähde", "Key source",
                    "Osittain kohdistuvalle riville: mistä osuus tulee",
                    "For a partly targeted line: where the share comes from", required=False, max_len=300)),
        key=("service_class", "cost_account"), scope=(), chart_measure="fixed_share", optional_table=True,
        required_when=(("allocation_key", "target_class", ("partial",)),
                       ("key_source", "target_class", ("partial",)),
                       ("fixed_share", "allocation_key", ("fixed",))),
        description_fi="Lapsibudjetoinnin luokitus: palveluluokka ja tili -> lapsiin kohdistuminen. Tallentuu "
                       "luokituksen uudeksi versioksi (kuten Lapsibudjetointi-sivun muokkaus).",
        description_en="Child-budget classification: service class and account -> child targeting. Stored as a "
                       "new classification version (like an edit on the Child budgeting page)."),
)}

"""Warehouse tables (facts and dimensions) and the views that metrics read.

Facts hold codes and counts only; views add the county, the calendar keys (yr, qtr, mon as integers,
so no dialect-specific date functions are needed downstream) and the readable names. This is the latest
schema; data_sources/migrations.py brings a warehouse to it.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

AGE_GROUPS = ("0-6", "7-12", "13-17", "18-64", "65-74", "75+")
CHILD_AGE_GROUPS = ("0-6", "7-12", "13-17")
CHANNELS = ("in_person", "phone", "video", "chat")
REMOTE_CHANNELS = ("phone", "video", "chat")

dim_municipality = sa.Table(
    "dim_municipality", metadata,
    sa.Column("municipality_code", sa.String(3), primary_key=True),
    sa.Column("name_fi", sa.String(60), nullable=False),
    sa.Column("name_sv", sa.String(60), nullable=False),
    sa.Column("county_code", sa.String(4), nullable=False),
    sa.Column("county_fi", sa.String(80), nullable=False),
    sa.Column("county_en", sa.String(80), nullable=False),
)

dim_service_area = sa.Table(
    "dim_service_area", metadata,
    sa.Column("service_area", sa.String(30), primary_key=True),
    sa.Column("name_fi", sa.String(80), nullable=False),
    sa.Column("name_en", sa.String(80), nullable=False),
)

dim_service_class = sa.Table(
    "dim_service_class", metadata,
    sa.Column("service_class", sa.String(10), primary_key=True),
    sa.Column("name_fi", sa.String(100), nullable=False),
    sa.Column("name_en", sa.String(100), nullable=False),
    sa.Column("service_area", sa.String(30), nullable=False),
)

dim_cost_account = sa.Table(
    "dim_cost_account", metadata,
    sa.Column("cost_account", sa.String(10), primary_key=True),
    sa.Column("name_fi", sa.String(80), nullable=False),
    sa.Column("name_en", sa.String(80), nullable=False),
)

dim_service_point = sa.Table(
    "dim_service_point", metadata,
    sa.Column("service_point_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("name_fi", sa.String(80), nullable=False),
)

fact_population = sa.Table(
    "fact_population", metadata,
    sa.Column("yr", sa.Integer, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("age_group", sa.String(6), nullable=False),
    sa.Column("population", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("yr", "municipality_code", "age_group"),
)

fact_contacts = sa.Table(
    "fact_contacts", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("service_point_id", sa.Integer, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("service_area", sa.String(30), nullable=False),
    sa.Column("channel", sa.String(12), nullable=False),
    sa.Column("profession", sa.String(30), nullable=False),
    sa.Column("age_group", sa.String(6), nullable=False),
    sa.Column("contacts", sa.Integer, nullable=False),
    sa.Column("clients", sa.Integer, nullable=False),
)

fact_care_guarantee = sa.Table(
    "fact_care_guarantee", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("service_area", sa.String(30), nullable=False),
    sa.Column("visits_total", sa.Integer, nullable=False),
    sa.Column("visits_within_7d", sa.Integer, nullable=False),
    sa.Column("visits_within_14d", sa.Integer, nullable=False),
    sa.Column("visits_within_90d", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("month", "municipality_code", "service_area"),
)

fact_t3 = sa.Table(
    "fact_t3", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("service_point_id", sa.Integer, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("service_area", sa.String(30), nullable=False),
    sa.Column("t3_days", sa.Numeric(8, 1), nullable=False),
    sa.PrimaryKeyConstraint("month", "service_point_id", "service_area"),
)

fact_phone = sa.Table(
    "fact_phone", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("service_area", sa.String(30), nullable=False),
    sa.Column("calls", sa.Integer, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("callbacks", sa.Integer, nullable=False),
    sa.Column("callback_delay_days_sum", sa.Numeric(14, 2), nullable=False),
    sa.PrimaryKeyConstraint("month", "municipality_code", "service_area"),
)

fact_eservice = sa.Table(
    "fact_eservice", metadata,
    sa.Column("yr", sa.Integer, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("age_group", sa.String(6), nullable=False),
    sa.Column("users", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("yr", "municipality_code", "age_group"),
)

fact_team_clients = sa.Table(
    "fact_team_clients", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("team_clients", sa.Integer, nullable=False),
    sa.Column("multi_service_clients", sa.Integer, nullable=False),
    sa.Column("coc_pairs_same", sa.Integer, nullable=False),
    sa.Column("coc_pairs_total", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("month", "municipality_code"),
)

fact_costs = sa.Table(
    "fact_costs", metadata,
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("service_class", sa.String(10), nullable=False),
    sa.Column("cost_account", sa.String(10), nullable=False),
    sa.Column("budget_eur", sa.Numeric(16, 2), nullable=False),
    sa.Column("actual_eur", sa.Numeric(16, 2), nullable=False),
    sa.PrimaryKeyConstraint("month", "municipality_code", "service_class", "cost_account"),
)

ref_service_deficit = sa.Table(
    "ref_service_deficit", metadata,
    sa.Column("group_code", sa.String(20), nullable=False),
    sa.Column("group_fi", sa.String(80), nullable=False),
    sa.Column("group_en", sa.String(80), nullable=False),
    sa.Column("indicator_fi", sa.String(120), nullable=False),
    sa.Column("indicator_en", sa.String(120), nullable=False),
    sa.Column("change_pct", sa.Float, nullable=False),
    sa.Column("worse_when", sa.String(4), nullable=False),
)

meta_data_version = sa.Table(
    "meta_data_version", metadata,
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
)

# --- child budgeting: the current classification of cost lines and its version history
child_budget_class = sa.Table(
    "child_budget_class", metadata,
    sa.Column("service_class", sa.String(10), nullable=False),
    sa.Column("cost_account", sa.String(10), nullable=False),  # "*" = every account of the class
    sa.Column("target_class", sa.String(12), nullable=False),  # direct | partial | not_targeted
    sa.Column("prevention", sa.String(12), nullable=False),    # preventive | corrective | other
    sa.Column("allocation_key", sa.String(20)),                # population_share | client_share | visit_share | fixed
    sa.Column("fixed_share", sa.Numeric(7, 4)),
    sa.Column("key_source", sa.String(300), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("service_class", "cost_account"),
)

child_budget_class_version = sa.Table(
    "child_budget_class_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("changed_by", sa.String(80), nullable=False),
    sa.Column("note", sa.String(300), nullable=False),
    sa.Column("changes", sa.Text, nullable=False),
    sa.Column("upload_id", sa.Integer),      # the analyst upload that made this version (its rollback reads it)
)

child_budget_class_history = sa.Table(
    "child_budget_class_history", metadata,
    sa.Column("version", sa.Integer, nullable=False),
    *(sa.Column(c.name, c.type, nullable=c.nullable) for c in child_budget_class.columns if c.name != "version"),
    sa.PrimaryKeyConstraint("version", "service_class", "cost_account"),
)

# --- analyst uploads: KPIs delivered as ready series, and the audit of every upload --------------------
fact_kpi_series = sa.Table(
    "fact_kpi_series", metadata,
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(3), nullable=False),
    sa.Column("value", sa.Numeric(18, 4), nullable=False),
    sa.PrimaryKeyConstraint("kpi_id", "month", "municipality_code"),
)

upload_audit = sa.Table(
    "upload_audit", metadata,
    sa.Column("upload_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("dataset", sa.String(40), nullable=False),
    sa.Column("target_table", sa.String(60), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("uploaded_by", sa.String(120), nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("rows_in_file", sa.Integer, nullable=False),
    sa.Column("rows_inserted", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("rows_deleted", sa.Integer, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("rolled_back_by", sa.String(120)),
    sa.Column("rolled_back_at", sa.DateTime),
)

# --- export: who exported what, and board-pack selections reused month after month
audit_export = sa.Table(
    "audit_export", metadata,
    sa.Column("exported_at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String(80), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),      # png, svg, pdf, xlsx, csv, pptx, pack_pdf
    sa.Column("object", sa.String(200), nullable=False),     # chart title or board-pack name
    sa.Column("detail", sa.String(400), nullable=False),     # filters and period
    sa.Column("data_version", sa.Integer, nullable=True),
)

board_pack_selection = sa.Table(
    "board_pack_selection", metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("items_json", sa.Text, nullable=False),             # JSON list of {"kpi": id, "kind": trend|regions|card}
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

# --- sign-in: local users (argon2 hashes only) and the append-only audit trail of every action (issue 11)
app_user = sa.Table(
    "app_user", metadata,
    sa.Column("user_name", sa.String(80), primary_key=True),         # the sign-in name (lower case)
    sa.Column("display_name", sa.String(120), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=True),       # argon2id; None for an OIDC-only user
    sa.Column("oidc_subject", sa.String(200), nullable=True),        # the provider's `sub`, when signed in by OIDC
    sa.Column("role", sa.String(20), nullable=False),                # app/roles.yaml
    sa.Column("scope_county", sa.String(10), nullable=True),         # None: every county
    sa.Column("scope_municipalities", sa.String(400), nullable=True),  # comma-separated codes; None: whole county
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("email", sa.String(254), nullable=True),               # where subscriptions and alerts go (migration 8)
)

audit_event_seq = sa.Sequence("audit_event_seq")
audit_event = sa.Table(
    "audit_event", metadata,
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),   # from audit_event_seq
    sa.Column("occurred_at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String(80), nullable=False),           # the signed-in user, or the name tried
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),              # signin_ok, signin_failed, upload, export ...
    sa.Column("object", sa.String(200), nullable=False),
    sa.Column("detail", sa.String(400), nullable=False),
    sa.Column("scope", sa.String(200), nullable=False),              # the user's region scope at the time
)
sa.Index("ix_audit_event_user_at", audit_event.c.user_name, audit_event.c.occurred_at)

# KPI forecasts, computed ahead of (or at first) use and kept per data version (metrics/forecast.py).
forecast_run = sa.Table(
    "forecast_run", metadata,
    sa.Column("kpi_id", sa.String(60), primary_key=True),
    sa.Column("scope", sa.String(300), primary_key=True),        # e.g. "county=KS;service_area=dental" or "all"
    sa.Column("data_version", sa.Integer, primary_key=True),
    sa.Column("model", sa.String(30), nullable=True),            # None: no forecast (reason says why)
    sa.Column("reason", sa.String(40), nullable=True),
    sa.Column("last_period", sa.Date, nullable=True),            # last actual month the model saw
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

forecast_point = sa.Table(
    "forecast_point", metadata,
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("scope", sa.String(300), nullable=False),
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("period", sa.Date, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("lo80", sa.Float, nullable=False),
    sa.Column("hi80", sa.Float, nullable=False),
    sa.Column("lo95", sa.Float, nullable=False),
    sa.Column("hi95", sa.Float, nullable=False),
)

forecast_backtest = sa.Table(
    "forecast_backtest", metadata,
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("scope", sa.String(300), nullable=False),
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("model", sa.String(30), nullable=False),
    sa.Column("mape", sa.Float, nullable=True),
    sa.Column("mase", sa.Float, nullable=False),
    sa.Column("mae", sa.Float, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
)

# --- analyst uploads: named source profiles (issue 13): a source's header signature and what its columns and
# values mean, applied without a question to the next file with the same signature
upload_profile = sa.Table(
    "upload_profile", metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("dataset", sa.String(40), nullable=False),
    sa.Column("signature", sa.String(64), nullable=False),           # data_sources/uploads/mapping.signature
    sa.Column("mapping_json", sa.Text, nullable=False),              # column map, constants, value map
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(120), nullable=False),
    sa.Column("last_used_at", sa.DateTime, nullable=True),
    sa.Column("uses", sa.Integer, nullable=False, default=0),
)
sa.Index("ix_upload_profile_signature", upload_profile.c.dataset, upload_profile.c.signature)

# --- e-mail subscriptions (issue 15): a board pack sent monthly or on a new data version, KPI alerts on a change
# of traffic light or target verdict; every delivery once per period (its key), retried when it failed
subscription = sa.Table(
    "subscription", metadata,
    sa.Column("user_name", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),             # pack | alert
    sa.Column("target", sa.String(80), primary_key=True),           # pack: the saved selection's name; alert: a KPI id
    sa.Column("region", sa.String(120), nullable=False, default=""),  # the region chosen when subscribing: "KS", "" = all
    sa.Column("schedule", sa.String(10), nullable=False),           # pack: monthly | version; alert: version
    sa.Column("lang", sa.String(2), nullable=False),
    sa.Column("since_version", sa.Integer, nullable=False),          # the data version when subscribed
    sa.Column("created_at", sa.DateTime, nullable=False),
)

subscription_delivery = sa.Table(
    "subscription_delivery", metadata,
    sa.Column("user_name", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("target", sa.String(80), primary_key=True),           # alerts: "*" (one e-mail per user and version)
    sa.Column("period", sa.String(20), primary_key=True),           # "v17" (a data version) or "m2026-12" (a month)
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),             # sending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.String(400), nullable=False, default=""),
    sa.Column("claimed_at", sa.DateTime, nullable=False),
    sa.Column("sent_at", sa.DateTime, nullable=True),
)

alert_status = sa.Table(                                            # the KPI status a subscriber was last told of
    "alert_status", metadata,
    sa.Column("user_name", sa.String(80), primary_key=True),
    sa.Column("kpi_id", sa.String(60), primary_key=True),
    sa.Column("data_version", sa.Integer, nullable=False),
    sa.Column("status_json", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# --- views and notes (issue 15): saved views per user (a page and its query parameters, one of them the start
# view), and analysts' notes on a KPI for a month or period, for the whole area or one county or municipality
saved_view = sa.Table(
    "saved_view", metadata,
    sa.Column("owner", sa.String(100), primary_key=True),          # "u:<user>", "demo:<role>", "role:<role>"
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("page", sa.String(40), nullable=False),              # page file stem
    sa.Column("params_json", sa.Text, nullable=False),             # the URL's query parameters
    sa.Column("is_start", sa.Boolean, nullable=False, default=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

annotation_seq = sa.Sequence("annotation_seq")
kpi_annotation = sa.Table(
    "kpi_annotation", metadata,
    sa.Column("note_id", sa.BigInteger, primary_key=True, autoincrement=False),   # from annotation_seq
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("month_from", sa.Date, nullable=False),
    sa.Column("month_to", sa.Date, nullable=False),                # = month_from for a single month
    sa.Column("county_code", sa.String(10), nullable=True),        # None and no municipality: the whole area
    sa.Column("municipality_code", sa.String(3), nullable=True),
    sa.Column("text", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)
sa.Index("ix_kpi_annotation_kpi", kpi_annotation.c.kpi_id)

# New ids come from sequences, so two app servers writing at once never pick the same one; each sequence
# with the column it numbers (migration 2 creates them after the column's largest value).
upload_id_seq = sa.Sequence("upload_id_seq")
data_version_seq = sa.Sequence("data_version_seq")
class_version_seq = sa.Sequence("class_version_seq")
SEQUENCES = ((upload_id_seq, upload_audit.c.upload_id), (data_version_seq, meta_data_version.c.version),
             (class_version_seq, child_budget_class_version.c.version))

_CAL = ("CAST(EXTRACT(YEAR FROM f.month) AS INTEGER) AS yr, "
        "CAST(EXTRACT(QUARTER FROM f.month) AS INTEGER) AS qtr, "
        "CAST(EXTRACT(MONTH FROM f.month) AS INTEGER) AS mon")
_MUNI = ("JOIN dim_municipality m ON m.municipality_code = f.municipality_code")

# name -> SELECT; every view carries county_code, municipality_code and yr (and month facts qtr, mon).
VIEWS: dict[str, str] = {
    "v_population": f"SELECT f.yr, m.county_code, f.municipality_code, f.age_group, f.population "
                    f"FROM fact_population f {_MUNI}",
    "v_contacts": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, f.service_point_id, "
                  f"f.service_area, f.channel, f.profession, f.age_group, f.contacts, f.clients, "
                  f"CASE WHEN f.channel IN ({', '.join(repr(c) for c in REMOTE_CHANNELS)}) THEN f.contacts ELSE 0 END "
                  f"AS remote_contacts "
                  f"FROM fact_contacts f {_MUNI}",
    "v_care_guarantee": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, f.service_area, "
                        f"f.visits_total, f.visits_within_7d, f.visits_within_14d, f.visits_within_90d "
                        f"FROM fact_care_guarantee f {_MUNI}",
    "v_t3": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, f.service_point_id, "
            f"f.service_area, f.t3_days, 1 AS measurements FROM fact_t3 f {_MUNI}",
    "v_phone": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, f.service_area, f.calls, "
               f"f.answered, f.callbacks, f.callback_delay_days_sum FROM fact_phone f {_MUNI}",
    "v_eservice": f"SELECT f.yr, m.county_code, f.municipality_code, f.age_group, f.users "
                  f"FROM fact_eservice f {_MUNI}",
    "v_team_clients": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, f.team_clients, "
                      f"f.multi_service_clients, f.coc_pairs_same, f.coc_pairs_total "
                      f"FROM fact_team_clients f {_MUNI}",
    "v_costs": f"SELECT f.month, {_CAL}, m.county_code, f.municipality_code, c.service_area, "
               f"f.service_class, f.cost_account, f.budget_eur, f.actual_eur "
               f"FROM fact_costs f {_MUNI} JOIN dim_service_class c ON c.service_class = f.service_class",
    # analyst uploads: registry KPIs given as ready monthly series
    "v_kpi_series": f"SELECT f.month, {_CAL}, f.kpi_id, m.county_code, f.municipality_code, f.value "
                    f"FROM fact_kpi_series f {_MUNI}",
}


# Columns each view exposes (the registry validator checks measures and filters against these).
_CAL_COLS = ("month", "yr", "qtr", "mon")
VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "v_population": ("yr", "county_code", "municipality_code", "age_group", "population"),
    "v_contacts": _CAL_COLS + ("county_code", "municipality_code", "service_point_id", "service_area",
                               "channel", "profession", "age_group", "contacts", "clients", "remote_contacts"),
    "v_care_guarantee": _CAL_COLS + ("county_code", "municipality_code", "service_area", "visits_total",
                                     "visits_within_7d", "visits_within_14d", "visits_within_90d"),
    "v_t3": _CAL_COLS + ("county_code", "municipality_code", "service_point_id", "service_area", "t3_days",
                         "measurements"),
    "v_phone": _CAL_COLS + ("county_code", "municipality_code", "service_area", "calls", "answered",
                            "callbacks", "callback_delay_days_sum"),
    "v_eservice": ("yr", "county_code", "municipality_code", "age_group", "users"),
    "v_team_clients": _CAL_COLS + ("county_code", "municipality_code", "team_clients",
                                   "multi_service_clients", "coc_pairs_same", "coc_pairs_total"),
    "v_costs": _CAL_COLS + ("county_code", "municipality_code", "service_area", "service_class",
                            "cost_account", "budget_eur", "actual_eur"),
    "v_kpi_series": _CAL_COLS + ("kpi_id", "county_code", "municipality_code", "value"),
}


def view(name: str) -> sa.TableClause:
    """A Core handle on a view with its declared columns."""
    if name not in VIEWS:
        raise KeyError(f"unknown view {name!r}")
    return sa.table(name, *(sa.column(c) for c in VIEW_COLUMNS[name]))

"""One settings table: every setting is a row with its default and help (imitates datasette)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DB_URL", f"duckdb:///{ROOT / 'data' / 'warehouse.duckdb'}",
            "SQLAlchemy URL of the warehouse; duckdb:///file or postgresql+psycopg://host/db."),
    Setting("DB_SCHEMA", "", "Schema (PostgreSQL search_path) that holds the warehouse tables; empty = default."),
    Setting("LANG", "fi", "Default user-interface language: fi or en."),
    Setting("SMALL_COUNT_THRESHOLD", "5", "Counts from 1 to this minus one are suppressed unless a KPI says otherwise."),
    Setting("LATEST_MONTH", "", "Last full month of demo data as YYYY-MM; empty = the month before today."),
    Setting("USER_NAME", "", "Name used by command-line tools for the audit trail; empty = the OS user."),
    Setting("CACHE_TTL_SECONDS", "900", "How long a cached query result may be reused before it is asked again."),
    Setting("QUERY_TIMEOUT_SECONDS", "30", "Longest a page's warehouse query may run (PostgreSQL statement_timeout, "
            "a DuckDB interrupt); 0 = no limit."),
    Setting("PG_WORK_MEM", "64MB", "PostgreSQL work_mem of the app's connections: the child-budget model groups its "
            "cost lines in memory instead of sorting them on disk (0,94 -> 0,48 s at scale 10); empty = the server's."),
    Setting("VERSION_TTL_SECONDS", "2", "How long a server reuses the warehouse check and the data version it read "
            "before asking again (a new version stored by another server shows after at most this long)."),
    Setting("FORECAST_ON_NEW_DATA", "county", "Areas each app server forecasts in the background when it first sees a "
            "data version (after an upload, a rollback or a load by other means): off, all (the whole region), county "
            "(and each county) or municipality (and each municipality); the pages then read them ready."),
    Setting("WARM_CACHES", "1", "1: after the background forecast of a new data version, the same thread computes "
            "what the overview and the KPI pages first show for each of its areas (default period) into the page caches; "
            "0: pages compute on first view."),
    Setting("DEMO_MODE", "1", "1: with no users and no OIDC provider the app runs in a marked demo mode with a role "
            "switcher; 0: it refuses to open until a user exists. Demo mode is always off once a user exists."),
    Setting("SESSION_IDLE_MINUTES", "30", "A signed-in session ends after this many minutes without activity."),
    Setting("LOCKOUT_FAILURES", "5", "Failed sign-ins within LOCKOUT_MINUTES that lock an account."),
    Setting("LOCKOUT_MINUTES", "15", "The window counted for failed sign-ins and how long the lock lasts."),
    Setting("OIDC_ROLE_CLAIM", "roles", "OIDC claim with the role (a string or a list); the user table wins."),
    Setting("OIDC_COUNTY_CLAIM", "county", "OIDC claim with the county code a user is limited to; absent = all."),
    Setting("OIDC_MUNICIPALITIES_CLAIM", "municipalities", "OIDC claim with municipality codes (list or comma text)."),
    Setting("OIDC_DEFAULT_ROLE", "", "Role of an OIDC user with no role claim and no user row; empty = no access."),
    Setting("PUBLIC_URL", "http://localhost:8501", "The dashboard's address as its users open it; links in e-mails "
            "start with it (e.g. https://tyopoyta.example.fi/kpi_detail?kpi=...)."),
    Setting("SMTP_HOST", "", "Mail server for subscriptions and alerts (python -m app.subscriptions run); empty = no "
            "e-mail is sent."),
    Setting("SMTP_PORT", "587", "Mail server port: 587 with starttls, 465 with ssl, 25 with none."),
    Setting("SMTP_TLS", "starttls", "none, starttls or ssl (TLS from the start); the server's certificate is checked."),
    Setting("SMTP_CA_FILE", "", "CA certificates (PEM) the mail server's certificate is checked against, for a "
            "server with an internal CA; empty = the system's."),
    Setting("SMTP_SENDER", "", "From address of the e-mails, e.g. tyopoyta@hyvinvointialue.fi."),
    Setting("SMTP_USER", "", "Mail server user name; empty = no login. The password is DASHBOARD_SMTP_PASSWORD in the "
            "environment or [smtp] password in .streamlit/secrets.toml, never in git."),
    Setting("SMTP_TIMEOUT_SECONDS", "30", "Longest wait for the mail server per step."),
    Setting("SMTP_ATTEMPTS", "3", "Tries per e-mail in one run (backoff between them); a still failing one is tried "
            "again at the next run."),
    Setting("SMTP_BACKOFF_SECONDS", "5", "Wait before the second try of an e-mail; doubled before each later one."),
    Setting("SUBSCRIPTIONS_EVERY_MINUTES", "0", "The app itself sends the due subscriptions every this many minutes "
            "(for DuckDB, whose file no other process may open while the app runs); 0 = off: cron or a systemd "
            "timer runs python -m app.subscriptions run."),
    Setting("A11Y_CONTACT", "", "Where users send accessibility feedback (an e-mail address or a web form), shown on "
            "the accessibility statement page; empty = the statement asks them to contact the service's administrator."),
)


class Settings:
    """Values come from DASHBOARD_<NAME> environment variables, then the defaults above."""

    def __init__(self, overrides: dict[str, str] | None = None):
        overrides = overrides or {}
        for s in SETTINGS:
            value = overrides.get(s.name, os.environ.get(f"DASHBOARD_{s.name}", s.default))
            setattr(self, s.name.lower(), value)

    db_url: str
    db_schema: str
    lang: str
    small_count_threshold: str
    latest_month: str
    cache_ttl_seconds: str
    query_timeout_seconds: str
    version_ttl_seconds: str
    user_name: str
    demo_mode: str
    forecast_on_new_data: str
    warm_caches: str
    session_idle_minutes: str
    lockout_failures: str
    lockout_minutes: str
    oidc_role_claim: str
    oidc_county_claim: str
    oidc_municipalities_claim: str
    oidc_default_role: str
    public_url: str
    smtp_host: str
    smtp_port: str
    smtp_tls: str
    smtp_ca_file: str
    smtp_sender: str
    smtp_user: str
    smtp_timeout_seconds: str
    smtp_attempts: str
    smtp_backoff_seconds: str
    subscriptions_every_minutes: str
    a11y_contact: str


def get_settings(overrides: dict[str, str] | None = None) -> Settings:
    return Settings(overrides)

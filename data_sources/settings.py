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
    Setting("USER_NAME", "", "Name written to the export audit log until login exists; empty = the OS user."),
    Setting("CACHE_TTL_SECONDS", "900", "How long a cached query result may be reused before it is asked again."),
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
    user_name: str


def get_settings(overrides: dict[str, str] | None = None) -> Settings:
    return Settings(overrides)

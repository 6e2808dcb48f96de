"""Reference lists shipped as CSV files (municipalities, service areas and classes, accounts, deficit)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


@lru_cache(maxsize=None)
def load(name: str) -> pd.DataFrame:
    """Read reference/<name>.csv with codes kept as text (municipality code 077 stays 077)."""
    return pd.read_csv(REFERENCE_DIR / f"{name}.csv", dtype={"code": str, "service_class": str})


def municipalities() -> pd.DataFrame:
    return load("municipalities")


def counties() -> pd.DataFrame:
    return (municipalities()[["county_code", "county_fi", "county_en"]]
            .drop_duplicates().reset_index(drop=True))

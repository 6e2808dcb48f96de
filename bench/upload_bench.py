"""Benchmark: a 100 000-row, 12-column extract read + validated + committed by the upload pipeline, against
`pandas.read_excel(engine="openpyxl")` merely reading the same file, measured in the same process.

    .venv/bin/python bench/upload_bench.py [--rows 100000]
    .venv/bin/python bench/upload_bench.py --url postgresql+psycopg://postgres@127.0.0.1/test   # commit to PostgreSQL

With --url PostgreSQL the demo warehouse is written to a private schema that is dropped at the end.

Prints both times, the ratio (target >= 8x) and the peak memory of the pipeline.

The extract's headers are an analyst's own (units, longer names: PROFILE_HEADERS), so the file is read through a
saved source profile (issue 13): the mapping step is done once before the timing, as an analyst would, and the
timed run applies the profile by the header signature, as the next month's file does.
"""
from __future__ import annotations

import argparse
import os
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import xlsxwriter  # noqa: E402

from data_sources import demo, schema, uploads  # noqa: E402
from data_sources.engine import make_engine  # noqa: E402

HEADERS = ["Kuukausi", "Toimipiste", "Toimipisteen nimi", "Kuntakoodi", "Kunnan nimi", "Palvelualue", "Kanava",
           "Ammattiryhmä", "Ikäryhmä", "Kontaktit", "Asiakkaat", "Huomautus"]
PROFILE_HEADERS = ["Tilastokuukausi", "Toimipaikan tunnus", "Toimipisteen nimi", "Kunnan numero", "Kunnan nimi",
                   "Palvelualue", "Yhteystapa", "Ammattinimike", "Ikäryhmä", "Käyntikerrat (lkm)", "Eri asiakkaat (lkm)",
                   "Huomautus"]
PROFESSIONS = ("doctor", "nurse", "psychologist", "social_worker", "dentist", "practical_nurse", "dental_hygienist",
               "psychiatric_nurse", "public_health_nurse", "social_counsellor")


def make_extract(engine: sa.Engine, path: Path, rows: int, month: dt.date, extra: int = 0,
                 headers: list[str] = PROFILE_HEADERS) -> None:
    """A contacts extract for one new month, 12 columns as the patient system writes them."""
    with engine.connect() as conn:
        points = conn.execute(sa.select(schema.dim_service_point.c.service_point_id,
                                        schema.dim_service_point.c.municipality_code,
                                        schema.dim_service_point.c.name_fi)).fetchall()
        names = dict(conn.execute(sa.select(schema.dim_municipality.c.municipality_code,
                                            schema.dim_municipality.c.name_fi)).fetchall())
        areas = [r[0] for r in conn.execute(sa.select(schema.dim_service_area.c.service_area))]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Kontaktit")
    date_fmt = wb.add_format({"num_format": "d.m.yyyy"})
    ws.write_row(0, 0, headers)
    r = 0
    stamp = dt.datetime(month.year, month.month, 1)
    for sp, muni, sp_name in points:
        for area in areas:
            for ch in schema.CHANNELS:
                for prof in PROFESSIONS:
                    for age in schema.AGE_GROUPS:
                        if r == rows:
                            break
                        r += 1
                        contacts = 5 + (r * 7919) % 400 + extra
                        ws.write_datetime(r, 0, stamp, date_fmt)
                        ws.write_number(r, 1, sp)
                        ws.write_string(r, 2, sp_name)
                        ws.write_string(r, 3, muni)
                        ws.write_string(r, 4, names[muni])
                        ws.write_string(r, 5, area)
                        ws.write_string(r, 6, ch)
                        ws.write_string(r, 7, prof)
                        ws.write_string(r, 8, age)
                        ws.write_number(r, 9, contacts)
                        ws.write_number(r, 10, contacts // 2 + 1)
                        ws.write_string(r, 11, "")
    wb.close()
    if r < rows:
        raise SystemExit(f"only {r} distinct rows possible at this warehouse scale")


def reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets the high-water mark, so VmHWM then measures only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--url", default=None, help="warehouse to commit to (default: a new DuckDB file)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="upload_bench_"))
    pg_schema = None
    if args.url and args.url.startswith("postgresql"):
        pg_schema = f"upload_bench_{os.getpid()}"
        with make_engine(args.url).begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {pg_schema}"))
        engine = make_engine(args.url, schema=pg_schema)
    else:
        engine = make_engine(args.url or f"duckdb:///{tmp / 'warehouse.duckdb'}")
    try:
        run(engine, tmp, args.rows)
    finally:
        engine.dispose()
        if pg_schema:
            with make_engine(args.url).begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {pg_schema} CASCADE"))


def run(engine: sa.Engine, tmp: Path, rows: int) -> None:
    print(f"warehouse: {engine.dialect.name}")
    demo.write_warehouse(engine, demo.generate(scale=1.0, latest="2026-10"))
    path = tmp / "kontaktit.xlsx"
    t0 = time.perf_counter()
    make_extract(engine, path, rows, dt.date(2026, 11, 1))
    print(f"extract: {rows:,} rows x {len(HEADERS)} columns, {path.stat().st_size / 1e6:.1f} MB "
          f"(written in {time.perf_counter() - t0:.1f} s)")

    # the mapping step, once: the suggestions confirmed and saved as a source profile (not timed)
    from data_sources.uploads import mapping as mp, profiles
    first = uploads.check_file(engine, path.read_bytes(), path.name, "contacts")
    assert first.raw.layout.needs_mapping, "the bench's headers should need the mapping step"
    profiles.save(engine, "bench", "contacts", first.raw.layout.signature, mp.suggested(first.raw.layout), "bench")

    import gc
    gc.collect()
    reset_peak_rss()
    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    data = path.read_bytes()
    v = uploads.check_file(engine, data, path.name, "contacts")
    t_check = time.perf_counter() - t0
    if not v.ok:
        raise SystemExit(f"extract did not validate: {v.counts}")
    assert v.raw.layout.profile == "bench", "the profile was not applied"
    res = uploads.ingest(engine, v, "bench")
    ours = time.perf_counter() - t0
    rss1 = peak_rss_mb()
    reset_peak_rss()
    assert res.comparison.inserted == rows, res

    t0 = time.perf_counter()
    df = pd.read_excel(path, engine="openpyxl")
    baseline = time.perf_counter() - t0
    assert len(df) == rows

    print(f"upload pipeline (read + validate + commit): {ours:.2f} s  (read + validate {t_check:.2f} s, "
          f"commit {ours - t_check:.2f} s)")
    print(f"pandas.read_excel(engine='openpyxl') read only: {baseline:.2f} s")
    print(f"ratio: {baseline / ours:.1f}x  (target >= 8x)")
    print(f"peak memory (process RSS high-water mark): pipeline {rss1:.0f} MB (from {rss0:.0f} MB before it); "
          f"openpyxl read {peak_rss_mb():.0f} MB")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    # the same month corrected: every row updated (compare, back up the old rows, delete, insert)
    fixed = tmp / "kontaktit_korjattu.xlsx"
    make_extract(engine, fixed, rows, dt.date(2026, 11, 1), extra=1)
    t0 = time.perf_counter()
    v = uploads.check_file(engine, fixed.read_bytes(), fixed.name, "contacts")
    res = uploads.ingest(engine, v, "bench")
    assert res.comparison.updated == rows, res
    print(f"correction of that month ({rows:,} rows updated): {time.perf_counter() - t0:.2f} s "
          f"(not part of the ratio)")


if __name__ == "__main__":
    main()

"""Board pack build time: 10 charts (5 KPIs × trend + municipalities) to PPTX and PDF, against a baseline
measured in the same run: the same 10 charts rendered to PNG alone (what a picture-only deck must do).

Run: DASHBOARD_DB_URL=duckdb:///path/to/warehouse.duckdb .venv/bin/python bench/board_pack_bench.py
(builds a small demo warehouse in a temporary folder when no URL is given). Target: pack <= 10 s.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KPIS = ("care_guarantee_7d", "remote_share", "net_cost_per_resident", "t3_primary", "calls_answered_share")
TARGET_SECONDS = 10.0


def main() -> None:
    from data_sources import demo
    from data_sources.engine import make_engine
    from metrics.engine import Filters
    from app import exports as app_exports
    from ui import board_pack, export

    url = os.environ.get("DASHBOARD_DB_URL")
    if not url:
        path = Path(tempfile.mkdtemp()) / "bench.duckdb"
        url = f"duckdb:///{path}"
        demo.write_warehouse(make_engine(url), demo.generate(scale=0.3, latest="2026-10"))
    engine = make_engine(url)
    filters = Filters(year=2026, months=(1, 10), county="KS")
    items = [board_pack.PackItem(k, kind) for k in KPIS for kind in ("trend", "regions")]
    meta = board_pack.PackMeta("Hallituksen raporttipaketti", "Keski-Suomen hyvinvointialue · tammi–lokakuu 2026",
                               1, export.stamp())
    export.ensure_fonts()
    app_exports.slides_from_engine(engine, items[:1], filters, "Keski-Suomi")   # warm-up: fonts, registry

    t0 = time.perf_counter()
    slides = app_exports.slides_from_engine(engine, items, filters, "Keski-Suomen hyvinvointialue")
    t_data = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in slides:
        board_pack.chart_png(s, "fi")
    t_png = time.perf_counter() - t0
    t0 = time.perf_counter()
    pptx = board_pack.build_pptx(slides, meta)
    t_pptx = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = board_pack.build_pdf(slides, meta)
    t_pdf = time.perf_counter() - t0
    t0 = time.perf_counter()
    board_pack.build_pptx(slides, meta, pictures=True)
    t_pictures = time.perf_counter() - t0
    total = t_data + t_pptx + t_pdf
    print(f"10-chart board pack: data {t_data:.2f} s, native PPTX {t_pptx:.2f} s ({len(pptx) // 1024} KiB), "
          f"PDF {t_pdf:.2f} s ({len(pdf) // 1024} KiB)")
    print(f"total (data + PPTX + PDF): {total:.2f} s  (target <= {TARGET_SECONDS:.0f} s: "
          f"{'OK' if total <= TARGET_SECONDS else 'TOO SLOW'})")
    print(f"baseline, the same 10 charts to PNG only: {t_png:.2f} s; pack / baseline = {total / t_png:.2f}")
    print(f"picture-only PPTX (PNG per chart): {t_pictures:.2f} s; native / picture = {t_pptx / t_pictures:.3f}")


if __name__ == "__main__":
    main()

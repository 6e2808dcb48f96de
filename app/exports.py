"""Export jobs and their bookkeeping: saved board-pack selections, the export audit log, the board pack."""
from __future__ import annotations

import logging
import time

from data_sources import audit, catalog, exports
from metrics import child_budget as cb
from metrics.engine import Filters, kpi_summary, kpi_values
from metrics.forecast import kpi_forecast, kpi_verdict
from metrics.registry import load_registry
from ui import board_pack, export
from ui.i18n import month_window, t

from . import annotations, auth, forecasting, state
from . import child_budget as acb
from .state import describe


def current_user() -> str:
    """The signed-in user's name: the one "who" written everywhere (upload log, selections, audit)."""
    return auth.who()


@state.guarded
def selections() -> list[str]:
    return exports.list_selections(state.engine())


@state.guarded
def load_selection(name: str) -> list[dict]:
    return exports.load_selection(state.engine(), name)


@state.guarded
def save_selection(name: str, items: list[dict]) -> str:
    """Stores the selection; returns its name as stored (cleaned by the text rule)."""
    return exports.save_selection(state.engine(), name, items, auth.who())


def export_hook(user: auth.User):
    """What records a file given out by this user: the export log and the audit trail. The user is captured
    now, at script time, because the file is made later in another thread (a deferred download)."""
    def record_export(action: str, obj: str, detail: str, version: int | None) -> None:
        try:
            exports.record_export(state.engine(), action, obj, detail, version, user.name)
            audit.record(state.engine(), user.name, "export", obj, f"{action} · {detail}", user.scope_text(),
                         user.role)
        except Exception:  # noqa: BLE001 - the audit must not cost the user the file
            logging.getLogger("dashboard").exception("export audit write failed")
    return record_export


def pack_slides(items: list, f: Filters, version: int, lang: str) -> list:
    """Board-pack slides from the same cached queries the pages use."""
    munis = state.municipalities(version)
    return board_pack.make_slides(
        items, f, summary_of=lambda k: state.summary(k, f, version),
        regions_of=lambda k: state.values(k, f, ("municipality_code",), None, version),
        municipality_names=dict(zip(munis.municipality_code, munis.name_fi)), subtitle=describe(f, version),
        lang=lang, forecast_of=lambda k: state.forecast(k, f, version, state.latest_month(version)[0]),
        verdict_of=lambda k: forecasting.verdict(k, f, version), child_budget_of=lambda: acb.trend(f, version),
        notes_of=annotations.notes_hook(f, version, lang))


def build_pack(options: list[str], f: Filters, version: int, lang: str, title: str, pictures: bool) -> dict:
    """The deck as PowerPoint and PDF, with the slide count and the seconds it took."""
    started = time.perf_counter()
    slides = pack_slides([board_pack.PackItem(*o.split(":")) for o in options], f, version, lang)
    meta = board_pack.PackMeta(title, describe(f, version), version, export.stamp(lang=lang), lang)
    return {"slides": len(slides) + 1, "title": title, "pptx": board_pack.build_pptx(slides, meta, pictures),
            "pdf": board_pack.build_pdf(slides, meta), "seconds": time.perf_counter() - started}


def slides_from_engine(engine, items: list, filters: Filters, place: str, lang: str = "fi") -> list:
    """Slides straight from the warehouse (bench, scripts); the page uses the same with cached look-ups."""
    munis = catalog.municipalities(engine)
    version, _ = catalog.data_version(engine)
    latest_year, _ = catalog.latest_month(engine)
    registry = load_registry()
    return board_pack.make_slides(
        items, filters, summary_of=lambda k: kpi_summary(engine, k, filters),
        regions_of=lambda k: kpi_values(engine, k, filters, ("municipality_code",)),
        municipality_names=dict(zip(munis.municipality_code, munis.name_fi)),
        subtitle=f"{place} · {month_window(filters.months, lang)} {filters.year}", lang=lang,
        forecast_of=lambda k: kpi_forecast(engine, registry[k], filters, version, latest_year),
        verdict_of=lambda k: kpi_verdict(engine, registry[k], filters, version, latest_year, registry),
        child_budget_of=lambda: cb.trend(engine, filters))

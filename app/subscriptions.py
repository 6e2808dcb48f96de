"""E-mail subscriptions and KPI alerts (issue 15): the run loop and SMTP sending, for cron or a systemd timer.

    python -m app.subscriptions list              # every subscription, its address and last delivery
    python -m app.subscriptions run --dry-run     # what is due now, nothing sent or recorded
    python -m app.subscriptions run               # build and send what is due (exit 1 when a send failed)

What is due:
- a board pack ("pack", a saved board-pack selection) with schedule "version" when the warehouse has a newer data
  version than the one it was last sent for (or subscribed at); with schedule "monthly" from the first workday of
  the month (Finnish public holidays counted, metrics/workdays.py) until it has been sent that month. The pack is
  built as on the page (PowerPoint with native charts and the PDF of the same slides) for the subscriber's
  region scope and language, and attached.
- alerts: for each subscriber, the statuses of their KPIs (value, target verdict, traffic light) for their region
  are compared with what they were last told (metrics/alerts.py); one e-mail lists every KPI that changed, with
  links to its view. The first evaluation of a KPI only records it.

A subscriber must still exist, be enabled, have an e-mail address and a role that may open the board pack
(packs) or the KPI page (alerts); their region scope limits every figure, as in the app. Each delivery is claimed
in the warehouse before it is sent (data_sources/subscriptions.py): nothing is sent twice for one data version or
month, also when two runs overlap. A send is tried SMTP_ATTEMPTS times with a doubling backoff; a failure is
logged, audited and recorded, and the next run tries again.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import smtplib
import ssl
import sys
import time
import tomllib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

import sqlalchemy as sa

if __name__ == "__main__":      # a cron job's output: no Streamlit warnings about caches without a server
    from streamlit import logger as streamlit_logger
    streamlit_logger.set_log_level("error")

from data_sources import audit, catalog, exports, migrations
from data_sources import annotations as note_store
from data_sources import subscriptions as store
from data_sources import users as user_store
from data_sources.engine import make_engine
from data_sources.settings import ROOT, get_settings
from metrics import alerts, child_budget
from metrics.engine import Filters, kpi_summary, kpi_values
from metrics.forecast import kpi_forecast, kpi_verdict
from metrics.registry import load_registry
from metrics.workdays import first_workday
from ui import board_pack, export, mail, sidebar

from . import annotations, auth

log = logging.getLogger("dashboard")
SECRETS = ROOT / ".streamlit" / "secrets.toml"
TLS_MODES = ("none", "starttls", "ssl")


# --- SMTP -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    attempts: int = 3
    backoff: float = 5.0
    cafile: str = ""                    # CA certificates (PEM) for a server with an internal CA; "" = the system's


def smtp_password(secrets: Path = SECRETS) -> str:
    """DASHBOARD_SMTP_PASSWORD from the environment, else `[smtp] password` in .streamlit/secrets.toml (not in
    git), else none."""
    if os.environ.get("DASHBOARD_SMTP_PASSWORD"):
        return os.environ["DASHBOARD_SMTP_PASSWORD"]
    try:
        with open(secrets, "rb") as fh:
            return str(tomllib.load(fh).get("smtp", {}).get("password", ""))
    except (OSError, tomllib.TOMLDecodeError):
        return ""


def smtp_config() -> SmtpConfig:
    s = get_settings()
    tls = s.smtp_tls.strip().lower() or "starttls"
    if tls not in TLS_MODES:
        raise ValueError(f"DASHBOARD_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {s.smtp_tls!r}")
    return SmtpConfig(s.smtp_host.strip(), int(s.smtp_port or 25), tls, s.smtp_sender.strip(), s.smtp_user.strip(),
                      smtp_password(), float(s.smtp_timeout_seconds or 30), max(1, int(s.smtp_attempts or 1)),
                      float(s.smtp_backoff_seconds or 0), s.smtp_ca_file.strip())


def send_once(cfg: SmtpConfig, msg: EmailMessage) -> None:
    """One delivery attempt to the mail server (TLS as configured; the certificate is checked)."""
    context = ssl.create_default_context(cafile=cfg.cafile or None)
    if cfg.tls == "ssl":
        server = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=context)
    else:
        server = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
    with server:
        if cfg.tls == "starttls":
            server.starttls(context=context)
        if cfg.user:
            server.login(cfg.user, cfg.password)
        server.send_message(msg)


def send(cfg: SmtpConfig, msg: EmailMessage, sleep: Callable[[float], None] = time.sleep) -> tuple[bool, int, str]:
    """Try a message up to cfg.attempts times, waiting backoff, 2 × backoff, … between; (sent, attempts, last
    error). Each failure is logged (no password is ever in an SMTP error)."""
    error = ""
    for attempt in range(1, cfg.attempts + 1):
        try:
            send_once(cfg, msg)
            return True, attempt, ""
        except (OSError, smtplib.SMTPException, UnicodeError) as exc:   # UnicodeError: a non-ASCII login
            error = f"{type(exc).__name__}: {exc}"[:400]
            log.warning("subscriptions: sending to %s failed (attempt %d of %d): %s", msg["To"], attempt,
                        cfg.attempts, error)
            if attempt < cfg.attempts:
                sleep(cfg.backoff * 2 ** (attempt - 1))
    log.error("subscriptions: giving up on %s for this run after %d attempts: %s", msg["To"], cfg.attempts, error)
    return False, cfg.attempts, error


def message(cfg: SmtpConfig, to_name: str, to_address: str, m: mail.Mail,
            attachments: list[tuple[str, bytes, str]] = ()) -> EmailMessage:
    """A multipart message: plain text and HTML alternatives, then the attachments (name, bytes, MIME type)."""
    msg = EmailMessage()
    msg["Subject"] = m.subject
    msg["From"] = cfg.sender
    msg["To"] = formataddr((mail.one_line(to_name, 80), to_address))
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rpartition("@")[2] or None)
    msg.set_content(m.text)
    msg.add_alternative(m.html, subtype="html")
    for name, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


# --- who gets what --------------------------------------------------------------------------------------------

def link(page: str, lang: str = "fi", **params) -> str:
    """An address in the app by the shared URL convention: DASHBOARD_PUBLIC_URL/<page>?kpi=..&county=..&lang=..;
    empty parameters left out, the language only when it is not Finnish (the default)."""
    base = get_settings().public_url.strip().rstrip("/")
    query = {k: v for k, v in params.items() if v}
    if lang != "fi":
        query["lang"] = lang
    return f"{base}/{page}" + (f"?{urlencode(query)}" if query else "")


def may_receive(user: user_store.StoredUser | None, kind: str) -> bool:
    """An enabled user with an address whose role may open what is sent (packs: the board-pack action; alerts:
    the KPI page)."""
    if user is None or user.disabled or not user.email:
        return False
    role = auth.roles().get(user.role)
    if role is None:
        return False
    return "board_pack" in role["actions"] if kind == "pack" else "kpi_detail" in role["pages"]


def filters_for(user: user_store.StoredUser, region: str, latest: tuple[int, int], munis) -> Filters:
    """The subscriber's view: the latest year to its last month, the region chosen when subscribing, limited to
    the user's region scope as the app limits it (metrics.engine.Filters.dims intersects them)."""
    scope_county = user.scope_county
    if user.scope_municipalities and not scope_county:
        rows = munis[munis.municipality_code.isin(user.scope_municipalities)]
        scope_county = rows.county_code.iloc[0] if len(rows) else None
    county = region if region in set(munis.county_code) else None
    if scope_county and county != scope_county:
        county = scope_county                         # a region outside the scope never escapes it
    year, month = latest
    return Filters(year=year, months=(1, month), county=county, municipalities=tuple(sorted(user.scope_municipalities)),
                   scope_county=scope_county, scope_municipalities=tuple(sorted(user.scope_municipalities)))


@dataclass
class Job:
    kind: str
    user: user_store.StoredUser
    target: str                         # pack: selection name; alert: "*"
    period: str
    subs: list[store.Subscription]


def due(engine: sa.Engine, version: int, now: dt.datetime) -> list[Job]:
    """What is due at `now` for data version `version` (nothing claimed yet)."""
    users = {u.user_name: u for u in user_store.all_users(engine)}
    jobs: list[Job] = []
    alerts_of: dict[str, list[store.Subscription]] = {}
    month = f"m{now:%Y-%m}"
    workday = first_workday(now.year, now.month)
    for sub in store.all_subscriptions(engine):
        user = users.get(sub.user_name)
        if not may_receive(user, sub.kind):
            continue
        if sub.kind == "alert":
            alerts_of.setdefault(sub.user_name, []).append(sub)
            continue
        if sub.schedule == "version" and version > sub.since_version:
            period = f"v{version}"
        elif sub.schedule == "monthly" and now.date() >= workday and sub.created_at.date() <= workday:
            period = month
        else:
            continue
        done = store.delivery(engine, sub.user_name, "pack", sub.target, period)
        if done is None or done.status != "sent":
            jobs.append(Job("pack", user, sub.target, period, [sub]))
    for name, subs in alerts_of.items():
        jobs.append(Job("alert", users[name], store.ALERT_TARGET, f"v{version}", subs))
    return jobs


# --- building -------------------------------------------------------------------------------------------------

def build_pack(engine: sa.Engine, items: list[dict], f: Filters, version: int, lang: str, title: str,
               munis) -> dict:
    """The pack as on the page (ui/board_pack.py): PowerPoint with native charts and the PDF of the same slides."""
    registry = load_registry()
    latest_year = f.year
    subtitle = sidebar.describe(f, munis, lang)
    stored_notes = note_store.notes(engine)

    def notes_of(kpi_id: str):          # the analysts' notes in the pack's region, as on the board-pack page
        return annotations.visible(stored_notes[stored_notes.kpi_id == kpi_id], f, munis, lang)

    slides = board_pack.make_slides(
        [board_pack.PackItem(i["kpi"], i["kind"]) for i in items], f,
        summary_of=lambda k: kpi_summary(engine, k, f, registry),
        regions_of=lambda k: kpi_values(engine, k, f, ("municipality_code",), registry=registry),
        municipality_names=dict(zip(munis.municipality_code, munis.name_fi)), subtitle=subtitle, lang=lang,
        forecast_of=lambda k: kpi_forecast(engine, registry[k], f, version, latest_year, registry=registry),
        verdict_of=lambda k: kpi_verdict(engine, registry[k], f, version, latest_year, registry),
        child_budget_of=lambda: child_budget.trend(engine, f), notes_of=notes_of)
    meta = board_pack.PackMeta(title, subtitle, version, export.stamp(lang=lang), lang)
    return {"slides": len(slides) + 1, "subtitle": subtitle, "pptx": board_pack.build_pptx(slides, meta),
            "pdf": board_pack.build_pdf(slides, meta)}


def statuses(engine: sa.Engine, subs: list[store.Subscription], user, version: int, latest, munis) -> dict:
    """kpi id -> its status (metrics.alerts.status) for the subscriber's region."""
    registry = load_registry()
    out = {}
    for sub in subs:
        if sub.target not in registry.kpis:
            continue
        k = registry[sub.target]
        f = filters_for(user, sub.region, latest, munis)
        out[k.id] = alerts.status(kpi_summary(engine, k, f, registry),
                                  kpi_verdict(engine, k, f, version, latest[0], registry))
    return out


# --- the run --------------------------------------------------------------------------------------------------

@dataclass
class RunResult:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)
    recorded: int = 0                   # alert statuses recorded without an e-mail (first look, no change)

    def summary(self) -> str:
        return (f"sent {len(self.sent)}, failed {len(self.failed)}, skipped {len(self.skipped)}, "
                f"would send {len(self.would_send)}, statuses recorded {self.recorded}")


def _record(engine, user, action: str, obj: str, detail: str) -> None:
    scope = (f"{user.scope_county or ''}:{','.join(user.scope_municipalities)}" if user.scope_municipalities
             else user.scope_county or "*")
    audit.record(engine, user.user_name, action, obj, detail, scope, user.role)


def _deliver(engine, cfg: SmtpConfig, job: Job, version: int, msg_of: Callable[[], EmailMessage], result: RunResult,
             sleep, on_sent: Callable[[sa.Connection], None] | None = None) -> None:
    label = f"{job.kind}:{job.target}:{job.user.user_name}:{job.period}"
    if not store.claim(engine, job.user.user_name, job.kind, job.target, job.period, version):
        result.skipped.append(label)
        return
    try:
        msg = msg_of()
    except Exception as exc:  # noqa: BLE001 - a pack that cannot be built is recorded, retried next run
        log.exception("subscriptions: building %s failed", label)
        store.finish(engine, job.user.user_name, job.kind, job.target, job.period, False, 0,
                     f"build: {type(exc).__name__}: {exc}")
        _record(engine, job.user, "mail_failed", f"{job.kind}:{job.target}", f"{job.period} build failed")
        result.failed.append(label)
        return
    ok, attempts, error = send(cfg, msg, sleep)
    with engine.begin() as conn:
        store.finish(engine, job.user.user_name, job.kind, job.target, job.period, ok, attempts, error, conn=conn)
        if ok and on_sent is not None:
            on_sent(conn)
    _record(engine, job.user, "mail_sent" if ok else "mail_failed", f"{job.kind}:{job.target}",
            f"{job.period} → {job.user.email}" + ("" if ok else f" · {error}"))
    (result.sent if ok else result.failed).append(label)


def run(engine: sa.Engine, now: dt.datetime | None = None, dry_run: bool = False, cfg: SmtpConfig | None = None,
        sleep: Callable[[float], None] = time.sleep) -> RunResult:
    """Send what is due now (see the module text); with dry_run only say what would be sent."""
    now = now or dt.datetime.now()
    result = RunResult()
    version, _ = catalog.data_version(engine)
    try:
        latest = catalog.latest_month(engine)
    except LookupError:
        return result                               # an empty warehouse: nothing to tell anyone
    munis = catalog.municipalities(engine)
    cfg = cfg or smtp_config()
    registry = load_registry()
    for job in due(engine, version, now):
        user, label = job.user, f"{job.kind}:{job.target}:{job.user.user_name}:{job.period}"
        if job.kind == "pack":
            sub = job.subs[0]
            items = exports.load_selection(engine, sub.target)
            if not items:
                log.warning("subscriptions: %s: the saved selection is gone or empty", label)
                result.skipped.append(label)
                continue
            if dry_run:
                result.would_send.append(label)
                continue

            def pack_message(sub=sub, items=items, user=user):
                f = filters_for(user, sub.region, latest, munis)
                files = build_pack(engine, items, f, version, sub.lang, sub.target, munis)
                names = [export.file_name(sub.target, fmt, lang=sub.lang) for fmt in ("pptx", "pdf")]
                m = mail.pack_mail(sub.lang, user.display_name, sub.target, files["subtitle"], version,
                                   files["slides"], link("overview", sub.lang, county=f.county),
                                   link("board_pack", sub.lang), names)
                return message(cfg, user.display_name, user.email, m,
                               [(names[0], files["pptx"], export.MIME["pptx"]),
                                (names[1], files["pdf"], export.MIME["pdf"])])
            _deliver(engine, cfg, job, version, pack_message, result, sleep)
            continue
        # alerts: compare with what the user was last told
        known = store.baselines(engine, user.user_name)
        subs = [s for s in job.subs if s.target in registry.kpis]
        if all(known.get(s.target, (None,))[0] == version for s in subs):
            continue                                # every KPI already looked at for this version
        now_status = statuses(engine, subs, user, version, latest, munis)
        before = {k: v for k, (_, v) in known.items()}
        changed = alerts.changes(before, now_status)
        if not changed:
            if not dry_run:
                store.save_baselines(engine, user.user_name, version, now_status)
            result.recorded += len(now_status)
            continue
        if dry_run:
            result.would_send.append(f"{label} ({', '.join(c.kpi_id for c in changed)})")
            continue
        lang = subs[0].lang
        region_of = {s.target: s.region for s in subs}

        def alert_message(changed=changed, user=user, lang=lang, region_of=region_of):
            items = []
            for c in changed:
                f = filters_for(user, region_of[c.kpi_id], latest, munis)
                url = link("kpi_detail", lang, kpi=c.kpi_id, county=f.county,
                           municipality=f.municipalities[0] if len(f.municipalities) == 1 else "")
                items.append((c, registry[c.kpi_id], url))
            f0 = filters_for(user, region_of[changed[0].kpi_id], latest, munis)
            m = mail.alert_mail(lang, user.display_name, sidebar.place(f0, munis, lang), items,
                                link("kpi_detail", lang))
            return message(cfg, user.display_name, user.email, m)

        _deliver(engine, cfg, job, version, alert_message, result, sleep,
                 on_sent=lambda conn, user=user, now_status=now_status:
                 store.save_baselines(engine, user.user_name, version, now_status, conn=conn))
    return result


def listing(engine: sa.Engine) -> list[str]:
    users = {u.user_name: u for u in user_store.all_users(engine)}
    lines = []
    for sub in store.all_subscriptions(engine):
        u = users.get(sub.user_name)
        last = next(iter(d for d in store.deliveries(engine, sub.user_name)
                         if d.kind == sub.kind and d.target in (sub.target, store.ALERT_TARGET)), None)
        state = f"{last.period} {last.status} ({last.attempts} tries)" if last else "never sent"
        ok = "ok" if may_receive(u, sub.kind) else "NOT SENT (no such user, disabled, no e-mail or role)"
        lines.append(f"{sub.user_name}\t{sub.kind}\t{sub.target}\t{sub.schedule}\t{sub.region or '*'}\t{sub.lang}\t"
                     f"{(u.email if u else '') or '-'}\t{ok}\t{state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.subscriptions",
                                description="Send the dashboard's e-mail subscriptions and KPI alerts that are due.")
    p.add_argument("--url", help="warehouse URL (default: DASHBOARD_DB_URL)")
    p.add_argument("--schema", help="PostgreSQL schema (default: DASHBOARD_DB_SCHEMA)")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="send what is due")
    r.add_argument("--dry-run", action="store_true", help="only print what would be sent")
    sub.add_parser("list", help="list the subscriptions")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        engine = make_engine(args.url, args.schema, query_timeout=0)
        migrations.upgrade(engine)
    except sa.exc.DBAPIError as exc:
        print(f"error: the warehouse cannot be opened ({str(exc.orig).splitlines()[0]}). On DuckDB only one "
              "process may open the file: let the app send them itself (DASHBOARD_SUBSCRIPTIONS_EVERY_MINUTES) or use "
              "PostgreSQL.",
              file=sys.stderr)
        return 2
    if args.cmd == "list":
        print("\n".join(listing(engine)) or "no subscriptions")
        return 0
    try:
        cfg = smtp_config()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.dry_run and (not cfg.host or not cfg.sender):
        print("error: set DASHBOARD_SMTP_HOST and DASHBOARD_SMTP_SENDER to send e-mail", file=sys.stderr)
        return 2
    result = run(engine, dry_run=args.dry_run, cfg=cfg)
    for label in result.would_send:
        print(f"would send {label}")
    for label in result.sent:
        print(f"sent {label}")
    for label in result.failed:
        print(f"FAILED {label}", file=sys.stderr)
    print(result.summary())
    engine.dispose()
    return 1 if result.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

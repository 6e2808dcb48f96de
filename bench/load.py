"""Load: start the app server(s) and drive sessions with the shared websocket load client
(../shared/tools/ws_load.py): each session opens the overview, changes the county and switches page.

    .venv/bin/python bench/load.py --sessions 10                       # one server on the DuckDB demo
    .venv/bin/python bench/load.py --sessions 50 --ramp 25
    .venv/bin/python bench/load.py --sessions 50 --ramp 25 --servers 2 \\
        --url postgresql+psycopg://postgres@127.0.0.1/test --schema demo_s1      # two app processes, one PostgreSQL

Prints p50/p95 per step, the errors, the server CPU per page run (server CPU seconds / page runs) and RSS, per
server and in total. A warm-up session per server first fills the caches (--cold: none). Exit status 1 when any
session had an error. With --servers > 1 the sessions are spread over the servers, as a load balancer with sticky
sessions would (each session stays on its server). Machine shared while measuring: say so with the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WS_LOAD = Path(os.environ.get("WS_LOAD", ROOT.parent / "shared" / "tools" / "ws_load.py"))
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """`streamlit run dashboard.py` with the project's .streamlit/config.toml (production settings)."""
    cmd = [PY, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
           "--server.headless", "true", *extra]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on {port} not healthy in {timeout} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def drive(port: int, n: int, ramp: float, pid: int, out: Path, timeout: float) -> subprocess.Popen:
    cmd = [PY, str(WS_LOAD), f"http://127.0.0.1:{port}", str(n), "--server-pid", str(pid), "--json", str(out),
           "--total-timeout", str(timeout), "--step-timeout", str(min(timeout, 120))]
    if ramp:
        cmd += ["--ramp", str(ramp)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def pct(values: list[float], p: float) -> float:
    import math
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)] if v else float("nan")


def run(sessions: int, servers: int = 1, ramp: float = 0.0, url: str | None = None, schema: str = "",
        warm: bool = True, timeout: float = 300, quiet: bool = False) -> dict:
    """Start `servers` app processes, drive `sessions` sessions across them, stop them; the summary."""
    if not WS_LOAD.exists():
        raise SystemExit(f"load client not found at {WS_LOAD} (set WS_LOAD)")
    env = dict(os.environ)
    if url:
        env["DASHBOARD_DB_URL"] = url
    if schema:
        env["DASHBOARD_DB_SCHEMA"] = schema
    # the demo warehouse where the one to load has no data yet (as scripts/run.sh does)
    subprocess.run([PY, "-m", "data_sources.demo", "--if-missing"], cwd=ROOT, env=env, check=True)
    ports = [free_port() for _ in range(servers)]
    procs = [start_server(p, env) for p in ports]
    tmp = Path(tempfile.mkdtemp(prefix="load_"))
    try:
        for p, proc in zip(ports, procs):
            wait_healthy(p, proc)
        if warm:
            for i, (p, proc) in enumerate(zip(ports, procs)):
                w = drive(p, 1, 0, proc.pid, tmp / f"warm{i}.json", timeout)
                w.communicate()
        share = [sessions // servers + (i < sessions % servers) for i in range(servers)]
        clients = [drive(p, k, ramp, proc.pid, tmp / f"run{i}.json", timeout)
                   for i, (p, proc, k) in enumerate(zip(ports, procs, share)) if k]
        outputs = [c.communicate()[0] for c in clients]
        reports = [json.loads((tmp / f"run{i}.json").read_text()) for i, k in enumerate(share) if k]
    finally:
        for proc in procs:
            stop_server(proc)
    summary = summarize(reports)
    if not quiet:
        for i, text in enumerate(outputs):
            print(f"--- server {i + 1} (ws_load) ---\n{text.strip()}")
        print_summary(summary, sessions, servers, ramp)
    return summary


def summarize(reports: list[dict]) -> dict:
    recs = [r for rep in reports for r in rep["sessions"]]
    steps = {}
    for step in ("connect", "overview", "filter", "page"):
        v = [r["times"][step] for r in recs if step in r["times"]]
        steps[step] = {"ok": len(v), "p50": pct(v, 50), "p95": pct(v, 95), "max": max(v) if v else float("nan")}
    cpu = sum(rep["server_after"].get("cpu_s", 0) - rep["server_before"].get("cpu_s", 0) for rep in reports)
    runs = sum(sum(1 for s in ("overview", "filter", "page") if s in r["times"]) for r in recs)
    errors = [e for r in recs for e in r["errors"]]
    return {"sessions": len(recs), "sessions_with_errors": sum(1 for r in recs if r["errors"]),
            "errors": errors, "steps": steps, "server_cpu_s": cpu, "page_runs": runs,
            "cpu_per_run_s": cpu / runs if runs else float("nan"),
            "rss_mib": [rep["server_after"].get("VmRSS", 0) / 1024 for rep in reports],
            "peak_rss_mib": [rep["server_peak"].get("peak_rss_kb", 0) / 1024 for rep in reports],
            "wall_s": max(rep["wall_s"] for rep in reports)}


def print_summary(s: dict, sessions: int, servers: int, ramp: float) -> None:
    print(f"=== {sessions} sessions over {servers} server(s), ramp {ramp} s, wall {s['wall_s']} s ===")
    print(f"{'step':10s} {'ok':>5s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    for step, v in s["steps"].items():
        print(f"{step:10s} {v['ok']:5d} {v['p50']:7.2f} {v['p95']:7.2f} {v['max']:7.2f}")
    print(f"sessions with errors: {s['sessions_with_errors']}/{s['sessions']}")
    for e in sorted(set(s["errors"]))[:10]:
        print(f"  {s['errors'].count(e)} x {e}")
    print(f"server CPU {s['server_cpu_s']:.1f} s over {s['page_runs']} page runs = "
          f"{s['cpu_per_run_s']:.3f} s CPU per page run")
    print("server RSS after: " + ", ".join(f"{r:.0f} MiB" for r in s["rss_mib"])
          + "; peak sampled: " + ", ".join(f"{r:.0f} MiB" for r in s["peak_rss_mib"]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--servers", type=int, default=1)
    ap.add_argument("--ramp", type=float, default=0.0, help="spread session starts over this many seconds")
    ap.add_argument("--url", default=None, help="warehouse URL (default: DASHBOARD_DB_URL / the demo DuckDB)")
    ap.add_argument("--schema", default="", help="PostgreSQL schema of the warehouse")
    ap.add_argument("--cold", action="store_true", help="no warm-up session")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args(argv)
    s = run(args.sessions, args.servers, args.ramp, args.url, args.schema, not args.cold, args.timeout)
    sys.exit(1 if s["sessions_with_errors"] else 0)


if __name__ == "__main__":
    main()

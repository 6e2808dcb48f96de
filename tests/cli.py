"""The app's command lines (`python -m app.users ...`, `python -m app.subscriptions ...`) run as processes of their
own, without paying the interpreter's import of pandas, SciPy, Altair, Streamlit and SQLAlchemy for every command
(seconds each, most of a command's time).

A test takes the `cli` fixture (tests/conftest.py): one helper interpreter per test worker that has imported those
third-party libraries and nothing of the project. Each command is a fork of it, a new process that changes into
its working directory, takes its environment (the caller's os.environ unless given), its argv, a file as stdin
and files as stdout and stderr, and runs the module as `python -m` does (runpy, run_name "__main__"): the project's
modules are imported in that process, under that environment. The exit status is the process's own (SystemExit,
an uncaught exception, atexit and all), read by waitpid; the answer is a subprocess.CompletedProcess like
subprocess.run(..., capture_output=True, text=True) gives."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the third-party libraries the command lines import (python -X importtime -m app.subscriptions): ~90 % of a
# command's start; none of them reads a DASHBOARD_ variable
PRELOAD = ("numpy", "pandas", "pyarrow", "scipy.stats", "altair", "vl_convert", "jsonschema", "sqlalchemy", "duckdb",
           "duckdb_engine", "psycopg", "streamlit", "pptx", "PIL.Image", "lxml.etree", "xlsxwriter",
           "python_calamine", "rapidfuzz", "argon2")

# The helper interpreter. It speaks on two pipes of its own (fds given in argv), so that fds 0, 1 and 2, which each
# command gets as its stdin, stdout and stderr, never hold a byte of the protocol.
HELPER = r"""
import importlib, json, os, runpy, sys
requests, replies = os.fdopen(int(sys.argv[1]), "r"), os.fdopen(int(sys.argv[2]), "w")
for name in json.loads(sys.argv[3]):
    importlib.import_module(name)
main_path = list(sys.path)
import gc; gc.freeze()           # the preloaded objects: no collection in a fork walks (and copies) them
sys.stdout.flush(); sys.stderr.flush()
replies.write("ready\n"); replies.flush()
child = None
for line in requests:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child = req
        break
    replies.write(json.dumps({"pid": pid}) + "\n"); replies.flush()
    _, status = os.waitpid(pid, 0)
    replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n"); replies.flush()
if child is None:
    raise SystemExit(0)
requests.close(); replies.close()
for fd, path, flags in ((0, child["stdin"], os.O_RDONLY), (1, child["stdout"], os.O_WRONLY),
                        (2, child["stderr"], os.O_WRONLY)):
    opened = os.open(path, flags)
    os.dup2(opened, fd)
    os.close(opened)
os.chdir(child["cwd"])
os.environ.clear()
os.environ.update(child["env"])
sys.path[:] = [os.getcwd(), *main_path[1:]]        # python -m puts the working directory first
module, sys.argv = child["args"][0], ["-m", *child["args"][1:]]      # runpy sets argv[0] to the module's file
del child, requests, replies, line, req, pid
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


class CommandLines:
    """`run(module, *args, env=None, input="", cwd=ROOT, timeout=120)`: a subprocess.CompletedProcess."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.count = 0

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        log = open(self.workdir / "helper.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-c", HELPER, str(req_r), str(rep_w), json.dumps(PRELOAD)],
                                     cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     pass_fds=(req_r, rep_w))
        log.close()
        os.close(req_r)
        os.close(rep_w)
        self.requests, self.replies = os.fdopen(req_w, "w"), os.fdopen(rep_r, "r")
        if self._reply(300) != "ready":
            raise RuntimeError(f"the command-line helper did not start: {(self.workdir / 'helper.log').read_text()}")

    def _reply(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.replies], [], [], timeout)
        line = self.replies.readline() if ready else None
        if ready and not line:
            raise RuntimeError(f"the command-line helper died: {(self.workdir / 'helper.log').read_text()[-2000:]}")
        return line.strip() if line else None

    def run(self, module: str, *args: str, env: dict | None = None, input: str = "", cwd: Path = ROOT,
            timeout: float = 120) -> subprocess.CompletedProcess:
        if self.proc is None:
            self._start()
        self.count += 1
        paths = {name: self.workdir / f"{self.count}.{name}" for name in ("stdin", "stdout", "stderr")}
        paths["stdin"].write_text(input)
        paths["stdout"].touch()
        paths["stderr"].touch()
        request = {"args": [module, *args], "cwd": str(cwd), "env": dict(os.environ if env is None else env),
                   **{name: str(path) for name, path in paths.items()}}
        self.requests.write(json.dumps(request) + "\n")
        self.requests.flush()
        pid = json.loads(self._reply(60))["pid"]
        done = self._reply(timeout)
        if done is None:
            os.kill(pid, signal.SIGKILL)
            self._reply(60)
            raise subprocess.TimeoutExpired([sys.executable, "-m", module, *args], timeout)
        return subprocess.CompletedProcess([sys.executable, "-m", module, *args], json.loads(done)["returncode"],
                                           paths["stdout"].read_text(), paths["stderr"].read_text())

    def close(self) -> None:
        if self.proc is not None:
            self.requests.close()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.replies.close()


def command_lines(workdir: Path | None = None) -> CommandLines:
    return CommandLines(workdir or Path(tempfile.mkdtemp(prefix="cli")))

"""The architecture's rules as tests: the import contracts (.importlinter, docs/architecture.md), only public
Streamlit API, no module reading another module's private names, pages readable in a minute."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "ui", "metrics", "data_sources")
APP_CODE = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")),
            *[p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]]
MAX_PAGE_LINES = 120


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    res = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "4 kept, 0 broken" in res.stdout


def test_only_public_streamlit_api():
    """No private Streamlit module (streamlit.runtime, streamlit.elements...), no PagesManager, no runpy."""
    for path in APP_CODE:
        text = path.read_text()
        assert "PagesManager" not in text and "runpy" not in text, path
        for node in ast.walk(ast.parse(text)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith("streamlit."), f"{path.relative_to(ROOT)} imports {name}"


def _module_aliases(tree: ast.Module, own: str) -> set[str]:
    """Names bound to a project module or package by the file's imports (import x.y as z, from x import y)."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    aliases.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in PACKAGES):
            for a in node.names:
                aliases.add(a.asname or a.name)
    return aliases


def test_no_module_reads_another_modules_private_names():
    found = []
    for path in APP_CODE:
        tree = ast.parse(path.read_text())
        aliases = _module_aliases(tree, path.stem)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in PACKAGES):
                found += [f"{path.relative_to(ROOT)}: from {node.module} import {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not found, found


def test_pages_read_in_a_minute():
    long = {p.name: n for p in sorted((ROOT / "pages").glob("*.py"))
            if (n := len(p.read_text().splitlines())) > MAX_PAGE_LINES}
    assert not long, long


def test_every_page_starts_from_the_context():
    """Streamlit runs a page file alone (a deep link on a fresh server): each sets itself up first."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        calls = [n for n in ast.walk(ast.parse(page.read_text())) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Attribute) and n.func.attr == "setup"
                 and isinstance(n.func.value, ast.Name) and n.func.value.id == "context"]
        assert calls, f"{page.name} does not call context.setup()"

"""The UI catalogue (ui/i18n.py): every entry complete in both languages, every key the code builds at run time
present, t() that never raises, and no UI text written outside the catalogue in ui/ and pages/."""
from __future__ import annotations

import ast
import importlib
import inspect
import logging
import re
import string
from pathlib import Path

import pandas as pd
import pytest

from ui import i18n
from ui.i18n import CATALOGUE, LANGS, local, local_col, month_window, t

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("ui", "pages", "app")           # where t() is called
TEXT_DIRS = ("ui", "pages")                  # where no UI text may be written outside the catalogue


def _files(*dirs: str) -> list[Path]:
    return sorted(p for d in dirs for p in (ROOT / d).glob("*.py"))


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def _source(*parts: str) -> str:
    return (ROOT.joinpath(*parts)).read_text(encoding="utf-8")


def _found(pattern: str, text: str) -> set[str]:
    return {m for m in re.findall(pattern, text) if m}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- (a) every entry: Finnish and English, the same placeholders -------------------------------------------
def test_every_entry_has_both_languages_with_the_same_placeholders():
    assert LANGS == ("fi", "en")
    problems = []
    for key, entry in CATALOGUE.items():
        if not (isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            problems.append(f"{key}: not a (Finnish, English) pair")
            continue
        fi, en = entry
        if not fi.strip() or not en.strip():
            problems.append(f"{key}: empty text")
            continue
        try:
            if _fields(fi) != _fields(en):
                problems.append(f"{key}: placeholders differ: {sorted(_fields(fi))} vs {sorted(_fields(en))}")
        except ValueError as exc:          # an unbalanced brace
            problems.append(f"{key}: {exc}")
    assert not problems, "\n".join(problems)


# --- (b) every key the code builds at run time exists -------------------------------------------------------
HOLE = "\x00"           # stands for a value known only at run time in a key template


def _templates(node: ast.AST, assigned: dict[str, ast.AST]) -> set[str]:
    """The key templates an expression can give: literals kept, run-time parts as HOLE; a conditional between
    literals gives each branch; a name assigned once in the same function is followed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        out = {""}
        for part in node.values:
            sub = _templates(part.value if isinstance(part, ast.FormattedValue) else part, assigned) \
                if not isinstance(part, ast.Constant) else {part.value}
            out = {a + b for a in out for b in sub}
        return out
    if isinstance(node, ast.FormattedValue):
        return _templates(node.value, assigned)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in _templates(node.left, assigned) for b in _templates(node.right, assigned)}
    if isinstance(node, ast.IfExp):
        return _templates(node.body, assigned) | _templates(node.orelse, assigned)
    if isinstance(node, ast.Name) and node.id in assigned:
        return _templates(assigned[node.id], {k: v for k, v in assigned.items() if k != node.id})
    return {HOLE}


def _call_sites():
    """(file, function, key expression, templates) of every t(key, ...) and _fmt(key, ...) call."""
    for path in _files(*CODE_DIRS):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [("<module>", tree)] + [(n.name, n) for n in ast.walk(tree)
                                         if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        seen = set()
        for name, scope in reversed(scopes):          # innermost function first
            targets = [a for a in ast.walk(scope) if isinstance(a, ast.Assign) and len(a.targets) == 1
                       and isinstance(a.targets[0], ast.Name)]
            counts = {}
            for a in targets:
                counts[a.targets[0].id] = counts.get(a.targets[0].id, 0) + 1
            assigned = {a.targets[0].id: a.value for a in targets if counts[a.targets[0].id] == 1} \
                if name != "<module>" else {}
            for call in ast.walk(scope):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id in ("t", "_fmt") and call.args) or id(call) in seen:
                    continue
                seen.add(id(call))
                key = call.args[0]
                yield _rel(path), name, ast.unparse(key), _templates(key, assigned), call.lineno


def _issue_codes() -> set[str]:
    """Every problem code the upload reader and validator can give (each is said as upl_e_ and upl_f_)."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data_sources" / "uploads").glob("*.py")))
    validate = _source("data_sources", "uploads", "validate.py")
    codes = _found(r'(?:Issue|Refused\(Issue)\(\s*"([a-z_]+)"', text)
    codes |= _found(r'probs(?:_u)?\[.*\]\s*=\s*"([a-z_]+)"', validate)
    codes |= _found(r'probs(?:_u)?\[.*\]\s*=\s*"[a-z_]+" if [^\n]* else "([a-z_]+)"', validate)
    codes |= _found(r'return None, "([a-z_]+)", \(\)', validate)
    return codes


def _note_codes() -> set[str]:
    """Every note the reader and validator can give: Note("code"), the header language, the cell-format flags."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data_sources" / "uploads").glob("*.py")))
    validate = _source("data_sources", "uploads", "validate.py")
    codes = _found(r'Note\(\s*"([a-z0-9_]+)"', text)
    for prefix in _found(r'Note\(\s*f"([a-z_]+)\{lang\}"', text):
        codes |= {prefix + lang for lang in LANGS}
    flags = _found(r'flags\.append\("([a-z_]+)"\)', validate) | _found(r'\("([a-z_]+)",\)', validate)
    issues_not_notes = _found(r'if f == "([a-z_]+)"', validate)
    assert flags and issues_not_notes <= _issue_codes()
    return codes | (flags - issues_not_notes)


def _forecast_reasons() -> set[str]:
    text = _source("metrics", "forecast.py") + _source("ui", "board_pack.py")
    return (_found(r'reason\s*=\s*(?:None if [^\n]* else )?"([a-z_]+)"', text)
            | _found(r'"reason":\s*"([a-z_]+)"', text))


def _in_function(func, pattern: str) -> set[str]:
    return _found(pattern, inspect.getsource(func))


def _auth():
    return importlib.import_module("app.auth")


def _values() -> dict:
    """For each key template with run-time parts, the values those parts take, from the code's own constants
    or, where they are literals, from its source. A (file, function, expression) entry names a key that is
    whole at run time."""
    from data_sources import child_budget as cbdata
    from data_sources import schema
    ingest = importlib.import_module("data_sources.uploads.ingest")     # the package names a function ingest too
    from metrics import child_budget as cb
    from metrics import forecast, registry, targets
    from ui import board_pack, child_budget as cbui, format as fmt, sidebar, upload, widgets

    pages = "".join(p.read_text(encoding="utf-8") for p in _files("pages"))
    ingest_src = _source("data_sources", "uploads", "ingest.py")
    steps = cb.waterfall(pd.Series({"actual_eur": 10.0, "partial_total": 4.0, "partial_child": 1.0,
                                    "not_targeted_total": 3.0, "direct_child": 2.0})).step
    statuses = [targets.GREEN, targets.AMBER, targets.RED, "none"]
    cb_problems = _found(r'\(\s*"(cb_err_[a-z_]+)"', _source("data_sources", "child_budget.py"))
    assert cb_problems
    return {
        # key templates (HOLE = a run-time part) -> the values
        f"status_{HOLE}": statuses,
        f"grain_{HOLE}": registry.GRAINS,
        f"level_{HOLE}": registry.LEVELS,
        f"direction_{HOLE}": registry.DIRECTIONS,
        f"notes_direction_{HOLE}": registry.DIRECTIONS,
        f"fc_model_{HOLE}": forecast.MODELS,
        f"fc_col_{HOLE}": [f"{b}{round(level * 100)}" for level in forecast.LEVELS for b in ("lo", "hi")],
        f"fc_none_{HOLE}": _forecast_reasons(),
        f"fc_short_{HOLE}": _forecast_reasons(),
        f"fc_note_{HOLE}": _found(r'return "[a-z_0-9]+", [^\n]*"(short[a-z_]*)"', _source("metrics", "forecast_models.py")),
        f"vd_state_{HOLE}": targets.STATES,
        f"vd_future_unknown_{HOLE}": _found(r'basis="([a-z_]+)"', _source("metrics", "targets.py"))
        - {"actual", "forecast", "trend"},
        f"cb_target_{HOLE}": set(cbdata.TARGET_CLASSES) | set(cbui.TARGET_STYLE),
        f"cb_prev_{HOLE}": set(cbdata.PREVENTION) | set(cbui.PREVENTION_STYLE),
        f"cb_key_{HOLE}": cbdata.ALLOCATION_KEYS,
        f"cb_step_{HOLE}": list(steps),
        f"cb_level_{HOLE}": _found(r'level="([a-z_]+)"', _source("metrics", "child_budget.py")),
        f"cb_readme_{HOLE}": ast.literal_eval(re.search(r'"cb_readme_" \+ k, lang\) for k in\s*(\([^)]*\))',
                                                        inspect.getsource(cbui.model_workbook))[1]),
        # the Excel headers: results, trend and the version history (other sheets keep unknown columns as named)
        f"cbc_{HOLE}": [*cbui.RESULT_COLUMNS, *cbui.TREND_COLUMNS,
                        *(c.name for c in schema.child_budget_class_version.columns)],
        f"upl_e_{HOLE}": _issue_codes(),
        f"upl_f_{HOLE}": _issue_codes(),
        f"upl_n_{HOLE}": _note_codes(),
        f"upl_x_{HOLE}": _found(r'UploadError\(\s*"([a-z_]+)"',
                                "".join(p.read_text(encoding="utf-8") for p in
                                        [*_files("data_sources/uploads"), *_files("app")])),
        f"upl_status_{HOLE}": _found(r'status\s*=\s*"([a-z_]+)"', ingest_src),
        f"upl_stage_{HOLE}": _found(r'step\([^,()]+,\s*"([a-z_]+)"\)', ingest_src),
        f"upl_mode_{HOLE}": ingest.MODES,
        f"upl_mode_{HOLE}_all": ["replace"],                 # a replace without a scope replaces the whole table
        f"channel_{HOLE}": schema.CHANNELS,
        # issue 15 (h15c): the formula in words names every measure, filter column and profession the registry uses
        f"measure_{HOLE}": list(registry.load_registry().measures),
        f"formula_col_{HOLE}": importlib.import_module("ui.formula").FILTER_COLUMNS,
        f"a11y_gap_{HOLE}": importlib.import_module("ui.accessibility").FRAMEWORK_GAPS,
        f"a11y_own_{HOLE}": importlib.import_module("ui.accessibility").OWN_MEASURES,
        f"formula_prof_{HOLE}": sorted({p for m in registry.load_registry().measures.values()
                                        for p in m.filter.get("profession", ())}
                                       | {p for k in registry.load_registry().kpis.values()
                                          for p in k.filter.get("profession", ())}),
        f"role_{HOLE}": _auth().roles(),
        f"adm_mode_{HOLE}": ("oidc", "local", "demo", "closed"),
        f"adm_action_{HOLE}": importlib.import_module("data_sources.audit").ACTIONS,
        f"adm_err_{HOLE}": _found(r'(?:AdminError|UserError)\(\s*"([a-z_]+)"',
                                  _source("app", "users.py") + _source("app", "admin.py")
                                  + _source("data_sources", "users.py")),
        f"pack_kind_{HOLE}": board_pack.KINDS,
        f"pack_download_{HOLE}": _found(r'\(\w+, "([a-z]+)"\)', _source("pages", "board_pack.py")),
        f"export_{HOLE}": ast.literal_eval(re.search(r'for fmt in (\([^)]*\))',
                                                     inspect.getsource(widgets.export_menu))[1]),
        # keys whole at run time: where they come from
        ("ui/sidebar.py", "menu", "section"): [section for section, _ in sidebar.MENU],
        ("ui/sidebar.py", "menu", "title"): [title for _, pages in sidebar.MENU for _, title, _ in pages],
        ("ui/sidebar.py", "footer", "title"): [title for _, title, _ in sidebar.FOOTER],
        ("ui/child_budget.py", "error_messages", "key"): cb_problems,
        ("ui/upload.py", "error_message", "k"): cb_problems,
        ("ui/child_budget.py", "headline", "words[2]"): _in_function(cbui.headline,
                                                                     r'"((?:cb_goal|status)_[a-z_]+)"'),
        ("ui/format.py", "unit_suffix", "key"): fmt.UNIT_SUFFIX.values(),
        ("ui/upload.py", "comparison", "label"): _in_function(upload.comparison, r'\("(upl_[a-z_]+)", cmp\.'),
        ("ui/upload.py", "audit_table", "cols[c]"): _in_function(upload.audit_table, r'"(upl_col_[a-z_]+)"'),
        ("ui/upload.py", "audit_table", "k"): _in_function(upload.audit_table, r'"(upl_col_[a-z_]+)"'),
        ("ui/upload.py", "_fmt", "key"): [],                  # its callers' keys are checked where they call it
        ("app/context.py", "setup", "title_key"): _found(r'context\.setup\("([a-z_]+)"\)', pages),
        ("app/context.py", "_no_data_yet", "title_key"): _found(r'context\.setup\("([a-z_]+)"\)', pages),
    }


def test_every_key_the_code_builds_exists():
    values = _values()
    missing, unknown, checked = [], [], 0
    for path, func, expr, templates, line in _call_sites():
        for template in templates:
            if HOLE not in template:
                keys = [template]
            elif template == HOLE:
                if (path, func, expr) not in values:
                    unknown.append(f"{path}:{line} {func}(): t({expr}) - say in _values() where its keys come from")
                    continue
                keys = list(values[(path, func, expr)])
                assert keys or func == "_fmt", f"no keys found for {path} {func} {expr}"
            else:
                if template not in values:
                    unknown.append(f"{path}:{line} t({expr}) builds {template.replace(HOLE, '{…}')!r} - "
                                   "enumerate its values in _values()")
                    continue
                parts = list(values[template])
                assert parts, f"no values found for {template!r}"
                keys = [template.replace(HOLE, str(v)) for v in parts]
            for key in keys:
                checked += 1
                if key not in CATALOGUE:
                    missing.append(f"{path}:{line} t({expr}) -> {key!r}")
    assert not unknown, "key built at run time from unknown values:\n" + "\n".join(unknown)
    assert not missing, "keys missing from the catalogue:\n" + "\n".join(sorted(set(missing)))
    assert checked > 400


def test_the_enumerations_find_what_they_should():
    """The source scans above are not silently empty: a few codes each must find are found."""
    assert {"too_large", "zip_bomb", "not_number", "required", "out_of_range", "negative", "future_date",
            "unknown_code", "greater_than", "normalised_day"} <= _issue_codes()
    assert {"title_rows", "headers_fi", "headers_en", "csv_delimiter", "decimal_comma", "zero_padded",
            "excel_serial"} <= _note_codes()
    assert {"no_monthly", "suppressed", "too_short"} <= _forecast_reasons()
    assert {"staging", "comparing", "inserting", "committing", "done"} <= set(_values()[f"upl_stage_{HOLE}"])
    assert {"committed", "rolled_back"} <= set(_values()[f"upl_status_{HOLE}"])


def test_every_registry_unit_grain_and_status_is_said():
    from metrics import registry, targets
    from ui import format as fmt, widgets

    assert set(registry.UNITS) <= set(fmt.DECIMALS)              # every unit has its decimals (and maybe words)
    assert set(fmt.UNIT_SUFFIX) <= set(registry.UNITS)
    for unit in registry.UNITS:
        for lang in LANGS:
            assert "unit_sfx_" not in fmt.fmt_value(1.5, unit, lang)
    from ui import verdict
    assert set(targets.LIGHT.values()) <= set(verdict.LIGHT_MARK) and {targets.GREEN, targets.AMBER,
                                                                       targets.RED} <= set(widgets.STATUS_MARK)
    reg = registry.load_registry()
    for k in reg.kpis.values():
        assert k.unit in fmt.DECIMALS and k.level in registry.LEVELS and k.direction in registry.DIRECTIONS
        assert set(k.grains) <= set(registry.GRAINS)


# --- (c) t() never raises -----------------------------------------------------------------------------------
def test_unknown_key_gives_the_key_and_warns_once(caplog):
    key = "no_such_key_for_the_test"
    i18n._warned.discard(key)
    with caplog.at_level(logging.WARNING, logger="dashboard"):
        assert t(key) == key
        assert t(key, "en", n=3) == key
    assert [r.levelname for r in caplog.records if key in r.getMessage()] == ["WARNING"]


def test_missing_or_odd_format_parameters_do_not_raise():
    assert t("trend_title", "fi", name="Käynnit") == "Käynnit: kehitys vuosittain ({months})"
    assert t("fc_months", "en", n=6) == "6 months"
    assert t("fc_months", "fi", n=6, extra="x") == "6 kk"
    assert t("fc_months", "fi") == "{n} kk"                       # no parameters: the text as it is
    assert t("fc_months", "sv", n=6) == "6 kk"                    # an unknown language reads Finnish
    CATALOGUE["_test_bad_format"] = ("{n:d} kpl", "{n:d} pcs")
    try:
        assert t("_test_bad_format", "fi", m=1) == "{n:d} kpl"    # cannot be formatted: shown unformatted
    finally:
        del CATALOGUE["_test_bad_format"]


def test_local_columns_and_months():
    df = pd.DataFrame({"name_fi": ["Jyväskylä"], "name_en": ["Jyvaskyla"], "county_fi": ["K"], "county_en": ["C"]})
    assert local_col("name", "fi") == "name_fi" and local_col("name", "en") == "name_en"
    assert local_col("name", "sv") == "name_fi"
    assert list(local(df, "name", "en")) == ["Jyvaskyla"]
    assert local(df.iloc[0], "county", "fi") == "K"
    assert local(next(df.itertuples()), "county", "en") == "C"
    assert local({"columns_fi": "a", "columns_en": "b"}, "columns", "en") == "b"
    assert month_window((1, 12), "fi") == "koko vuosi" and month_window((1, 12), "en") == "full year"
    assert month_window((3, 3), "fi") == "maaliskuu" and month_window((3, 3), "en") == "Mar"
    assert month_window((1, 10), "fi") == "tammi–lokakuu" and month_window((1, 10), "en") == "Jan–Oct"


# --- (d) no UI text outside the catalogue -------------------------------------------------------------------
# Words that mark Finnish text: every word of the catalogue's Finnish that its English never uses, and a few
# short ones that are too short or too common to be found that way.
FINNISH_MARKS = {"ja", "tai", "ei", "klo", "kuu", "kk", "vrk", "yks", "tuntematon", "virheet", "tunnistettu",
                 "malli", "kaavio", "lapsibudjetti", "virheraportti", "yhteensä", "kaikki"}
# (file, the literal): UI-looking literals that are allowed where they are
ALLOWED = {
    # ui/safe.py recognises numbers as the pages format them (it reads, it does not say)
    ("ui/safe.py", r"^[+-]?\d[\d\u00a0 ]*([.,]\d+)?(\u00a0?(%|%-yks\.|pp|€|M€|€/as\.|€/res\.|vrk|d))?$"),
    ("ui/safe.py", "tiedosto"),          # a download name's stem when the user's file name has no letters left
    # ui/sheets.py recognises year and code columns by their header words (it reads, it does not say)
    ("ui/sheets.py", "vuosi"), ("ui/sheets.py", "koodi"),
}
# (file, function): where comparing the language is a number or locale format, not text
LANG_BRANCHES_ALLOWED = {("ui/format.py", "fmt_number"), ("ui/charts.py", "locale"), ("ui/export_data.py", "to_csv"),
                         ("ui/board_pack.py", "_locale_code")}
WORD = re.compile(r"[^\W\d_]+")


def _literals(path: Path):
    """(line, text) of every string literal that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            yield n.lineno, n.value


def test_no_finnish_ui_text_outside_the_catalogue():
    fi_words = {w.lower() for fi, _ in CATALOGUE.values() for w in WORD.findall(fi) if len(w) >= 3}
    en_words = {w.lower() for _, en in CATALOGUE.values() for w in WORD.findall(en)}
    marks = (fi_words - en_words) | FINNISH_MARKS
    found = []
    for path in _files(*TEXT_DIRS):
        rel = _rel(path)
        if rel == "ui/i18n.py":
            continue
        for line, text in _literals(path):
            if (rel, text) in ALLOWED:
                continue
            words = {w.lower() for w in WORD.findall(text)}
            if re.search(r"[äöåÄÖÅ]", text) or words & marks:
                found.append(f"{rel}:{line}: {text!r} ({', '.join(sorted(words & marks)) or 'ä/ö/å'})")
    assert not found, "UI text belongs in ui/i18n.py's CATALOGUE, read with t():\n" + "\n".join(found)


def test_no_language_branches_outside_the_catalogue():
    """`x_en if lang == "en" else x_fi` and the like: texts come from t(), bilingual columns from local()."""
    found = []
    for path in _files(*TEXT_DIRS):
        rel = _rel(path)
        if rel == "ui/i18n.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
            name = getattr(func, "name", "<module>")
            if (rel, name) in LANG_BRANCHES_ALLOWED:
                continue
            body = func.body if name != "<module>" else [s for s in func.body if not isinstance(
                s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
            for stmt in body:
                for n in ast.walk(stmt):
                    if isinstance(n, ast.Compare) and any(isinstance(c, ast.Constant) and c.value in LANGS
                                                          for c in [n.left, *n.comparators]):
                        sides = [ast.unparse(x) for x in [n.left, *n.comparators]]
                        if any(s == "lang" or s.endswith(".lang") for s in sides):
                            found.append(f"{rel}:{n.lineno} {name}(): {ast.unparse(n)}")
    assert not found, "language branches outside ui/i18n.py:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("lang", LANGS)
def test_moved_texts_read_as_before(lang):
    """The texts moved into the catalogue read exactly as they did in the code."""
    import datetime as dt

    from ui import export
    from ui.format import fmt_change, fmt_value

    when = dt.datetime(2026, 11, 25, 10, 0)
    fi = lang == "fi"
    assert export.stamp(when, lang) == ("25.11.2026 klo 10.00" if fi else "25 Nov 2026 10:00")
    assert fmt_value(4.3, "days", lang) == ("4,3\u00a0vrk" if fi else "4.3\u00a0d")
    assert fmt_value(7210, "eur_per_resident", lang) == ("7\u00a0210\u00a0€/as." if fi else "7,210\u00a0€/res.")
    assert fmt_value(12_500_000, "eur", lang) == ("12,5\u00a0M€" if fi else "12.5\u00a0M€")
    assert fmt_value(80.1, "pct", lang) == ("80,1\u00a0%" if fi else "80.1\u00a0%")
    assert fmt_value(1234, "count", lang) == ("1\u00a0234" if fi else "1,234")
    assert fmt_change(-1.5, "pct", lang) == ("\u22121,5\u00a0%-yks." if fi else "\u22121.5\u00a0pp")   # U+2212 (issue 15)
    assert fmt_change(2, "eur", lang) == ("+2,0\u00a0%" if fi else "+2.0\u00a0%")
    assert t("upl_sheet_errors", lang) == ("Virheet" if fi else "Errors")
    assert t("upl_sheet_notes", lang) == ("Tunnistettu" if fi else "Recognised")
    assert t("language_switch", lang) == "Kieli / Language"
    assert t("lang_name", "fi") == "Suomi" and t("lang_name", "en") == "English"


def test_an_abbreviation_that_ends_a_sentence_gets_one_full_stop():
    text = t("chart_alt_bars", "fi", name="Kulut", max_name="A", max="2 728 €/as.", min_name="B", min="242 €/as.")
    assert text.endswith("pienin B 242 €/as.") and ".." not in text
    assert "Suurin A 2 728 €/as., pienin" in text          # mid-sentence the abbreviation keeps its own stop
    assert t("chart_alt_bars", "fi", name="N", max_name="A", max="5", min_name="B", min="3").endswith("pienin B 3.")

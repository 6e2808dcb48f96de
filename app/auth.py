"""Sign-in, roles and region scope (issue 11): who the user is, what they may open and do, which rows they see.

Three ways to run, chosen by what is configured (mode()):
- "oidc": `.streamlit/secrets.toml` has an `[auth]` section, so Streamlit's own st.login signs users in with the
  county's identity provider. Role and scope come from the user table (keyed on the subject) or from claims.
- "local": users exist in the warehouse (`python -m app.users add ...`): a sign-in form checks argon2 hashes, with
  a lock-out after repeated failures.
- "demo": no users and no provider (and DASHBOARD_DEMO_MODE=1, the default): a marked demo mode whose role and
  scope switcher lets anyone try each role. It is off as soon as a user exists.
With DASHBOARD_DEMO_MODE=0 and nobody configured the app stays closed ("closed").

The signed-in user lives in Session State; every page passes through gate() (app.context.setup), which also
ends idle sessions. Actions call require(), which refuses on the server whatever the browser sent.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import streamlit as st
import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from data_sources import audit as audit_store
from data_sources import users as user_store
from data_sources.engine import fault_kind
from data_sources.settings import get_settings
from ui import signin
from ui.i18n import t

from . import state

ROLES_FILE = Path(__file__).with_name("roles.yaml")
ROLE_ORDER = ("admin", "executive", "analyst", "viewer")
KEY_USER, KEY_SEEN = "auth_user", "auth_last_seen"
_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs the same time as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


@lru_cache(maxsize=1)
def roles() -> dict[str, dict[str, frozenset[str]]]:
    data = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))["roles"]
    return {r: {"pages": frozenset(v["pages"]), "actions": frozenset(v["actions"] or ())} for r, v in data.items()}


@dataclass(frozen=True)
class User:
    name: str                                   # the sign-in name (audit "who")
    display: str
    roles: tuple[str, ...]
    county: str | None = None                   # region scope: None = every county
    municipalities: tuple[str, ...] = ()        # () = the whole county (or everything)
    source: str = "local"                       # local | oidc | demo
    subject: str = field(default="", compare=False)

    @property
    def role(self) -> str:
        return ",".join(self.roles)

    def pages(self) -> frozenset[str]:
        return frozenset().union(*(roles()[r]["pages"] for r in self.roles if r in roles()))

    def actions(self) -> frozenset[str]:
        return frozenset().union(*(roles()[r]["actions"] for r in self.roles if r in roles()))

    def scope_text(self) -> str:
        if self.municipalities:
            return f"{self.county or ''}:{','.join(self.municipalities)}"
        return self.county or "*"

    @property
    def scoped(self) -> bool:
        return bool(self.county or self.municipalities)


# --- passwords and lock-out -----------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def locked_until(failures: list[dt.datetime], limit: int, minutes: int) -> dt.datetime | None:
    """The end of the newest lock: `limit` failures within `minutes` lock for `minutes` after the last of them."""
    window = dt.timedelta(minutes=minutes)
    until = None
    for i in range(limit - 1, len(failures)):
        if failures[i] - failures[i - limit + 1] <= window:
            until = failures[i] + window
    return until


def check_password(name: str, password: str, now: dt.datetime | None = None) -> User | None:
    """The user when the name and password are right, the account enabled and not locked; None otherwise, the
    same for every reason (the form's message does not tell whether a user exists). Each try is audited."""
    s = get_settings()
    now = now or dt.datetime.now()
    engine = state.engine()
    name = user_store.norm_name(name)
    limit, minutes = int(s.lockout_failures), int(s.lockout_minutes)
    failures = audit_store.times(engine, name, "signin_failed", now - dt.timedelta(minutes=2 * minutes))
    until = locked_until(failures, limit, minutes)
    stored = user_store.get(engine, name) if name else None
    ok = _verify(stored.password_hash if stored else None, password)   # always verify: same time either way
    if until and now < until:
        audit_store.record(engine, name or "-", "signin_locked", detail=f"until {until:%H:%M}")
        return None
    if not ok or stored is None or stored.disabled:
        audit_store.record(engine, name or "-", "signin_failed",
                           detail="disabled" if (ok and stored and stored.disabled) else "")
        return None
    if _hasher.check_needs_rehash(stored.password_hash):
        user_store.update(engine, name, password_hash=hash_password(password))
    user = User(stored.user_name, stored.display_name, (stored.role,), stored.scope_county,
                stored.scope_municipalities, "local")
    audit_store.record(engine, user.name, "signin_ok", role=user.role, scope=user.scope_text())
    return user


# --- modes ----------------------------------------------------------------------------------------------------

def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


@st.cache_data(ttl=10, show_spinner=False)
def _read_user_count(warehouse: tuple[str, str]) -> int:
    return user_store.count(state.engine())


_last_count: dict[tuple[str, str], int] = {}      # per warehouse: the last count read, for when it is away


def _user_count() -> int:
    """How many local users the warehouse has (read at most every 10 s). While the warehouse is away the last
    count read stays in force, so the sign-in mode does not change under a signed-in user during an outage."""
    key = state.warehouse_key()
    try:
        n = _read_user_count(key)
    except Exception as exc:  # noqa: BLE001 - only a warehouse fault falls back; anything else is raised
        if fault_kind(exc) is None or key not in _last_count:
            raise
        return _last_count[key]
    _last_count[key] = n
    return n


_user_count.clear = _read_user_count.clear       # users_changed() and the tests forget the cached count


def mode() -> str:
    if oidc_configured():
        return "oidc"
    if _user_count() > 0:
        return "local"
    return "demo" if get_settings().demo_mode.strip() not in ("0", "false", "no", "off") else "closed"


def users_changed() -> None:
    """After user administration: the mode and user lists are read again."""
    _user_count.clear()


# --- the session ----------------------------------------------------------------------------------------------

def current() -> User | None:
    return st.session_state.get(KEY_USER)


def _sign_in(user: User) -> None:
    st.session_state[KEY_USER] = user
    st.session_state[KEY_SEEN] = time.time()


def sign_out(reason: str = "signout") -> None:
    user = current()
    if user:
        record(reason, user=user)
    for k in (KEY_USER, KEY_SEEN):
        st.session_state.pop(k, None)


def _expired() -> bool:
    seen = st.session_state.get(KEY_SEEN)
    idle = float(get_settings().session_idle_minutes) * 60
    return seen is not None and time.time() - seen > idle


def _claims_user() -> User | None:
    """The OIDC user: the user table (by subject, then by e-mail/name) or the configured claims give role and
    scope. None when the provider's user has no role here."""
    s = get_settings()
    info = st.user.to_dict() if hasattr(st.user, "to_dict") else dict(st.user)
    sub = str(info.get("sub", ""))
    name = str(info.get("email") or info.get("preferred_username") or sub)
    display = str(info.get("name") or name)
    stored = user_store.by_subject(state.engine(), sub) or user_store.get(state.engine(), name)
    if stored and stored.disabled:
        return None
    if stored:
        return User(stored.user_name, stored.display_name, (stored.role,), stored.scope_county,
                    stored.scope_municipalities, "oidc", sub)
    raw = info.get(s.oidc_role_claim) or s.oidc_default_role
    claimed = [raw] if isinstance(raw, str) else list(raw or [])
    claimed = [r.strip() for c in claimed for r in str(c).split(",") if r.strip() in roles()]
    if not claimed:
        return None
    munis = info.get(s.oidc_municipalities_claim) or ()
    munis = tuple(str(m).strip() for m in (munis.split(",") if isinstance(munis, str) else munis) if str(m).strip())
    county = info.get(s.oidc_county_claim)
    return User(user_store.norm_name(name), display, tuple(sorted(set(claimed), key=ROLE_ORDER.index)),
                str(county) if county else None, munis, "oidc", sub)


def gate(page: str, lang: str, munis) -> User:
    """The signed-in user allowed on `page`, or the page stops here with the sign-in form or a refusal."""
    m = mode()
    if m == "closed":
        st.error(t("auth_closed", lang))
        st.stop()
    if m == "demo":
        role, county = signin.demo_switcher(sorted(roles(), key=ROLE_ORDER.index), munis, lang)
        user = User("demo", t("auth_demo_user", lang), (role,), county or None, (), "demo")
        _sign_in(user)
        signin.demo_banner(lang)
    else:
        user = current()
        if user is not None and _expired():
            sign_out("session_expired")
            if user.source == "oidc":
                st.logout()
            user = None
            signin.notice(t("auth_expired", lang))
        if user is None and m == "oidc":
            if not st.user.is_logged_in:
                if signin.oidc_button(lang):
                    st.login()
                st.stop()
            user = _claims_user()
            if user is None:
                record("signin_failed", user=User(str(st.user.get("email") or st.user.get("sub") or "-"), "",
                                                  ("-",), source="oidc"), detail="no role")
                signin.refused(t("auth_no_role", lang), lang)
                if signin.sign_out_button(lang):
                    st.logout()
                st.stop()
            record("signin_ok", user=user)
            _sign_in(user)
            st.rerun()
        if user is None:
            submitted = signin.password_form(lang)
            if submitted is None:
                st.stop()
            found = check_password(*submitted)
            if found is None:
                signin.refused(t("auth_failed", lang), lang)
                st.stop()
            _sign_in(found)
            st.rerun()                  # draw the page afresh, without the form
        st.session_state[KEY_SEEN] = time.time()
        if signin.user_box(user.display, [t(f"role_{r}", lang) for r in user.roles], lang):
            sign_out()
            if user.source == "oidc":
                st.logout()             # redirects (the provider's end-session, then back); a rerun would drop it
                st.stop()
            st.rerun()
    if page not in user.pages():
        record("denied", user=user, obj=page)
        st.error(t("auth_page_denied", lang))
        st.stop()
    return user


def can(action: str, user: User | None = None) -> bool:
    user = user or current()
    return user is not None and action in user.actions()


def require(action: str, lang: str, obj: str = "") -> User:
    """The user when they may take `action`; otherwise the refusal is audited, shown, and the run stops (a stale
    widget or a crafted rerun reaches here even when the UI hid the control)."""
    user = current()
    if user is None or action not in user.actions():
        if user is not None:
            record("denied", user=user, obj=f"{action} {obj}".strip())
        st.error(t("auth_action_denied", lang))
        st.stop()
    return user


def record(action: str, obj: str = "", detail: str = "", user: User | None = None, conn=None) -> None:
    """Append an audit event for the signed-in user (or `user`); with `conn`, inside the caller's transaction."""
    user = user or current()
    audit_store.record(conn if conn is not None else state.engine(), user.name if user else "-", action, obj,
                       detail, scope=user.scope_text() if user else "", role=user.role if user else "")


def allowed_municipalities(user: User | None = None) -> set[str] | None:
    """The municipality codes the user may see and store (None: no limit)."""
    user = user or current()
    if user is None:
        return set()
    if not user.scoped:
        return None
    version, _ = state.require_warehouse()
    m = state.municipalities(version)
    if user.county:
        m = m[m.county_code == user.county]
    if user.municipalities:
        m = m[m.municipality_code.isin(user.municipalities)]
    return set(m.municipality_code)


def who() -> str:
    """The name written wherever the app records who did something (upload log, classification, selections)."""
    user = current()
    return user.name if user else "-"

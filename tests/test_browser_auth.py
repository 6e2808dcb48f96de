"""Sign-in in a real browser (issue 11): local users (argon2, the app's own form) and OpenID Connect through
Streamlit's st.login against a real OIDC provider that the test starts on 127.0.0.1 (oidc-provider-mock).
Each signs in, sees the role's menu, is refused a page outside the role when it is typed as a URL, signs out."""
from __future__ import annotations

import shutil
import textwrap

import pytest

from app import users as admin_cli
from data_sources import audit, migrations
from data_sources.engine import make_engine
from tests.browser import browser_page, free_port, running_app, screenshot, wait_for_app
from tests.conftest import LATEST

pytestmark = pytest.mark.browser
PASSWORD = "Selaimen-salasana-42x"


def menu_labels(page) -> set[str]:
    texts = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a").all_inner_texts()
    return {t.split("\n")[-1].strip() for t in texts}          # the icon's ligature name comes first


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("Käyttäjätunnus").fill(name)
    page.get_by_label("Salasana").fill(password)
    page.get_by_label("Salasana").press("Enter")                  # the keyboard path: Enter sends the form
    wait_for_app(page)


def test_local_user_signs_in_sees_the_role_menu_is_refused_by_url_and_signs_out(warehouse_path, tmp_path):
    path = tmp_path / "users.duckdb"
    shutil.copy(warehouse_path, path)
    engine = make_engine(f"duckdb:///{path}")
    migrations.upgrade(engine)
    admin_cli.add_user(engine, "setup", "ville", "viewer", PASSWORD, "Ville Virtanen", "KS")
    engine.dispose()
    with running_app(path, LATEST) as url, browser_page() as page:
        page.goto(url)
        wait_for_app(page)
        assert page.get_by_role("heading", name="Kirjaudu sisään").count() == 1
        assert page.locator("[data-testid='stMetric']").count() == 0
        sign_in(page, "ville", "väärin")
        assert page.get_by_text("Kirjautuminen ei onnistunut").count() == 1
        sign_in(page, "ville", PASSWORD)
        labels = menu_labels(page)
        assert "Strateginen yleiskuva" in labels and "Tietojen lataus" not in labels, labels
        assert "Hallituksen raporttipaketti" not in labels and "Käyttäjät ja tapahtumaloki" not in labels
        assert page.get_by_text("Kirjautunut: Ville Virtanen (katselija)").count() == 1
        screenshot(page, "auth_local_viewer")
        county = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
        assert "Keski-Suomen hyvinvointialue" in county.inner_text() + county.locator("input").input_value(), \
            county.inner_html()[:2000]
        for denied in ("upload", "board_pack", "admin"):            # typed URLs: a new session, sign in again
            page.goto(f"{url}/{denied}")
            wait_for_app(page)
            sign_in(page, "ville", PASSWORD)
            # a loaded machine may be slow to start the rerun after Enter: wait for the refusal, then count it
            page.get_by_text("Sinulla ei ole oikeutta tähän sivuun").first.wait_for(timeout=30_000)
            assert page.get_by_text("Sinulla ei ole oikeutta tähän sivuun").count() == 1, denied
            assert page.locator("[data-testid='stFileUploader'], [data-testid='stDataFrame']").count() == 0
        page.get_by_role("button", name="Kirjaudu ulos").click()
        wait_for_app(page)
        assert page.get_by_role("heading", name="Kirjaudu sisään").count() == 1
    engine = make_engine(f"duckdb:///{path}")
    actions = list(audit.events(engine, user="ville").action)
    engine.dispose()
    assert actions[0] == "signout" and actions.count("denied") == 3 and actions.count("signin_ok") == 4
    assert "signin_failed" in actions


def test_oidc_sign_in_through_a_real_provider(warehouse_path, tmp_path):
    from oidc_provider_mock import User, run_server_in_thread

    path = tmp_path / "oidc.duckdb"
    shutil.copy(warehouse_path, path)
    user = User(sub="oidc-anna-7", claims={"email": "anna@kanta-hame.example", "name": "Anna Analyytikko",
                                           "roles": ["analyst"], "county": "KH"})
    with run_server_in_thread(port=free_port(), user_claims=[user]) as provider:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(textwrap.dedent(f"""
            [auth]
            redirect_uri = "http://localhost:{{port}}/oauth2callback"
            cookie_secret = "test-cookie-secret-not-used-elsewhere-0123456789"
            client_id = "johdon-tyopoyta"
            client_secret = "test-client-secret"
            server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"
            """), encoding="utf-8")
        with running_app(path, LATEST, extra_args=("--secrets.files", str(secrets))) as url, \
                browser_page() as page:
            url = url.replace("127.0.0.1", "localhost")               # the redirect URI's host
            page.goto(url)
            wait_for_app(page)
            page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").click()
            page.wait_for_url(f"http://localhost:{provider.server_port}/**")
            page.get_by_role("button", name="oidc-anna-7").click()    # the provider's own sign-in form
            page.wait_for_url(url + "/**")
            wait_for_app(page)
            assert page.get_by_text("Kirjautunut: Anna Analyytikko (analyytikko)").count() == 1, page.content()[:3000]
            labels = menu_labels(page)
            assert "Tietojen lataus" in labels and "Hallituksen raporttipaketti" not in labels, labels
            county = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
            assert "Kanta-Hämeen hyvinvointialue" in county.inner_text() + county.locator("input").input_value()
            screenshot(page, "auth_oidc_analyst")
            page.get_by_role("button", name="Kirjaudu ulos").click()
            # st.logout ends the provider's session too (RP-initiated logout), then comes back to the app
            page.wait_for_url(f"http://localhost:{provider.server_port}/**")
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(url + "/**")
            wait_for_app(page)
            assert page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").count() == 1
    engine = make_engine(f"duckdb:///{path}")
    ev = audit.events(engine)
    engine.dispose()
    mine = ev[ev.user_name == "anna@kanta-hame.example"]
    assert {"signin_ok", "signout"} <= set(mine.action) and set(mine.role) <= {"analyst"}
    assert "test-client-secret" not in repr(ev.to_dict()) and "test-cookie-secret" not in (path.with_suffix(".log")).read_text()

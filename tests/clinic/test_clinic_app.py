"""`backcoach serve --clinic`'s app in-process: sign-in on every path, the signed-in patient's
own records, clinicians kept off a patient's pages, the sign-in and invite pages, signing out,
the Host check and Secure cookies. Real PostgreSQL; the real middleware and routes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.clinic import AddedPatient, Clinic
from backcoach.web.app import create_app
from backcoach.web.security import CLINIC_CSRF_COOKIE, SIGNIN_COOKIE
from tests.clinic.conftest import PASSWORD, Clock
from tests.clinic.webapp import BASE, browser, clinic_app, patient, staff
from tests.web.conftest import ALL_NO, make_settings

pytestmark = pytest.mark.postgres
ANA = "ana@example.org"


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.fixture
def invited(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)


def test_signed_out_pages_go_to_sign_in_and_api_paths_answer_401(
    app: FastAPI, invited: AddedPatient
) -> None:
    client = browser(app)
    for page in ("/", "/today", "/settings", "/library", "/clinician", "/docs"):
        answer = client.get(page)
        assert answer.status_code == 303, page
        assert answer.headers["location"] == f"/signin?next={page}"
    posted = client.post("/profile", data={"csrf_token": client.headers["X-CSRF-Token"]})
    assert posted.status_code == 303 and posted.headers["location"] == "/signin?next=/"
    for path in ("/api/status", "/api/auth/me", "/openapi.json", "/api/nothing-here"):
        answer = client.get(path)
        assert answer.status_code == 401, path
        detail = answer.json()["detail"]
        assert detail["code"] == "signed-out" and "/api/auth/login" in detail["fix"]
    # what stays open: the two sign-in pages, the health check, the app's own files
    for path in ("/signin", "/invite", "/healthz", "/static/app.css", "/static/clinic.css"):
        assert client.get(path).status_code == 200, path
    assert client.get("/healthz").json() == {"status": "ok"}


def test_cookies_are_secure_and_hsts_is_sent(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE)
    answer = client.get("/signin")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{CLINIC_CSRF_COOKIE}=") and "Secure" in cookie
    assert answer.headers["strict-transport-security"] == "max-age=31536000"


def test_only_the_public_host_is_answered(app: FastAPI) -> None:
    # the test app answers `testserver` (a parameter, for tests) and the public URL's host
    client = TestClient(app, base_url="https://physio.example.org")
    assert client.get("/signin").status_code == 200
    assert client.get("https://physio.example.org:443/signin").status_code == 200
    for other in (
        "https://127.0.0.1:8765",
        "https://evil.example",
        "https://physio.example.org:8443",
    ):
        refused = client.get(f"{other}/signin")
        assert refused.status_code == 400, other
        assert "https://physio.example.org/" in refused.text


def test_a_patient_redeems_the_invite_page_and_sees_only_their_own_records(
    app: FastAPI, clinic: Clinic, invited: AddedPatient
) -> None:
    phone = browser(app)
    form = phone.get("/invite")
    assert form.status_code == 200 and 'name="birth_year"' in form.text
    assert "location.hash" in form.text and "nonce=" in form.text
    csrf = phone.headers["X-CSRF-Token"]
    wrong = phone.post(
        "/invite", data={"csrf_token": csrf, "code": invited.invite_code, "birth_year": "1981"}
    )
    assert wrong.status_code == 401 and "do not match an invite" in wrong.text
    typo = phone.post(
        "/invite", data={"csrf_token": csrf, "code": invited.invite_code, "birth_year": "80"}
    )
    assert typo.status_code == 422 and "four digits" in typo.text
    done = phone.post(
        "/invite", data={"csrf_token": csrf, "code": invited.invite_code, "birth_year": "1980"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert SIGNIN_COOKIE in phone.cookies
    assert phone.get("/").headers["location"] == "/welcome"
    welcome = phone.get("/welcome").text  # says where the answers are kept, truly
    assert "clinic's server" in welcome and "on this computer" not in welcome
    assert phone.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert phone.put("/api/profile", json={"minutes": 12}).status_code == 200
    assert phone.get("/api/status").json()["screen"]["tier"] == "clear"
    # the records are the patient's own person's, through their scoped store
    from backcoach.app import AppContext

    context: AppContext = app.state.app_context
    assert context.person(invited.patient_id).store.current_screen() is not None
    assert context.person().store.current_screen() is None  # personal mode's person 1: none
    settings = phone.get("/settings")
    assert "Sign out everywhere" in settings.text and "clinic's server" in settings.text
    # the same invite again, on another phone: used
    other = browser(app)
    used = other.post(
        "/invite",
        data={
            "csrf_token": other.headers["X-CSRF-Token"],
            "code": invited.invite_code,
            "birth_year": "1980",
        },
    )
    assert used.status_code == 410 and "used already" in used.text


def test_a_clinician_signs_in_on_the_page_and_is_kept_off_patient_pages(
    app: FastAPI, invited: AddedPatient
) -> None:
    client = browser(app)
    csrf = client.headers["X-CSRF-Token"]
    bad = client.post(
        "/signin", data={"csrf_token": csrf, "email": ANA, "password": "not it at all"}
    )
    assert bad.status_code == 401 and "e-mail or the password is not right" in bad.text
    assert f'value="{ANA}"' in bad.text  # the e-mail stays filled in
    ok = client.post(
        "/signin",
        data={"csrf_token": csrf, "email": ANA, "password": PASSWORD, "next": "//evil.example"},
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/clinician"
    assert client.get("/").headers["location"] == "/clinician"
    home = client.get("/clinician")
    assert home.status_code == 200 and "Signed in as Ana Silva" in home.text
    assert "Sign out everywhere" in home.text
    page = client.get("/today")
    assert page.status_code == 403 and "clinician pages are coming" in page.text
    api = client.get("/api/status")
    assert api.status_code == 403 and api.json()["detail"]["code"] == "patients-only"
    assert client.get("/api/exercises/cat-cow/figure.svg").status_code == 200  # no one's data
    out = client.post("/signout", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/signin?out=1"
    assert client.get("/api/auth/me").status_code == 401
    assert "You are signed out" in client.get("/signin?out=1").text


def test_lockout_on_the_page_says_when_to_retry(
    app: FastAPI, clock: Clock, invited: AddedPatient
) -> None:
    client = browser(app)
    csrf = client.headers["X-CSRF-Token"]
    statuses = [
        client.post(
            "/signin", data={"csrf_token": csrf, "email": ANA, "password": f"wrong guess {n}"}
        ).status_code
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    locked = client.post("/signin", data={"csrf_token": csrf, "email": ANA, "password": PASSWORD})
    assert locked.status_code == 429 and locked.headers["retry-after"] == str(15 * 60)
    assert re.search(r"try again after 09:15 UTC \(in 15 minutes\)", locked.text)
    clock.advance(minutes=15)
    again = client.post("/signin", data={"csrf_token": csrf, "email": ANA, "password": PASSWORD})
    assert again.status_code == 303


def test_sign_out_everywhere_ends_the_other_devices(
    app: FastAPI, clinic: Clinic, invited: AddedPatient
) -> None:
    laptop, tablet = staff(app, ANA), staff(app, ANA)
    assert tablet.get("/api/auth/me").status_code == 200
    done = laptop.post("/signout-everywhere", data={"csrf_token": laptop.headers["X-CSRF-Token"]})
    assert done.status_code == 303 and done.headers["location"] == "/signin?out=all"
    assert tablet.get("/api/auth/me").status_code == 401
    assert laptop.get("/api/auth/me").status_code == 401


def test_a_patient_signs_in_with_the_api_and_a_clinician_gets_403_on_their_paths(
    app: FastAPI, invited: AddedPatient
) -> None:
    phone = patient(app, invited.invite_code, 1980)
    assert phone.get("/api/auth/me").json()["role"] == "patient"
    assert phone.get("/clinician").headers["location"] == "/"
    assert staff(app, ANA).get("/api/profile").status_code == 403


def test_personal_mode_has_no_sign_in(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "home"))
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.get("/signin").status_code == 404
    assert client.post("/api/auth/login", json={}).status_code in (403, 404)
    assert client.get("/api/status").status_code == 200
    paths = app.openapi()["paths"]
    assert not any(p.startswith("/api/auth") for p in paths)


def test_clinic_mode_refuses_sqlite(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="BACKCOACH_DATABASE_URL"):
        create_app(make_settings(tmp_path / "home"), clinic=True)


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("backcoach")), "serve", "--clinic", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_clinic_says_what_to_fix(tmp_path: Path, pg_url: str) -> None:
    import os

    base = {**os.environ, "BACKCOACH_HOME": str(tmp_path), "COLUMNS": "200"}
    base.pop("BACKCOACH_DATABASE_URL", None)
    sqlite = run_serve(base)
    assert sqlite.returncode == 2
    assert "needs PostgreSQL" in sqlite.stderr and "BACKCOACH_DATABASE_URL" in sqlite.stderr
    assert "Traceback" not in sqlite.stderr
    pg = {**base, "BACKCOACH_DATABASE_URL": pg_url}
    proxies = run_serve({**pg, "BACKCOACH_TRUSTED_PROXIES": "*"})
    assert proxies.returncode == 2 and "BACKCOACH_TRUSTED_PROXIES='*'" in proxies.stderr
    url = run_serve({**pg, "BACKCOACH_PUBLIC_URL": "physio.example.org"})
    assert url.returncode == 2 and "BACKCOACH_PUBLIC_URL" in url.stderr
    lan = run_serve(pg, "--lan")
    assert lan.returncode == 2 and "leave out --lan" in lan.stderr

"""The whole web app in clinic mode, in-process, on a private PostgreSQL schema: helpers shared
by the clinic's web tests (the app's own middleware, routes and sign-in, over ``https``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.clinic import Clinic
from backcoach.clinic.settings import PUBLIC_URL_VARIABLE
from backcoach.web.app import create_app
from backcoach.web.security import CLINIC_CSRF_COOKIE
from tests.clinic.conftest import PASSWORD, PUBLIC
from tests.web.conftest import make_settings

BASE = "https://testserver"


def clinic_app(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> FastAPI:
    """``create_app(clinic=True)`` on ``pg_url``, answering the test client's host, with the
    test's clinic (same database; its clock and cheaper argon2id) on ``app.state``; jobs run
    in this process."""
    monkeypatch.setenv(PUBLIC_URL_VARIABLE, PUBLIC)
    monkeypatch.setenv("BACKCOACH_JOBS", "in-process")  # PDFs made here: no worker runs
    app = create_app(make_settings(tmp_path / "home", pg_url), test_client=True, clinic=True)
    app.state.clinic = clinic
    return app


def browser(app: FastAPI) -> TestClient:
    """A client like a browser on the clinic: https, the CSRF cookie sent back as the header,
    redirects not followed (so tests see them)."""
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    client.get("/signin")
    client.headers["X-CSRF-Token"] = client.cookies[CLINIC_CSRF_COOKIE]
    return client


def staff(app: FastAPI, email: str) -> TestClient:
    client = browser(app)
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


def patient(app: FastAPI, code: str, birth_year: int) -> TestClient:
    client = browser(app)
    answer = client.post("/api/auth/invite", json={"code": code, "birth_year": birth_year})
    assert answer.status_code == 200, answer.text
    return client

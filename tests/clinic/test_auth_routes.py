"""The /api/auth routes on a small FastAPI app with the app's own error handlers."""

from __future__ import annotations

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.clinic import AddedPatient, Clinic
from backcoach.web import api_errors, auth
from backcoach.web.auth import SESSION_COOKIE, SignedInDep
from tests.clinic.conftest import PASSWORD, Clock

pytestmark = pytest.mark.postgres
ANA = {"email": "ana@example.org", "password": PASSWORD}


@pytest.fixture
def app(clinic: Clinic) -> FastAPI:
    app = FastAPI()
    api_errors.install(app)
    app.state.clinic = clinic
    app.include_router(auth.router, prefix="/api")

    @app.get("/api/private")
    def private(who: SignedInDep) -> dict[str, int]:
        return {"person_id": who.person_id}

    return app


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def patient(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email=ANA["email"], name="Ana Silva", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA["email"])


def test_login_sets_a_secure_cookie_and_me_answers(
    client: TestClient, clinic: Clinic, patient: AddedPatient
) -> None:
    assert client.get("/api/auth/me").status_code == 401
    answer = client.post("/api/auth/login", json=ANA)
    assert answer.status_code == 200, answer.text
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag in cookie
    assert "Max-Age" not in cookie  # a clinician's browser session ends with the browser
    me = client.get("/api/auth/me").json()
    assert (
        me["role"] == "clinician" and me["email"] == "ana@example.org" and me["kind"] == "browser"
    )
    assert client.get("/api/private").json() == {"person_id": me["person_id"]}
    first = client.cookies[SESSION_COOKIE]
    assert client.post("/api/auth/login", json=ANA).status_code == 200
    assert client.cookies[SESSION_COOKIE] != first
    assert clinic.who(first) is None  # signing in again ends the session it replaces


def test_bad_credentials_never_say_which_was_wrong(
    client: TestClient, patient: AddedPatient
) -> None:
    wrong = client.post("/api/auth/login", json={**ANA, "password": "nope nope nope"})
    unknown = client.post("/api/auth/login", json={**ANA, "email": "zed@example.org"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"]["code"] == "bad-credentials"
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")


def test_brute_force_is_locked_with_retry_after(client: TestClient, patient: AddedPatient) -> None:
    codes = [
        client.post("/api/auth/login", json={**ANA, "password": f"guess number {n}"}).status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 401, 429]
    locked = client.post("/api/auth/login", json=ANA)
    assert locked.status_code == 429
    body = locked.json()["detail"]
    assert body["code"] == "locked" and "try again after" in body["message"]
    assert body["value"].startswith("2026-11-02T09:15:00")
    assert locked.headers["Retry-After"] == str(15 * 60)  # the clinic's clock, not the wall


def test_totp_over_the_api(client: TestClient, clock: Clock, patient: AddedPatient) -> None:
    client.post("/api/auth/login", json=ANA)
    refused = client.post("/api/auth/totp/setup", json={"password": "not my password"})
    assert refused.status_code == 422 and refused.json()["detail"]["code"] == "invalid-input"
    uri = client.post("/api/auth/totp/setup", json={"password": PASSWORD}).json()["uri"]
    secret = pyotp.parse_uri(uri).secret
    confirmed = client.post(
        "/api/auth/totp/confirm", json={"code": pyotp.TOTP(secret).at(clock.now)}
    )
    assert confirmed.status_code == 200 and confirmed.json()["totp"] is True
    client.post("/api/auth/logout")
    clock.advance(seconds=60)
    needs = client.post("/api/auth/login", json=ANA)
    assert needs.status_code == 401 and needs.json()["detail"]["code"] == "totp-required"
    ok = client.post("/api/auth/login", json={**ANA, "totp": pyotp.TOTP(secret).at(clock.now)})
    assert ok.status_code == 200


def test_invite_signs_the_phone_in_for_long(client: TestClient, patient: AddedPatient) -> None:
    body = {"code": patient.invite_code, "birth_year": 1980}
    answer = client.post("/api/auth/invite", json=body)
    assert answer.status_code == 200, answer.text
    assert "Max-Age=31536000" in answer.headers["set-cookie"]
    assert client.get("/api/auth/me").json()["kind"] == "device"
    again = TestClient(client.app, base_url="https://testserver").post(
        "/api/auth/invite", json=body
    )
    assert again.status_code == 410 and again.json()["detail"]["code"] == "invite-used"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"birth_year": 1981}, 401, "invite-wrong"),
        ({"code": "ABCD-EFGH-JKMN"}, 401, "invite-wrong"),
        ({"days": 15}, 410, "invite-expired"),
        ({"reissued": True}, 410, "invite-revoked"),
    ],
)
def test_refused_invites_say_why_plainly(
    client: TestClient,
    clinic: Clinic,
    clock: Clock,
    patient: AddedPatient,
    change: dict[str, object],
    status: int,
    code: str,
) -> None:
    body: dict[str, object] = {"code": patient.invite_code, "birth_year": 1980}
    if change.pop("reissued", False):
        clinic.reissue_invite(patient.patient_id)
    clock.advance(days=float(str(change.pop("days", 0))))
    answer = client.post("/api/auth/invite", json={**body, **change})
    assert answer.status_code == status
    detail = answer.json()["detail"]
    assert detail["code"] == code and "clinician" in detail["message"]


def test_malformed_bodies_are_422_with_the_field(client: TestClient, patient: AddedPatient) -> None:
    answer = client.post("/api/auth/invite", json={"code": "X"})
    assert answer.status_code == 422 and answer.json()["detail"]["field"] == "birth_year"
    answer = client.post("/api/auth/login", json={**ANA, "role": "admin"})
    assert answer.status_code == 422 and answer.json()["detail"]["field"] == "role"


def test_logout_and_logout_everywhere(app: FastAPI, patient: AddedPatient) -> None:
    laptop = TestClient(app, base_url="https://testserver")
    tablet = TestClient(app, base_url="https://testserver")
    desk = TestClient(app, base_url="https://testserver")
    for client in (laptop, tablet, desk):
        assert client.post("/api/auth/login", json=ANA).status_code == 200
    out = laptop.post("/api/auth/logout")
    assert out.json() == {"signed_out": 1} and SESSION_COOKIE in out.headers["set-cookie"]
    assert laptop.get("/api/private").status_code == 401
    assert tablet.get("/api/private").status_code == 200
    everywhere = tablet.post("/api/auth/logout-everywhere")
    assert everywhere.json() == {"signed_out": 2}
    assert tablet.get("/api/private").status_code == 401
    assert desk.get("/api/private").status_code == 401
    assert desk.post("/api/auth/logout-everywhere").status_code == 401
    stolen = TestClient(app, base_url="https://testserver", cookies={SESSION_COOKIE: "forged"})
    answer = stolen.get("/api/auth/me")
    assert answer.status_code == 401 and answer.json()["detail"]["code"] == "signed-out"

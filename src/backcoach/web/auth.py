"""Sign-in for clinic mode: the ``/api/auth`` routes and the ``signed_in`` dependency.

Wiring (clinic mode only): put a ``backcoach.clinic.Clinic`` on ``app.state.clinic`` and
``app.include_router(auth.router, prefix="/api")``; a route that needs someone signed in takes
``who: SignedIn`` (401 without a live session). The session lives in the database; the
browser holds only its token, in a cookie that scripts cannot read (``HttpOnly``), sent only
over TLS (``Secure``, and the ``__Host-`` prefix pins it to this host and path ``/``), and not
on cross-site requests other than top-level links (``SameSite=Lax``: a patient opening the app
from a link in a text message arrives signed in; ``Strict`` would show them the sign-in page).

Errors have the one JSON shape of ``web.api_errors``; a lockout is a 429 with ``Retry-After``.
The client address used for rate limits is the connection's: behind the TLS proxy, run
uvicorn with ``--proxy-headers --forwarded-allow-ips`` set to the proxy's address only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backcoach.clinic import Clinic, Who
from backcoach.clinic.errors import ClinicError, Locked, NotSignedIn
from backcoach.clinic.signin import DEVICE, DEVICE_LIFETIME, SignedIn
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError, ErrorBody, ErrorDetail
from backcoach.web.security import SIGNIN_COOKIE

SESSION_COOKIE = SIGNIN_COOKIE

RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorBody, "description": "Not signed in, or the sign-in was refused."},
    410: {"model": ErrorBody, "description": "The invite was used, expired or withdrawn."},
    429: {"model": ErrorBody, "description": "Too many wrong attempts: locked until later."},
}

STATUS = {
    "bad-credentials": 401,
    "totp-required": 401,
    "totp-wrong": 401,
    "signed-out": 401,
    "invite-wrong": 401,
    "invite-used": 410,
    "invite-expired": 410,
    "invite-revoked": 410,
    "locked": 429,
    "invalid-input": 422,
    "weak-password": 422,
    "not-found": 404,
}
"""HTTP status for each clinic error code (400 for any other)."""

router = APIRouter(prefix="/auth", tags=["auth"], responses=RESPONSES)


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    totp: str | None = Field(default=None, max_length=16, description="6 digits, if set up")


class InviteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(
        max_length=64, description="The code on the invite sheet, e.g. 7KQM-3XTD-9HRW"
    )
    birth_year: int = Field(ge=0, le=9999, description="The patient's year of birth")


class PasswordBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024)


class CodeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=16)


class Me(BaseModel):
    person_id: int
    name: str | None
    role: str
    kind: str
    email: str | None
    totp: bool
    session_expires_at: dt.datetime


class SignedOut(BaseModel):
    signed_out: int
    """How many sessions were ended."""


class TotpSetup(BaseModel):
    uri: str
    """The ``otpauth://`` address to show as a QR code for the authenticator app."""


def clinic_of(request: Request) -> Clinic:
    clinic = getattr(request.app.state, "clinic", None)
    if not isinstance(clinic, Clinic):
        raise RuntimeError("clinic mode needs app.state.clinic (a backcoach.clinic.Clinic)")
    return clinic


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def refusal(error: ClinicError) -> JSONResponse:
    """A clinic error as the API's error body, with ``Retry-After`` for a lockout."""
    detail = ErrorDetail(code=error.code, message=str(error))
    headers = None
    if isinstance(error, Locked):
        detail.value = error.retry_at.astimezone(dt.UTC).isoformat()
        detail.fix = "wait until then; the lock ends by itself"
        headers = {"Retry-After": str(error.wait_seconds)}
    return JSONResponse(
        {"detail": detail.model_dump()}, status_code=STATUS.get(error.code, 400), headers=headers
    )


def signed_in(request: Request) -> Who:
    """The signed-in person (person id, role, account, session), or 401 ``signed-out``. The
    security middleware looked the session up already in clinic mode (``state.who``)."""
    who: Who | None = getattr(request.state, "who", None)
    if who is None:
        token = request.cookies.get(SESSION_COOKIE, "")
        who = clinic_of(request).who(token) if token else None
    if who is None:
        error = NotSignedIn()
        raise ApiError(401, error.code, str(error), fix="sign in at /api/auth/login")
    return who


SignedInDep = Annotated[Who, Depends(signed_in)]


def _me(clinic: Clinic, who: Who) -> Me:
    return Me(
        person_id=who.person_id,
        name=who.name,
        role=who.role,
        kind=who.kind,
        email=clinic.email_of(who),
        totp=clinic.totp_enabled(who),
        session_expires_at=who.expires_at,
    )


def set_session(request: Request, response: Response, clinic: Clinic, done: SignedIn) -> None:
    """Set the new session's cookie; a session this browser held before is ended, so one
    browser never holds two."""
    old = request.cookies.get(SESSION_COOKIE, "")
    if old:
        clinic.sign_out(old, client_address(request))
    max_age = int(DEVICE_LIFETIME.total_seconds()) if done.who.kind == DEVICE else None
    response.set_cookie(
        SESSION_COOKIE,
        done.token,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")


def _signed_in(request: Request, response: Response, clinic: Clinic, done: SignedIn) -> Me:
    set_session(request, response, clinic, done)
    return _me(clinic, done.who)


@router.post("/login", response_model=Me)
def login(body: LoginBody, request: Request, response: Response) -> Me | JSONResponse:
    """A clinician or practice admin signs in with e-mail, password and (if set up) a TOTP
    code. Wrong ones are refused alike (``bad-credentials``); 5 wrong in 15 minutes lock the
    account for 15 minutes (``locked``, 429)."""
    clinic = clinic_of(request)
    try:
        done = clinic.sign_in(
            email=body.email,
            password=body.password,
            totp_code=body.totp,
            address=client_address(request),
            user_agent=request.headers.get("user-agent"),
        )
    except ClinicError as exc:
        return refusal(exc)
    return _signed_in(request, response, clinic, done)


@router.post("/invite", response_model=Me)
def invite(body: InviteBody, request: Request, response: Response) -> Me | JSONResponse:
    """A patient's phone redeems their invite (code and birth year) and stays signed in.
    Refused with ``invite-wrong``, ``invite-used``, ``invite-expired`` or ``invite-revoked``."""
    clinic = clinic_of(request)
    try:
        done = clinic.redeem_invite(
            code=body.code,
            birth_year=body.birth_year,
            address=client_address(request),
            user_agent=request.headers.get("user-agent"),
        )
    except ClinicError as exc:
        return refusal(exc)
    return _signed_in(request, response, clinic, done)


@router.post("/logout", response_model=SignedOut)
def logout(request: Request, response: Response) -> SignedOut:
    """End this browser's or device's session (nothing to do when there is none)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    clinic = clinic_of(request)
    live = token and clinic.who(token) is not None
    if token:
        clinic.sign_out(token, client_address(request))
    clear_session(response)
    return SignedOut(signed_out=1 if live else 0)


@router.post("/logout-everywhere", response_model=SignedOut)
def logout_everywhere(who: SignedInDep, request: Request, response: Response) -> SignedOut:
    """End every session of the signed-in person, on every browser and device."""
    count = clinic_of(request).sign_out_everywhere(who, client_address(request))
    clear_session(response)
    return SignedOut(signed_out=count)


@router.get("/me", response_model=Me)
def me(who: SignedInDep, request: Request) -> Me:
    """Who is signed in, and until when (without activity)."""
    return _me(clinic_of(request), who)


@router.post("/totp/setup", response_model=TotpSetup)
def totp_setup(body: PasswordBody, who: SignedInDep, request: Request) -> TotpSetup | JSONResponse:
    """Start setting up an authenticator app (staff only; the password again proves it is
    you). Show ``uri`` as a QR code, then confirm with a code from the app."""
    try:
        return TotpSetup(uri=clinic_of(request).begin_totp(who, body.password))
    except ClinicError as exc:
        return refusal(exc)


@router.post("/totp/confirm", response_model=Me)
def totp_confirm(body: CodeBody, who: SignedInDep, request: Request) -> Me | JSONResponse:
    """Turn the authenticator on with a code it shows; every later sign-in asks for one."""
    clinic = clinic_of(request)
    try:
        clinic.confirm_totp(who, body.code)
    except ClinicError as exc:
        return refusal(exc)
    return _me(clinic, who)

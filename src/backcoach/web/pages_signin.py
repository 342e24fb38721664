"""Clinic mode's own pages: sign-in, invite redemption, signing out, and the clinician's
placeholder start page. Plain HTML forms (no JavaScript needed, except to copy an invite code
from the link); each calls the same ``Clinic`` use cases as the ``/api/auth`` routes.

Included only in clinic mode (``create_app(clinic=True)``); the security middleware lets
``/signin`` and ``/invite`` through without a sign-in and sends every other signed-out page here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from backcoach.clinic import Clinic
from backcoach.clinic.accounts import PATIENT
from backcoach.clinic.errors import ClinicError, Locked
from backcoach.clinic.signin import SignedIn
from backcoach.web.auth import (
    STATUS,
    clear_session,
    client_address,
    clinic_of,
    set_session,
    signed_in,
)
from backcoach.web.deps import STAFF_HOME
from backcoach.web.pages_common import render
from backcoach.web.security import SIGNIN_COOKIE

router = APIRouter(include_in_schema=False)

MAX_FIELD = 1024
"""Longest form value read (a password is at most 128 characters)."""


def safe_next(raw: object) -> str:
    """Where to go after signing in: a path on this site only (never ``//host`` or a URL)."""
    path = str(raw or "")
    if not path.startswith("/") or path.startswith(("//", "/\\")) or len(path) > 2000:
        return "/"
    if any(ch.isspace() or ord(ch) < 32 for ch in path):
        return "/"
    return path


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _refused(error: ClinicError) -> tuple[int, dict[str, str]]:
    headers = {"Retry-After": str(error.wait_seconds)} if isinstance(error, Locked) else {}
    return STATUS.get(error.code, 400), headers


def _signed_in_redirect(
    request: Request, clinic: Clinic, done: SignedIn, to: str
) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    set_session(request, response, clinic, done)
    return response


ON_THE_PAGE = {
    "totp-required": "this account signs in with a code from an authenticator app too; type "
    "the 6-digit code it shows now under “Code from your authenticator app”",
}
"""Refusals worded for this page where the API's words name a JSON field."""

SIGNED_OUT = {
    "1": "You are signed out on this device.",
    "all": "You are signed out everywhere: every browser and phone needs to sign in again.",
}


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "/", out: str = "") -> Response:
    if request.state.who is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context = {"next": safe_next(next), "email": "", "error": None, "out": SIGNED_OUT.get(out)}
    return render(request, "signin.html", context)


@router.post("/signin", response_class=HTMLResponse)
async def signin_submit(request: Request) -> Response:
    clinic = clinic_of(request)
    form = await request.form()
    email, password = _field(form, "email"), _field(form, "password")
    code = _field(form, "totp").replace(" ", "") or None
    to = safe_next(_field(form, "next"))
    try:
        done = await run_in_threadpool(
            lambda: clinic.sign_in(
                email=email,
                password=password,
                totp_code=code,
                address=client_address(request),
                user_agent=request.headers.get("user-agent"),
            )
        )
    except ClinicError as exc:
        status, headers = _refused(exc)
        context = {
            "next": to,
            "email": email,
            "error": ON_THE_PAGE.get(exc.code, str(exc)),
            "needs_totp": exc.code in ("totp-required", "totp-wrong"),
        }
        page = render(request, "signin.html", context, status)
        page.headers.update(headers)
        return page
    home = to if done.who.role == PATIENT or to != "/" else STAFF_HOME
    return _signed_in_redirect(request, clinic, done, home)


@router.get("/invite", response_class=HTMLResponse)
def invite_form(request: Request) -> Response:
    """The invite link's page: its code rides in the fragment (``#code=...``), which a tiny
    script copies into the form; the patient adds their birth year."""
    return render(request, "invite.html", {"error": None, "code": "", "birth_year": ""})


@router.post("/invite", response_class=HTMLResponse)
async def invite_submit(request: Request) -> Response:
    clinic = clinic_of(request)
    form = await request.form()
    code, raw_year = _field(form, "code").strip(), _field(form, "birth_year").strip()
    context = {"code": code, "birth_year": raw_year}
    if not (raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4):
        error = (
            f"Birth year: “{raw_year}” is not a year; write the year you were born as four "
            "digits, e.g. 1980."
            if raw_year
            else "Birth year: please give the year you were born, as four digits, e.g. 1980."
        )
        return render(request, "invite.html", {**context, "error": error}, 422)
    try:
        done = await run_in_threadpool(
            lambda: clinic.redeem_invite(
                code=code,
                birth_year=int(raw_year),
                address=client_address(request),
                user_agent=request.headers.get("user-agent"),
            )
        )
    except ClinicError as exc:
        status, headers = _refused(exc)
        message = str(exc)
        page = render(request, "invite.html", {**context, "error": message}, status)
        page.headers.update(headers)
        return page
    return _signed_in_redirect(request, clinic, done, "/")


@router.post("/signout")
async def signout(request: Request) -> RedirectResponse:
    """End this browser's or phone's session."""
    clinic = clinic_of(request)
    token = request.cookies.get(SIGNIN_COOKIE, "")
    if token:
        await run_in_threadpool(clinic.sign_out, token, client_address(request))
    response = RedirectResponse("/signin?out=1", status_code=303)
    clear_session(response)
    return response


@router.post("/signout-everywhere")
async def signout_everywhere(request: Request) -> RedirectResponse:
    """End every session of the signed-in person, on every browser and phone."""
    who = signed_in(request)
    clinic = clinic_of(request)
    await run_in_threadpool(clinic.sign_out_everywhere, who, client_address(request))
    response = RedirectResponse("/signin?out=all", status_code=303)
    clear_session(response)
    return response

"""The clinician's pages (clinic mode): the patients list at /clinician, a patient, and the
daily digest. Server-rendered from the same functions as the JSON API (web.api_clinician);
forms post back here and redirect (no script needed, works on a tablet)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.clinic.accounts import PATIENT
from backcoach.clinic.flags import KIND_TEXT
from backcoach.web import api_clinician as api
from backcoach.web.pages_common import render
from backcoach.web.templating import TIER_TITLE

router = APIRouter(include_in_schema=False)


def _staff(request: Request) -> api.Staff | Response:
    from backcoach.web.auth import signed_in

    if signed_in(request).role == PATIENT:
        return RedirectResponse("/", status_code=303)
    return api.staff(request)


@router.get("/clinician", response_class=HTMLResponse)
def patients_page(
    request: Request, q: str = "", sort: str = "name", archived: bool = False
) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    if sort not in api.SORTS:
        sort = "name"
    lines = api.patients_list(s, q[:100], sort, archived)
    return render(
        request,
        "clinician_home.html",
        {"who": s.who, "lines": lines, "q": q[:100], "sort": sort, "archived": archived},
    )


@router.get("/clinician/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(request: Request, patient_id: int) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    data = api.patient_page(s, patient_id)  # ApiError 404 for a patient not theirs: error page
    from backcoach.clinic import programmes

    # The programme section (templates/clinician_programme.html): the current version.
    programme = programmes.current(s.context.person(patient_id).store)
    context: dict[str, Any] = {
        "who": s.who,
        "p": data,
        "tier_title": TIER_TITLE,
        "kind_text": KIND_TEXT,
        "patient_id": patient_id,
        "programme": programme,
        "names": {ex.id: ex.name for ex in s.context.catalogue},
    }
    return render(request, "clinician_patient.html", context)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items()}


@router.post("/clinician/patients/{patient_id}/archive")
def archive_form(request: Request, patient_id: int) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    api.set_archived(s, patient_id, True)
    return RedirectResponse("/clinician", status_code=303)


@router.post("/clinician/patients/{patient_id}/unarchive")
def unarchive_form(request: Request, patient_id: int) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    api.set_archived(s, patient_id, False)
    return RedirectResponse(f"/clinician/patients/{patient_id}", status_code=303)


@router.post("/clinician/patients/{patient_id}/clearance")
def clearance_form(request: Request, patient_id: int) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    api.clinic_clearance(s, patient_id, None)
    return RedirectResponse(f"/clinician/patients/{patient_id}", status_code=303)


@router.post("/clinician/flags/{flag_id}/acknowledge")
async def acknowledge_form(request: Request, flag_id: int) -> Response:
    from starlette.concurrency import run_in_threadpool

    s = _staff(request)
    if isinstance(s, Response):
        return s
    back = (await _form(request)).get("back", "/clinician")
    flag = await run_in_threadpool(api.acknowledge_flag, s, flag_id)
    to = back if back in ("/clinician", "/clinician/digest") else None
    return RedirectResponse(to or f"/clinician/patients/{flag['patient_id']}", status_code=303)


@router.get("/clinician/digest", response_class=HTMLResponse)
def digest_page(request: Request) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    return render(request, "clinician_digest.html", {"who": s.who, "d": api.digest_data(s)})

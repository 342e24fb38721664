"""The clinician's programme builder page, ``/clinician/patients/{id}/programme`` (clinic mode).

The page shows the current version server-side (it reads without JavaScript); the builder on it
(``static/programme/builder.js``) edits through ``web.api_programmes``, which checks everything.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.clinic.programmes import current, proposals
from backcoach.web.api_programmes import patient_store, staff
from backcoach.web.deps import AppDep
from backcoach.web.pages_common import render

router = APIRouter(include_in_schema=False)


@router.get("/clinician/patients/{patient_id}/programme", response_class=HTMLResponse)
def programme_page(request: Request, patient_id: int, app: AppDep, saved: str = "") -> Response:
    """The builder for one of the clinician's patients (404 for anyone else's). ``saved``: the
    version the builder just saved (it loads the page again), to say what it changed."""
    member = staff(request)
    store = patient_store(member, patient_id, "programme")
    version = current(store)
    pending = proposals(store, version.programme) if version else []
    message = None
    if version is not None and saved == str(version.version):
        message = f"Saved version {version.version}: {'; '.join(version.changes)}"
    names = {ex.id: ex.name for ex in app.catalogue}
    return render(
        request,
        "programme_builder.html",
        {
            "who": member.who,
            "patient_id": patient_id,
            "patient_name": app_name(request, patient_id),
            "programme": version,
            "proposals": pending,
            "saved_message": message,
            "names": names,
        },
    )


def app_name(request: Request, patient_id: int) -> str:
    from backcoach.web.auth import clinic_of

    return clinic_of(request).person_name(patient_id) or f"Patient {patient_id}"


@router.get("/clinician/patients/{patient_id}/programme/", include_in_schema=False)
def with_slash(patient_id: int) -> RedirectResponse:
    return RedirectResponse(f"/clinician/patients/{patient_id}/programme", status_code=308)

"""The clinician's pages (clinic mode): the patients list at /clinician (with a form to add a
patient), a patient, their invite sheet, and the daily digest. Server-rendered from the same
functions as the JSON API (web.api_clinician) and the same ``Clinic`` use cases as the
``backcoach clinic`` commands; forms post back here and redirect (no script needed, works on a
tablet). The invite sheet is the answer to its form itself: its code is shown once (only a
hash is stored), so it cannot be fetched again later; a new invite replaces it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from backcoach.clinic.accounts import CLINICIAN, MAX_NAME, PATIENT
from backcoach.clinic.errors import ClinicError, NotYours
from backcoach.clinic.flags import KIND_TEXT
from backcoach.clinic.service import AddedPatient
from backcoach.web import api_clinician as api
from backcoach.web.pages_common import render
from backcoach.wording import TIER_TITLE

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
    return _home(request, s, q, sort, archived)


def _home(
    request: Request,
    s: api.Staff,
    q: str = "",
    sort: str = "name",
    archived: bool = False,
    adding: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The patients list; ``adding`` holds the add-a-patient form's values and its error."""
    if sort not in api.SORTS:
        sort = "name"
    lines = api.patients_list(s, q[:100], sort, archived)
    context = {
        "who": s.who,
        "nav": "patients",
        "lines": lines,
        "q": q[:100],
        "sort": sort,
        "archived": archived,
        "may_add": s.who.role == CLINICIAN,
        "adding": adding or {"name": "", "birth_year": "", "error": ""},
        "max_name": MAX_NAME,
    }
    return render(request, "clinician_home.html", context, status)


def _birth_year_problem(raw: str) -> str | None:
    if not raw:
        return "Year of birth: please give it as four digits, e.g. 1980."
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        return f"Year of birth: “{raw[:20]}” is not a year; write it as four digits, e.g. 1980."
    return None


def _sentence(message: str) -> str:
    """A ``ClinicError``'s message as a sentence for a page (it starts with the field)."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


@router.post("/clinician/patients", response_class=HTMLResponse)
async def add_patient_form(request: Request) -> Response:
    """Add a patient in the signed-in clinician's care (``Clinic.add_patient``, as
    ``backcoach clinic add-patient`` does) and show their invite sheet to print."""
    from backcoach.web.auth import clinic_of

    s = _staff(request)
    if isinstance(s, Response):
        return s
    form = await _form(request)
    name = form.get("name", "")[: MAX_NAME * 2]
    raw_year = form.get("birth_year", "").strip()[:20]
    adding = {"name": name, "birth_year": raw_year, "error": ""}
    problem = _birth_year_problem(raw_year)
    if s.who.role != CLINICIAN:
        problem = (
            "Only a clinician adds patients, into their own care; as the practice admin, ask "
            "the clinician who will look after the patient, or use `backcoach clinic "
            "add-patient --clinician EMAIL`."
        )
    clinic = clinic_of(request)
    added: AddedPatient | None = None
    if problem is None:
        email = await run_in_threadpool(clinic.email_of, s.who) or ""
        try:
            added = await run_in_threadpool(
                lambda: clinic.add_patient(
                    name=name, birth_year=int(raw_year), clinician_email=email
                )
            )
        except ClinicError as exc:
            problem = _sentence(str(exc))
    if added is None:
        adding["error"] = problem or ""
        return await run_in_threadpool(lambda: _home(request, s, adding=adding, status=422))
    return await run_in_threadpool(_sheet, request, s, added, " ".join(name.split()), True)


@router.post("/clinician/patients/{patient_id}/invite", response_class=HTMLResponse)
def reissue_invite_form(request: Request, patient_id: int) -> Response:
    """A new invite for one of the clinician's patients (a lost sheet, a new phone, an
    expired code); every older invite of theirs stops working. Shows the sheet to print."""
    from backcoach.web.auth import clinic_of

    s = _staff(request)
    if isinstance(s, Response):
        return s
    try:
        invite = s.roster.reissue_invite(patient_id)
    except NotYours:
        raise api._no_patient(patient_id) from None
    clinic = clinic_of(request)
    name = clinic.person_name(patient_id) or f"Patient {patient_id}"
    return _sheet(request, s, clinic.added(invite), name, False)


def _sheet(
    request: Request, s: api.Staff, added: AddedPatient, name: str, new_patient: bool
) -> Response:
    """The invite sheet: the code (shown this once), the link as a QR code and in words."""
    import segno

    from backcoach.records.tables import PracticeRow
    from backcoach.web.auth import clinic_of

    with s.factory() as db:
        practice = db.get(PracticeRow, s.who.practice_id)
    address = added.invite_url.split("#", 1)[0]
    qr = segno.make(added.invite_url, error="m")
    context = {
        "who": s.who,
        "nav": "patients",
        "name": name,
        "patient_id": added.patient_id,
        "new_patient": new_patient,
        "code": added.invite_code,
        "url": added.invite_url,
        "address": address,
        "expires": added.expires_at.astimezone(dt.UTC),
        "practice": practice.name if practice else clinic_of(request).settings.practice_name,
        # segno writes only its own elements; the URL is ours (the code's alphabet is fixed)
        "qr": Markup(qr.svg_inline(scale=5, border=2, title=f"Invite link for {name}")),
    }
    page = render(request, "clinician_invite.html", context)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/clinician/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(request: Request, patient_id: int, assigned: str = "") -> Response:
    """The patient's page. ``assigned``: the lesson the clinician just assigned (the form
    comes back here), to say so."""
    s = _staff(request)
    if isinstance(s, Response):
        return s
    data = api.patient_page(s, patient_id)  # ApiError 404 for a patient not theirs: error page
    from backcoach.clinic import programmes

    # The programme section (templates/clinician_programme.html): the current version.
    programme = programmes.current(s.context.person(patient_id).store)
    lessons = _lessons(s, patient_id)
    just_assigned = next((row for row in lessons if row["id"] == assigned[:80]), None)
    context: dict[str, Any] = {
        "who": s.who,
        "nav": "patients",
        "p": data,
        "tier_title": TIER_TITLE,
        "kind_text": KIND_TEXT,
        "patient_id": patient_id,
        "programme": programme,
        "names": {ex.id: ex.name for ex in s.context.catalogue},
        "lessons": lessons,
        "just_assigned": just_assigned,
    }
    return render(request, "clinician_patient.html", context)


def _lessons(s: api.Staff, patient_id: int) -> list[dict[str, Any]]:
    """Every lesson with what the patient did with it: read (the day), skipped (the day;
    a skipped lesson comes back after a week) and assigned (by whom). The same use case as
    ``GET /api/clinic/patients/{id}/lessons`` (``lessons.today.status``), plus the skips. The
    page's view is already in the audit log (``api.patient_page``); this reads the patient's
    own Store only."""
    from backcoach.lessons import today as lessons_today
    from backcoach.web.pages_learn import person_library

    patient = s.context.person(patient_id)
    library = person_library(patient)
    with patient.store.reading():
        rows = lessons_today.status(patient.store, library)
        marks = lessons_today.marks(patient.store)
    for row in rows:
        mark = marks.get(row["id"])
        skipped = None if mark is None else mark.skipped_on
        row["skipped_on"] = None if skipped is None else str(skipped)
    return rows


@router.post("/clinician/patients/{patient_id}/lessons/assign")
async def assign_lesson_form(request: Request, patient_id: int) -> Response:
    """Assign a lesson from the patient's page: ``api_lessons.assign``, the API's own use case
    (the roster's check, a 404 for a patient not theirs, the change in the audit log). The
    lesson is offered to the patient before the usual order."""
    from backcoach.web import api_lessons
    from backcoach.web.api_errors import ApiError

    s = _staff(request)
    if isinstance(s, Response):
        return s
    lesson_id = (await _form(request)).get("lesson", "").strip()[:80]
    if not lesson_id:
        raise ApiError(
            422,
            "missing",
            "lesson: no lesson was chosen",
            field="lesson",
            fix="choose a lesson from the list, then press Assign",
        )
    await run_in_threadpool(api_lessons.assign, s, patient_id, lesson_id)
    return RedirectResponse(
        f"/clinician/patients/{patient_id}?assigned={lesson_id}#lessons", status_code=303
    )


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
    # Back where the button was: the list or the digest when they say so, else the
    # patient's page (its flags).
    back = (await _form(request)).get("back", "")
    flag = await run_in_threadpool(api.acknowledge_flag, s, flag_id)
    to = back if back in ("/clinician", "/clinician/digest") else None
    return RedirectResponse(
        to or f"/clinician/patients/{flag['patient_id']}#flags", status_code=303
    )


@router.get("/clinician/digest", response_class=HTMLResponse)
def digest_page(request: Request) -> Response:
    s = _staff(request)
    if isinstance(s, Response):
        return s
    return render(
        request, "clinician_digest.html", {"who": s.who, "nav": "digest", "d": api.digest_data(s)}
    )


# --- a screen done in the clinic, and the audit log, as pages ---------------------------------


def _screen_form(
    request: Request, s: api.Staff, patient_id: int, given: dict[str, str], error: str | None
) -> Response:
    from backcoach.safety.signs import SIGNS
    from backcoach.web.pages_onboarding import ANSWER_CHOICES

    data = api.patient_page(s, patient_id)  # 404 for a patient not theirs
    context = {
        "who": s.who,
        "nav": "patients",
        "p": data,
        "signs": SIGNS,
        "choices": ANSWER_CHOICES,
        "given": given,
        "error": error,
    }
    return render(request, "clinician_screen.html", context, 422 if error else 200)


@router.get("/clinician/patients/{patient_id}/screen", response_class=HTMLResponse)
def screen_page(request: Request, patient_id: int) -> Response:
    """The warning-sign questions, to go through with the patient in the clinic."""
    s = _staff(request)
    if isinstance(s, Response):
        return s
    return _screen_form(request, s, patient_id, {}, None)


@router.post("/clinician/patients/{patient_id}/screen", response_class=HTMLResponse)
async def screen_submit(request: Request, patient_id: int) -> Response:
    """Record the screen as the patient's current one (``api_clinician.clinic_screen``: the
    same check as the patient's own, the audit log, a flag for a warning sign)."""
    from backcoach.safety.signs import SIGN_IDS
    from backcoach.web.api_errors import ApiError

    s = _staff(request)
    if isinstance(s, Response):
        return s
    form = await _form(request)
    answers = {sign: form[sign] for sign in SIGN_IDS if sign in form}
    missing = [sign for sign in SIGN_IDS if sign not in answers]
    if missing:
        error = (
            f"{len(missing)} question{'s are' if len(missing) > 1 else ' is'} not answered; "
            "answer every question (choose Not sure when the patient is not sure)."
        )
        return await run_in_threadpool(_screen_form, request, s, patient_id, answers, error)
    try:
        await run_in_threadpool(api.clinic_screen, s, patient_id, answers)
    except ApiError as exc:
        if exc.status != 422:
            raise
        return await run_in_threadpool(
            _screen_form, request, s, patient_id, answers, exc.detail.message
        )
    return RedirectResponse(f"/clinician/patients/{patient_id}#screen", status_code=303)


@router.get("/clinician/patients/{patient_id}/audit", response_class=HTMLResponse)
def audit_page(request: Request, patient_id: int) -> Response:
    """Who viewed or changed this patient's record, newest first, as a table (and as CSV)."""
    s = _staff(request)
    if isinstance(s, Response):
        return s
    data = api.patient_page(s, patient_id)
    entries = api.patient_audit(s, patient_id)
    context = {"who": s.who, "nav": "patients", "p": data, "entries": entries}
    return render(request, "clinician_audit.html", context)

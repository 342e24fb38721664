"""The clinician's JSON API (clinic mode): the patients list, a patient, flags, the digest,
archiving, a screen and a clearance recorded in the clinic, the report PDF and the audit log;
and the patient's comment after a session (``POST /api/sessions/{id}/comment``).

Every patient is reached through ``clinic.access.Roster`` (the one place that answers "may
this person see patient P"): a patient not in the signed-in clinician's care is a 404, the
same as one that does not exist; a patient calling these routes gets 403 ``staff-only``.
The pages (web.pages_clinician) call the same functions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import update

from backcoach.app import AppContext, PersonContext
from backcoach.clinic import Who, caseload, digest, flags
from backcoach.clinic.access import Roster
from backcoach.clinic.accounts import PATIENT
from backcoach.clinic.errors import NotYours
from backcoach.errors import BackcoachError
from backcoach.records.store import Store, as_utc
from backcoach.records.tables import PatientRow, SessionRow
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.deps import AppDep, PersonDep, app_context

router = APIRouter(prefix="/clinic", tags=["clinician"], responses=ERROR_RESPONSES)
comments = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)

PatientId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a patient's person id")]
FlagId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a flag's id")]
SORTS = ("name", "last_session", "flags", "trend", "this_week")
Sort = Literal["name", "last_session", "flags", "trend", "this_week"]
RECENT_SESSIONS = 10
COMMENT_MAX = 1000
"""A comment is a short note after a session, not a diary: 1000 characters at most."""


# --- who may call ---------------------------------------------------------------------------


class Staff:
    """A signed-in clinician or practice admin, their roster and the app's context."""

    def __init__(self, who: Who, roster: Roster, context: AppContext) -> None:
        self.who = who
        self.roster = roster
        self.context = context

    @property
    def factory(self) -> Any:
        return self.context.database

    def person(self, patient_id: int, what: str) -> PersonContext:
        """The patient's context after Roster's check and an audited view (404 for anyone not
        theirs to see): its Store is made for that patient alone and stamps rows with the
        app's clock, as the patient's own requests do."""
        self.check(patient_id, "view", what)
        return self.context.person(patient_id)

    def store(self, patient_id: int, what: str) -> Store:
        return self.person(patient_id, what).store

    def check(self, patient_id: int, action: str, what: str, detail: Any = None) -> None:
        try:
            if action == "change":
                self.roster.changed(patient_id, what, detail)
            else:
                self.roster.viewed(patient_id, what, detail)
        except NotYours:
            raise _no_patient(patient_id) from None


def _no_patient(patient_id: int) -> ApiError:
    return ApiError(
        404,
        "no-such-patient",
        f"there is no patient {patient_id} among yours",
        fix="pick a patient from GET /api/clinic/patients",
    )


def staff(request: Request) -> Staff:
    from backcoach.web.auth import client_address, signed_in
    from backcoach.web.deps import clinic_or_none

    clinic = clinic_or_none(request)
    if clinic is None:
        raise ApiError(404, "clinic-only", "the clinician pages exist only on a clinic server")
    who = signed_in(request)
    if who.role == PATIENT:
        raise ApiError(
            403,
            "staff-only",
            "these are the clinician's pages; a patient sees their own records at /",
            fix="open / on your phone",
        )
    return Staff(who, clinic.roster(who, client_address(request)), app_context(request))


StaffDep = Annotated[Staff, Depends(staff)]


# --- the patients list ----------------------------------------------------------------------


class PatientLine(BaseModel):
    id: int
    name: str | None
    birth_year: int
    archived: bool
    last_session: dt.datetime | None
    sessions_this_week: int
    days_per_week: int | None
    pain_trend: str
    pain_arrow: str
    pain_recent: float | None
    pain_before: float | None
    open_flags: int


def patients_list(
    s: Staff, q: str = "", sort: str = "name", archived: bool = False
) -> list[PatientLine]:
    """The list, in a fixed number of queries for the whole page: the roster (1) and the
    list's facts (clinic.caseload.facts), none of them per patient. Flags are only read here:
    they were raised when their events were saved (clinic.flags)."""
    now = s.context.now()
    everyone = s.roster.patients()
    shown = [p for p in everyone if p.archived == archived]
    needle = q.strip().casefold()
    if needle:
        shown = [
            p for p in shown if needle in (p.name or "").casefold() or needle == str(p.person_id)
        ]
    ids = [p.person_id for p in shown]
    found = caseload.facts(s.factory, ids, now)
    lines = [
        PatientLine.model_construct(  # our own values, of the right types: no validation
            id=p.person_id,
            name=p.name,
            birth_year=p.birth_year,
            archived=p.archived,
            last_session=found[p.person_id].last_session,
            sessions_this_week=found[p.person_id].sessions_this_week,
            days_per_week=found[p.person_id].days_per_week,
            pain_trend=found[p.person_id].trend.words,
            pain_arrow=found[p.person_id].trend.arrow,
            pain_recent=found[p.person_id].trend.recent,
            pain_before=found[p.person_id].trend.before,
            open_flags=found[p.person_id].open_flags,
        )
        for p in shown
    ]
    return sort_lines(lines, sort)


TREND_ORDER = {"worse": 0, "about the same": 1, "better": 2, "not enough reports": 3}


def sort_lines(lines: list[PatientLine], sort: str) -> list[PatientLine]:
    if sort not in SORTS:
        raise ApiError(
            422,
            "invalid-input",
            f"sort {sort!r} is not one of the list's orders",
            field="sort",
            value=sort,
            fix=f"use one of: {', '.join(SORTS)}",
        )
    by_name = sorted(lines, key=lambda line: ((line.name or "").casefold(), line.id))
    if sort == "last_session":  # longest without a session first: they need a look
        old = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(by_name, key=lambda line: line.last_session or old)
    if sort == "flags":
        return sorted(by_name, key=lambda line: -line.open_flags)
    if sort == "trend":
        return sorted(by_name, key=lambda line: TREND_ORDER.get(line.pain_trend, 9))
    if sort == "this_week":
        return sorted(by_name, key=lambda line: line.sessions_this_week)
    return by_name


@router.get("/patients", response_model=list[PatientLine])
def list_patients(
    s: StaffDep,
    q: Annotated[str, Query(max_length=100, description="part of a name, or an id")] = "",
    sort: Annotated[Sort, Query(description="the order")] = "name",
    archived: Annotated[bool, Query(description="the archived patients instead")] = False,
) -> list[PatientLine]:
    """Your patients: last session, sessions this week against the plan's days per week, pain
    trend (last 2 weeks against the 2 before) and open flags."""
    return patients_list(s, q, sort, archived)


class Archived(BaseModel):
    id: int
    archived: bool


def set_archived(s: Staff, patient_id: int, archived: bool) -> Archived:
    s.check(patient_id, "change", "archived" if archived else "unarchived")
    with s.factory.begin() as db:
        db.execute(
            update(PatientRow)
            .where(PatientRow.person_id == patient_id)
            .values(archived_at=s.context.now() if archived else None)
        )
    return Archived(id=patient_id, archived=archived)


@router.post("/patients/{patient_id}/archive", response_model=Archived)
def archive(s: StaffDep, patient_id: PatientId) -> Archived:
    """Move the patient off the list (their records stay; written to the audit log)."""
    return set_archived(s, patient_id, True)


@router.post("/patients/{patient_id}/unarchive", response_model=Archived)
def unarchive(s: StaffDep, patient_id: PatientId) -> Archived:
    """Bring an archived patient back onto the list (written to the audit log)."""
    return set_archived(s, patient_id, False)


# --- a patient ------------------------------------------------------------------------------


def flag_dict(flag: flags.Flag) -> dict[str, Any]:
    return asdict(flag)


def patient_page(s: Staff, patient_id: int) -> dict[str, Any]:
    """Everything the patient's page shows, through the patient's own Store (an audited
    view): screen and conditions, adherence and trends, recent sessions with per-exercise
    pain, ratings, stop-rule events and comments, and the flags."""
    from backcoach.services.progress import progress_summary

    store = s.store(patient_id, "patient page")
    summary = next(p for p in s.roster.patients() if p.person_id == patient_id)
    screen = store.current_screen()
    profile = store.load_profile()
    conditions = profile.get("conditions", []) if isinstance(profile, dict) else []
    progress = progress_summary(store, s.context.catalogue, s.context.settings.today())
    return {
        "id": patient_id,
        "name": summary.name,
        "birth_year": summary.birth_year,
        "archived": summary.archived,
        "screen": None
        if screen is None
        else {
            "tier": screen.tier,
            "taken_on": screen.taken_on.isoformat(),
            "flags": list(screen.flags),
            "advice": screen.advice,
            "cleared_on": None if screen.cleared_on is None else screen.cleared_on.isoformat(),
            "cleared_by": screen.cleared_by,
        },
        "conditions": list(conditions),
        "days_per_week": caseload.days_per_week(profile),
        "adherence": progress.get("adherence"),
        "pain": progress.get("pain"),
        "activities": progress.get("activities"),
        "sessions": recent_sessions(store),
        "flags": [flag_dict(f) for f in flags.for_patient(s.factory, patient_id)],
    }


def recent_sessions(store: Store) -> list[dict[str, Any]]:
    """The newest sessions with each exercise's outcome, rating and pain (3 reads)."""
    sessions = store.sessions(limit=RECENT_SESSIONS)
    ids = [row.id for row in sessions]
    outcomes = store.outcomes_for(ids)
    pains = store.pain_reports_for(ids)
    shown = []
    for row in sessions:
        exercises = {}
        for o in outcomes:
            if o.session_id == row.id:
                exercises[o.item_index] = {
                    "item_index": o.item_index,
                    "exercise_id": o.exercise_id,
                    "outcome": o.outcome,
                    "rating": o.rating,
                    "stop_reasons": list((o.details or {}).get("reasons", []) or []),
                    "pain": None,
                }
        for p in pains:
            if p.session_id == row.id and p.item_index is not None and p.item_index in exercises:
                exercises[p.item_index]["pain"] = p.score
        shown.append(
            {
                "id": row.id,
                "started_at": as_utc(row.started_at).isoformat(),
                "status": row.status,
                "pain_before": row.pain_before,
                "pain_after": row.pain_after,
                "comment": row.comment,
                "exercises": [exercises[k] for k in sorted(exercises)],
                "stopped": [e for e in exercises.values() if e["outcome"] == "stopped"],
            }
        )
    return shown


@router.get("/patients/{patient_id}")
def show_patient(s: StaffDep, patient_id: PatientId) -> dict[str, Any]:
    """One of your patients: screen and conditions, adherence, pain and activity trends,
    recent sessions (per-exercise pain, ratings, stop-rule events, comments) and flags."""
    return patient_page(s, patient_id)


class ScreenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(
        description="the warning-sign answers, as POST /api/screen takes them", max_length=64
    )


def clinic_screen(s: Staff, patient_id: int, answers: dict[str, Any]) -> dict[str, Any]:
    from backcoach.services.screening import take_screen

    store = s.store(patient_id, "screen")
    try:
        result = take_screen(store, s.context.settings.today(), answers)
    except BackcoachError as exc:
        raise ApiError(422, "invalid-input", str(exc), field="answers") from None
    s.check(patient_id, "change", "screen recorded in the clinic", {"tier": result.tier})
    return {"tier": result.tier, "flags": list(result.flags), "advice": result.advice}


@router.post("/patients/{patient_id}/screen")
def record_screen(s: StaffDep, patient_id: PatientId, body: ScreenBody) -> dict[str, Any]:
    """Record a warning-sign screen done with the patient in the clinic."""
    return clinic_screen(s, patient_id, body.answers)


class ClearanceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cleared_on: dt.date | None = Field(default=None, description="the day seen; today if left out")


def clinic_clearance(s: Staff, patient_id: int, cleared_on: dt.date | None) -> dict[str, Any]:
    from backcoach.services.screening import record_clearance

    store = s.store(patient_id, "clearance")
    today = s.context.settings.today()
    try:
        row = record_clearance(store, today, cleared_on or today, s.who.name or "clinician")
    except BackcoachError as exc:
        raise ApiError(409, "clearance-refused", str(exc), field="cleared_on") from None
    s.check(patient_id, "change", "clearance recorded", {"cleared_on": str(row.cleared_on)})
    return {"cleared_on": str(row.cleared_on), "cleared_by": row.cleared_by, "tier": row.tier}


@router.post("/patients/{patient_id}/clearance")
def record_clearance_route(
    s: StaffDep, patient_id: PatientId, body: ClearanceBody
) -> dict[str, Any]:
    """Record that you cleared the patient after their latest screen."""
    return clinic_clearance(s, patient_id, body.cleared_on)


@router.get(
    "/patients/{patient_id}/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The report (PDF)."}},
)
async def patient_report(s: StaffDep, patient_id: PatientId) -> Response:
    """The patient's report as a PDF, made by a job through the patient's own Store (202 with
    the document while a worker is still making it)."""
    from starlette.concurrency import run_in_threadpool

    from backcoach.web.api_sharing import _made

    person = await run_in_threadpool(s.person, patient_id, "report")
    return await _made(person, "report")


@router.get("/patients/{patient_id}/audit")
def patient_audit(s: StaffDep, patient_id: PatientId) -> list[dict[str, Any]]:
    """Who viewed or changed this patient's record, newest first."""
    try:
        return [asdict(e) for e in s.roster.audit_log(patient_id)]
    except NotYours:
        raise _no_patient(patient_id) from None


@router.get(
    "/patients/{patient_id}/audit.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The audit log (CSV)."}},
)
def patient_audit_csv(s: StaffDep, patient_id: PatientId) -> Response:
    """The audit log as CSV, for a spreadsheet or a records request."""
    from backcoach.clinic.audit import to_csv

    try:
        entries = s.roster.audit_log(patient_id)
    except NotYours:
        raise _no_patient(patient_id) from None
    return Response(
        to_csv(entries),
        media_type="text/csv",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="audit-patient-{patient_id}.csv"',
        },
    )


# --- flags and the digest -------------------------------------------------------------------


def acknowledge_flag(s: Staff, flag_id: int) -> dict[str, Any]:
    patient_id = flags.patient_of(s.factory, flag_id)
    if patient_id is None or not s.roster.may_see(patient_id):
        raise ApiError(404, "no-such-flag", f"there is no flag {flag_id} among your patients'")
    s.check(patient_id, "change", "flag acknowledged", {"flag": flag_id})
    flag = flags.acknowledge(s.factory, flag_id, s.who.person_id, s.context.now())
    if flag is None:
        raise ApiError(404, "no-such-flag", f"there is no flag {flag_id} among your patients'")
    return flag_dict(flag)


@router.post("/flags/{flag_id}/acknowledge")
def acknowledge(s: StaffDep, flag_id: FlagId) -> dict[str, Any]:
    """Mark a flag seen: it leaves the open count (written to the audit log)."""
    return acknowledge_flag(s, flag_id)


def digest_data(s: Staff) -> digest.Digest:
    return digest.build(s.factory, s.roster, s.context.now())


@router.get("/digest")
def show_digest(s: StaffDep) -> dict[str, Any]:
    """Today's digest: flags raised in the last day and those still open, by patient."""
    found = digest_data(s)
    return {
        "clinician": found.clinician,
        "at": found.at.isoformat(),
        "new": found.new_count,
        "quiet": found.quiet,
        "patients": [
            {
                "id": p.patient.person_id,
                "name": p.patient.name,
                "new": [flag_dict(f) for f in p.new],
                "older": [flag_dict(f) for f in p.older],
            }
            for p in found.patients
        ],
    }


# --- the patient's comment after a session --------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(
        min_length=1, max_length=COMMENT_MAX, description="plain text for your clinician"
    )


class Comment(BaseModel):
    session_id: int
    text: str
    commented_at: dt.datetime


@comments.post("/sessions/{session_id}/comment", response_model=Comment)
def comment_on_session(
    person: PersonDep,
    session_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: CommentBody,
    context: AppDep,
) -> Comment:
    """A note after your session for your clinician (plain text, up to 1000 characters); a
    new one replaces the last. Only your own finished sessions."""
    text = _CONTROL.sub("", body.text.replace("\r\n", "\n")).strip()
    if not text:
        raise ApiError(
            422, "invalid-input", "the comment is empty", field="text", fix="write a few words"
        )
    now = context.now()
    with person.store.scoped() as db:
        row = db.get(SessionRow, session_id)
        if row is None:
            raise ApiError(404, "no-such-session", f"there is no session {session_id}")
        if row.status == "in-progress":
            raise ApiError(
                409,
                "session-not-finished",
                f"session {session_id} is still going",
                fix="finish the session first, then write your comment",
            )
        row.comment = text
        row.commented_at = now
    flags.after_comment(person.store, session_id)
    return Comment(session_id=session_id, text=text, commented_at=now)

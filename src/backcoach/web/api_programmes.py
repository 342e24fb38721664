"""The clinician's programme builder API (clinic mode; docs/clinic.md "Programmes").

``/api/clinic/patients/{id}/programme``: GET the current version, the versions before it,
progression proposals, backcoach's own plan for the patient (with its reasons) and the library
with this patient's safety verdicts; POST saves a new version. ``.../proposals/{decision}``
approves (optionally edited) or dismisses a proposal. ``/api/clinic/templates``: the
clinician's templates. Staff only; a patient not in the clinician's care is 404, as if absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from backcoach.clinic import Roster, Who
from backcoach.clinic.accounts import ADMIN, CLINICIAN
from backcoach.clinic.programmes import (
    REVIEW_AHEAD_MAX,
    Programme,
    ProgrammeRefused,
    Proposal,
    SavedVersion,
    check,
    current,
    parse,
    proposals,
    save,
    save_template,
    templates,
    versions,
    with_doses,
)
from backcoach.errors import BackcoachError
from backcoach.records.store import Store
from backcoach.services.plans import built_plan, verdicts
from backcoach.services.profiles import load_profile
from backcoach.services.progression import program_state
from backcoach.services.screening import gate
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.auth import client_address, clinic_of, signed_in
from backcoach.web.deps import AppDep

router = APIRouter(prefix="/clinic", tags=["programmes"], responses=ERROR_RESPONSES)

REFUSED_STATUS = {"programme-changed": 409, "nothing-changed": 409, "too-many-templates": 409}


@dataclass(frozen=True)
class Staff:
    who: Who
    roster: Roster


def staff(request: Request) -> Staff:
    """A signed-in clinician or practice admin, with their roster; 403 for anyone else."""
    who = signed_in(request)
    if who.role not in (CLINICIAN, ADMIN):
        raise ApiError(
            403,
            "staff-only",
            "programmes are built by the patient's clinician",
            fix="patients see their programme on /today",
        )
    return Staff(who, clinic_of(request).roster(who, client_address(request)))


StaffDep = Annotated[Staff, Depends(staff)]


def patient_store(member: Staff, patient_id: int, what: str) -> Store:
    """The patient's records (audited), or 404 when they are not the viewer's to see."""
    if not member.roster.may_see(patient_id):
        raise ApiError(
            404,
            "not-found",
            f"no patient {patient_id} among those you may see",
            field="patient_id",
            value=patient_id,
            fix="open the patient from your patients list",
        )
    return member.roster.store_for(patient_id, what)


def refused(error: ProgrammeRefused) -> ApiError:
    return ApiError(REFUSED_STATUS.get(error.code, 422), error.code, str(error))


# --- shapes ---------------------------------------------------------------------------------


class VersionOut(BaseModel):
    version: int
    created_at: dt.datetime
    created_by: int | None
    created_by_name: str | None
    changes: list[str]
    programme: Programme


class ProposalOut(BaseModel):
    decision_id: int
    exercise_id: str
    action: str
    reason: str
    decided_on: dt.date | None
    dose: dict[str, int]


class VerdictOut(BaseModel):
    status: str
    reasons: list[str]
    modifications: list[str]


class LibraryEntry(BaseModel):
    id: str
    name: str
    summary: str
    category: str
    position: str
    counted: bool
    figure_url: str
    verdict: VerdictOut


class SuggestedItem(BaseModel):
    item: dict[str, Any]
    reason: str


class ProgrammeView(BaseModel):
    patient_id: int
    current: VersionOut | None
    versions: list[VersionOut]
    proposals: list[ProposalOut]
    screen_allows_sessions: bool
    screen_reason: str | None
    suggested: list[SuggestedItem]
    """backcoach's own plan for the patient's profile, as programme items, with its reasons."""
    suggested_refused: str | None
    library: list[LibraryEntry]
    today: dt.date
    """The clinic's day: a new review date may be from here ..."""
    review_latest: dt.date
    """... to here (about a year ahead)."""


class SaveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    based_on: int | None = Field(
        default=None, ge=1, description="The version edited; None for the first version."
    )
    programme: dict[str, Any]


class ProposalBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "dismiss"]
    dose: dict[str, int] | None = Field(
        default=None, description="approve: the dose to give instead of the proposed one"
    )


class TemplateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=120)
    programme: dict[str, Any]


class TemplateOut(BaseModel):
    id: int
    name: str
    created_at: dt.datetime
    programme: Programme


def _version(v: SavedVersion) -> VersionOut:
    return VersionOut(
        version=v.version,
        created_at=v.created_at,
        created_by=v.created_by,
        created_by_name=v.created_by_name,
        changes=v.changes,
        programme=v.programme,
    )


def _proposal(p: Proposal) -> ProposalOut:
    return ProposalOut(
        decision_id=p.decision_id,
        exercise_id=p.exercise_id,
        action=p.action,
        reason=p.reason,
        decided_on=p.decided_on,
        dose=p.dose,
    )


# --- routes ---------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/programme", response_model=ProgrammeView)
def get_programme(patient_id: int, member: StaffDep, app: AppDep) -> ProgrammeView:
    """The patient's programme: current version, history, proposals, backcoach's suggestion
    and the library with this patient's verdicts."""
    store = patient_store(member, patient_id, "programme")
    catalogue = app.catalogue
    today = app.settings.today()
    with store.reading():
        allowed = gate(store, today)
        profile = load_profile(store)
        state = program_state(store, today)
        history = versions(store)
        pending = proposals(store, history[0].programme) if history else []
    judged = verdicts(catalogue, profile, today)
    suggested: list[SuggestedItem] = []
    suggested_refused = None
    try:
        plan = built_plan(catalogue, profile, state, today).plan
        suggested = [
            SuggestedItem(
                item={
                    "exercise_id": i.exercise_id,
                    "sets": i.sets,
                    "reps": i.reps,
                    "hold_seconds": i.hold_seconds,
                    "duration_seconds": i.duration_seconds,
                    "rest_seconds": i.rest_seconds,
                    "per_side": i.per_side,
                    "modification": i.modification,
                },
                reason=i.reason,
            )
            for i in plan.items
        ]
    except BackcoachError as exc:
        suggested_refused = str(exc)
    library = [
        LibraryEntry(
            id=ex.id,
            name=ex.name,
            summary=ex.summary,
            category=ex.category,
            position=ex.position,
            counted=ex.counted,
            figure_url=f"/api/exercises/{ex.id}/figure.svg",
            verdict=VerdictOut(
                status=judged[ex.id].status,
                reasons=list(judged[ex.id].reasons),
                modifications=list(judged[ex.id].modifications),
            ),
        )
        for ex in catalogue
    ]
    return ProgrammeView(
        patient_id=patient_id,
        current=_version(history[0]) if history else None,
        versions=[_version(v) for v in history],
        proposals=[_proposal(p) for p in pending],
        screen_allows_sessions=allowed.allowed,
        screen_reason=None if allowed.allowed else allowed.reason,
        suggested=suggested,
        suggested_refused=suggested_refused,
        library=library,
        today=today,
        review_latest=today + REVIEW_AHEAD_MAX,
    )


def _save(
    member: Staff,
    app: AppDep,
    patient_id: int,
    store: Store,
    programme: Programme,
    based_on: int | None,
    **more: Any,
) -> VersionOut:
    today = app.settings.today()
    check(programme, app.catalogue, verdicts(app.catalogue, load_profile(store), today))
    saved = save(
        store,
        programme,
        based_on=based_on,
        by_id=member.who.person_id,
        by_name=member.who.name,
        now=app.now(),
        today=today,
        names={exercise.id: exercise.name for exercise in app.catalogue},
        **more,
    )
    member.roster.changed(
        patient_id, "programme", {"version": saved.version, "changes": saved.changes[:20]}
    )
    return _version(saved)


@router.post("/patients/{patient_id}/programme", response_model=VersionOut, status_code=201)
def post_programme(patient_id: int, body: SaveBody, member: StaffDep, app: AppDep) -> VersionOut:
    """Save a new version (the patient gets it at once). Refused, with the item and the fix
    named: an exercise this patient may not do, one needing a modification without one or a
    written reason, a dose that does not fit, a new review date (``review_date``,
    YYYY-MM-DD) in the past or more than a year ahead, or another save since ``based_on``."""
    store = patient_store(member, patient_id, "programme")
    try:
        return _save(member, app, patient_id, store, parse(body.programme), body.based_on)
    except ProgrammeRefused as exc:
        raise refused(exc) from None


@router.post(
    "/patients/{patient_id}/programme/proposals/{decision_id}",
    response_model=VersionOut,
    status_code=201,
)
def settle_proposal(
    patient_id: int, decision_id: int, body: ProposalBody, member: StaffDep, app: AppDep
) -> VersionOut:
    """Approve a progression proposal (with ``dose``, an edited one) or dismiss it; either
    makes a new version saying so."""
    store = patient_store(member, patient_id, "programme")
    saved = current(store)
    found = None
    if saved is not None:
        found = next(
            (p for p in proposals(store, saved.programme) if p.decision_id == decision_id), None
        )
    if saved is None or found is None:
        raise ApiError(
            404,
            "not-found",
            f"no open proposal {decision_id} for this patient's programme",
            field="decision_id",
            value=decision_id,
            fix="reload the programme to see the open proposals",
        )
    try:
        if body.action == "dismiss":
            return _save(
                member,
                app,
                patient_id,
                store,
                saved.programme,
                saved.version,
                settled={found.exercise_id: decision_id},
                extra_changes=[f"{found.exercise_id}: proposal ({found.action}) dismissed"],
            )
        chosen = found
        if body.dose is not None:
            allowed = {"sets", "reps", "hold_seconds", "duration_seconds"}
            unknown = sorted(set(body.dose) - allowed)
            if unknown:
                raise ApiError(
                    422,
                    "invalid-input",
                    f"dose: unknown field {', '.join(unknown)}",
                    field="dose",
                    fix="use sets, reps, hold_seconds, duration_seconds",
                )
            chosen = Proposal(
                found.decision_id,
                found.exercise_id,
                found.action,
                found.reason,
                found.decided_on,
                body.dose,
            )
        changed = parse(with_doses(saved.programme, [chosen]).model_dump(mode="json"))
        return _save(
            member,
            app,
            patient_id,
            store,
            changed,
            saved.version,
            settled={found.exercise_id: decision_id},
            extra_changes=[f"{found.exercise_id}: proposal ({found.action}) approved"],
        )
    except ProgrammeRefused as exc:
        raise refused(exc) from None


@router.get("/templates", response_model=list[TemplateOut])
def list_templates(member: StaffDep, app: AppDep) -> list[TemplateOut]:
    """The signed-in clinician's templates, by name."""
    return [
        TemplateOut(id=t.id, name=t.name, created_at=t.created_at, programme=t.programme)
        for t in templates(app.database, member.who.person_id)
    ]


@router.post("/templates", response_model=TemplateOut, status_code=201)
def post_template(body: TemplateBody, member: StaffDep, app: AppDep) -> TemplateOut:
    """Keep a programme as a template to start other patients' programmes from. Checked for
    shape only: each patient's safety verdicts apply when it is assigned."""
    try:
        made = save_template(
            app.database,
            owner_id=member.who.person_id,
            practice_id=member.who.practice_id,
            name=body.name,
            programme=parse(body.programme),
            now=app.now(),
        )
    except ProgrammeRefused as exc:
        raise refused(exc) from None
    return TemplateOut(
        id=made.id, name=made.name, created_at=made.created_at, programme=made.programme
    )

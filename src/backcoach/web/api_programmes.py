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
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
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
from backcoach.planning.select import applied_version
from backcoach.records.store import Store
from backcoach.services.plans import built_plan, verdicts
from backcoach.services.profiles import load_profile
from backcoach.services.progression import program_state
from backcoach.services.screening import gate
from backcoach.web.api_articles import ARTICLE_BODY, analysed
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.api_exercises import api_picture_url
from backcoach.web.auth import client_address, clinic_of, signed_in
from backcoach.web.deps import AppDep

if TYPE_CHECKING:
    from backcoach.articles import Analysis
    from backcoach.articles.doses import Amount, ArticleDose
    from backcoach.catalogue import Catalogue
    from backcoach.catalogue.model import Exercise
    from backcoach.safety.restrictions import Verdict
    from backcoach.services.suits import Suits

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
    """The usual version's picture."""
    version_figures: dict[str, str]
    """The picture of the version each of the exercise's modifications makes, by the
    modification's words (an item's ``modification``): a version drawn from its own key poses
    has its own (``?version=<condition>``), any other the usual picture."""
    modified_figure_url: str
    """The picture of the version this patient's verdict applies (``modified``): the one an
    item shows whose modification is none of the exercise's own words (several joined) or is
    left empty without a reason, as the patient's plan does (``clinic.programmes.to_plan``)."""
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
    library = [library_entry(ex, judged[ex.id]) for ex in catalogue]
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


def _figure(exercise: Exercise, condition: str | None) -> str:
    """The picture of ``condition``'s version when it is drawn from its own key poses, else
    the usual one."""
    drawn = condition is not None and condition in exercise.drawn_versions
    return api_picture_url(exercise.id, condition if drawn else None)


def library_entry(exercise: Exercise, verdict: Verdict) -> LibraryEntry:
    """The exercise as the builder lists it for this patient: its verdict and the picture of
    each of its versions, so an item shows the version the patient will see."""
    return LibraryEntry(
        id=exercise.id,
        name=exercise.name,
        summary=exercise.summary,
        category=exercise.category,
        position=exercise.position,
        counted=exercise.counted,
        figure_url=_figure(exercise, None),
        version_figures={
            m.text: _figure(exercise, condition) for condition, m in exercise.modifications.items()
        },
        modified_figure_url=_figure(exercise, applied_version(exercise, verdict)),
        verdict=VerdictOut(
            status=verdict.status,
            reasons=list(verdict.reasons),
            modifications=list(verdict.modifications),
        ),
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


# --- a draft from an article (issue 18) ------------------------------------------------------


class ArticleExercise(BaseModel):
    exercise_id: str
    name: str
    confidence: float
    dose_text: str
    """The article's own words for the dose ("" when it gives none)."""
    dose_note: str
    """How the article's dose compares with backcoach's."""
    status: str
    """This patient's verdict (``services.suits``): allowed, modified or excluded."""
    reasons: list[str]
    item: dict[str, Any] | None
    """The programme item made from the article's dose; None when excluded."""


class ArticleDraft(BaseModel):
    title: str | None
    items: list[dict[str, Any]]
    """The draft's items, in the article's order: the exercises this patient may do."""
    exercises: list[ArticleExercise]
    unmatched: list[str]
    """Exercises the article describes that backcoach does not have (not in the draft)."""


def _amount(value: Amount) -> int | None:
    """The low end of an article's range ("8 to 10 times" gives 8): a draft starts gently."""
    if isinstance(value, tuple):
        return value[0]
    return value


def _within(value: int | None, low: int, high: int, fallback: int) -> int:
    return fallback if value is None else max(low, min(high, value))


def article_item(exercise: Exercise, dose: ArticleDose) -> dict[str, Any]:
    """A programme item for ``exercise`` with the article's dose (``ArticleDose``) where it
    gives one and backcoach's default where it does not, kept within the programme's limits
    (``ProgrammeItem``)."""
    own = exercise.dose
    sets = _within(_amount(dose.sets), 1, 10, own.sets.default)
    item: dict[str, Any] = {
        "exercise_id": exercise.id,
        "sets": sets,
        "reps": None,
        "hold_seconds": 0,
        "duration_seconds": None,
        "rest_seconds": own.rest_seconds,
        "per_side": bool(dose.per_side or own.per_side),
    }
    if own.reps is not None:  # counted in repetitions
        item["reps"] = _within(_amount(dose.reps), 1, 100, own.reps.default)
        default_hold = own.hold_seconds.default if own.hold_seconds else 0
        item["hold_seconds"] = _within(_amount(dose.hold_seconds), 0, 300, default_hold)
    elif own.duration_seconds is not None:  # done for a time
        item["duration_seconds"] = own.duration_seconds.default
    return item


def article_draft(
    analysis: Analysis, catalogue: Catalogue, suits: dict[str, Suits]
) -> ArticleDraft:
    """The recognised exercises as programme items, each judged for this patient; one the
    planner would not give them is listed with its reasons and left out of the items."""
    exercises: list[ArticleExercise] = []
    items: list[dict[str, Any]] = []
    for match in analysis.exercises:
        if match.exercise_id not in catalogue:
            continue
        exercise = catalogue.get(match.exercise_id)
        verdict = suits.get(exercise.id)
        status = verdict.status if verdict is not None else "excluded"
        reasons = list(verdict.reasons) if verdict is not None else ["it could not be checked"]
        item = None if status == "excluded" else article_item(exercise, match.dose)
        if item is not None:
            items.append(item)
        exercises.append(
            ArticleExercise(
                exercise_id=exercise.id,
                name=exercise.name,
                confidence=round(match.confidence, 2),
                dose_text=match.dose.text,
                dose_note=match.dose.note,
                status=status,
                reasons=reasons,
                item=item,
            )
        )
    return ArticleDraft(
        title=analysis.title,
        items=items,
        exercises=exercises,
        unmatched=[u.name for u in analysis.unmatched],
    )


@router.post(
    "/patients/{patient_id}/programme/from-article",
    response_model=ArticleDraft,
    openapi_extra={"requestBody": ARTICLE_BODY},
)
async def draft_from_article(
    patient_id: int, request: Request, member: StaffDep, app: AppDep
) -> ArticleDraft:
    """Read an article (pasted text or a saved page, as ``POST /api/articles``) and make a
    draft of programme items from the exercises it describes, with its doses; each exercise
    judged for this patient (the planner's verdict, ``services.suits``), those they may not do
    listed with why and left out. Nothing is saved: the builder saves the draft as usual."""
    from backcoach.services.suits import suits_you

    store = patient_store(member, patient_id, "programme from an article")
    fix = "paste the article's text or upload the page saved from your browser"
    analysis = await analysed(request, app.catalogue, fix)
    today = app.settings.today()
    suits = await run_in_threadpool(suits_you, store, list(app.catalogue), today)
    return article_draft(analysis, app.catalogue, suits)


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

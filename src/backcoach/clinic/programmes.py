"""Programmes a clinician assigns: versioned, checked against the patient's safety verdicts,
turned into the patient's plan, and progressed by proposals the clinician approves.

A programme is plain data (``Programme``). Each save is a new ``programme_versions`` row (a
patient's record, through their ``Store``) with what changed, when and by whom; the patient
always gets the newest. Templates are the clinician's (``programme_templates``). Nothing here
decides whether a plan may be offered: the warning-sign gate is the caller's (services.plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backcoach.catalogue.model import Slug
from backcoach.clinic.errors import ClinicError
from backcoach.errors import describe_validation
from backcoach.planning.dose import ItemDose, item_seconds
from backcoach.planning.plan import LeftOut, Plan, PlanItem
from backcoach.planning.select import PHASE_OF, applied_version
from backcoach.records.tables import (
    CareRow,
    PatientRow,
    PersonRow,
    PracticeRow,
    ProgrammeTemplateRow,
    ProgrammeVersionRow,
    ProgressionDecisionRow,
)
from backcoach.safety.restrictions import Verdict

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store

MAX_ITEMS = 20
"""Exercises in one programme: a home programme holds a handful; twenty is generous."""
DECISION_ID_MAX = 2**31 - 1
"""A decision id is a database integer: a larger number in ``seen`` is no decision's."""
MAX_NOTE = 1000
MAX_VERSIONS_SHOWN = 50
MAX_TEMPLATES = 200
REVIEW_AHEAD_MAX = dt.timedelta(days=366)
"""How far ahead a review date may be set: about a year (a home programme is looked at again
well within that; a date further off is more likely a typo than a plan)."""
PROPOSAL_ACTIONS = ("more", "less")
"""Progression decisions that change a dose, and so become proposals for the clinician."""


class ProgrammeRefused(ClinicError):
    """A programme (or a change to one) refused; the message names the item and the fix."""

    code = "programme-refused"


class ProgrammeItem(BaseModel):
    """One exercise of a programme with its dose, modification and the clinician's note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise_id: Slug
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int = Field(default=0, ge=0, le=300)
    duration_seconds: int | None = Field(default=None, ge=1, le=3600)
    rest_seconds: int = Field(default=0, ge=0, le=600)
    per_side: bool = False
    times_per_day: int = Field(default=1, ge=1, le=6)
    modification: str | None = Field(default=None, max_length=MAX_NOTE)
    """One of the exercise's modifications for this patient's conditions."""
    modification_reason: str | None = Field(default=None, max_length=MAX_NOTE)
    """Why an exercise marked ``modified`` is given without its modification."""
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class Programme(BaseModel):
    """What the clinician assigns: ordered exercises, a note, days per week, a review date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: list[ProgrammeItem] = Field(min_length=1, max_length=MAX_ITEMS)
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    days_per_week: int = Field(default=3, ge=1, le=7)
    review_date: dt.date | None = None
    """When the clinician means to look at the programme again with the patient (None: not
    set). A new or changed date must be from today to a year ahead (``check_review_date``,
    at save); a saved date is kept as it is, so an old version still reads."""
    auto_progress: bool = False
    """True: backcoach's dose decisions apply at once, as in personal mode; False: they wait
    as proposals for the clinician."""
    seen: dict[Slug, Annotated[int, Field(ge=0, le=DECISION_ID_MAX)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS * 4
    )
    """Per exercise, the newest progression decision already settled (approved, dismissed, or
    older than the dose the clinician set): only newer ones are proposals."""


@dataclass(frozen=True)
class SavedVersion:
    version: int
    created_at: dt.datetime
    created_by: int | None
    created_by_name: str | None
    changes: list[str]
    programme: Programme


@dataclass(frozen=True)
class Proposal:
    """A dose progression decided for an exercise of the programme, waiting for approval."""

    decision_id: int
    exercise_id: str
    action: str
    reason: str
    decided_on: dt.date | None
    dose: dict[str, int] = field(default_factory=dict)
    """The new dose's fields that differ from the programme's (sets, reps, hold, duration)."""


@dataclass(frozen=True)
class Assigned:
    """What the patient's plan is made from: the current version, with auto-applied doses."""

    version: int
    by_name: str | None
    programme: Programme


def parse(data: Any) -> Programme:
    """A programme from data (an API body), or ProgrammeRefused naming the field."""
    try:
        return Programme.model_validate(data)
    except ValidationError as exc:
        raise ProgrammeRefused(
            describe_validation(exc, "programme", Programme), "invalid-programme"
        ) from None


# --- safety ---------------------------------------------------------------------------------


def check(programme: Programme, catalogue: Catalogue, verdicts: dict[str, Verdict]) -> None:
    """Refuse what may not be assigned to this patient (server-side, whatever a page sent):
    an unknown or repeated exercise, one their conditions exclude, one marked ``modified``
    without its modification or a written reason, a dose that does not fit the exercise."""
    known = {ex.id: ex for ex in catalogue}
    seen: set[str] = set()
    for i, item in enumerate(programme.items):
        at = f"items[{i}] ({item.exercise_id})"
        ex = known.get(item.exercise_id)
        if ex is None:
            raise ProgrammeRefused(
                f"{at}: no exercise has this id; pick one from the library", "unknown-exercise"
            )
        if item.exercise_id in seen:
            raise ProgrammeRefused(
                f"{at}: {ex.name} is in the programme twice; keep it once (set more sets)",
                "invalid-programme",
            )
        seen.add(item.exercise_id)
        verdict = verdicts.get(ex.id)
        if verdict is None or verdict.status == "excluded":
            why = "; ".join(verdict.reasons) if verdict else "no safety verdict"
            raise ProgrammeRefused(
                f"{at}: {ex.name} may not be assigned to this patient ({why}); remove it or "
                "choose another exercise",
                "not-allowed",
            )
        if verdict.status == "modified":
            if item.modification is None and not (item.modification_reason or "").strip():
                raise ProgrammeRefused(
                    f"{at}: {ex.name} needs a modification for this patient "
                    f"({'; '.join(verdict.reasons)}); choose one of: "
                    f"{' | '.join(verdict.modifications)}, or write why it is given as it is "
                    "(modification_reason)",
                    "needs-modification",
                )
            if item.modification is not None and item.modification not in verdict.modifications:
                raise ProgrammeRefused(
                    f"{at}: modification is not one of {ex.name}'s for this patient; choose "
                    f"one of: {' | '.join(verdict.modifications)}",
                    "needs-modification",
                )
        elif item.modification is not None and item.modification not in (
            m.text for m in ex.modifications.values()
        ):
            raise ProgrammeRefused(
                f"{at}: modification is not one of {ex.name}'s; leave it empty or use the "
                "text from the exercise",
                "invalid-programme",
            )
        if ex.counted and item.reps is None:
            raise ProgrammeRefused(
                f"{at}: {ex.name} is counted in repetitions; give reps", "invalid-programme"
            )
        if not ex.counted and item.duration_seconds is None:
            raise ProgrammeRefused(
                f"{at}: {ex.name} is done for a time; give duration_seconds", "invalid-programme"
            )


def check_review_date(programme: Programme, before: Programme | None, today: dt.date) -> None:
    """Refuse a review date that is new or changed and not from ``today`` to a year ahead. A
    date carried over unchanged from the current version is left alone, so approving a
    proposal after the review day has passed still works."""
    day = programme.review_date
    if day is None or (before is not None and before.review_date == day):
        return
    if day < today:
        raise ProgrammeRefused(
            f"review_date: {day.isoformat()} is in the past (today is {today.isoformat()}); "
            "choose a date from today on, or leave it empty",
            "invalid-programme",
        )
    latest = today + REVIEW_AHEAD_MAX
    if day > latest:
        raise ProgrammeRefused(
            f"review_date: {day.isoformat()} is more than a year ahead (the latest is "
            f"{latest.isoformat()}); choose a nearer date, or leave it empty",
            "invalid-programme",
        )


# --- versions -------------------------------------------------------------------------------


def _saved(row: ProgrammeVersionRow) -> SavedVersion:
    return SavedVersion(
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        changes=[str(c) for c in row.changes],
        programme=Programme.model_validate(row.data),
    )


def current(store: Store) -> SavedVersion | None:
    """The patient's current programme version, or None when none was assigned."""
    with store.reading() as s:
        row = s.scalars(
            select(ProgrammeVersionRow).order_by(ProgrammeVersionRow.version.desc()).limit(1)
        ).first()
        return None if row is None else _saved(row)


def versions(store: Store, limit: int = MAX_VERSIONS_SHOWN) -> list[SavedVersion]:
    """The newest versions first (at most ``limit``)."""
    with store.reading() as s:
        rows = s.scalars(
            select(ProgrammeVersionRow).order_by(ProgrammeVersionRow.version.desc()).limit(limit)
        ).all()
        return [_saved(r) for r in rows]


def _newest_decision(s: Session) -> int:
    return int(s.scalar(select(func.max(ProgressionDecisionRow.id))) or 0)


def save(
    store: Store,
    programme: Programme,
    *,
    based_on: int | None,
    by_id: int | None,
    by_name: str | None,
    now: dt.datetime,
    settled: dict[str, int] | None = None,
    extra_changes: list[str] | None = None,
    today: dt.date | None = None,
    names: Mapping[str, str] | None = None,
) -> SavedVersion:
    """Save ``programme`` as the patient's next version, with what changed from the current.

    ``based_on`` is the version the clinician edited (None: they started a new one); another
    save since then is refused, never overwritten. The caller has run ``check``. An exercise
    whose dose the clinician set here has every decision so far settled; ``settled`` marks
    more (a dismissed proposal). A new or changed review date must fall from ``today`` (the
    clinic's day; default ``now``'s date) to a year ahead. ``names``: exercise names by id,
    for the change log (what a clinician reads), ids where one is missing."""
    with store.writing() as s:
        row = s.scalars(
            select(ProgrammeVersionRow).order_by(ProgrammeVersionRow.version.desc()).limit(1)
        ).first()
        before = None if row is None else Programme.model_validate(row.data)
        number = 0 if row is None else row.version
        if based_on != (number or None):
            raise ProgrammeRefused(
                f"programme: version {number} was saved since you opened version "
                f"{based_on or 'none'}; reload it and make your change again",
                "programme-changed",
            )
        check_review_date(programme, before, today or now.date())
        newest = _newest_decision(s)
        seen = dict(before.seen) if before else {}
        old_items = {i.exercise_id: i for i in before.items} if before else {}
        for item in programme.items:
            old = old_items.get(item.exercise_id)
            if old is None or _dose(old) != _dose(item):
                seen[item.exercise_id] = newest
        seen.update(settled or {})
        seen = {k: v for k, v in seen.items() if any(i.exercise_id == k for i in programme.items)}
        programme = programme.model_copy(update={"seen": seen})
        changes = describe_changes(before, programme, names) + list(extra_changes or [])
        if not changes:
            raise ProgrammeRefused(
                "programme: nothing changed since the current version; change something first",
                "nothing-changed",
            )
        try:
            with s.begin_nested():
                s.add(
                    ProgrammeVersionRow(
                        version=number + 1,
                        created_at=now,
                        created_by=by_id,
                        created_by_name=by_name,
                        changes=changes,
                        data=programme.model_dump(mode="json"),
                    )
                )
                s.flush()
        except IntegrityError:
            raise ProgrammeRefused(
                "programme: someone saved a version at the same moment; reload and try again",
                "programme-changed",
            ) from None
    return SavedVersion(number + 1, now, by_id, by_name, changes, programme)


def _dose(item: ProgrammeItem) -> tuple[Any, ...]:
    return (item.sets, item.reps, item.hold_seconds, item.duration_seconds, item.rest_seconds)


DOSE_WORDS = (
    ("sets", "sets"),
    ("reps", "reps"),
    ("hold_seconds", "hold (s)"),
    ("duration_seconds", "time (s)"),
    ("rest_seconds", "rest (s)"),
    ("per_side", "each side"),
    ("times_per_day", "times a day"),
    ("modification", "modification"),
    ("modification_reason", "reason for no modification"),
    ("note", "note"),
)


def describe_changes(
    before: Programme | None, after: Programme, names: Mapping[str, str] | None = None
) -> list[str]:
    """What differs, in words: exercises added, removed, moved (by name, from ``names``; the
    id where it has none); each changed field; the note, days per week and automatic
    progression."""

    def named(exercise_id: str) -> str:
        return (names or {}).get(exercise_id, exercise_id)

    if before is None:
        first = f"first version: {len(after.items)} exercises, {after.days_per_week} days a week"
        if after.review_date is not None:
            first += f", review on {after.review_date.isoformat()}"
        return [first]
    out: list[str] = []
    old = {i.exercise_id: i for i in before.items}
    new = {i.exercise_id: i for i in after.items}
    out += [f"added {named(i)}" for i in new if i not in old]
    out += [f"removed {named(i)}" for i in old if i not in new]
    kept_before = [i for i in old if i in new]
    kept_after = [i for i in new if i in old]
    if kept_before != kept_after:
        out.append("order: " + ", ".join(named(i) for i in kept_after))
    for exercise_id in kept_after:
        a, b = old[exercise_id], new[exercise_id]
        for name, words in DOSE_WORDS:
            was, now = getattr(a, name), getattr(b, name)
            if was != now:
                if name in ("note", "modification", "modification_reason"):
                    out.append(f"{named(exercise_id)}: {words} {'changed' if now else 'removed'}")
                else:
                    out.append(f"{named(exercise_id)}: {words} {_show(was)} -> {_show(now)}")
    if before.note != after.note:
        out.append("programme note " + ("changed" if after.note else "removed"))
    if before.days_per_week != after.days_per_week:
        out.append(f"days a week {before.days_per_week} -> {after.days_per_week}")
    if before.review_date != after.review_date:
        out.append(f"review date {_show(before.review_date)} -> {_show(after.review_date)}")
    if before.auto_progress != after.auto_progress:
        out.append("automatic progression " + ("on" if after.auto_progress else "off"))
    return out


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- progression: proposals -----------------------------------------------------------------


def proposals(store: Store, programme: Programme) -> list[Proposal]:
    """Dose decisions newer than what the programme settled, the newest per exercise, for the
    exercises in it, each with the dose fields that would change."""
    items = {i.exercise_id: i for i in programme.items}
    if not items:
        return []
    floor = min(programme.seen.get(i, 0) for i in items)
    with store.reading() as s:
        rows = s.scalars(
            select(ProgressionDecisionRow)
            .where(
                ProgressionDecisionRow.exercise_id.in_(list(items)),
                ProgressionDecisionRow.action.in_(PROPOSAL_ACTIONS),
                ProgressionDecisionRow.id > floor,
            )
            .order_by(ProgressionDecisionRow.id.desc())
            .limit(200)
        ).all()
    out: list[Proposal] = []
    done: set[str] = set()
    for row in rows:
        if row.exercise_id in done or row.id <= programme.seen.get(row.exercise_id, 0):
            continue
        done.add(row.exercise_id)
        item = items[row.exercise_id]
        dose = {
            k: int(v)
            for k, v in (row.dose or {}).items()
            if k in ("sets", "reps", "hold_seconds", "duration_seconds")
            and isinstance(v, int)
            and getattr(item, k) != v
        }
        if dose:
            out.append(
                Proposal(row.id, row.exercise_id, row.action, row.reason, row.decided_on, dose)
            )
    return sorted(out, key=lambda p: [i.exercise_id for i in programme.items].index(p.exercise_id))


def with_doses(programme: Programme, chosen: list[Proposal]) -> Programme:
    """The programme with these proposals' doses applied."""
    by_id = {p.exercise_id: p for p in chosen}
    items = [
        i.model_copy(update=by_id[i.exercise_id].dose) if i.exercise_id in by_id else i
        for i in programme.items
    ]
    return programme.model_copy(update={"items": items})


def assigned(store: Store) -> Assigned | None:
    """What the patient's plan comes from, or None with no programme: the current version,
    with pending proposals applied when the clinician let them apply automatically."""
    with store.reading():
        saved = current(store)
        if saved is None:
            return None
        programme = saved.programme
        if programme.auto_progress:
            programme = with_doses(programme, proposals(store, programme))
    return Assigned(saved.version, saved.created_by_name, programme)


# --- the patient's plan ---------------------------------------------------------------------


def to_plan(
    catalogue: Catalogue, assigned: Assigned, verdicts: dict[str, Verdict], day: dt.date
) -> Plan:
    """The patient's plan for ``day`` from the programme, in the clinician's order with their
    doses and notes. Checked again against today's verdicts (fail closed): an exercise the
    patient's conditions now exclude is left out, and one now needing a modification gets it."""
    known = {ex.id: ex for ex in catalogue}
    programme = assigned.programme
    items: list[PlanItem] = []
    left: list[LeftOut] = []
    who = assigned.by_name or "your clinician"
    for item in programme.items:
        ex = known.get(item.exercise_id)
        verdict = verdicts.get(item.exercise_id)
        if ex is None or verdict is None or verdict.status == "excluded":
            why = "; ".join(verdict.reasons) if verdict else "the exercise is not in the library"
            left.append(LeftOut(exercise_id=item.exercise_id, reason=f"Not offered: {why}"))
            continue
        modification = item.modification
        if verdict.status == "modified" and modification is None and not item.modification_reason:
            modification = " ".join(verdict.modifications)
        # Which condition's version it is, so the pictures can show it when drawn: the one the
        # clinician chose by its words, else the one the verdict applies.
        version = next((c for c, m in ex.modifications.items() if m.text == modification), None)
        if version is None and modification is not None:
            version = applied_version(ex, verdict)
        reps = item.reps if ex.counted else None
        duration = None if ex.counted else item.duration_seconds
        rest = item.rest_seconds if item.sets > 1 else 0
        dose = ItemDose(
            sets=item.sets,
            reps=reps,
            hold_seconds=item.hold_seconds,
            duration_seconds=duration,
            rest_seconds=rest,
            per_side=item.per_side,
            movement_seconds=ex.dose.movement_seconds,
        )
        reason = f"{ex.name}: from {who}'s programme (version {assigned.version})."
        if item.times_per_day > 1:
            reason += f" Do it {item.times_per_day} times a day."
        if item.note:
            reason += f" Note from {who}: {item.note}"
        items.append(
            PlanItem(
                exercise_id=ex.id,
                phase=PHASE_OF[ex.category],
                sets=item.sets,
                reps=reps,
                hold_seconds=item.hold_seconds,
                duration_seconds=duration,
                rest_seconds=rest,
                per_side=item.per_side,
                movement_seconds=ex.dose.movement_seconds,
                modification=modification,
                version=version,
                reason=reason,
                estimated_seconds=round(item_seconds(dose), 1),
            )
        )
    review = programme.review_date
    notes = [
        f"Your programme from {who} (version {assigned.version}), "
        f"{programme.days_per_week} days a week"
        + (f"; to be reviewed on {review:%d %B %Y}." if review is not None else ".")
    ]
    if programme.note:
        notes.append(f"Note from {who}: {programme.note}")
    total = sum(i.estimated_seconds for i in items)
    return Plan(date=day, total_seconds=round(total, 1), items=items, left_out=left, notes=notes)


# --- the header of the patient's documents -------------------------------------------------


@dataclass(frozen=True)
class CareHeader:
    """What the clinic's report and handout carry at the top (issue 14): whose practice,
    clinician and patient, the day it was made, days per week and the review date."""

    practice: str
    clinician: str
    """The patient's clinicians (``care``), by name, joined with "and"; "" when none."""
    patient: str
    made_on: dt.date
    days_per_week: int | None
    """The current programme's; None without a programme (the caller fills in the profile's,
    which backcoach's own plan follows)."""
    review_date: dt.date | None


def care_header(factory: sessionmaker[Session], store: Store, today: dt.date) -> CareHeader | None:
    """The header for ``store``'s person's documents, or None when they are not a clinic's
    patient (personal mode: its documents stay as they are). Days per week and the review
    date come from the current programme."""
    patient_id = store.person_id
    with factory() as db:
        found = db.execute(
            select(PracticeRow.name, PersonRow.name)
            .select_from(PatientRow)
            .join(PracticeRow, PracticeRow.id == PatientRow.practice_id)
            .join(PersonRow, PersonRow.id == PatientRow.person_id)
            .where(PatientRow.person_id == patient_id)
        ).first()
        if found is None:
            return None
        clinicians = db.scalars(
            select(PersonRow.name)
            .join(CareRow, CareRow.clinician_id == PersonRow.id)
            .where(CareRow.patient_id == patient_id)
            .order_by(CareRow.id)
            .limit(5)
        ).all()
    saved = current(store)
    names = [n for n in clinicians if n]
    return CareHeader(
        practice=found[0],
        clinician=" and ".join(names),
        patient=found[1] or f"Patient {patient_id}",
        made_on=today,
        days_per_week=saved.programme.days_per_week if saved else None,
        review_date=saved.programme.review_date if saved else None,
    )


# --- templates (the clinician's) ------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    owner_id: int
    created_at: dt.datetime
    programme: Programme


def save_template(
    factory: sessionmaker[Session],
    *,
    owner_id: int,
    practice_id: int,
    name: str,
    programme: Programme,
    now: dt.datetime,
) -> Template:
    """Keep ``programme`` as one of the clinician's templates (no patient's settlements, and
    no review date: that is one patient's)."""
    name = name.strip()
    if not 1 <= len(name) <= 120:
        raise ProgrammeRefused(
            f"name: must be 1 to 120 characters (got {len(name)}); give the template a short name",
            "invalid-programme",
        )
    clean = programme.model_copy(update={"seen": {}, "review_date": None})
    with factory.begin() as db:
        count = db.scalar(select(func.count()).where(ProgrammeTemplateRow.owner_id == owner_id))
        if int(count or 0) >= MAX_TEMPLATES:
            raise ProgrammeRefused(
                f"templates: you have {MAX_TEMPLATES} already; delete one first",
                "too-many-templates",
            )
        row = ProgrammeTemplateRow(
            practice_id=practice_id,
            owner_id=owner_id,
            name=name,
            data=clean.model_dump(mode="json"),
            created_at=now,
        )
        db.add(row)
        db.flush()
        return Template(row.id, name, owner_id, now, clean)


def templates(factory: sessionmaker[Session], owner_id: int) -> list[Template]:
    """The clinician's own templates, by name."""
    with factory() as db:
        rows = db.scalars(
            select(ProgrammeTemplateRow)
            .where(ProgrammeTemplateRow.owner_id == owner_id)
            .order_by(ProgrammeTemplateRow.name, ProgrammeTemplateRow.id)
            .limit(MAX_TEMPLATES)
        ).all()
        return [
            Template(r.id, r.name, r.owner_id, r.created_at, Programme.model_validate(r.data))
            for r in rows
        ]

"""Lessons in the JSON API: the person's own (``/api/lessons``: the list, today's, read, skip;
what ``backcoach learn`` does) and, in the clinic, a clinician assigning lessons to a patient
and seeing which were read (``/api/clinic/patients/{id}/lessons``).

The clinician's routes reach a patient only through ``web.api_clinician.Staff`` (the roster's
check, a 404 for anyone not theirs, every view and change in the audit log), as the other
clinician routes do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam

from backcoach.lessons import today as lessons_today
from backcoach.lessons.loader import Library
from backcoach.web.api_clinician import PatientId, StaffDep
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.deps import PersonDep
from backcoach.web.pages_learn import person_library

router = APIRouter(prefix="/lessons", tags=["lessons"], responses=ERROR_RESPONSES)
clinic = APIRouter(prefix="/clinic", tags=["clinician"], responses=ERROR_RESPONSES)

LessonId = Annotated[
    str, PathParam(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80, description="a lesson id")
]


def _unknown(lessons: Library, lesson_id: str) -> ApiError:
    return ApiError(
        404,
        "no-such-lesson",
        f"there is no lesson '{lesson_id}'",
        field="lesson_id",
        value=lesson_id,
        fix=f"use one of {', '.join(lessons.lessons)}",
    )


def _check(lessons: Library, lesson_id: str) -> None:
    if lessons.get(lesson_id) is None:
        raise _unknown(lessons, lesson_id)


# --- the person's own -----------------------------------------------------------------------


@router.get("")
def list_lessons(person: PersonDep) -> list[dict[str, Any]]:
    """Every lesson: id, title, topics, minutes, sources and the text (Markdown)."""
    lessons = lessons_today.in_order(person_library(person))
    return [lessons_today.as_json(lesson) for lesson in lessons]


@router.get("/today")
def today(person: PersonDep) -> dict[str, Any]:
    """Today's lesson and why it was picked; ``lesson`` is null once every one was read."""
    found = lessons_today.todays_lesson(person.store, person_library(person), person.today())
    if found.choice is None or found.lesson is None:
        return {"lesson": None, "why": None, "words": None, "done_today": False}
    return {
        "lesson": lessons_today.as_json(found.lesson),
        "why": found.choice.why,
        "words": found.choice.words,
        "done_today": found.choice.done_today,
    }


@router.post("/{lesson_id}/read")
def read(person: PersonDep, lesson_id: LessonId) -> dict[str, Any]:
    """Mark a lesson read: never offered again (still open to read)."""
    lessons = person_library(person)
    _check(lessons, lesson_id)
    lessons_today.mark_read(person.store, lessons, lesson_id, person.today())
    return {"id": lesson_id, "read_on": str(person.today())}


@router.post("/{lesson_id}/skip")
def skip(person: PersonDep, lesson_id: LessonId) -> dict[str, Any]:
    """Skip a lesson for today (it may come back in a week)."""
    lessons = person_library(person)
    _check(lessons, lesson_id)
    lessons_today.skip(person.store, lessons, lesson_id, person.today())
    return {"id": lesson_id, "skipped_on": str(person.today())}


# --- the clinic -----------------------------------------------------------------------------


@clinic.get("/patients/{patient_id}/lessons")
def patient_lessons(s: StaffDep, patient_id: PatientId) -> list[dict[str, Any]]:
    """Every lesson with whether the patient read it and whether it was assigned."""
    patient = s.person(patient_id, "lessons")
    return lessons_today.status(patient.store, person_library(patient))


@clinic.post("/patients/{patient_id}/lessons/{lesson_id}/assign")
def assign(s: StaffDep, patient_id: PatientId, lesson_id: LessonId) -> dict[str, Any]:
    """Assign a lesson: it is offered to the patient before the usual order (after any lesson
    their last days call for, such as the flare-up one)."""
    patient = s.person(patient_id, "lessons")
    lessons = person_library(patient)
    _check(lessons, lesson_id)
    lessons_today.assign(patient.store, lessons, lesson_id, s.who.person_id, s.who.name)
    s.check(patient_id, "change", "lesson assigned", {"lesson": lesson_id})
    return {"id": lesson_id, "assigned": True}

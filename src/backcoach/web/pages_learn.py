"""The Learn pages: today's lesson, every lesson, one lesson to read (or hear), and marking it
read or skipping it. Forms post back and redirect, so the pages work without JavaScript; the
read-aloud button is the one thing that needs it (the player's speech, static/player/speech.js).

The same use cases as ``backcoach learn`` (``lessons.today``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.app import PersonContext
from backcoach.lessons import today as lessons_today
from backcoach.lessons.loader import Library
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

router = APIRouter(include_in_schema=False)

BACK_TO = {"today": "/today", "learn": "/learn"}
"""Where a form may send the person back to (a fixed list: never an address from the form)."""


def person_library(person: PersonContext) -> Library:
    """The built-in lessons and the person's own (files with problems left out)."""
    return lessons_today.library(person.settings.home, {ex.id for ex in person.catalogue})


def _lesson_or_404(lessons: Library, lesson_id: str) -> Any:
    try:
        return lessons_today.find(lessons, lesson_id)
    except lessons_today.UnknownLesson as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/learn", response_class=HTMLResponse)
def learn(request: Request, person: PersonDep) -> HTMLResponse:
    lessons = person_library(person)
    found = lessons_today.todays_lesson(person.store, lessons, person.today())
    seen = lessons_today.marks(person.store)
    context: dict[str, Any] = {
        "nav": "learn",
        "today": found,
        "lessons": lessons_today.in_order(lessons),
        "read": {i: m.read_on for i, m in seen.items() if m.read_on is not None},
        "assigned": {i for i, m in seen.items() if m.assigned_on is not None},
    }
    return render(request, "learn.html", context)


@router.get("/learn/{lesson_id}", response_class=HTMLResponse)
def lesson_page(request: Request, person: PersonDep, lesson_id: str) -> HTMLResponse:
    lessons = person_library(person)
    lesson = _lesson_or_404(lessons, lesson_id)
    found = lessons_today.todays_lesson(person.store, lessons, person.today())
    mark = lessons_today.marks(person.store).get(lesson.id)
    is_today = found.choice is not None and found.choice.lesson_id == lesson.id
    names = {ex.id: ex.name for ex in person.catalogue}
    context: dict[str, Any] = {
        "nav": "learn",
        "lesson": lesson,
        "html": lessons_today.to_html(lesson),
        "words": lesson.spoken(),
        "read_on": None if mark is None else mark.read_on,
        "is_today": is_today,
        "done_today": is_today and found.choice is not None and found.choice.done_today,
        "exercises": [(i, names[i]) for i in lesson.header.exercises if i in names],
    }
    return render(request, "lesson.html", context)


def _back(back: str, lesson_id: str) -> str:
    return BACK_TO.get(back, f"/learn/{lesson_id}")


@router.post("/learn/{lesson_id}/read")
async def read(request: Request, person: PersonDep, lesson_id: str) -> Response:
    """Mark a lesson read: it is not offered again (it stays open to read any time)."""
    form = await request.form()
    lessons = person_library(person)
    _lesson_or_404(lessons, lesson_id)
    lessons_today.mark_read(person.store, lessons, lesson_id, person.today())
    return RedirectResponse(_back(str(form.get("back", "")), lesson_id), status_code=303)


@router.post("/learn/{lesson_id}/skip")
async def skip(request: Request, person: PersonDep, lesson_id: str) -> Response:
    """Skip today's lesson: nothing else is offered today, and it comes back another week."""
    form = await request.form()
    lessons = person_library(person)
    _lesson_or_404(lessons, lesson_id)
    lessons_today.skip(person.store, lessons, lesson_id, person.today())
    return RedirectResponse(_back(str(form.get("back", "")), lesson_id), status_code=303)

"""The article page: paste an article's text or upload a saved page, and see in plain words
which exercises backcoach knows in it, how the article's doses compare, what was left out as
noise, the advice checked, and which of its exercises suit you today."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from backcoach.articles import MAX_BYTES, ArticleError, analyse
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.app import PersonContext
    from backcoach.articles import Analysis

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    result: Analysis | None = None,
    problem: str | None = None,
    text: str = "",
    routine: dict[str, Any] | None = None,
    status: int = 200,
    lessons: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "lessons": lessons or {},
        "nav": "article",
        "result": result,
        "problem": problem,
        "text": text,
        "routine": routine,
        "limit_mb": MAX_BYTES // 2**20,
    }
    return render(request, "article.html", context, status=status)


@router.get("/article", response_class=HTMLResponse)
def article_form(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/article", response_class=HTMLResponse)
async def article_read(request: Request, person: PersonDep) -> HTMLResponse:
    form = await request.form(max_part_size=MAX_BYTES + 1)
    upload = form.get("file")
    text_field = form.get("text")
    text = text_field if isinstance(text_field, str) else ""
    data: bytes | str = text
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_BYTES + 1)
        await upload.close()
        if raw.strip():
            data = raw
    if not (data.strip() if isinstance(data, str) else data):
        return _page(
            request,
            problem="Nothing to read yet: paste the article's text, or choose a page you saved.",
            status=400,
        )
    try:
        result = await run_in_threadpool(analyse, data, person.catalogue)
    except ArticleError as exc:
        message = str(exc).replace("(File > Save page as)", "(your browser's Save page)")
        return _page(request, problem=message[:1].upper() + message[1:] + ".", status=400)
    routine = await run_in_threadpool(_routine, person, result)
    lessons = await run_in_threadpool(_lesson_titles, person)
    return _page(request, result, text=text[:20000], routine=routine, lessons=lessons)


def _lesson_titles(person: PersonContext) -> dict[str, str]:
    """Lesson id -> title, to link a conflict or advice to the lesson that covers it (the
    person's library: only a lesson they can open is linked)."""
    from backcoach.web.pages_learn import person_library

    return {lesson.id: lesson.title for lesson in person_library(person)}


def _routine(person: PersonContext, result: Analysis) -> dict[str, Any]:
    """Which recognised exercises suit the person today: the plan the ordinary planner makes
    from them, and those it may not use with its reasons; or why there is no plan yet."""
    from backcoach.articles.routine import routine_from
    from backcoach.services.profiles import load_profile
    from backcoach.services.progression import program_state
    from backcoach.services.screening import gate

    if not result.exercises:
        return {"refused": None, "items": [], "excluded": []}
    today = person.today()
    allowed = gate(person.store, today)
    if not allowed.allowed:
        return {"refused": allowed.reason, "items": [], "excluded": []}
    made = routine_from(
        result,
        person.catalogue,
        load_profile(person.store),
        program_state(person.store, today),
        today,
    )
    items = []
    for item in made.plan.items:
        ex = person.catalogue.get(item.exercise_id)
        items.append({"name": ex.name, "dose": item.dose_words(ex), "why": item.reason})
    excluded = [{"name": name, "why": why} for _, name, why in made.excluded]
    return {"refused": None, "items": items, "excluded": excluded}

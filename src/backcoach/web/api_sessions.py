"""The live-session API and past sessions (contract in docs/web-api.md, "The live session")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from backcoach.services.live import ID_PATTERN
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.deps import PersonDep
from backcoach.web.live import DEFAULT_PLAYER, LiveSessions, SessionEvent, StartRequest
from backcoach.web.live_view import Step

router = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)


def live(request: Request) -> LiveSessions:
    """The app's live sessions (one for everyone; each call names the person)."""
    sessions: LiveSessions = request.app.state.live
    return sessions


Player = Annotated[
    str,
    Header(
        alias="X-Backcoach-Player",
        pattern=ID_PATTERN,
        description="Who is playing the session: the page's own id for its tab (up to 64 of "
        "A-Z a-z 0-9 _ . : -). Only the player driving a session may send its events; "
        "requests without one are the one player 'api'.",
    ),
]


class NextDayQuestion(BaseModel):
    session_id: int
    item_index: int
    exercise_id: str
    name: str
    day: str
    question: str


class Refusal(BaseModel):
    code: str
    message: str


class PregnancyQuestion(BaseModel):
    question: str
    signs: list[str]


class Unfinished(BaseModel):
    session_id: int
    started_at: str


class Before(BaseModel):
    allowed: bool
    refused: Refusal | None
    pregnancy_question: PregnancyQuestion | None
    next_day_questions: list[NextDayQuestion]
    unfinished: Unfinished | None


class NextDayAnswer(BaseModel):
    session_id: int
    item_index: int
    settled: bool


class NextDayAnswers(BaseModel):
    answers: list[NextDayAnswer]


class Decision(BaseModel):
    exercise_id: str
    action: str
    reason: str


@router.get("/sessions/before", response_model=Before)
def before(request: Request, person: PersonDep) -> dict[str, Any]:
    """What to ask before a session: pregnancy warning signs, yesterday's pain, an unfinished
    session, and whether the screen allows a plan today."""
    return live(request).before(person)


@router.post(
    "/sessions",
    response_model=Step,
    status_code=201,
    responses={200: {"model": Step, "description": "The unfinished session, resumed."}},
)
def start(
    request: Request,
    person: PersonDep,
    response: Response,
    body: StartRequest | None = None,
    player: Player = DEFAULT_PLAYER,
) -> Step:
    """Start today's session, or carry on the unfinished one (``resume``, the default)."""
    step, created = live(request).begin(person, body or StartRequest(), player)
    if not created:
        response.status_code = 200
    return step


@router.get("/sessions/current", response_model=Step)
def current(request: Request, person: PersonDep, player: Player = DEFAULT_PLAYER) -> Step:
    """The session running now (or just finished), after letting its clock act."""
    step = live(request).current(person, player)
    if step is None:
        raise ApiError(
            404, "no-session", "no session is running", fix="POST /api/sessions to start one"
        )
    return step


SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a session's id")]
"""Ids are database integers: anything outside them is a 422, not a failed lookup."""


@router.post("/sessions/{session_id}/events", response_model=Step)
def send_event(
    request: Request,
    person: PersonDep,
    session_id: SessionId,
    event: SessionEvent,
    player: Player = DEFAULT_PLAYER,
) -> Step:
    """Report what the person did; answers with the new view and the effects to show and say.
    An event resent with the same ``id`` is applied once and answered the same."""
    return live(request).send(person, session_id, event, player)


@router.post("/sessions/{session_id}/take-over", response_model=Step)
def take_over(
    request: Request, person: PersonDep, session_id: SessionId, player: Player = DEFAULT_PLAYER
) -> Step:
    """Run the session here: the place running it now is told so on its next event."""
    return live(request).take_over(person, session_id, player)


@router.get("/sessions/{session_id}")
def past_session(person: PersonDep, session_id: SessionId) -> dict[str, Any]:
    """One session, planned next to done."""
    from backcoach.services.history import past_sessions

    for row in past_sessions(person.store):
        if row["id"] == session_id:
            return row
    raise no_session(session_id)


def no_session(
    session_id: int, fix: str = "GET /api/history lists the sessions there are"
) -> ApiError:
    return ApiError(
        404,
        "not-found",
        f"there is no session {session_id}",
        field="session_id",
        value=session_id,
        fix=fix,
    )


@router.get("/sessions/{session_id}/summary")
def session_summary(person: PersonDep, session_id: SessionId) -> dict[str, Any]:
    """The session's figures from its records, the same the terminal, history, progress and
    report show: sets done of planned, active time, percentage done (with each in words),
    exercises by how they ended, pain before and after."""
    from backcoach.services.session_summary import summary

    found = summary(person.store, session_id)
    if found is None:
        raise no_session(session_id)
    return found.as_dict()


@router.get("/history")
def history(
    person: PersonDep, limit: int = Query(default=20, ge=1, le=1000)
) -> list[dict[str, Any]]:
    """Past sessions, newest first: what was planned and what was done."""
    from backcoach.services.history import past_sessions

    return past_sessions(person.store, limit)


@router.post("/next-day", response_model=list[Decision])
def next_day(person: PersonDep, body: NextDayAnswers) -> list[dict[str, Any]]:
    """Whether yesterday's pain of 3-5 settled by this morning; each answer decides that
    exercise's dose again."""
    from backcoach.services.progression import next_day_questions, record_next_day_answer

    store, catalogue, today = person.store, person.catalogue, person.today()
    pending = {(s, i): e for s, i, e, _ in next_day_questions(store, today)}
    chosen = []
    for n, answer in enumerate(body.answers):  # check them all before saving any
        exercise_id = pending.get((answer.session_id, answer.item_index))
        if exercise_id is None:
            raise ApiError(
                404,
                "not-found",
                f"answers.{n}: no question waits for session {answer.session_id}, item "
                f"{answer.item_index}",
                field=f"answers.{n}",
                fix="answer the questions listed by GET /api/sessions/before",
            )
        chosen.append((answer, exercise_id))
    out = []
    for answer, exercise_id in chosen:
        for d in record_next_day_answer(
            store,
            catalogue,
            today,
            answer.session_id,
            answer.item_index,
            exercise_id,
            answer.settled,
        ):
            out.append({"exercise_id": d.exercise_id, "action": d.action, "reason": d.reason})
    return out


# --- an exercise a stop rule left out ---------------------------------------------------------


class LeftOutExercise(BaseModel):
    exercise_id: str
    name: str
    why: str
    warning: str
    """To read before bringing it back."""


class BringBackRequest(BaseModel):
    confirm: bool = Field(
        default=False, description="true: the person has read the warning and brings it back"
    )


@router.get("/exercises/{exercise_id}/bring-back", response_model=LeftOutExercise)
def left_out_exercise(person: PersonDep, exercise_id: str) -> LeftOutExercise:
    """Why an exercise is left out of the plan, and the warning to read before bringing it
    back (400 when it is not left out)."""
    from backcoach.services.bring_back import find_left_out

    found = find_left_out(person.store, person.catalogue, person.today(), exercise_id)
    return LeftOutExercise(
        exercise_id=found.exercise.id,
        name=found.exercise.name,
        why=found.why,
        warning=found.warning,
    )


@router.post("/exercises/{exercise_id}/bring-back", response_model=Decision)
def bring_back_exercise(
    person: PersonDep, exercise_id: str, body: BringBackRequest
) -> dict[str, Any]:
    """Bring a left-out exercise back into the plan at its lightest dose; ``confirm`` must be
    true (409 ``confirm-needed`` with the warning otherwise)."""
    from backcoach.services.bring_back import bring_back, find_left_out

    store, catalogue, today = person.store, person.catalogue, person.today()
    if not body.confirm:
        found = find_left_out(store, catalogue, today, exercise_id)
        raise ApiError(
            409,
            "confirm-needed",
            found.warning,
            field="confirm",
            value=False,
            fix='read the warning, then send {"confirm": true} to bring it back',
        )
    d = bring_back(store, catalogue, today, exercise_id)
    return {"exercise_id": d.exercise_id, "action": d.action, "reason": d.reason}

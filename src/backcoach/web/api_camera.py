""" "Watch me": the camera coach live during the person's running session (docs/web-api.md).

Pictures are analysed on this server and dropped at once (``web.camera_live``); nothing of them
is stored or logged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from backcoach.web import camera_live
from backcoach.web.api_errors import ERROR_RESPONSES, ErrorBody
from backcoach.web.api_sessions import Player, SessionId
from backcoach.web.deps import PersonDep
from backcoach.web.live import DEFAULT_PLAYER
from backcoach.web.live_view import Step

router = APIRouter(tags=["camera"], responses=ERROR_RESPONSES)


class CameraInfo(BaseModel):
    available: bool
    """Whether this server can run the camera coach (its optional camera part is installed)."""
    message: str | None
    """Why not, in plain words, when it cannot."""
    exercises: list[str]
    """The exercises the camera can follow (those with a coach section)."""


class CameraAnswer(BaseModel):
    watching: bool
    """The coach measured this picture (False: paused, resting, getting ready)."""
    exercise_id: str | None
    reps: int
    """Repetitions the coach counted in this exercise (0 until it is sure it is the exercise)."""
    holding: bool
    hold_seconds: float | None
    """Seconds held so far while holding, else the last repetition's hold."""
    cue: str | None
    """A form cue to say now (only from moments the camera saw well)."""
    tracking: Literal["good", "fair", "poor"] | None
    """How much of the last two seconds the coach could measure."""
    seen: bool
    verified: bool | None
    """True: checked to be the exercise; False: it does not look like it, nothing is counted;
    None: not checked yet (each repetition is checked as it ends)."""
    message: str
    """One plain line saying what the coach sees now."""
    step: Step | None
    """The session's answer when what the coach saw was fed to it (a repetition, a hold), to
    show and say like the answer to a tap; None when nothing was fed."""


FRAME_BODY = {
    "required": True,
    "description": f"One camera picture: a JPEG of at most {camera_live.MAX_FRAME_SIDE} pixels on "
    f"its longer side and {camera_live.MAX_FRAME_BYTES // 1000} KB. It is analysed and dropped; "
    "nothing of it is stored or logged.",
    "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/camera", response_model=CameraInfo)
def camera_info(person: PersonDep) -> dict[str, Any]:
    """Whether the camera coach can run here, and which exercises it can follow."""
    ok = camera_live.available()
    return {
        "available": ok,
        "message": None if ok else camera_live.NOT_INSTALLED,
        "exercises": sorted(e.id for e in person.catalogue if e.coach is not None) if ok else [],
    }


@router.post(
    "/sessions/{session_id}/camera/frames",
    response_model=CameraAnswer,
    openapi_extra={"requestBody": FRAME_BODY},
    responses={
        413: {"model": ErrorBody, "description": "The picture is too large."},
        501: {"model": ErrorBody, "description": "The camera coach is not installed here."},
        503: {"model": ErrorBody, "description": "The camera coach is following too many."},
    },
)
async def camera_frame(
    request: Request,
    person: PersonDep,
    session_id: SessionId,
    t: Annotated[
        float | None,
        Query(
            ge=0,
            le=10**7,
            description="when the picture was taken, in seconds on the page's own clock "
            "(increasing); the server's clock when absent",
        ),
    ] = None,
    player: Player = DEFAULT_PLAYER,
) -> dict[str, Any]:
    """Watch one picture of the person doing the session's current exercise: answers what the
    coach sees now, and feeds a counted repetition or a finished hold to the session as a tap
    would (saved as it goes; the stop rules apply)."""
    data = await _frame_body(request)
    coaches = camera_live.coaches_of(request.app.state)
    live = request.app.state.live
    return await run_in_threadpool(
        camera_live.watch_frame, coaches, live, person, session_id, player, data, t
    )


@router.delete("/sessions/{session_id}/camera", status_code=204)
def stop_camera(request: Request, person: PersonDep, session_id: SessionId) -> Response:
    """Stop watching: the session's camera coach is dropped at once (it also goes by itself
    when the session ends or after a minute without pictures)."""
    camera_live.stop_watching(camera_live.coaches_of(request.app.state), person, session_id)
    return Response(status_code=204)


async def _frame_body(request: Request) -> bytes:
    """The picture, refused (413) as soon as it is known to be too large: from Content-Length
    before reading any of it, else while it streams in."""
    limit = camera_live.MAX_FRAME_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise camera_live.too_large(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise camera_live.too_large()
    return bytes(body)

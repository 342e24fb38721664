""" "Watch me" on the server (issue 17, live during a session): the leg-raise video's frames, one
JPEG at a time, to the camera endpoint of a real live session running the leg raise; the
repetitions the coach counts reach the session as taps and are saved. Refusals say what is
wrong: another person's or no session (404), a picture too large (413) or not a picture (422),
an exercise the camera cannot follow (409). Nothing of a picture is written.

The video: "Fitness Basic Dataset, Infinity AI, CC BY 4.0" (tests/data/media/README.md).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from tests.clinic.conftest import PASSWORD, clinic, clock, pg_url  # noqa: F401  (fixtures)
from tests.web.conftest import (
    FakeWall,
    csrf_client,
    make_settings,
    person_of,
    ready_to_exercise,
    use_wall,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/exercises/leg-raise.yaml"
NAME = "legraise_000000.mp4"
SHARED = ROOT.parent / "shared/data/media" / NAME
VIDEO = SHARED if SHARED.is_file() else ROOT / "tests/data/media" / NAME
REPS_SEEN = 6
"""Counted by eye (tests/motion/test_real_video.py), and by the file path."""
WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

needs_video = pytest.mark.skipif(not VIDEO.is_file(), reason=f"{VIDEO} is not here")


def jpegs(limit: int | None = None) -> Iterator[bytes]:
    """The video's frames as the page would send them: JPEGs, one by one."""
    import cv2

    capture = cv2.VideoCapture(str(VIDEO))
    n = 0
    while limit is None or n < limit:
        ok, image = capture.read()
        if not ok:
            break
        _ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        yield data.tobytes()
        n += 1
    capture.release()


def files_under(home: Path) -> dict[str, int]:
    """Every file under the home but the database's own (it changes as sets are saved)."""
    return {
        str(p.relative_to(home)): p.stat().st_size
        for p in home.rglob("*")
        if p.is_file() and "backcoach.db" not in p.name and "web-secret" not in p.name
    }


class Session:
    def __init__(self, api: TestClient, wall: FakeWall, sid: int, view: dict[str, Any]) -> None:
        self.api, self.wall, self.sid, self.view = api, wall, sid, view

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        answer = self.api.post(f"/api/sessions/{self.sid}/events", json={"type": kind, **fields})
        assert answer.status_code == 200, answer.text
        self.view = answer.json()["view"]
        return self.view

    def frame(self, data: bytes, t: float | None = None, **headers: str) -> Any:
        return self.api.post(
            f"/api/sessions/{self.sid}/camera/frames",
            params={} if t is None else {"t": t},
            content=data,
            headers={"Content-Type": "image/jpeg", **headers},
        )

    def to_the_movement(self) -> None:
        """Past the get-ready phase to the first repetition's movement, then the clock stands:
        from here only taps (the person's or the camera's) end a repetition."""
        for _ in range(100):
            if self.view["phase"] == "move":
                return
            self.wall.advance(0.5)
            self.event("tick")
        raise AssertionError(f"never reached the movement: {self.view['phase']}")

    def past_get_ready(self) -> None:
        """Past the get-ready phase of a timed exercise, into its timed work."""
        for _ in range(100):
            if self.view["phase"] == "timed":
                return
            self.wall.advance(0.5)
            self.event("tick")
        raise AssertionError(f"never got past getting ready: {self.view['phase']}")


def session_of(home: Path, *items: ProgrammeItem) -> tuple[FastAPI, Session]:
    """A real app and live session on ``home`` running ``items``, past the pain question."""
    (home / "exercises").mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, home / "exercises" / "leg-raise.yaml")
    app = create(home)
    wall = FakeWall()
    use_wall(app, wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10, days=WEEK)
    save_programme(
        person.store, Programme(items=list(items)), based_on=None, by_id=None, by_name="Test",
        now=person.clock(),
    )  # fmt: skip
    api = csrf_client(app)
    started = api.post("/api/sessions", json={})
    assert started.status_code == 201, started.text
    view = started.json()["view"]
    session = Session(api, wall, view["session_id"], view)
    session.event("pain", score=1)
    return app, session


def create(home: Path) -> FastAPI:
    from backcoach.web.app import create_app

    return create_app(make_settings(home))


@pytest.fixture
def leg_raises(web_home: Path) -> tuple[FastAPI, Session]:
    return session_of(web_home, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=8))


@needs_video
@pytest.mark.slow
def test_the_coach_counts_the_leg_raises_into_the_session(
    leg_raises: tuple[FastAPI, Session], web_home: Path
) -> None:
    app, session = leg_raises
    session.to_the_movement()
    assert session.view["rep"] == 1
    before = files_under(web_home)
    fed, messages, first = 0, [], b""
    for i, data in enumerate(jpegs()):
        first = first or data
        answer = session.frame(data, t=i / 24)
        assert answer.status_code == 200, answer.text
        seen = answer.json()
        assert seen["watching"] and seen["exercise_id"] == "leg-raise"
        messages.append(seen["message"])
        if seen["step"] is not None:
            fed += 1
            # The session's own answer, as to a tap: the next repetition now runs.
            assert seen["step"]["view"]["rep"] == seen["reps"] + 1
    assert seen["reps"] == REPS_SEEN and seen["verified"] is True
    assert fed == REPS_SEEN, "each repetition counted reached the session once"
    assert messages[0].startswith("Looking for you"), messages[0]
    assert f"{REPS_SEEN} repetitions counted." in messages
    # The engine ran on the camera's taps alone (its clock stood still): six done, the
    # seventh under way. Ending the session saves the part-done set with those six.
    assert session.event("tick")["rep"] == REPS_SEEN + 1
    session.event("end")
    sets = person_of(app).store.sets(session.sid)
    assert [(s.exercise_id, s.reps) for s in sets] == [("leg-raise", REPS_SEEN)]
    # Nothing of a picture was written under the home, or kept in the database.
    assert files_under(web_home) == before
    for path in web_home.rglob("*"):
        if path.is_file():
            assert first[200:264] not in path.read_bytes(), f"picture bytes in {path}"
    # After the exercise the coach waits; the page stopping drops it from memory at once.
    after = session.frame(first).json()
    assert not after["watching"] and after["step"] is None
    assert len(app.state.camera_coaches) == 1
    assert session.api.delete(f"/api/sessions/{session.sid}/camera").status_code == 204
    assert len(app.state.camera_coaches) == 0


@needs_video
@pytest.mark.slow
def test_the_live_path_counts_what_the_file_path_counts(tmp_path: Path) -> None:
    """The endpoint's analysis (motion.live) and `backcoach coach VIDEO` (motion.run) count
    the same from the same pictures."""
    import cv2
    import numpy as np

    from backcoach.catalogue import load_file
    from backcoach.motion.live import LiveCoach
    from backcoach.motion.reference import reference
    from backcoach.motion.run import coach_run
    from backcoach.motion.video import VideoSource

    exercise, problems = load_file(EXAMPLE)
    assert exercise is not None and not problems
    ref = reference(exercise)
    live = LiveCoach(ref)
    try:
        for i, data in enumerate(jpegs()):
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            status = live.feed(i / 24, image)
    finally:
        live.close()
    assert status.reps == coach_run(VideoSource(VIDEO), ref)["reps"] == REPS_SEEN


def test_refusals_say_what_is_wrong(leg_raises: tuple[FastAPI, Session]) -> None:
    _, session = leg_raises
    session.to_the_movement()
    big = session.frame(b"\xff\xd8" + b"\0" * 200_001)
    assert big.status_code == 413, big.text
    detail = big.json()["detail"]
    assert detail["code"] == "frame-too-large" and "200 KB" in detail["message"]
    garbage = session.frame(b"this is not a picture")
    assert garbage.status_code == 422, garbage.text
    assert garbage.json()["detail"]["message"] == "the picture is not a JPEG that can be read"
    # A small file claiming a huge picture is refused before it is decoded.
    import cv2
    import numpy as np

    _ok, data = cv2.imencode(".jpg", np.zeros((8, 8, 3), np.uint8))
    header = bytearray(data.tobytes())
    at = header.index(b"\xff\xc0")
    header[at + 5 : at + 9] = (30000).to_bytes(2, "big") + (40000).to_bytes(2, "big")
    huge = session.frame(bytes(header))
    assert huge.status_code == 422, huge.text
    assert "40000x30000 pixels, larger than 640" in huge.json()["detail"]["message"]
    nobody = session.api.post(
        "/api/sessions/999/camera/frames", content=data.tobytes(),
        headers={"Content-Type": "image/jpeg"},
    )  # fmt: skip
    assert nobody.status_code == 404, nobody.text
    assert nobody.json()["detail"]["message"] == "there is no session 999"
    assert session.api.delete("/api/sessions/999/camera").status_code == 404
    # Another tab drives the session: its pictures are refused like its events would be.
    elsewhere = session.frame(data.tobytes(), **{"X-Backcoach-Player": "web-other-tab"})
    assert elsewhere.status_code == 409, elsewhere.text
    assert elsewhere.json()["detail"]["code"] == "session-elsewhere"


def test_an_exercise_without_a_coach_section_is_said_plainly(web_home: Path) -> None:
    import cv2
    import numpy as np

    # Belly breathing: nothing a camera sees moves enough to count or time (docs/coach.md).
    item = ProgrammeItem(exercise_id="diaphragmatic-breathing", sets=1, duration_seconds=60)
    _, session = session_of(web_home, item)
    session.past_get_ready()
    _ok, data = cv2.imencode(".jpg", np.zeros((64, 64, 3), np.uint8))
    answer = session.frame(data.tobytes())
    assert answer.status_code == 409, answer.text
    detail = answer.json()["detail"]
    assert detail["code"] == "camera-cannot-follow"
    assert detail["message"].startswith("the camera cannot follow Belly breathing yet")
    # A timed exercise has no repetitions to tap: the message says the timer carries on.
    assert "tap" not in detail["message"] and "timer" in detail["message"]
    info = session.api.get("/api/camera").json()
    assert info["available"] and "leg-raise" in info["exercises"]
    assert "diaphragmatic-breathing" not in info["exercises"]
    assert "childs-pose" in info["exercises"]


def test_without_the_vision_extra_the_answer_is_plain(
    leg_raises: tuple[FastAPI, Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a server installed without the camera part: 501, and the page is told there is
    no camera coach (it then hides the button)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "mediapipe" else real(name)
    )
    _, session = leg_raises
    answer = session.frame(b"\xff\xd8\xff")
    assert answer.status_code == 501, answer.text
    assert "not installed" in answer.json()["detail"]["message"]
    assert "pip" not in answer.json()["detail"]["message"]
    info = session.api.get("/api/camera").json()
    assert info == {"available": False, "message": info["message"], "exercises": []}


def test_coaches_are_bounded_and_dropped_when_idle() -> None:
    from backcoach.web.camera_live import Busy, CameraCoaches

    now = [0.0]
    coaches = CameraCoaches(max_coaches=2, idle_seconds=60, clock=lambda: now[0])
    coaches.get((1, 1))
    coaches.get((2, 1))
    with pytest.raises(Busy):
        coaches.get((3, 1))
    now[0] = 30
    coaches.get((1, 1))  # a picture keeps it
    now[0] = 61
    coaches.get((3, 1))  # (2, 1) had none for 61 s: it made way
    assert (2, 1) not in coaches and (1, 1) in coaches and len(coaches) == 2
    coaches.close()
    assert len(coaches) == 0


@pytest.mark.postgres
def test_another_persons_session_is_404_in_the_clinic(
    tmp_path: Path,
    pg_url: str,  # noqa: F811  (the clinic's fixtures, imported above)
    clinic: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Clinic mode, two patients: B's pictures to A's running session, and B stopping A's
    camera, are answered as if it did not exist (404), as every path is."""
    import cv2
    import numpy as np

    from tests.clinic.webapp import clinic_app, patient
    from tests.web.conftest import ALL_NO

    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    use_wall(app, FakeWall())
    clinic.add_clinician(email="ana@example.org", name="Ana Silva", password=PASSWORD)
    a = clinic.add_patient(name="A", birth_year=1970, clinician_email="ana@example.org")
    b = clinic.add_patient(name="B", birth_year=1980, clinician_email="ana@example.org")
    phone_a, phone_b = patient(app, a.invite_code, 1970), patient(app, b.invite_code, 1980)
    assert phone_a.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert phone_a.put("/api/profile", json={"minutes": 10}).status_code == 200
    started = phone_a.post("/api/sessions", json={})
    assert started.status_code == 201, started.text
    sid = started.json()["view"]["session_id"]
    _ok, data = cv2.imencode(".jpg", np.zeros((64, 64, 3), np.uint8))
    path = f"/api/sessions/{sid}/camera/frames"
    headers = {"Content-Type": "image/jpeg"}
    theirs = phone_b.post(path, content=data.tobytes(), headers=headers)
    assert theirs.status_code == 404, theirs.text
    assert theirs.json()["detail"]["message"] == f"there is no session {sid}"
    assert phone_b.delete(f"/api/sessions/{sid}/camera").status_code == 404
    # A's own picture reaches A's session (waiting: the pain question comes first).
    own = phone_a.post(path, content=data.tobytes(), headers=headers)
    assert own.status_code == 200 and own.json()["watching"] is False, own.text

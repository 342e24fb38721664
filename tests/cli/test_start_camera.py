"""Watch me in the terminal: `backcoach start --camera` in a real terminal (tmux), with the
leg-raise video ("Fitness Basic Dataset, Infinity AI, CC BY 4.0", tests/data/media/README.md)
in place of a webcam (the hidden ``--camera-file``): the reps shown follow the camera's count,
not the timer, and when the camera cannot be used the player says why and the timer runs."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path
from typing import Any, cast

import pytest
from rich.console import Console

from backcoach.app import AppContext, PersonContext
from backcoach.cli.player import Player, run
from backcoach.cli.player_camera import CameraThread, Lost, Seen, Target, Watcher, open_watcher
from backcoach.cli.player_keys import split_keys
from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from backcoach.config import Settings
from backcoach.motion.live import LiveStatus
from backcoach.planning.plan import PlanItem
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.session import GET_READY_SECONDS, Engine, PainReport, Tick, Watch
from tests.cli.test_player_tmux import Pane, panes  # noqa: F401  (the fixture)
from tests.cli.test_player_units import (  # noqa: F401  (ready: the fixture)
    ScriptedKeys,
    ready,
    start_here,
    text_of,
)
from tests.conftest import BACKCOACH
from tests.session.conftest import T0, item, plan

TMUX = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

ROOT = Path(__file__).resolve().parents[2]
NAME = "legraise_000000.mp4"
SHARED = ROOT.parent / "shared/data/media" / NAME
VIDEO = SHARED if SHARED.is_file() else ROOT / "tests/data/media" / NAME
EXAMPLE = ROOT / "examples/exercises/leg-raise.yaml"
SLOW_SECONDS = 30
"""The leg raise's timer made slow (30 s a repetition, the most the schema allows), so in the
video's 13 seconds the timer alone would end no repetition while the camera counts five."""


def _ready(home: Path, *items: ProgrammeItem, slow: bool = True) -> None:
    """Screened, a profile, the leg raise as the person's own exercise, and a programme."""
    (home / "exercises").mkdir(exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    if slow:
        text = text.replace("movement_seconds: 4", f"movement_seconds: {SLOW_SECONDS}")
        assert f"movement_seconds: {SLOW_SECONDS}" in text
    (home / "exercises" / "leg-raise.yaml").write_text(text, encoding="utf-8")
    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    take_screen(person.store, person.today(), {sign: "no" for sign in SIGN_IDS})
    week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    update_profile(person.store, minutes=10, days=week, conditions=[])
    save_programme(
        person.store,
        Programme(items=list(items)),
        based_on=None,
        by_id=None,
        by_name="Test",
        now=person.clock(),
    )


def _begin(pane: Pane) -> None:
    pane.wait_text("Worst pain in the last 24 hours")
    pane.press("1", "Enter")
    pane.wait_text("how much back pain")
    pane.press("1")


def _flat(screen: str) -> str:
    """The screen's words in one line, without the panel's borders: a message the player wraps
    (where it wraps depends on the message's length) reads whole."""
    return " ".join(screen.replace("│", " ").split())


def _wait_flat(pane: Pane, *texts: str) -> str:
    return pane.wait(lambda s: all(t in _flat(s) for t in texts), " and ".join(texts))


def _rep(screen: str) -> int | None:
    found = re.search(r"Rep (\d+) of", screen)
    return int(found.group(1)) if found else None


def _counted(screen: str) -> int:
    found = re.search(r"Camera: (\d+) counted", screen)
    return int(found.group(1)) if found else 0


@pytest.mark.slow
@TMUX
@pytest.mark.skipif(not VIDEO.is_file(), reason=f"{VIDEO} is not here")
def test_the_reps_follow_the_cameras_count_not_the_timer(
    home: Path,
    panes: list[Pane],  # noqa: F811
) -> None:
    _ready(home, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=12))
    pane = Pane(home, f"{BACKCOACH} start --camera-file {VIDEO}")
    panes.append(pane)
    _begin(pane)
    pane.wait_text("DOUBLE-LEG RAISE", "Camera:", "c camera off")
    # Once the coach has counted a repetition the movement waits for it: no countdown.
    screen = pane.wait_text("the camera counts each repetition", "counted")
    seen: list[tuple[int | None, int]] = []
    while True:
        screen = pane.screen()
        rep, counted = _rep(screen), _counted(screen)
        seen.append((rep, counted))
        if "Stopped watching" in screen or counted >= 5:
            break
        # The rep shown is the next one after those the camera counted.
        assert rep is not None and abs(rep - (counted + 1)) <= 1, (rep, counted, screen)
        assert "seconds left" not in screen or counted == 0, screen
        pane.wait(lambda s, before=screen: s != before, "the screen to change")  # type: ignore[misc]
    assert max(c for _, c in seen) >= 4, seen
    rep = max(r or 0 for r, _ in seen)
    assert rep >= 4, f"the reps did not follow the count: {seen}"
    # The video ends: the camera is lost, and the timer runs the session again.
    ended = _wait_flat(pane, "Stopped watching", "timer runs the session", "seconds left")
    assert "c camera" not in ended
    pane.press("q")
    pane.wait(lambda s: "EXIT=0" in s, "the process to end")
    store = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person().store
    assert store.unfinished_session() is not None
    print(f"\n--- counted by the camera (rep shown, counted) ---\n{seen}\n--- ended ---\n{ended}")


@TMUX
def test_without_the_camera_the_session_runs_on_the_timer(
    home: Path,
    panes: list[Pane],  # noqa: F811
) -> None:
    _ready(home, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=12), slow=False)
    pane = Pane(home, f"{BACKCOACH} start --camera-file {home / 'no-such-video.mp4'}")
    panes.append(pane)
    _begin(pane)
    screen = _wait_flat(pane, "Not watching: the video cannot be read", "timer runs", "seconds")
    assert "c camera" not in screen
    pane.press("q")
    # The whole reason, with the file, is printed before the player and left on the terminal.
    ended = " ".join(pane.wait(lambda s: "EXIT=0" in s, "the process to end").split())
    # (A long temporary path may be folded over two lines.)
    assert "no-such-video.mp4" in "".join(ended.split()), ended
    assert "cannot be read as a video" in ended
    assert "The session runs on the timer" in ended


# --- the watcher on a real engine, with what the camera saw given by hand ----------------------


class FakeCamera:
    """Stands in for ``CameraThread``: keeps what it is told to watch, hands out what a test
    says the coach saw."""

    def __init__(self) -> None:
        self.target: Target | None = None
        self.waiting: list[Seen | Lost] = []
        self.closed = False

    def watch(self, target: Target | None) -> None:
        self.target = target

    def take(self) -> list[Seen | Lost]:
        found, self.waiting = self.waiting, []
        return found

    def close(self) -> None:
        self.closed = True

    def sees(self, reps: int, new: int = 0, **more: Any) -> None:
        assert self.target is not None, "nothing is being watched"
        fields: dict[str, Any] = {
            "t": 0.0, "reps": reps, "new_reps": new, "holding": False, "hold_seconds": None,
            "reached": False, "left_hold": False, "cues": (), "tracking": "good", "seen": True,
            "verified": True if reps else None, "message": f"{reps} repetitions counted.",
        }  # fmt: skip
        fields.update(more)
        self.waiting.append(Seen(self.target.token, LiveStatus(**fields)))


def _watched_player(person: PersonContext, *items: PlanItem) -> tuple[Player, FakeCamera, float]:
    exercises = {i.exercise_id: person.catalogue.get(i.exercise_id) for i in items}
    engine, first = Engine.start(plan(*items), exercises, T0)
    camera = FakeCamera()
    player = Player(engine, camera=Watcher(cast(CameraThread, camera)))
    player.take(first)
    player.tick(T0)
    press(player, "1", T0)  # the pain before
    t = T0 + GET_READY_SECONDS
    player.tick(t)
    return player, camera, t


def press(player: Player, keys: str, at: float) -> None:
    for key in split_keys(keys):
        assert player.key(key, at)


def _rep_now(player: Player, at: float) -> int | None:
    return player.engine.progress(at).rep


def test_the_count_ends_the_reps_once_the_coach_has_counted_here(person: PersonContext) -> None:
    player, camera, t = _watched_player(person, item("bridge", sets=1, reps=5, movement_seconds=2))
    assert camera.target is not None and camera.target.item_index == 0
    assert "c camera off" in text_of(player.screen(t))
    camera.sees(0, message="Watching: start your first repetition.")
    player.tick(t)
    assert not player.engine.state.watched  # nothing counted yet: the timer leads
    camera.sees(1, new=1, cues=("Lift your hips a little higher.",))
    player.tick(t + 0.5)
    assert player.engine.state.watched and _rep_now(player, t + 0.5) == 2
    assert player.cue == "Lift your hips a little higher."  # the form cue, on the cue line
    # Long past the timer's 2 s: still the second repetition, waiting for the count.
    player.tick(t + 15)
    assert _rep_now(player, t + 15) == 2
    frame = text_of(player.screen(t + 15))
    assert "the camera counts each repetition" in frame and "1 counted" in frame
    camera.sees(2, new=1)
    player.tick(t + 16)
    assert _rep_now(player, t + 16) == 3
    # Space pauses: watching stops (the timer leads again), and nothing is watched.
    press(player, " ", t + 22)
    assert not player.engine.state.watched and camera.target is None
    paused_token = 0
    camera.waiting.append(Seen(paused_token, LiveStatus(**_status(reps=9, new_reps=6))))
    press(player, " ", t + 23)
    player.tick(t + 23)
    assert camera.target is not None and camera.target.token > paused_token
    assert _rep_now(player, t + 23) == 3  # a stale count from before the pause is not used
    assert not player.engine.state.watched  # afresh: until the coach counts again


def _status(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "t": 0.0, "reps": 0, "new_reps": 0, "holding": False, "hold_seconds": None,
        "reached": False, "left_hold": False, "cues": (), "tracking": "good", "seen": True,
        "verified": None, "message": "",
    }  # fmt: skip
    return {**base, **fields}


def test_not_the_exercise_or_a_lost_camera_gives_the_reps_back_to_the_timer(
    person: PersonContext,
) -> None:
    player, camera, t = _watched_player(person, item("bridge", sets=1, reps=5, movement_seconds=2))
    camera.sees(1, new=1)
    player.tick(t)
    assert player.engine.state.watched
    camera.sees(1, verified=False, message="Not counting: this looks like another movement.")
    player.tick(t + 1)
    assert not player.engine.state.watched
    camera.sees(2, new=1)
    player.tick(t + 2)
    assert player.engine.state.watched
    camera.waiting.append(Lost("the camera stopped sending pictures"))
    player.tick(t + 3)
    assert not player.engine.state.watched and camera.closed
    frame = text_of(player.screen(t + 3))
    assert "Stopped watching: the camera stopped sending pictures" in frame
    assert "c camera" not in frame and "seconds left" in frame


def test_an_exercise_the_camera_cannot_follow_keeps_its_timer(person: PersonContext) -> None:
    player, camera, t = _watched_player(
        person,
        item("bridge", sets=1, reps=1, movement_seconds=2),
        item("pelvic-tilt", sets=1, reps=3, movement_seconds=2),
    )
    camera.sees(1, new=1)  # the bridge's one repetition: on to the pelvic tilt
    player.tick(t)
    while player.engine.state.stage == "check-in" or player.engine.state.awaiting:
        press(player, "1" if player.engine.state.awaiting == "pain" else "2", t)
        press(player, "nnn", t)
    t += GET_READY_SECONDS
    player.tick(t)
    name = person.catalogue.get("pelvic-tilt").name
    assert player.engine.progress(t).exercise_name == name
    assert camera.target is None and not player.engine.state.watched
    frame = " ".join(text_of(player.screen(t), width=120).split())
    assert f"The camera cannot follow {name} yet. The timer runs the session." in frame
    assert "seconds left" in frame


def test_c_turns_watching_off_and_on(person: PersonContext) -> None:
    player, camera, t = _watched_player(person, item("bridge", sets=1, reps=5, movement_seconds=2))
    camera.sees(1, new=1)
    player.tick(t)
    press(player, "c", t + 1)
    assert not player.engine.state.watched and camera.target is None
    assert "c camera on" in text_of(player.screen(t + 1))
    press(player, "c", t + 2)
    assert camera.target is not None and "c camera off" in text_of(player.screen(t + 2))


def test_without_the_vision_extra_it_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "mediapipe" else real(name)
    )
    watcher, problem = open_watcher(0, None)
    assert problem is not None and "pip install 'backcoach[vision]'" in problem
    assert not watcher.available and "pip install 'backcoach[vision]'" in watcher.text


def test_a_session_watched_in_a_browser_runs_on_the_timer_here(
    ready: PersonContext,  # noqa: F811
) -> None:
    """Carried on in the terminal without a camera (or before it counts), the reps do not wait
    for a count that cannot come."""
    at = time.monotonic()
    live = start_here(ready, at)
    live.engine.send(PainReport(at, 1))
    at += GET_READY_SECONDS
    live.engine.send(Tick(at))
    live.engine.send(Watch(at, on=True))  # the browser's camera had counted
    assert live.engine.state.watched
    clock = [at]
    keys = ScriptedKeys(clock, [(at + 0.5, "q")])
    console = Console(file=io.StringIO(), width=100, color_system=None)
    run(live, keys, console, lambda: clock[0], screen=False)
    assert not live.engine.state.watched

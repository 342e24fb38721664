"""`backcoach coach` end to end on recorded landmarks, logging the set; and its error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backcoach.app import AppContext
from backcoach.body.timing import tempo_of
from backcoach.config import Settings
from backcoach.motion.recorded import write_json
from backcoach.motion.synthetic import Camera, RepPlan, play
from tests.conftest import run_cli
from tests.motion.scenarios import coached_exercises, faulty


def _bridge_landmarks(path: Path) -> None:
    """Three bridges, the second not lifted high enough, seen by a slightly turned camera."""
    bridge = coached_exercises()["bridge"]
    assert bridge.key_poses is not None
    low = faulty(bridge.key_poses, {"angles": {"hip": 28}})
    tempo = tempo_of(bridge.dose)
    plans = [RepPlan(tempo), RepPlan(tempo, low, frozenset({0})), RepPlan(tempo)]
    frames, _ = play(bridge.key_poses, plans, 25.0, Camera(yaw_deg=10), noise=0.005, seed=4)
    write_json(path, frames, 25.0, (640, 480))


def test_recorded_landmarks_counted_and_logged_with_faults(tmp_path: Path, db_url: str) -> None:
    marks = tmp_path / "bridge.json"
    _bridge_landmarks(marks)
    home = tmp_path / "home"
    home.mkdir()
    env = {"BACKCOACH_DATABASE_URL": db_url}
    result = run_cli(
        "coach", "--landmarks", str(marks), "--exercise", "bridge", "--json", "--log",
        home=home, **env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["reps"] == 3
    assert [f["rep"] for f in data["faults"]] == [2]
    assert "straight line" in data["faults"][0]["cue"]
    assert data["tracking"]["quality"] == "good"
    assert [r["rep"] for r in data["rep_times"]] == [1, 2, 3]

    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home), **env})).person()
    session = person.store.session(data["logged"]["session_id"])
    assert session is not None and session.mode == "coach" and session.status == "finished"
    (row,) = person.store.sets(session.id)
    assert (row.exercise_id, row.reps, row.target_reps, row.source) == ("bridge", 3, 10, "camera")
    assert row.target_hold_seconds == 3 and row.hold_seconds is not None
    assert [f["rep"] for f in row.faults] == [2]

    text = run_cli("coach", "--landmarks", str(marks), "--exercise", "bridge", home=home, **env)
    assert text.returncode == 0, text.stderr
    assert "bridge: 3 repetitions" in text.stdout
    assert "at " in text.stdout and "straight line" in text.stdout
    assert "Logged" not in text.stdout  # only with --log
    assert len(person.store.sets(session.id)) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--exercise", "no-such"], "no-such"),
        (["--exercise", "prone-lying"], "has no 'coach' section"),
        ([], "--exercise ID"),
        (["--exercise", "bridge", "--annotate", "out.avi"], "should end in .mp4"),
        (["--exercise", "bridge", "--camera", "0"], "give exactly one of"),
    ],
)
def test_mistakes_exit_2_with_a_fix(tmp_path: Path, args: list[str], expected: str) -> None:
    marks = tmp_path / "m.json"
    _bridge_landmarks(marks)
    result = run_cli("coach", "--landmarks", str(marks), *args, home=tmp_path)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr.replace("\n", " ")


def test_missing_video_file(tmp_path: Path) -> None:
    result = run_cli("coach", str(tmp_path / "none.mp4"), "--exercise", "bridge", home=tmp_path)
    assert result.returncode == 2
    assert "no such file" in result.stderr


BLOCK_VISION = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mediapipe", "cv2"):
            raise ImportError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
sys.argv = ["backcoach", *sys.argv[1:]]
from backcoach.cli.app import main
main()
"""


def test_without_the_vision_extra_it_says_how_to_install(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"not really a video")
    env = {"BACKCOACH_HOME": str(tmp_path), "COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_VISION, "coach", str(video), "--exercise", "bridge"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "pip install 'backcoach[vision]'" in result.stderr
    # Recorded landmarks need neither MediaPipe nor OpenCV.
    marks = tmp_path / "m.json"
    _bridge_landmarks(marks)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_VISION, "coach", "--landmarks", str(marks), "-e", "bridge"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3 repetitions" in result.stdout

"""The coach on a real video nobody on the project made: a rendered person doing double-leg
raises on their back, seen from the side ("Fitness Basic Dataset, Infinity AI, CC BY 4.0").

The count was taken by eye from a contact sheet of every sixth frame: the legs are up around
frames 18-30, 66-78, 102-120, 168-186, 216-234 and 270-288 and down in between, and down at the
start and the end: six repetitions.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.motion.figures import Figures
from tests.motion.scenarios import EXAMPLE

NAME = "legraise_000000.mp4"
SHARED = Path(__file__).resolve().parents[3] / "shared/data/media" / NAME
BUNDLED = Path(__file__).resolve().parents[1] / "data/media" / NAME
"""The same file (CC BY 4.0, see tests/data/media/README.md): the shared copy when this checkout
sits beside it, else the one kept with the tests, so the real-video tests never skip in CI."""
VIDEO = SHARED if SHARED.is_file() else BUNDLED
REPS_SEEN = 6
FRAMES = 308

needs_video = pytest.mark.skipif(not VIDEO.is_file(), reason=f"{VIDEO} is not here")


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "exercises").mkdir(parents=True)
    shutil.copy(EXAMPLE, home / "exercises" / "leg-raise.yaml")
    return home


@needs_video
@pytest.mark.slow
def test_counts_the_leg_raises_and_annotates(tmp_path: Path, accuracy: Figures) -> None:
    import cv2

    out = tmp_path / "coached.mp4"
    result = run_cli(
        "coach", str(VIDEO), "--exercise", "leg-raise", "--json", "--annotate", str(out),
        home=_home(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    accuracy.notes.append(
        f"real video legraise_000000.mp4: counted {data['reps']} reps (seen by eye: "
        f"{REPS_SEEN}); tracking {data['tracking']['quality']}, "
        f"{data['tracking']['measured_fraction']:.0%} of frames measured; "
        f"{len(data['faults'])} cue(s); rep times "
        + ", ".join(f"{r['start']:.1f}-{r['end']:.1f}s" for r in data["rep_times"])
    )
    assert data["reps"] == REPS_SEEN
    times = [(r["start"], r["end"]) for r in data["rep_times"]]
    assert all(a < b for a, b in times)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(times))
    assert times[-1][1] <= FRAMES / 24
    assert data["tracking"]["quality"] == "good"
    assert data["tracking"]["frames"] == FRAMES
    for fault in data["faults"]:
        assert fault["cue"] and 0 <= fault["time"] <= FRAMES / 24

    capture = cv2.VideoCapture(str(out))
    assert capture.isOpened()
    assert int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)) == 224
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    assert count == FRAMES == data["annotated_frames"]


WATCH = """
import json, socket, sys
seen = {"connections": [], "complexity": []}
def record(address):
    host = address[0] if isinstance(address, tuple) else str(address)
    seen["connections"].append(host)
    if isinstance(address, tuple) and not (host.startswith("127.") or host in ("::1", "localhost")):
        raise OSError("network use is not allowed in this test")
real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
socket.socket.connect = lambda self, a: (record(a), real_connect(self, a))[1]
socket.socket.connect_ex = lambda self, a: (record(a), real_connect_ex(self, a))[1]
from mediapipe.python.solutions import pose
real_init = pose.Pose.__init__
def init(self, *args, **kwargs):
    seen["complexity"].append(kwargs.get("model_complexity", args[1] if len(args) > 1 else 1))
    real_init(self, *args, **kwargs)
pose.Pose.__init__ = init
sys.argv = ["backcoach", *sys.argv[2:]]
from backcoach.cli.app import main
try:
    main()
finally:
    open(OUT, "w").write(json.dumps(seen))
"""


@needs_video
def test_full_model_only_and_no_network(tmp_path: Path) -> None:
    """MediaPipe runs with the bundled full model (complexity 1) and nothing connects out."""
    import cv2

    clip = tmp_path / "clip.mp4"
    capture = cv2.VideoCapture(str(VIDEO))
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), 24, (224, 224))
    for _ in range(48):
        ok, image = capture.read()
        assert ok
        writer.write(image)
    writer.release()
    capture.release()
    seen = tmp_path / "seen.json"
    script = WATCH.replace("OUT", repr(str(seen)))
    env = {"BACKCOACH_HOME": str(_home(tmp_path)), "COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script, "-", "coach", str(clip), "--exercise", "leg-raise"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    watched = json.loads(seen.read_text())
    assert watched["complexity"] and set(watched["complexity"]) == {1}
    outside = [h for h in watched["connections"] if not h.startswith(("127.", "::1", "/"))]
    assert outside == []


def test_the_model_complexity_constant() -> None:
    from backcoach.motion.pose_model import MODEL_COMPLEXITY

    assert MODEL_COMPLEXITY == 1

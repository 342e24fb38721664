"""Frames per second of the camera coach's whole pipeline next to MediaPipe alone.

Run: .venv/bin/python bench/motion.py [--runs N] [--video FILE]
Both read the same video; "MediaPipe alone" decodes each frame and runs the pose model on it,
nothing more; "pipeline" is `backcoach coach` without the printing: decoding, the pose model
(once per frame: its results are reused), orientation, features, phases and form rules. The
pipeline should stay within 10% of MediaPipe alone (target ratio >= 0.90). Best of N runs each,
alternating, so both meet the same machine load. "analysis alone" replays the landmarks
the pipeline found (no pictures): the coach's own share of the work (orientation, checking the
exercise, calibrating the range, phases, rules), which live mode adds to each camera frame.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIDEO = ROOT.parent / "shared/data/media/legraise_000000.mp4"
if not VIDEO.is_file():  # the copy kept with the tests (CC BY 4.0, tests/data/media/README.md)
    VIDEO = ROOT / "tests/data/media/legraise_000000.mp4"
TARGET_RATIO = 0.90


def mediapipe_alone(video: Path) -> tuple[int, float]:
    import cv2
    import mediapipe as mp

    from backcoach.motion.pose_model import MIN_DETECTION, MIN_TRACKING, MODEL_COMPLEXITY

    capture = cv2.VideoCapture(str(video))
    pose = mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=MODEL_COMPLEXITY,
        smooth_landmarks=True,
        min_detection_confidence=MIN_DETECTION,
        min_tracking_confidence=MIN_TRACKING,
    )
    frames, start = 0, time.perf_counter()
    while True:
        ok, image = capture.read()
        if not ok:
            break
        pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        frames += 1
    seconds = time.perf_counter() - start
    pose.close()
    capture.release()
    return frames, seconds


def pipeline(video: Path) -> tuple[int, float]:
    from backcoach.catalogue import load_file
    from backcoach.motion.reference import reference
    from backcoach.motion.run import coach_run
    from backcoach.motion.video import VideoSource

    exercise, problems = load_file(ROOT / "examples/exercises/leg-raise.yaml")
    assert exercise is not None and not problems
    ref = reference(exercise)
    start = time.perf_counter()
    result = coach_run(VideoSource(video), ref)
    return result["tracking"]["frames"], time.perf_counter() - start


def analysis_alone(video: Path) -> tuple[int, float]:
    import tempfile

    from backcoach.catalogue import load_file
    from backcoach.motion.recorded import RecordedSource
    from backcoach.motion.reference import reference
    from backcoach.motion.run import coach_run
    from backcoach.motion.video import VideoSource

    exercise, problems = load_file(ROOT / "examples/exercises/leg-raise.yaml")
    assert exercise is not None and not problems
    ref = reference(exercise)
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "landmarks.json"
        coach_run(VideoSource(video), ref, save_landmarks=saved)
        source = RecordedSource(saved)
        start = time.perf_counter()
        result = coach_run(source, ref)
        return result["tracking"]["frames"], time.perf_counter() - start


def live_endpoint(video: Path) -> tuple[int, float]:
    """The browser's "Watch me": every frame as a JPEG to POST /api/sessions/{id}/camera/frames
    of a live session running the leg raise, one after another as the page sends them (JPEG
    decoding, MediaPipe, the live analysis, the session fed), in-process."""
    import shutil
    import tempfile

    import cv2
    from fastapi.testclient import TestClient

    from backcoach.clinic.programmes import Programme, ProgrammeItem
    from backcoach.clinic.programmes import save as save_programme
    from backcoach.config import Settings
    from backcoach.safety.signs import SIGNS
    from backcoach.services.profiles import update_profile
    from backcoach.services.screening import take_screen
    from backcoach.web.app import create_app

    capture = cv2.VideoCapture(str(video))
    jpegs = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        jpegs.append(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes())
    capture.release()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "exercises").mkdir()
        shutil.copy(ROOT / "examples/exercises/leg-raise.yaml", home / "exercises")
        app = create_app(Settings.from_environ({"BACKCOACH_HOME": str(home)}))
        person = app.state.app_context.person()
        take_screen(person.store, person.today(), {sign.id: "no" for sign in SIGNS})
        week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        update_profile(person.store, minutes=10, days=week)
        items = [ProgrammeItem(exercise_id="leg-raise", sets=1, reps=30)]
        save_programme(
            person.store, Programme(items=items), based_on=None, by_id=None, by_name="bench",
            now=person.clock(),
        )  # fmt: skip
        api = TestClient(app, base_url="http://127.0.0.1")
        api.get("/api/status")
        api.headers["X-CSRF-Token"] = api.cookies["backcoach_csrf"]
        sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
        view = api.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 1}).json()
        while view["view"]["phase"] != "move":
            time.sleep(0.2)
            view = api.post(f"/api/sessions/{sid}/events", json={"type": "tick"}).json()
        start = time.perf_counter()
        for i, data in enumerate(jpegs):
            answer = api.post(
                f"/api/sessions/{sid}/camera/frames", params={"t": i / 24}, content=data,
                headers={"Content-Type": "image/jpeg"},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text
        return len(jpegs), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--video", type=Path, default=VIDEO)
    args = parser.parse_args()
    if not args.video.is_file():
        raise SystemExit(f"{args.video}: no such video; pass --video FILE")
    alone, whole = [], []
    for _ in range(args.runs):
        frames, seconds = mediapipe_alone(args.video)
        alone.append(frames / seconds)
        frames, seconds = pipeline(args.video)
        whole.append(frames / seconds)
    best_alone, best_whole = max(alone), max(whole)
    ratio = best_whole / best_alone
    frames_only, seconds_only = analysis_alone(args.video)
    print(f"video: {args.video.name}, {frames} frames, best of {args.runs} runs")
    print(f"MediaPipe alone: {best_alone:6.1f} frames/s")
    print(f"whole pipeline:  {best_whole:6.1f} frames/s")
    print(f"analysis alone:  {frames_only / seconds_only:6.1f} frames/s (landmarks replayed)")
    verdict = "OK" if ratio >= TARGET_RATIO else "SLOWER THAN TARGET"
    print(f"ratio pipeline/MediaPipe: {ratio:.3f} (target >= {TARGET_RATIO:.2f}): {verdict}")
    frames_live, seconds_live = live_endpoint(args.video)
    live_fps = frames_live / seconds_live
    print(
        f"live endpoint:   {live_fps:6.1f} frames/s (Watch me: JPEG per request; "
        f"{live_fps / best_alone:.2f} of MediaPipe alone; the page sends 15)"
    )


if __name__ == "__main__":
    main()

"""Recorded landmark files (JSON or CSV): a pose source without a camera or MediaPipe.

JSON::

    {"format": "backcoach-landmarks", "version": 2, "fps": 24, "size": [224, 224],
     "frames": [{"t": 0.0, "landmarks": {"nose": [x, y, visibility, wx, wy, wz], ...}},
                {"t": 0.042, "landmarks": null}]}

CSV, one row per landmark (a row with an empty landmark marks a frame with no person)::

    t,landmark,x,y,visibility,world_x,world_y,world_z
    0.0,nose,101.5,140.2,0.99,0.012,-0.61,-0.25

Positions are picture pixels with y down, as MediaPipe gives them (scaled to the picture);
landmark names are MediaPipe's. The world position (``wx, wy, wz``: MediaPipe's
``pose_world_landmarks``, metres from mid-hips, x right, y down, z away from the camera) is
optional: version 1 files and CSV files with only the first five columns have none, and are
measured in the picture alone (see :mod:`backcoach.motion.features`).
``backcoach coach VIDEO --save-landmarks FILE.json`` writes one (version 2, with world positions).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import statistics
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from backcoach.body.landmarks import MEDIAPIPE_LANDMARKS
from backcoach.bounded import MB, BoundedInputError, load_json
from backcoach.motion.frames import Mark, Marks, PoseFrame

FORMAT = "backcoach-landmarks"
_NAMES = frozenset(MEDIAPIPE_LANDMARKS)
_EXAMPLE = '{"t": 0.0, "landmarks": {"nose": [120.5, 80.0, 0.98]}}'

MAX_JSON_BYTES = 64 * MB
"""A JSON landmark file grows by about 3.8 MB a minute at 30 frames a second (33 landmarks a
frame with their world positions, as :func:`write_json` writes them): 64 MB is 17 minutes,
longer than the sets of any one exercise, and is checked before the file is read (parsed, it
takes several times its size)."""


class LandmarkFileError(ValueError):
    """A recorded landmark file that cannot be read; the message names the place and fix."""


class RecordedSource:
    """Frames from a recorded landmark file, read and checked in full when opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise LandmarkFileError(f"{path}: no such file; give a .json or .csv landmark file")
        if path.suffix.lower() == ".csv":
            self._frames = _read_csv(path)
            fps, size = None, None
        elif path.suffix.lower() == ".json":
            self._frames, fps, size = _read_json(path)
        else:
            raise LandmarkFileError(
                f"{path}: unknown kind of landmark file (got '{path.suffix}'); use .json or .csv"
            )
        times = [f.t for f in self._frames]
        steps = [b - a for a, b in itertools.pairwise(times) if b > a]
        self.fps = fps or (1.0 / statistics.median(steps) if steps else 30.0)
        xs = [m.x for f in self._frames for m in (f.marks or {}).values()]
        ys = [m.y for f in self._frames for m in (f.marks or {}).values()]
        self.size = size or (int(max(xs, default=1)) + 1, int(max(ys, default=1)) + 1)

    def frames(self) -> Iterator[PoseFrame]:
        yield from self._frames

    def describe(self) -> dict[str, Any]:
        return {"source": "landmarks", "rotation_degrees": 0, "rotation_trials": 0}


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise LandmarkFileError(f"{where}: must be a number (got {value!r}); write e.g. 120.5")
    return float(value)


def _mark(raw: Any, where: str) -> Mark:
    if not isinstance(raw, list) or len(raw) not in (3, 6):
        raise LandmarkFileError(
            f"{where}: must be [x, y, visibility] or [x, y, visibility, wx, wy, wz] "
            f"(got {raw!r}); e.g. [120.5, 80.0, 0.98] or [120.5, 80.0, 0.98, 0.1, -0.5, -0.2]"
        )
    x, y, v, *world = (_number(r, where) for r in raw)
    if not 0.0 <= v <= 1.0:
        raise LandmarkFileError(f"{where}: visibility must be 0 to 1 (got {v:g})")
    return Mark(x, y, v, (world[0], world[1], world[2]) if world else None)


def _name(name: Any, where: str) -> str:
    if name not in _NAMES:
        raise LandmarkFileError(
            f"{where}: unknown landmark {name!r}; use MediaPipe's names such as nose, "
            "left_shoulder, right_foot_index"
        )
    return str(name)


def _read_json(path: Path) -> tuple[list[PoseFrame], float | None, tuple[int, int] | None]:
    try:
        data = load_json(path, MAX_JSON_BYTES, "a landmark file")
    except BoundedInputError as exc:
        raise LandmarkFileError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise LandmarkFileError(
            f"{path}:{exc.lineno}: not readable JSON ({exc.msg}); see docs/coach.md"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LandmarkFileError(
            f'{path}: not a landmark file; it must be an object with "format": "{FORMAT}" '
            "(see docs/coach.md)"
        )
    raw_frames = data.get("frames")
    if not isinstance(raw_frames, list):
        raise LandmarkFileError(f'{path}: "frames" must be a list of frames such as {_EXAMPLE}')
    fps = _number(data["fps"], f"{path}: fps") if "fps" in data else None
    size = data.get("size")
    if size is not None and (
        not isinstance(size, list) or len(size) != 2 or not all(isinstance(s, int) for s in size)
    ):
        raise LandmarkFileError(f'{path}: "size" must be [width, height] in pixels (got {size!r})')
    frames = []
    for i, raw in enumerate(raw_frames):
        where = f"{path}: frames[{i}]"
        if not isinstance(raw, dict) or "t" not in raw or "landmarks" not in raw:
            raise LandmarkFileError(f"{where}: must be an object such as {_EXAMPLE}")
        t = _number(raw["t"], f"{where}.t")
        marks: Marks | None = None
        if raw["landmarks"] is not None:
            if not isinstance(raw["landmarks"], dict):
                raise LandmarkFileError(f"{where}.landmarks: must be an object or null")
            marks = {
                _name(n, f"{where}.landmarks"): _mark(m, f"{where}.landmarks.{n}")
                for n, m in raw["landmarks"].items()
            }
        frames.append(PoseFrame(t, marks))
    return frames, fps, (size[0], size[1]) if size else None


def _read_csv(path: Path) -> list[PoseFrame]:
    columns = ["t", "landmark", "x", "y", "visibility"]
    world = ["world_x", "world_y", "world_z"]
    frames: dict[float, Marks | None] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header == columns + world:
                columns = header
            elif header != columns:
                raise LandmarkFileError(
                    f"{path}:1: the header must be {','.join(columns)} or "
                    f"{','.join(columns + world)} (got {','.join(header or [])})"
                )
            for line, row in enumerate(reader, start=2):
                where = f"{path}:{line}"
                if len(row) != len(columns):
                    raise LandmarkFileError(
                        f"{where}: needs {len(columns)} values (got {len(row)})"
                    )
                t = _parse(row[0], f"{where}: t")
                if not row[1]:
                    frames.setdefault(t, None)
                    continue
                marks = frames.get(t) or {}
                vals = [
                    _parse(v, f"{where}: {c}") for v, c in zip(row[2:], columns[2:], strict=True)
                ]
                marks[_name(row[1], where)] = _mark(vals, where)
                frames[t] = marks
    except (OSError, UnicodeDecodeError) as exc:
        raise LandmarkFileError(f"{path}: cannot be read ({exc})") from None
    return [PoseFrame(t, m) for t, m in frames.items()]


def _parse(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise LandmarkFileError(f"{where}: must be a number (got {text!r})") from None
    return _number(value, where)


def write_json(path: Path, frames: Sequence[PoseFrame], fps: float, size: tuple[int, int]) -> None:
    """Save landmarks (not pictures) so an analysis can be run again without the video; world
    positions to a tenth of a millimetre (as fine, for an angle, as the picture's hundredth
    of a pixel: a replay gives the same numbers as the live run)."""
    data = {
        "format": FORMAT,
        "version": 2,
        "fps": fps,
        "size": list(size),
        "frames": [
            {
                "t": round(f.t, 4),
                "landmarks": None
                if f.marks is None
                else {n: _written(m) for n, m in f.marks.items()},
            }
            for f in frames
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")


def _written(m: Mark) -> list[float]:
    out = [round(m.x, 2), round(m.y, 2), round(m.visibility, 3)]
    return out if m.world is None else out + [round(w, 4) for w in m.world]

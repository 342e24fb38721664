"""Recorded landmark files: read in full, checked, and errors that name the place and fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcoach.motion.frames import Mark, PoseFrame
from backcoach.motion.recorded import LandmarkFileError, RecordedSource, write_json


def test_json_round_trip(tmp_path: Path) -> None:
    frames = [
        PoseFrame(0.0, {"nose": Mark(10.0, 20.0, 0.9), "left_hip": Mark(30.5, 40.25, 0.8)}),
        PoseFrame(0.04, None),
    ]
    path = tmp_path / "marks.json"
    write_json(path, frames, 25.0, (64, 48))
    source = RecordedSource(path)
    assert source.fps == 25.0 and source.size == (64, 48)
    assert list(source.frames()) == frames


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(
        "t,landmark,x,y,visibility\n0,nose,1,2,0.5\n0,left_hip,3,4,1\n0.1,,,,\n0.2,nose,5,6,0.7\n"
    )
    frames = list(RecordedSource(path).frames())
    assert [f.t for f in frames] == [0.0, 0.1, 0.2]
    assert frames[0].marks == {"nose": Mark(1, 2, 0.5), "left_hip": Mark(3, 4, 1)}
    assert frames[1].marks is None


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "a.csv",
            "t,landmark,x,y,visibility\n0,nose,1,2,0.5\n0,elbow,1,2,1\n",
            "a.csv:3: unknown landmark 'elbow'",
        ),
        (
            "a.csv",
            "t,landmark,x,y,visibility\n0,nose,one,2,0.5\n",
            "a.csv:2: x: must be a number (got 'one')",
        ),
        ("a.csv", "time,name\n", "a.csv:1: the header must be t,landmark,x,y,visibility"),
        (
            "a.json",
            '{"format": "backcoach-landmarks", '
            '"frames": [{"t": 0, "landmarks": {"nose": [1, 2]}}]}',
            "frames[0].landmarks.nose: must be [x, y, visibility]",
        ),
        ("a.json", '{"frames": []}', 'must be an object with "format": "backcoach-landmarks"'),
        ("a.json", "{", "not readable JSON"),
        ("a.txt", "", "use .json or .csv"),
    ],
)
def test_errors_name_the_place(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(LandmarkFileError) as caught:
        RecordedSource(path)
    assert expected in str(caught.value)


def test_visibility_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    frames = [{"t": 0, "landmarks": {"nose": [1, 2, 3]}}]
    path.write_text(json.dumps({"format": "backcoach-landmarks", "frames": frames}))
    with pytest.raises(LandmarkFileError, match=r"visibility must be 0 to 1 \(got 3\)"):
        RecordedSource(path)

"""A person's own exercise with an impossible pose: reported, left out, and not mis-blamed."""

from __future__ import annotations

import re
from pathlib import Path

from backcoach.catalogue import builtin_dir
from tests.conftest import run_cli


def own_files(folder: Path) -> None:
    text = (builtin_dir() / "bridge.yaml").read_text(encoding="utf-8")
    bad = text.replace("id: bridge", "id: my-bridge")
    bad = re.sub(r"\bknee: \d+", "knee: 170", bad, count=1)
    bad = re.sub(r"\nregression: .*", "", bad)
    bad = re.sub(r"\nprogression: .*", "", bad)
    (folder / "my-bridge.yaml").write_text(bad, encoding="utf-8")
    harder = text.replace("id: bridge", "id: my-bridge-plus")
    harder = re.sub(r"\nregression: .*", "\nregression: my-bridge", harder)
    harder = re.sub(r"\nprogression: .*", "", harder)
    (folder / "my-bridge-plus.yaml").write_text(harder, encoding="utf-8")


def test_a_bad_pose_is_reported_and_links_to_it_are_not_misblamed(home: Path) -> None:
    folder = home / "exercises"
    folder.mkdir()
    own_files(folder)
    result = run_cli("catalogue", "check", home=home)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    knee = [line for line in lines if "my-bridge.yaml" in line and "knee" in line]
    assert knee and "170" in knee[0]
    link = [line for line in lines if "my-bridge-plus.yaml" in line and "regression" in line]
    assert link and "own file has problems" in link[0]
    assert "did you mean" not in link[0]


def test_the_everyday_load_leaves_a_bad_pose_out(home: Path) -> None:
    folder = home / "exercises"
    folder.mkdir()
    own_files(folder)
    listed = run_cli("exercises", "list", home=home)
    assert (
        "my-bridge " not in listed.stdout
        and "problem(s) in your own exercise files" in listed.stderr
    )
    assert run_cli("exercises", "show", "my-bridge", home=home).returncode == 2

"""The lesson files' digest, part of /today's kept-page key: trusted for DIGEST_SECONDS (it is
asked for on every view), then read again, so a lesson file a person saves shows within it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from backcoach.lessons import loader


def test_the_digest_is_kept_a_moment_then_sees_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    own = tmp_path / "lessons"
    own.mkdir()
    first = loader.digest(own)
    (own / "my-walks.md").write_text("---\nid: my-walks\n---\nText.\n")
    clock[0] += loader.DIGEST_SECONDS / 2
    assert loader.digest(own) == first  # within the moment: not listed again
    clock[0] += loader.DIGEST_SECONDS
    assert loader.digest(own) != first  # after it: the new file changes the digest

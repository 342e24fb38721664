"""Every file the CLI writes with the person's data is readable by its owner only (issue 20).

Run as real processes with the usual umask 022, under which a plain ``write_bytes`` makes
0644 (readable by every user on the machine): the report, the handout, the charts and the
calendar file were written that way while the JSON and CSV exports were 0600.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach.services.sharing import write_private
from tests.cli.test_share_cli import with_a_session
from tests.conftest import run_cli

COMMANDS = {
    "report.pdf": ("report", "--out"),
    "handout.pdf": ("handout", "--out"),
    "chart.png": ("progress", "--chart"),
    "chart.svg": ("progress", "--chart"),
    "reminders.ics": ("remind", "--out"),
    "export.json": ("export", "--out"),
}
"""The file each command writes, by name: every CLI writer of the person's data."""


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask 022 (inherited by the CLI processes), whatever the test runner has."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.usefixtures("usual_umask")
def test_every_file_with_the_persons_data_is_owner_only(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name, (command, option) in COMMANDS.items():
        path = out / name
        result = run_cli(command, option, str(path), home=home)
        assert result.returncode == 0, f"{command}: {result.stderr}"
        assert path.stat().st_size > 0, name
        assert mode(path) == "0o600", f"{command} {option} {name} wrote {mode(path)}"
    csv_dir = out / "csv"
    assert run_cli("export", "--csv", str(csv_dir), home=home).returncode == 0
    assert {mode(p) for p in csv_dir.iterdir()} == {"0o600"}
    backups = home / "backups"  # the copy an import keeps of the records it replaces
    assert run_cli("import", "--yes", str(out / "export.json"), home=home).returncode == 0
    assert [mode(p) for p in backups.iterdir()] == ["0o600"]


@pytest.mark.usefixtures("usual_umask")
def test_a_file_already_there_is_narrowed_before_the_data_goes_in(
    home: Path, tmp_path: Path
) -> None:
    with_a_session(home, tmp_path)
    old = tmp_path / "report.pdf"
    old.write_bytes(b"an older report")
    old.chmod(0o644)
    result = run_cli("report", "--out", str(old), home=home)
    assert result.returncode == 0, result.stderr
    assert mode(old) == "0o600" and old.read_bytes().startswith(b"%PDF")


def test_the_file_is_never_wider_not_even_when_writing_fails(tmp_path: Path) -> None:
    """Created 0600 from the start (``os.open`` with the mode), not narrowed afterwards: a
    write that fails half-way leaves no readable copy behind, whatever the umask."""

    class Unwritable(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:
            raise OSError(28, "No space left on device")

    old = os.umask(0)  # the widest: a plain open would make 0666
    try:
        path = tmp_path / "deep" / "chart.png"
        with pytest.raises(OSError, match="No space"):
            write_private(path, Unwritable("pain scores"))
        assert mode(path) == "0o600"
        write_private(path, b"\x89PNG")
        assert mode(path) == "0o600" and path.read_bytes() == b"\x89PNG"
    finally:
        os.umask(old)

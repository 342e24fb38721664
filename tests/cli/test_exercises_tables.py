"""The exercise tables in a narrow terminal (issue 15): an id is never cut mid-word, the
``--for-me`` reasons are separate lines, not sentences run together, and ``exercises show``
names cautions and conditions in words (``supine-long``, ``wrist-load`` were shown raw).
The real ``backcoach`` command, at 80 and 60 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backcoach.catalogue import load_default
from backcoach.services.profiles import update_profile
from backcoach.wording import label
from tests.cli.test_start_cli import person_for
from tests.conftest import run_cli

BUILTIN = list(load_default(None)[0])
IDS = [ex.id for ex in BUILTIN]


def whole_ids(output: str) -> set[str]:
    """The ids standing whole in the table's first column."""
    return set(re.findall(r"^│ ([a-z0-9-]+) +│", output, flags=re.MULTILINE))


@pytest.mark.parametrize("columns", ["80", "60"])
def test_the_listing_never_cuts_an_id(home: Path, columns: str) -> None:
    listed = run_cli("exercises", "list", home=home, COLUMNS=columns)
    assert listed.returncode == 0, listed.stderr
    assert whole_ids(listed.stdout) == set(IDS)
    assert all(len(line) <= int(columns) for line in listed.stdout.splitlines())


@pytest.mark.parametrize("columns", ["80", "60"])
def test_for_me_keeps_ids_whole_and_each_reason_on_its_own_line(home: Path, columns: str) -> None:
    update_profile(person_for(home).store, equipment=["mat"], conditions=["wrist"])
    listed = run_cli("exercises", "list", "--for-me", home=home, COLUMNS=columns)
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert whole_ids(out) == set(IDS)
    assert all(len(line) <= int(columns) for line in out.splitlines())
    # Each reason and each change starts its own bulleted line in the second column.
    second = [line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 3]
    assert any(cell.startswith("- It needs a foam roller") for cell in second)
    assert any(cell.startswith("- Do it this way:") for cell in second)
    assert any(cell.startswith("- Wrist problems:") for cell in second)
    # Never two sentences of different reasons on one line: ". -" or ".Do it" would be that.
    flat = " ".join(second)
    assert not re.search(r"\.(Do it|It needs|Wrist)", flat)
    assert "Not for you now" in out and "Suits you with a change" in out


def test_show_says_cautions_and_conditions_in_words(home: Path) -> None:
    ex = next(e for e in BUILTIN if {"supine-long", "wrist-load"} & set(e.cautions))
    shown = run_cli("exercises", "show", ex.id, home=home, COLUMNS="80")
    assert shown.returncode == 0, shown.stderr
    flat = re.sub(r"[\s│]+", " ", shown.stdout)
    for caution in ex.cautions:
        assert label(caution, "caution") in flat
        if "-" in caution:
            assert caution not in flat, caution
    for condition in ex.modifications:
        assert f"{label(condition, 'condition')}:" in flat
    assert "For you" in flat and "Suits you" in flat

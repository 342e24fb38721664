"""The terminal player in a real terminal (tmux) renders the same model of what is happening now
as the browser (issue 15): the person's version in every phase, phase-aware cues, and a key
that ends the phase in progress (moving in starts the hold; it never skips it)."""

from __future__ import annotations

import json
from pathlib import Path

from backcoach.app import AppContext
from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services.profiles import update_profile
from tests.cli.test_player_tmux import Pane, panes  # noqa: F401 - the fixture
from tests.conftest import BACKCOACH, run_cli


def test_version_phases_and_tap_in_the_terminal(
    home: Path,
    tmp_path: Path,
    panes: list[Pane],  # noqa: F811
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}), encoding="utf-8")
    assert run_cli("screen", "--answers", str(answers), home=home).returncode == 0
    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    update_profile(person.store, minutes=10, days=week, conditions=["wrist"])
    press_up = ProgrammeItem(exercise_id="prone-press-up", sets=1, reps=2, hold_seconds=10)
    save_programme(
        person.store, Programme(items=[press_up]), based_on=None, by_id=None, by_name="T",
        now=person.clock(),
    )  # fmt: skip

    pane = Pane(home, f"{BACKCOACH} start")
    panes.append(pane)
    pane.wait_text("Worst pain in the last 24 hours")
    pane.press("3", "Enter")
    pane.wait_text("how much back pain")
    pane.press("1")
    ready = pane.wait_text("PRESS-UP LYING ON YOUR FRONT", "Get ready", "Your version:")
    assert "forearms" in ready
    move = pane.wait_text("Move", "Rep 1 of 2", "r in position")
    assert "Your version:" in move and "forearms" in move
    assert "Push up slowly" in move and "Let your back go loose" not in move
    assert "Slowly straighten your elbows" not in move  # the usual version's step
    pane.press("r")  # in position: the 10 s hold starts, in full
    hold = pane.wait_text("Hold", "Rep 1 of 2", "r end the hold", "Hold and breathe")
    assert "Your version:" in hold and "forearms" in hold
    pane.wait_text("Come back", "Lower slowly", "r I am back")
    pane.press("q")
    pane.wait_text("EXIT=")

"""`backcoach start` in a real terminal (tmux): keys pressed, screen read, records checked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from tests.conftest import BACKCOACH, run_cli

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

WAIT_SECONDS = 15.0
"""Longest wait for one thing to show; the whole test takes about 20 seconds."""


class Pane:
    """One tmux window on a private server, 100x30, running a command."""

    def __init__(self, home: Path, command: str) -> None:
        self.socket = f"backcoach-test-{uuid.uuid4().hex[:10]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
        env.update({"BACKCOACH_HOME": str(home), "TERM": "xterm-256color"})
        self.env = env
        self.tmux(
            "new-session", "-d", "-x", "100", "-y", "30", "-s", "t",
            # After the command: its exit code, and whether the terminal was given back in
            # line mode with echo (a player that forgot to restore it leaves -icanon -echo).
            f"{command}; echo EXIT=$?; stty -a | grep -o -- '-*icanon\\|-*echo ' | tr -d ' ' "
            "| tr '\\n' ' ' | sed 's/^/TTY=/'; sleep 120",
        )  # fmt: skip

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True, text=True, env=self.env, timeout=10, check=True,
        )  # fmt: skip
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "t", key)

    def wait(self, check: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {WAIT_SECONDS} s for {what}; the screen:\n{screen}")
            time.sleep(0.1)

    def wait_text(self, *texts: str) -> str:
        """Wait for a frame showing all of ``texts``: Rich redraws a frame in several writes,
        so one text showing does not mean the rest of its frame has been drawn yet."""
        return self.wait(lambda screen: all(t in screen for t in texts), " and ".join(texts))

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], env=self.env, capture_output=True
        )


@pytest.fixture
def panes(home: Path) -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def countdown(screen: str) -> str:
    """The big digits: the lines drawn with full blocks."""
    return "\n".join(line for line in screen.splitlines() if "██" in line)


def test_start_pause_skip_pain_quit_and_resume(
    home: Path, tmp_path: Path, panes: list[Pane]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}), encoding="utf-8")
    assert run_cli("screen", "--answers", str(answers), home=home).returncode == 0
    assert run_cli("profile", "set", "--minutes", "5", home=home).returncode == 0
    from backcoach.services.plans import todays_plan

    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    plan = todays_plan(person.store, person.catalogue, person.today(), None, 5)
    names = [person.catalogue.get(i.exercise_id).name.upper() for i in plan.items]
    assert len(names) >= 3

    pane = Pane(home, f"{BACKCOACH} start --minutes 5")
    panes.append(pane)
    pane.wait_text("Worst pain in the last 24 hours")  # once a day, before the session
    pane.press("3", "Enter")
    pane.wait_text("how much back pain")
    pane.press("2")

    # The first exercise: its name, and a big countdown that runs.
    first = pane.wait_text(names[0], "Get ready", "seconds left", "exercise 1 of", "██")
    pane.wait(lambda s: countdown(s) not in ("", countdown(first)), "the countdown to move")

    # Space pauses: "Paused" shows and the countdown stands still.
    pane.press("Space")
    paused = pane.wait_text("Paused", "press space to carry on", "space resume")
    time.sleep(1.5)
    assert countdown(pane.screen()) == countdown(paused)

    # Space again resumes.
    pane.press("Space")
    running = pane.wait_text("space pause", "seconds left")
    pane.wait(lambda s: countdown(s) not in ("", countdown(running)), "the countdown to resume")

    # s skips the first exercise: the second one comes, without a check-in for the skipped one.
    pane.press("s")
    pane.wait_text(names[1], "exercise 2 of", "space pause")

    # p reports pain now: score, then three y/n flags; a mild pain lets the exercise go on.
    pane.press("p")
    pane.wait_text("How much pain do you have right now", "0-9 pain")
    pane.press("1")
    pane.wait_text("sharp or shooting", "y yes")
    pane.press("n", "n")
    pane.wait_text("numbness, tingling or weakness", "shooting? no", "leg? no")
    pane.press("n")
    after = pane.wait_text(names[1], "space pause", "seconds left")
    assert "Paused" not in after
    frame = after  # kept for the report below

    # q saves and quits: the process ends.
    pane.press("q")
    pane.wait(lambda s: "EXIT=0" in s, "the process to end")

    store = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person().store
    row = store.unfinished_session()
    assert row is not None and row.status == "in-progress" and row.pain_before == 2
    assert [(o.item_index, o.outcome) for o in store.outcomes(row.id)] == [(0, "skipped")]
    during = [(p.moment, p.score) for p in store.pain_reports(row.id)]
    assert ("during-exercise", 1) in during
    assert ("worst-24h", 3) in [(p.moment, p.score) for p in store.pain_reports()]

    # The next start offers to resume, and carries on at the second exercise, paused.
    again = Pane(home, f"{BACKCOACH} start --minutes 5")
    panes.append(again)
    again.wait(lambda s: re.search(r"Resume.*\?", s) is not None, "the offer to resume")
    again.press("y", "Enter")
    resumed = again.wait_text(names[1], "Paused", "space resume")
    again.press("C-c")  # Ctrl-C leaves like q, and gives the terminal back as it was
    ended = again.wait(lambda s: "TTY=" in s, "the resumed process to end")
    assert "EXIT=0" in ended
    assert re.search(r"TTY=icanon echo", ended), ended
    assert store.unfinished_session() is not None
    assert store.unfinished_session().id == row.id  # type: ignore[union-attr]
    print(f"\n--- a frame after the pain report ---\n{frame}\n--- resumed ---\n{resumed}")

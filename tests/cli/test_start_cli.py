"""`backcoach start` as a real process: auto sessions, a real SIGKILL, concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import load_profile
from tests.conftest import BACKCOACH, run_cli


def clear_screen(home: Path, tmp_path: Path, **env: str) -> None:
    answers = tmp_path / "screen.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}), encoding="utf-8")
    result = run_cli("screen", "--answers", str(answers), home=home, **env)
    assert result.returncode == 0, result.stderr


def person_for(home: Path, **env: str) -> PersonContext:
    """Personal mode's person on ``home``'s data, as another process sees it."""
    return AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home), **env})).person()


def spawn(home: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update({"BACKCOACH_HOME": str(home), "COLUMNS": "200", **env})
    return subprocess.Popen(
        [BACKCOACH, *args], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_auto_session_and_history(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    result = run_cli("start", "--auto", "--minutes", "10", home=home)
    assert result.returncode == 0, result.stderr
    assert "Session finished." in result.stdout and "Next time:" in result.stdout
    history = json.loads(run_cli("history", "--json", home=home).stdout)
    assert len(history) == 1 and history[0]["status"] == "finished"
    assert history[0]["sets_done"] == history[0]["sets_planned"] > 0
    first = history[0]["exercises"][1]
    assert first["sets"][0]["target_reps"] == first["planned"]["reps"]


def test_bad_answers_file_is_a_clear_error(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    bad = tmp_path / "answers.json"
    bad.write_text(json.dumps({"exercises": {"bridge": {"pain": 12}}}), encoding="utf-8")
    result = run_cli("start", "--auto", "--answers", str(bad), home=home)
    assert result.returncode == 2
    assert "exercises.bridge.pain" in result.stderr and "12" in result.stderr
    assert person_for(home).store.sessions() == []  # nothing started


def test_sigkill_mid_session_loses_at_most_the_set_in_progress(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    proc = spawn(home, "start", "--auto", "--speed", "40", "--minutes", "10")
    person = person_for(home)
    deadline = time.monotonic() + 60
    sets: list = []
    while time.monotonic() < deadline:
        sessions = person.store.sessions()
        sets = person.store.sets(sessions[0].id) if sessions else []
        if len(sets) >= 2:
            break
        time.sleep(0.1)
    assert len(sets) >= 2, "the session never saved two sets"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    killed = person.store.sessions()[0]
    assert killed.status == "in-progress"
    before = {
        (s.item_index, s.set_number, s.side): s.finished_at for s in person.store.sets(killed.id)
    }
    # It was heard a moment ago: carried on elsewhere only when asked to.
    refused = run_cli("start", "--auto", home=home)
    assert refused.returncode == 3 and "--take-over" in refused.stderr, refused.stderr
    assert "being run in another place" in refused.stderr
    result = run_cli("start", "--auto", "--take-over", home=home)
    assert result.returncode == 0, result.stderr
    assert "Resumed your session" in result.stdout
    assert len(person.store.sessions()) == 1
    rows = person.store.sets(killed.id)
    keys = [(s.item_index, s.set_number, s.side) for s in rows]
    assert len(keys) == len(set(keys))
    for key, finished_at in before.items():  # nothing saved before the kill was lost or redone
        assert {k: s.finished_at for k, s in zip(keys, rows, strict=True)}[key] == finished_at
    history = json.loads(run_cli("history", "--json", home=home).stdout)
    assert history[0]["status"] == "finished"
    assert history[0]["sets_done"] == history[0]["sets_planned"]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_processes_writing_at_once_lose_nothing(
    home: Path, tmp_path: Path, backend: str
) -> None:
    """A second `start` while a session is being run by another process: refused (exit 3)
    without writing anything; with --take-over it carries the session on while the first is
    still writing, and a third process changes the profile at the same moment. The first stops
    (exit 4) at its next save; every set either saved is kept, none twice, the session ends
    with every planned set done, and the profile change is kept."""
    env: dict[str, str] = {}
    if backend == "postgresql":
        from tests.dbfixtures import pg_schema_url

        urls = pg_schema_url()
        env["BACKCOACH_DATABASE_URL"] = next(urls)
    clear_screen(home, tmp_path, **env)
    # Slow enough that the first is still running after the refused start and the take-over
    # have started (each a process start-up, seconds on a loaded machine): about 60 s in all.
    first = spawn(home, "start", "--auto", "--speed", "10", "--minutes", "10", **env)
    person = person_for(home, **env)
    deadline = time.monotonic() + 90
    sets: list = []
    while time.monotonic() < deadline and first.poll() is None:
        sessions = person.store.sessions()
        sets = person.store.sets(sessions[0].id) if sessions else []
        if len(sets) >= 2:
            break
        time.sleep(0.1)
    assert len(sets) >= 2 and first.poll() is None, "the first process saved no two sets"
    [running] = person.store.sessions()

    refused = run_cli("start", "--auto", home=home, **env)
    assert refused.returncode == 3, refused.stderr
    assert "being run in another place" in refused.stderr and "--take-over" in refused.stderr
    assert [s.id for s in person.store.sessions()] == [running.id]  # nothing started

    before = {
        (s.item_index, s.set_number, s.side): s.finished_at for s in person.store.sets(running.id)
    }
    second = spawn(home, "start", "--auto", "--take-over", **env)
    writer = spawn(home, "profile", "set", "--minutes", "12", **env)
    outputs = [p.communicate(timeout=120) for p in (first, second, writer)]
    assert first.returncode == 4, outputs[0]
    # taken over, or (if the second was quicker than its next save) ended elsewhere
    assert "Stopped here." in outputs[0][1] and f"session {running.id} " in outputs[0][1]
    assert second.returncode == 0, outputs[1][1]
    assert "Resumed your session" in outputs[1][0] and "Session finished." in outputs[1][0]
    assert writer.returncode == 0, outputs[2][1]

    [session] = person.store.sessions()
    assert session.id == running.id and session.status == "finished"
    rows = person.store.sets(running.id)
    keys = [(s.item_index, s.set_number, s.side) for s in rows]
    assert len(keys) == len(set(keys)), "a set was saved twice"
    saved = {k: s.finished_at for k, s in zip(keys, rows, strict=True)}
    for key, finished_at in before.items():  # nothing the first process saved was lost
        assert saved[key] == finished_at
    [history] = json.loads(run_cli("history", "--json", home=home, **env).stdout)
    assert history["sets_done"] == history["sets_planned"] > len(before)
    assert load_profile(person.store).minutes == 12
    if backend == "postgresql":
        next(urls, None)  # drop the schema


def test_interactive_start_without_a_terminal_says_to_use_auto(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    result = run_cli("start", "--new", home=home, input="")
    assert result.returncode == 2
    assert "--auto" in result.stderr


def test_pregnancy_warning_signs_stop_the_session_before_it_starts(
    home: Path, tmp_path: Path
) -> None:
    from backcoach.safety.pregnancy import PREGNANCY_WARNING_SIGNS

    clear_screen(home, tmp_path)
    run_cli("profile", "set", "--condition", "pregnancy", "--pregnancy-weeks", "24", home=home)
    warn = tmp_path / "warn.json"
    warn.write_text(json.dumps({"pregnancy_warning": True}), encoding="utf-8")
    result = run_cli("start", "--auto", "--answers", str(warn), home=home)
    assert result.returncode == 3 and "midwife" in result.stderr
    assert person_for(home).store.sessions() == []
    asked = run_cli("start", "--new", home=home, input="y\n")
    assert asked.returncode == 3 and "calf" in asked.stdout
    assert len(PREGNANCY_WARNING_SIGNS) == 10
    ok = run_cli("start", "--auto", home=home)
    assert ok.returncode == 0, ok.stderr
    assert len(person_for(home).store.sessions()) == 1


def test_an_emergency_screen_stops_an_unfinished_session_from_carrying_on(
    home: Path, tmp_path: Path
) -> None:
    clear_screen(home, tmp_path)
    person = person_for(home)
    plan = todays_plan(person.store, person.catalogue, person.today())
    plan_id = person.store.save_plan(person.today(), plan.model_dump(mode="json"), False)
    session_id = person.store.start_session(plan_id, "terminal")
    person.store.save_set(session_id, item_index=0, exercise_id="x", set_number=1, reps=3)
    answers = tmp_path / "emergency.json"
    answers.write_text(
        json.dumps({s.id: s.id == "bladder_change" for s in SIGNS}), encoding="utf-8"
    )
    run_cli("screen", "--answers", str(answers), home=home)

    result = run_cli("start", "--auto", home=home)
    assert result.returncode == 3, result.stdout
    assert "No session today" in result.stderr and "emergency" in result.stderr
    row = person.store.unfinished_session()
    assert row is not None and row.id == session_id  # not carried on, not thrown away
    assert len(person.store.sets(session_id)) == 1

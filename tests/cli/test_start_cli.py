"""`backcoach start` as a real process: auto sessions, a real SIGKILL, concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from backcoach.coach import Coach
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from tests.conftest import BACKCOACH, run_cli


def clear_screen(home: Path, tmp_path: Path, **env: str) -> None:
    answers = tmp_path / "screen.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}), encoding="utf-8")
    result = run_cli("screen", "--answers", str(answers), home=home, **env)
    assert result.returncode == 0, result.stderr


def coach_for(home: Path, **env: str) -> Coach:
    return Coach(Settings.from_environ({"BACKCOACH_HOME": str(home), **env}))


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
    assert coach_for(home).store.sessions() == []  # nothing started


def test_sigkill_mid_session_loses_at_most_the_set_in_progress(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    proc = spawn(home, "start", "--auto", "--speed", "40", "--minutes", "10")
    coach = coach_for(home)
    deadline = time.monotonic() + 60
    sets: list = []
    while time.monotonic() < deadline:
        sessions = coach.store.sessions()
        sets = coach.store.sets(sessions[0].id) if sessions else []
        if len(sets) >= 2:
            break
        time.sleep(0.1)
    assert len(sets) >= 2, "the session never saved two sets"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    killed = coach.store.sessions()[0]
    assert killed.status == "in-progress"
    before = {
        (s.item_index, s.set_number, s.side): s.finished_at for s in coach.store.sets(killed.id)
    }
    # It was heard a moment ago: carried on elsewhere only when asked to.
    refused = run_cli("start", "--auto", home=home)
    assert refused.returncode == 3 and "--take-over" in refused.stderr, refused.stderr
    assert "being run in another place" in refused.stderr
    result = run_cli("start", "--auto", "--take-over", home=home)
    assert result.returncode == 0, result.stderr
    assert "Resumed your session" in result.stdout
    assert len(coach.store.sessions()) == 1
    rows = coach.store.sets(killed.id)
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
    env: dict[str, str] = {}
    if backend == "postgresql":
        from tests.dbfixtures import pg_schema_url

        urls = pg_schema_url()
        env["BACKCOACH_DATABASE_URL"] = next(urls)
    clear_screen(home, tmp_path, **env)
    procs = [
        spawn(home, "start", "--auto", "--speed", "300", "--minutes", "10", **env) for _ in range(2)
    ]
    writer = spawn(home, "profile", "set", "--minutes", "12", **env)
    outputs = [p.communicate(timeout=120) for p in [*procs, writer]]
    for p, (_out, err) in zip([*procs, writer], outputs, strict=True):
        assert p.returncode == 0, err
    coach = coach_for(home, **env)
    sessions = coach.store.sessions()
    assert len(sessions) == 2 and all(s.status == "finished" for s in sessions)
    history = json.loads(run_cli("history", "--json", home=home, **env).stdout)
    assert all(h["sets_done"] == h["sets_planned"] for h in history)
    assert coach.profile().minutes == 12
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
    assert coach_for(home).store.sessions() == []
    asked = run_cli("start", "--new", home=home, input="y\n")
    assert asked.returncode == 3 and "calf" in asked.stdout
    assert len(PREGNANCY_WARNING_SIGNS) == 10
    ok = run_cli("start", "--auto", home=home)
    assert ok.returncode == 0, ok.stderr
    assert len(coach_for(home).store.sessions()) == 1


def test_an_emergency_screen_stops_an_unfinished_session_from_carrying_on(
    home: Path, tmp_path: Path
) -> None:
    clear_screen(home, tmp_path)
    coach = coach_for(home)
    plan_id = coach.store.save_plan(coach.today(), coach.plan().model_dump(mode="json"), False)
    session_id = coach.store.start_session(plan_id, "terminal")
    coach.store.save_set(session_id, item_index=0, exercise_id="x", set_number=1, reps=3)
    answers = tmp_path / "emergency.json"
    answers.write_text(
        json.dumps({s.id: s.id == "bladder_change" for s in SIGNS}), encoding="utf-8"
    )
    run_cli("screen", "--answers", str(answers), home=home)

    result = run_cli("start", "--auto", home=home)
    assert result.returncode == 3, result.stdout
    assert "No session today" in result.stderr and "emergency" in result.stderr
    row = coach.store.unfinished_session()
    assert row is not None and row.id == session_id  # not carried on, not thrown away
    assert len(coach.store.sets(session_id)) == 1

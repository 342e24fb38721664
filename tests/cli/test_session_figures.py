"""Issue 15, "the numbers": a session's figures (sets done of planned, active time, percentage
done) are computed once from its records, so the terminal summary, `history`, the web API and
progress agree, after a resume too, and a session ended early never says 100%."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import delete

from backcoach.app import PersonContext
from backcoach.records.tables import LiveSessionRow
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.session_summary import summary
from backcoach.services.sessions import begin
from backcoach.session import PainReport, Rate, Stop, Tick
from tests.conftest import run_cli
from tests.services.simulate import ALL_NO, START, person_on

DAY = START.isoformat()


def _ready(home: Path, db_url: str | None = None) -> PersonContext:
    person = person_on(home, db_url, START)
    take_screen(person.store, person.today(), ALL_NO)
    return person


def _half_done(person: PersonContext, minutes: int = 10) -> tuple[int, float]:
    """A session run on its clock to the middle of its plan, then left as after a crash whose
    live row was lost: the session's id and the seconds it ran."""
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=minutes)
    engine = live.engine
    now = 0.0
    engine.send(PainReport(now, 2))
    half = live.plan.total_seconds / 2
    while now < half:
        now += 0.5
        view = engine.progress(now)
        if view.awaiting == "pain":
            engine.send(PainReport(now, 2))
        elif view.awaiting == "rating":
            engine.send(Rate(now, "about-right"))
        else:
            engine.send(Tick(now))
    with person.store.writing() as s:
        s.execute(delete(LiveSessionRow))
    return live.session_id, now


def test_after_a_resume_the_terminal_history_and_api_say_the_same_figures(
    home: Path,
) -> None:
    person = _ready(home)
    session_id, ran = _half_done(person)
    result = run_cli("start", "--auto", home=home, BACKCOACH_TODAY=DAY)
    assert result.returncode == 0, result.stderr
    assert "Resumed your session" in result.stdout
    out = result.stdout
    active = re.search(r"Active time: (\d+) min(?: (\d+) s)?", out)
    assert active is not None, out  # was "Active time: 12 s": only the part after the resume
    seconds = int(active.group(1)) * 60 + int(active.group(2) or 0)
    plan_seconds = person.store.plan(person.store.session(session_id).plan_id).data["total_seconds"]
    assert seconds > ran  # the first half counts too
    assert 0.7 * plan_seconds <= seconds <= plan_seconds
    sets = re.search(r"Sets done: (\d+) of (\d+) \((\d+)% done\)", out)
    assert sets is not None, out

    history = json.loads(run_cli("history", "--json", home=home, BACKCOACH_TODAY=DAY).stdout)
    row = history[0]
    assert (row["sets_done"], row["sets_planned"]) == (int(sets.group(1)), int(sets.group(2)))
    assert row["percent_done"] == int(sets.group(3)) == 100
    assert round(row["active_seconds"]) == seconds
    table = run_cli("history", home=home, BACKCOACH_TODAY=DAY).stdout
    assert f"{sets.group(1)} of {sets.group(2)} (100%)" in table


def test_sides_count_as_one_set_everywhere(home: Path) -> None:
    """A per-side exercise's "2 sets each side" is 2 sets in the summary and in history (they
    said "3 of 7" and "5/9")."""
    person = _ready(home)
    update_profile(person.store, goals=["strength"])  # side-lying clams, each side
    result = run_cli("start", "--auto", "--minutes", "15", home=home, BACKCOACH_TODAY=DAY)
    assert result.returncode == 0, result.stderr
    history = json.loads(run_cli("history", "--json", home=home, BACKCOACH_TODAY=DAY).stdout)
    row = history[0]
    planned = [e["planned"] for e in row["exercises"]]
    assert any(p["per_side"] for p in planned), "the plan should hold a per-side exercise"
    assert row["sets_planned"] == sum(p["sets"] for p in planned)
    assert f"Sets done: {row['sets_done']} of {row['sets_planned']}" in result.stdout
    found = summary(person.store, row["id"])
    assert found is not None and found.sets_done == row["sets_done"] == row["sets_planned"]


def test_a_session_stopped_part_way_is_not_100_percent(home: Path, db_url: str) -> None:
    person = _ready(home, db_url)
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10)
    engine = live.engine
    engine.send(PainReport(0.0, 1))
    stop_at = live.plan.total_seconds * 0.68
    now = 0.0
    while now < stop_at:
        now += 0.5
        view = engine.progress(now)
        if view.awaiting == "pain":
            engine.send(PainReport(now, 1))
        elif view.awaiting == "rating":
            engine.send(Rate(now, "about-right"))
        else:
            engine.send(Tick(now))
    engine.send(Stop(now))
    engine.send(PainReport(now, 1))
    assert engine.finished
    found = summary(person.store, live.session_id)
    assert found is not None and found.status == "stopped"
    assert 35 <= found.percent_done <= 85, found  # about two thirds of the planned time
    assert found.sets_done < found.sets_planned
    assert found.as_dict()["percent_text"] == f"{found.percent_done}% done"
    assert found.not_done  # the exercises never reached are named


def test_the_web_api_gives_the_same_summary(home: Path) -> None:
    from fastapi.testclient import TestClient

    from backcoach.web.app import create_app

    person = _ready(home)
    result = run_cli("start", "--auto", home=home, BACKCOACH_TODAY=DAY)
    assert result.returncode == 0, result.stderr
    history = json.loads(run_cli("history", "--json", home=home, BACKCOACH_TODAY=DAY).stdout)
    session_id = history[0]["id"]
    client = TestClient(create_app(person.settings), base_url="http://127.0.0.1")
    got = client.get(f"/api/sessions/{session_id}/summary")
    assert got.status_code == 200, got.text
    body = got.json()
    assert body == history[0]["summary"]
    assert body["sets_text"] == f"{body['sets_done']} of {body['sets_planned']} sets done"
    assert body["ending"] == "Session finished." and body["percent_text"] == "100% done"
    missing = client.get(f"/api/sessions/{session_id + 50}/summary")
    assert missing.status_code == 404 and "session_id" in missing.text

"""The progress summary from weeks of real records: its documented shape and its figures."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from pathlib import Path

from backcoach.services import outcomes
from backcoach.services.progress import TOO_EARLY, progress_summary
from tests.services.simulate import START, person_on, three_weeks

CHANGE_KEYS = {
    "measure",
    "label",
    "start",
    "latest",
    "points",
    "percent",
    "direction",
    "meaningful",
    "message",
}


def test_summary_shape_and_figures(tmp_path: Path, db_url: str) -> None:
    sim = three_weeks(tmp_path, db_url)
    person = person_on(tmp_path, db_url, START + dt.timedelta(days=18))
    summary = progress_summary(person.store, person.catalogue, person.today())
    assert json.loads(json.dumps(summary)) == summary  # JSON-ready as it is
    assert set(summary) == {
        "version",
        "today",
        "pain",
        "activities",
        "adherence",
        "decisions",
        "sessions",
        "messages",
        "due",
    }
    assert summary["version"] == 1 and summary["today"] == "2026-11-20"
    worst = summary["pain"]["worst_24h"]
    assert [p["score"] for p in worst["series"]] == [7, 7, 6, 5, 4, 3]
    assert worst["series"][0]["date"] == "2026-11-02"
    # First week (2, 4, 6 Nov: 7, 7, 6) against the latest week (20 Nov: 3).
    assert set(worst["change"]) == CHANGE_KEYS
    # Means to one decimal, as a person says them (issue 15).
    assert worst["change"]["start"] == 6.7 and worst["change"]["latest"] == 3
    assert worst["change"]["direction"] == "better" and worst["change"]["meaningful"]
    now = summary["pain"]["now"]
    assert [p["score"] for p in now["series"]] == [5, 5, 4, 4, 3, 3]  # the sessions' pre-pain
    acts = summary["activities"]
    socks, film = acts["current"]
    assert socks["name"] == "putting on socks" and socks["id"] == sim["socks"]
    assert [r["score"] for r in socks["ratings"]] == [2, 6]
    assert socks["change"]["meaningful"] and socks["change"]["points"] == 4
    assert film["change"]["direction"] == "same"
    assert acts["mean_series"] == [
        {"date": "2026-11-02", "score": 3.5},
        {"date": "2026-11-20", "score": 5.5},
    ]
    assert acts["change"]["points"] == 2 and acts["change"]["meaningful"]
    messages = summary["messages"]
    assert messages[0].startswith("Your worst pain is down 3.7 points")
    assert any(m.startswith("Your activity score is up 2 points") for m in messages)
    assert any(m.startswith("“putting on socks” is up 4 points") for m in messages)
    assert not any("sitting through a film" in m for m in messages)  # only meaningful ones
    assert summary["adherence"]["total"]["done"] == 6
    decisions = summary["decisions"]
    assert decisions and all(d["reason"] for d in decisions)
    dropped = [d for d in decisions if d["exercise_id"] == sim["stopped"]]
    assert dropped[-1]["action"] == "drop" and dropped[-1]["date"] == "2026-11-13"
    assert not summary["due"]["worst_pain"] and not summary["due"]["activities"]
    # Every session with its figures and pain, oldest first (the report's session table).
    sessions = summary["sessions"]
    assert [s["date"] for s in sessions] == [d.isoformat() for d in sim["days"]]
    assert [s["pain_before"] for s in sessions] == [5, 5, 4, 4, 3, 3]
    assert all(0 < s["sets_done"] <= s["sets_planned"] for s in sessions)
    assert all(s["active_seconds"] > 60 for s in sessions)
    # No decision listed twice in a row for the same exercise with the same words.
    seen = [(d["exercise_id"], d["action"], d["reason"]) for d in decisions]
    for exercise in {d["exercise_id"] for d in decisions}:
        mine = [x for x in seen if x[0] == exercise]
        assert all(a != b for a, b in pairwise(mine))
    assert all(d["action_text"] != d["action"] for d in decisions)  # in words, not ids


def test_early_days_and_retired_activities(tmp_path: Path, db_url: str) -> None:
    person = person_on(tmp_path, db_url, START)
    summary = progress_summary(person.store, person.catalogue, person.today())
    assert summary["messages"] == [TOO_EARLY]
    assert summary["pain"]["now"] == {"series": [], "change": None}
    assert summary["activities"]["change"] is None
    row = outcomes.add_activity(person.store, person.today(), "driving")
    outcomes.rate_activities(person.store, person.today(), {row.id: 2})
    later = person_on(tmp_path, db_url, START + dt.timedelta(days=7))
    outcomes.rate_activities(later.store, later.today(), {row.id: 6})
    outcomes.retire_activity(later.store, later.today(), row.id)
    acts = progress_summary(later.store, later.catalogue, later.today())["activities"]
    assert acts["current"] == [] and acts["retired"][0]["retired_on"] == "2026-11-09"
    assert acts["retired"][0]["change"]["points"] == 4  # history kept
    assert acts["change"] is None  # the score is the mean of current activities only

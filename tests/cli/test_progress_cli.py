"""`backcoach progress / report / handout / checkin / activities` as real processes."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from backcoach.records.outcomes_store import OutcomeStore
from backcoach.services.screening import take_screen
from tests.conftest import run_cli
from tests.services.simulate import ALL_NO, START, person_on, three_weeks

FRIDAY = "2026-11-20"


@pytest.mark.slow  # several real processes
def test_progress_chart_report_and_handout(home: Path, tmp_path: Path) -> None:
    three_weeks(home, None)
    result = run_cli("progress", "--json", home=home, BACKCOACH_TODAY=FRIDAY)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["version"] == 1 and summary["adherence"]["total"]["done"] == 6
    assert summary["pain"]["worst_24h"]["change"]["meaningful"] is True

    png = tmp_path / "chart.png"
    result = run_cli("progress", "--chart", str(png), home=home, BACKCOACH_TODAY=FRIDAY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "▆▆▅▅▄▃" in out  # worst pain 7 7 6 5 4 3 on a fixed 0-10 scale of 8 levels
    # Means as a person says them: one decimal (issue 15: "down 2.33 points").
    assert "Your worst pain is down 3.7 points" in out and "meaningful improvement" in out
    assert "3.67" not in out and "6.67" not in out
    assert "6 done of 9 planned in the last 8 weeks" in out and "Stopped by a stop rule (1)" in out
    assert "Current run: 1 planned day done in a row." in out
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000

    svg = tmp_path / "chart.svg"
    result = run_cli("progress", "--json", "--chart", str(svg), home=home, BACKCOACH_TODAY=FRIDAY)
    assert result.returncode == 0 and json.loads(result.stdout)["today"] == FRIDAY
    assert ET.parse(svg).getroot().tag.endswith("svg")

    report, handout = tmp_path / "report.pdf", tmp_path / "handout.pdf"
    result = run_cli("report", "--out", str(report), home=home, BACKCOACH_TODAY=FRIDAY)
    assert result.returncode == 0, result.stderr
    assert "Report saved" in result.stdout
    assert 1 <= len(pdfium.PdfDocument(report.read_bytes())) <= 3
    result = run_cli("handout", "--out", str(handout), home=home, BACKCOACH_TODAY=FRIDAY)
    assert result.returncode == 0, result.stderr
    doc = pdfium.PdfDocument(handout.read_bytes())
    assert "Your backcoach exercises" in doc[0].get_textpage().get_text_range()


def test_bad_output_files_are_clear_errors(home: Path, tmp_path: Path) -> None:
    result = run_cli("progress", "--chart", str(tmp_path / "chart.jpg"), home=home)
    assert result.returncode == 2 and "chart.jpg should end in .png or .svg" in result.stderr
    missing = tmp_path / "no-such-folder" / "r.pdf"
    result = run_cli("report", "--out", str(missing), home=home)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not missing.parent.exists()
    result = run_cli("handout", "--out", str(tmp_path / "h.pdf"), home=home)
    assert result.returncode == 3 and "No programme yet" in result.stderr
    assert not (tmp_path / "h.pdf").exists()


@pytest.mark.slow  # several real processes
def test_checkin_and_activities(home: Path) -> None:
    today = START.isoformat()
    run = lambda *args, **kw: run_cli(*args, home=home, BACKCOACH_TODAY=today, **kw)  # noqa: E731
    result = run("activities", "add", "putting on socks", "--score", "3")
    assert result.returncode == 0 and "Added 1: putting on socks" in result.stdout
    result = run("activities", "add", "   ")
    assert result.returncode == 2 and "give a name" in result.stderr
    result = run("checkin", "--pain-now", "3", "--worst", "11")
    assert result.returncode == 2 and "worst pain (24 h)" in result.stderr and "11" in result.stderr
    result = run("checkin", "--worst", "5", "--rate", "nope=4")
    assert result.returncode == 2 and "no current activity called 'nope'" in result.stderr
    result = run("checkin", "--rate", "socks")
    assert result.returncode == 2 and "NAME=SCORE" in result.stderr
    store = OutcomeStore(person_on(home, None, START).store)
    assert store.pain_readings(("daily", "worst-24h")) == []  # nothing saved by a bad check-in
    result = run("checkin", "--pain-now", "3", "--worst", "5", "--rate", "putting on socks=4")
    assert result.returncode == 0, result.stderr
    assert [(r.moment, r.score) for r in store.pain_readings(("daily", "worst-24h"))] == [
        ("daily", 3),
        ("worst-24h", 5),
    ]
    assert [r.score for r in store.activity_ratings()] == [4]  # replaced the score given at add
    # Asked interactively: worst pain and the activity were given today, so only pain now.
    result = run("checkin", input="12\n2\n")
    assert result.returncode == 0, result.stderr
    assert "Worst pain" not in result.stdout and "from 0 to 10" in result.stdout
    assert [r.score for r in store.pain_readings(("daily",))] == [3, 2]
    result = run("activities", "retire", "1")
    assert result.returncode == 0 and "Retired putting on socks" in result.stdout
    listed = json.loads(run("activities", "list", "--all", "--json").stdout)
    assert listed[0]["retired_on"] == today and listed[0]["ratings"][0]["score"] == 4
    assert "No activities yet" in run("activities", "list").stdout


@pytest.mark.slow  # several real processes
def test_auto_session_records_worst_pain_once_a_day(home: Path, tmp_path: Path) -> None:
    monday = START.isoformat()
    person = person_on(home, None, START)
    take_screen(person.store, person.today(), ALL_NO)
    result = run_cli(home=home, BACKCOACH_TODAY=monday)
    assert "Your weekly check-in is due: backcoach checkin" in result.stdout
    run_cli("activities", "add", "driving", home=home, BACKCOACH_TODAY=monday)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"worst_pain_24h": 6, "activities": {"driving": 3}}))
    for day in (monday, monday, (START + dt.timedelta(days=1)).isoformat()):
        result = run_cli(
            "start", "--auto", "--minutes", "5", "--answers", str(answers),
            home=home, BACKCOACH_TODAY=day,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    store = OutcomeStore(person.store)
    worst = [(r.reported_at.date(), r.score) for r in store.pain_readings(("worst-24h",))]
    assert worst == [(START, 6), (START + dt.timedelta(days=1), 6)]  # once a day
    assert [(r.rated_on, r.score) for r in store.activity_ratings()] == [(START, 3)]  # weekly
    result = run_cli(home=home, BACKCOACH_TODAY=monday)
    assert "weekly check-in is due" not in result.stdout
    answers.write_text(json.dumps({"worst_pain_24h": 12}))
    result = run_cli("start", "--auto", "--answers", str(answers), home=home)
    assert result.returncode == 2 and "worst_pain_24h" in result.stderr and "12" in result.stderr

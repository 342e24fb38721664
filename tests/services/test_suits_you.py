"""An honest "Suits you" (issue 15): one verdict (``services.suits``) covering conditions,
equipment, experience, exercises a stop rule left out, directions and a flare-up, and the CLI,
the library pages and the plan's JSON all giving it.

Before: "Suits you" looked at conditions only (foam-roll-back "allowed" without a foam roller,
an exercise left out after a stop still "Suits you", every exercise "Suits you" for a new
person), and ``plan --json`` had ``left_out: []`` while its notes said 9 were left out."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backcoach.app import AppContext, PersonContext
from backcoach.catalogue import load_default
from backcoach.config import Settings
from backcoach.planning.planner import build_plan
from backcoach.planning.profile import Profile
from backcoach.planning.select import MAX_DIFFICULTY, UNCHECKED, suitability
from backcoach.planning.state import ProgramState
from backcoach.services.profiles import update_profile
from backcoach.services.suits import gentle_ids, suits_for_profile, suits_you
from backcoach.wording import label
from tests.cli.test_bring_back_cli import TODAY, stopped_for_sharp_pain
from tests.conftest import run_cli
from tests.web.conftest import BASE_URL

DAY = dt.date.fromisoformat(TODAY)
BUILTIN = list(load_default(None)[0])


def settings_for(home: Path) -> Settings:
    return Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY})


def person_for(home: Path) -> PersonContext:
    return AppContext(settings_for(home)).person()


@pytest.fixture(scope="module")
def issue_person(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The person of the issue: no foam roller, new to exercise, wrist problems, and one
    exercise left out by a real stop rule (sharp pain in a real ``start --auto``)."""
    tmp = tmp_path_factory.mktemp("suits")
    home = tmp / "home"
    home.mkdir()
    person = person_for(home)
    update_profile(person.store, equipment=["mat", "chair"], experience="new", conditions=["wrist"])
    dropped = stopped_for_sharp_pain(home, tmp)
    return home, dropped


def test_the_verdict_covers_equipment_experience_stops_and_conditions(
    issue_person: tuple[Path, str],
) -> None:
    home, dropped = issue_person
    person = person_for(home)
    judged = suits_you(person.store, person.catalogue, person.today())
    assert set(judged) == {ex.id for ex in person.catalogue}
    by_id = {ex.id: ex for ex in person.catalogue}

    roller = judged["foam-roll-back"]
    assert roller.status == "excluded" and "equipment" in roller.checks
    assert any("a foam roller" in r and "not in your equipment" in r for r in roller.reasons)

    advanced = [ex for ex in person.catalogue if ex.difficulty > MAX_DIFFICULTY["new"]]
    assert advanced
    for ex in advanced:
        assert judged[ex.id].status == "excluded" and "experience" in judged[ex.id].checks

    stopped = judged[dropped]
    assert stopped.status == "excluded" and "stopped" in stopped.checks
    assert any("left out of your plan" in r for r in stopped.reasons)

    wrist = [ex for ex in person.catalogue if "wrist" in ex.modifications]
    changed = [ex for ex in wrist if judged[ex.id].status == "modified"]
    assert changed, "a wrist condition changes some exercises"
    for ex in changed:
        assert judged[ex.id].modifications == (ex.modifications["wrist"].text,)

    # Not every exercise suits this person, and every reason is a sentence in plain words.
    assert sum(v.status == "excluded" for v in judged.values()) >= len(advanced) + 2
    for exercise_id, verdict in judged.items():
        for reason in verdict.reasons:
            assert reason[:1].isupper() and reason.endswith("."), (exercise_id, reason)
            assert "foam-roller" not in reason and "needs chair" not in reason
        assert by_id[exercise_id]


def test_cli_web_and_plan_json_agree_for_the_same_person(issue_person: tuple[Path, str]) -> None:
    from backcoach.web.app import create_app

    home, dropped = issue_person
    person = person_for(home)
    judged = suits_you(person.store, person.catalogue, person.today())
    excluded = {i for i, v in judged.items() if v.status == "excluded"}
    modified = {i for i, v in judged.items() if v.status == "modified"}
    assert {"foam-roll-back", dropped} <= excluded and modified

    # The CLI, as JSON and as the table people read.
    listed = run_cli("exercises", "list", "--for-me", "--json", home=home, BACKCOACH_TODAY=TODAY)
    assert listed.returncode == 0, listed.stderr
    cli = {row["id"]: row["for_me"] for row in json.loads(listed.stdout)}
    assert {i: v["status"] for i, v in cli.items()} == {i: v.status for i, v in judged.items()}
    assert all(cli[i]["reasons"] == list(judged[i].reasons) for i in judged)
    shown = run_cli("exercises", "show", dropped, home=home, BACKCOACH_TODAY=TODAY)
    assert "Not for you now" in shown.stdout and "Suits you" not in shown.stdout

    # The web library: the "left out for me" filter and each exercise's page.
    client = TestClient(create_app(settings_for(home)), base_url=BASE_URL)
    left = client.get("/library", params={"suits": "not"}).text
    hrefs = set(re.findall(r'href="/library/([a-z0-9-]+)"', left))
    assert hrefs == excluded
    assert left.count("badge-excluded") == len(excluded) and "badge-allowed" not in left
    suiting = client.get("/library", params={"suits": "suits"}).text
    assert set(re.findall(r'href="/library/([a-z0-9-]+)"', suiting)) == set(judged) - excluded
    for exercise_id in ["foam-roll-back", dropped, sorted(modified)[0]]:
        page = html.unescape(client.get(f"/library/{exercise_id}").text)
        title = re.search(r'<p class="verdict-title">([^<]+)</p>', page)
        assert title and title.group(1) == label(judged[exercise_id].status, "verdict")
        for reason in judged[exercise_id].reasons:
            assert reason in page
    api = client.get("/api/exercises", params={"for_me": True}).json()
    assert {row["id"]: row["for_me"]["status"] for row in api} == {
        i: v.status for i, v in judged.items()
    }

    # The plan's JSON: left_out holds exactly the exercises not for the person, as many as
    # the note counts; what the plan holds suits them, changed where the verdict says.
    planned = run_cli("plan", "--json", home=home, BACKCOACH_TODAY=TODAY)
    assert planned.returncode == 0, planned.stderr
    plan = json.loads(planned.stdout)
    not_offered = {lo["exercise_id"]: lo for lo in plan["left_out"] if lo["kind"] == "not-offered"}
    assert set(not_offered) == excluded
    for exercise_id, left in not_offered.items():
        assert left["reasons"] == list(judged[exercise_id].reasons)
    assert any(f"{len(excluded)} exercises are not offered" in note for note in plan["notes"])
    for item in plan["items"]:
        verdict = judged[item["exercise_id"]]
        assert verdict.allowed
        assert (item["modification"] is not None) == (verdict.status == "modified")


def test_a_fresh_profile_is_not_told_everything_suits_it() -> None:
    """The default profile (new to exercise, a mat): level-3 exercises and those needing a
    foam roller are not for it, though it has no condition at all."""
    judged = suits_for_profile(BUILTIN, Profile(), None, DAY)
    assert judged["foam-roll-back"].status == "excluded"
    assert any(v.status == "excluded" and "experience" in v.checks for v in judged.values())
    plan = build_plan(BUILTIN, Profile(), DAY)
    assert {lo.exercise_id for lo in plan.left_out if lo.kind == "not-offered"} == {
        i for i, v in judged.items() if not v.allowed
    }


def test_directions_and_a_flare_up_are_in_the_verdict() -> None:
    profile = Profile(
        equipment=["mat", "chair", "towel", "foam-roller", "wall", "cushion"],
        experience="regular",
        directional_preference="extension",
        avoid_directions=["flexion"],
    )
    judged = suits_for_profile(BUILTIN, profile, None, DAY)
    for ex in BUILTIN:
        if ex.direction == "flexion":
            assert judged[ex.id].status == "excluded"
            assert {"direction-check", "preference"} <= set(judged[ex.id].checks)
            assert any("forwards" in r for r in judged[ex.id].reasons)

    flare = ProgramState(flare_up_until=DAY + dt.timedelta(days=2))
    during = suits_for_profile(BUILTIN, profile, flare, DAY)
    gentle = set(gentle_ids(BUILTIN, profile))
    assert gentle and any(not during[i].allowed for i in judged if i not in gentle)
    for exercise_id, verdict in during.items():
        if exercise_id not in gentle:
            assert not verdict.allowed and "flare-up" in verdict.checks
    plan = build_plan(BUILTIN, profile, DAY, flare, gentle_ids=gentle_ids)
    assert {i.exercise_id for i in plan.items} <= gentle
    assert {lo.exercise_id for lo in plan.left_out if lo.kind == "not-offered"} == {
        i for i, v in during.items() if not v.allowed
    }


def test_nothing_is_offered_unjudged() -> None:
    """Fail closed: each exercise gets a verdict, and a suitable one is never excluded
    without a reason (the unchecked verdict is the only reason-less path, and it says so)."""
    judged = suitability(BUILTIN, Profile(), ProgramState(), DAY)
    assert list(judged) == [ex.id for ex in BUILTIN]
    for verdict in judged.values():
        assert verdict.status != "excluded" or verdict.reasons
        assert UNCHECKED not in verdict.reasons

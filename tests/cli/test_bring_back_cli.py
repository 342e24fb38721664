"""After a sharp-pain stop an exercise is left out "until you and a clinician decide otherwise":
`backcoach exercises bring-back ID` is the way back, with its warning and a confirmation, and
the API and the library page share its rule (services.bring_back). Real processes."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.services.bring_back import left_out
from backcoach.services.plans import todays_plan
from tests.cli.test_start_cli import clear_screen
from tests.conftest import run_cli
from tests.web.conftest import BASE_URL

TODAY = "2024-05-06"


def stopped_for_sharp_pain(home: Path, tmp_path: Path) -> str:
    """Run a session in which the first exercise hurts sharply: the stop rule leaves it out."""
    clear_screen(home, tmp_path, BACKCOACH_TODAY=TODAY)
    person = AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY})
    ).person()
    first = todays_plan(person.store, person.catalogue, person.today()).items[0].exercise_id
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"exercises": {first: {"pain": 3, "sharp": True}}}))
    done = run_cli("start", "--auto", "--answers", str(answers), home=home, BACKCOACH_TODAY=TODAY)
    assert done.returncode == 0, done.stderr
    return first


def plan_ids(home: Path) -> list[str]:
    result = run_cli("plan", "--json", home=home, BACKCOACH_TODAY=TODAY)
    assert result.returncode == 0, result.stderr
    return [item["exercise_id"] for item in json.loads(result.stdout)["items"]]


def test_bring_back_warns_asks_and_puts_the_exercise_back(home: Path, tmp_path: Path) -> None:
    dropped = stopped_for_sharp_pain(home, tmp_path)
    assert dropped not in plan_ids(home)

    # Without a terminal to confirm in, nothing changes: the warning and how to go on.
    asked = run_cli("exercises", "bring-back", dropped, home=home, BACKCOACH_TODAY=TODAY)
    assert asked.returncode == 2
    assert "a clinician" in asked.stdout and "lightest dose" in asked.stdout
    assert "--yes" in asked.stderr
    assert dropped not in plan_ids(home)

    back = run_cli("exercises", "bring-back", dropped, "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert back.returncode == 0, back.stderr
    assert "back into the plan" in back.stdout and "starts again gently" in back.stdout
    assert dropped in plan_ids(home)

    # Once back, there is nothing to bring back; an unknown id names the fix.
    again = run_cli("exercises", "bring-back", dropped, "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert again.returncode == 2 and "is not left out of your plan" in again.stderr
    unknown = run_cli("exercises", "bring-back", "nope", "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert unknown.returncode == 2 and "'nope'" in unknown.stderr


def test_the_api_and_the_library_page_share_the_rule(home: Path, tmp_path: Path) -> None:
    from backcoach.web.app import create_app

    dropped = stopped_for_sharp_pain(home, tmp_path)
    settings = Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY})
    client = TestClient(create_app(settings), base_url=BASE_URL)
    page = client.get(f"/library/{dropped}")
    assert "Left out of your plan" in page.text and "Bring it back" in page.text
    token = client.cookies.get("backcoach_csrf")
    headers = {"X-CSRF-Token": token or ""}

    read = client.get(f"/api/exercises/{dropped}/bring-back")
    assert read.status_code == 200 and "a clinician" in read.json()["warning"]
    unconfirmed = client.post(f"/api/exercises/{dropped}/bring-back", json={}, headers=headers)
    assert unconfirmed.status_code == 409
    assert unconfirmed.json()["detail"]["code"] == "confirm-needed"

    # The page's form, without its box ticked, changes nothing; ticked, it brings it back.
    form = {"csrf_token": token or ""}
    refused = client.post(f"/library/{dropped}/bring-back", data=form, follow_redirects=False)
    assert refused.status_code == 400
    person = AppContext(settings).person()
    assert dropped in left_out(person.store, person.today())
    done = client.post(
        f"/library/{dropped}/bring-back", data={**form, "confirm": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert dropped not in left_out(person.store, person.today())
    shown = client.get(f"/library/{dropped}?back=1")
    assert "is back in your plan" in shown.text and "Left out of your plan" not in shown.text
    twice = client.post(
        f"/api/exercises/{dropped}/bring-back", json={"confirm": True}, headers=headers
    )
    assert twice.status_code == 400 and "not left out" in twice.json()["detail"]["message"]

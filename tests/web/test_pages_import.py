"""Bringing records back from a file on the settings pages, through the TestClient on real
SQLite: a file from "Download all your records" restores them; records already saved are
replaced only when the person ticks the box; too large, not JSON, not an export, no file or an
empty one each get a plain error naming what was wrong (all at once), and change nothing; a
form without its CSRF token is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import PersonContext
from backcoach.config import Settings
from backcoach.services import outcomes
from backcoach.services.checkin import save_checkin
from backcoach.services.sharing import is_empty
from backcoach.web.app import create_app
from tests.web.conftest import BASE_URL, TODAY, person_of, ready_to_exercise
from tests.web.test_pages_checkin import CLI_TEXT, form_token, problem_of


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


@pytest.fixture
def person(app: FastAPI) -> PersonContext:
    result: PersonContext = person_of(app)
    return result


@pytest.fixture
def exported(tmp_path: Path) -> bytes:
    """A real export from another home: a screen, a profile, an activity and a check-in."""
    home = tmp_path / "elsewhere"
    home.mkdir()
    app = create_app(settings_for(home))
    elsewhere = person_of(app)
    ready_to_exercise(elsewhere, minutes=20)
    outcomes.add_activity(elsewhere.store, elsewhere.today(), "putting on socks")
    save_checkin(elsewhere.store, elsewhere.today(), 4, 6, {"putting on socks": 3})
    response = TestClient(app, base_url=BASE_URL).get("/api/export")
    assert response.status_code == 200
    return response.content


def settings_for(home: Path, **extra: str) -> Settings:
    return Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY, **extra})


def upload(
    client: TestClient,
    content: bytes | None,
    name: str = "backcoach-export.json",
    **fields: str,
) -> httpx.Response:
    token = form_token(client.get("/settings/import").text)
    files: dict[str, Any] = (
        {"file": (name, content, "application/json")} if content is not None else {}
    )
    return client.post(
        "/settings/import",
        data={"csrf_token": token, **fields},
        files=files or {"file": ("", b"", "application/octet-stream")},
        follow_redirects=False,
    )


def test_settings_lead_to_the_import_page(client: TestClient) -> None:
    settings = client.get("/settings").text
    assert 'href="/settings/import"' in settings
    page = client.get("/settings/import").text
    assert 'enctype="multipart/form-data"' in page and "Up to 20 MB" in page
    assert 'name="replace"' not in page  # nothing saved yet: nothing to replace


def test_a_downloaded_file_brings_the_records_back(
    client: TestClient, person: PersonContext, exported: bytes
) -> None:
    response = upload(client, exported)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/settings/import?imported=")
    done = client.get(response.headers["location"]).text
    assert "records were brought back from the file" in done
    assert [a.name for a in outcomes.activities(person.store)] == ["putting on socks"]
    assert person.store.current_screen() is not None
    assert 'name="replace"' in done  # now there are records, replacing them needs the box


def test_records_already_saved_are_replaced_only_when_confirmed(
    client: TestClient, person: PersonContext, exported: bytes, web_home: Path
) -> None:
    outcomes.add_activity(person.store, person.today(), "driving")
    refused = upload(client, exported)
    assert refused.status_code == 400
    assert problem_of(refused.text, "replace").startswith("you already have records saved here")
    assert [a.name for a in outcomes.activities(person.store)] == ["driving"]
    replaced = upload(client, exported, replace="yes")
    assert replaced.status_code == 303
    assert [a.name for a in outcomes.activities(person.store)] == ["putting on socks"]
    assert list((web_home / "backups").glob("before-import-*.json"))  # the old ones kept


def test_a_bad_file_and_a_missing_confirmation_are_said_at_once(
    client: TestClient, person: PersonContext
) -> None:
    outcomes.add_activity(person.store, person.today(), "driving")
    response = upload(client, b'{"format": "backcoach-export", ', name="mine.json")
    assert response.status_code == 400
    assert "Please check these 2 things" in response.text
    file_problem = problem_of(response.text, "file")
    assert file_problem.startswith("this is not a file from “Download all your records”")
    assert "mine.json:1:" in file_problem and "Nothing was changed" in file_problem
    assert problem_of(response.text, "replace")
    assert not CLI_TEXT.search(response.text) and "Traceback" not in response.text
    assert [a.name for a in outcomes.activities(person.store)] == ["driving"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (json.dumps({"hello": "world"}).encode(), "this is not a file from"),
        (b"[1, 2, 3]", "this is not a file from"),
        (b"   ", "backcoach-export.json is empty; choose the file you downloaded."),
        (None, "no file was chosen; choose the file you downloaded."),
    ],
)
def test_files_that_are_not_exports_change_nothing(
    client: TestClient, person: PersonContext, content: bytes | None, expected: str
) -> None:
    response = upload(client, content)
    assert response.status_code == 400
    assert expected in problem_of(response.text, "file")
    assert is_empty(person.store)


@pytest.mark.parametrize("size", [1024 * 1024 + 10, 3 * 1024 * 1024])
def test_a_file_over_the_limit_is_refused(tmp_path: Path, size: int) -> None:
    """Just over: refused from the file's size; far over: while the form streams in."""
    home = tmp_path / "small"
    home.mkdir()
    app = create_app(settings_for(home, BACKCOACH_IMPORT_MAX_MB="1"))
    client = TestClient(app, base_url=BASE_URL)
    assert "Up to 1 MB" in client.get("/settings/import").text
    big = b'{"padding": "' + b"x" * size + b'"}'
    response = upload(client, big)
    assert response.status_code == 413
    assert problem_of(response.text, "file").startswith("it is larger than 1 MB")
    assert is_empty(person_of(app).store)


def test_an_import_without_its_token_is_refused(
    client: TestClient, person: PersonContext, exported: bytes
) -> None:
    client.get("/settings/import")
    files = {"file": ("backcoach-export.json", exported, "application/json")}
    assert client.post("/settings/import", files=files).status_code == 403
    assert is_empty(person.store)

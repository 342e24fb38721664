"""POST /api/articles and the article page, on an app made as tests/web makes it, with this
slice's routers included as web/app.py will include them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.articles import MAX_BYTES
from backcoach.web.app import create_app
from tests.articles.corpus import DATA
from tests.articles.test_cli import SCHEMA
from tests.web.conftest import csrf_client, make_settings, person_of, ready_to_exercise


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    home = tmp_path / "home"
    home.mkdir()
    return create_app(make_settings(home), test_client=True)


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    return csrf_client(app)


def test_text_in_json_gives_the_cli_shape(api: TestClient) -> None:
    text = (DATA / "01_clean_howto.md").read_text()
    response = api.post("/api/articles", json={"text": text})
    assert response.status_code == 200
    data = response.json()
    jsonschema.validate(data, SCHEMA)
    assert [e["exercise_id"] for e in data["exercises"]] == [
        "knee-to-chest-single", "pelvic-tilt", "bridge", "cat-cow",
    ]  # fmt: skip


def test_an_uploaded_saved_page(api: TestClient) -> None:
    page = (DATA / "08_saved_nav_comments.html").read_bytes()
    response = api.post("/api/articles", files={"file": ("page.html", page, "text/html")})
    assert response.status_code == 200
    data = response.json()
    assert "sit-to-stand" in [e["exercise_id"] for e in data["exercises"]]
    assert {"comments", "navigation or sharing"} <= {r["reason"] for r in data["removed"]}


def test_refusals_name_the_field_and_the_fix(api: TestClient) -> None:
    url = api.post("/api/articles", json={"text": "https://example.com/back"})
    assert url.status_code == 422
    assert url.json()["detail"]["field"] == "text" and "save" in url.json()["detail"]["message"]
    missing = api.post("/api/articles", files={"file": ("", b"", "text/plain")})
    assert missing.status_code == 422 and missing.json()["detail"]["field"] == "file"
    bad = api.post(
        "/api/articles", content=b"not json", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 422 and "text" in bad.json()["detail"]["fix"]
    huge = api.post(
        "/api/articles", files={"file": ("a.html", b"x" * (MAX_BYTES + 10), "text/html")}
    )
    assert huge.status_code == 413 and "5 MB" in huge.json()["detail"]["message"]


def test_the_page_reads_pasted_text_in_plain_words(app: FastAPI, api: TestClient) -> None:
    form = api.get("/article")
    assert form.status_code == 200 and "Paste" in form.text
    text = (DATA / "12_myths.md").read_text()
    shown = api.post("/article", data={"text": text}, files={"file": ("", b"", "text/plain")})
    assert shown.status_code == 200
    page = shown.text
    assert "Both knees to chest" in page and "Take care" in page
    assert "Answer the warning-sign questions" in page  # no screen yet: no plan
    assert "backcoach article" not in page and "--" not in page.split("<main")[-1]


def test_the_page_shows_what_suits_the_person(app: FastAPI, api: TestClient) -> None:
    ready_to_exercise(person_of(app), conditions=[{"id": "spinal-stenosis"}])
    page = (DATA / "11_extension_series.html").read_bytes()
    shown = api.post("/article", files={"file": ("page.html", page, "text/html")})
    assert shown.status_code == 200
    assert "Not for you now" in shown.text and "Press-up lying on your front" in shown.text


def test_the_page_refuses_a_url_plainly(api: TestClient) -> None:
    shown = api.post("/article", data={"text": "https://example.com"})
    assert shown.status_code == 400 and "web address" in shown.text
    assert json.dumps("Traceback") not in shown.text

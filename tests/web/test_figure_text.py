"""Words outside the pictures (issue 16): the library and the exercise page show the figure
drawn without words and print its pose labels as page text, at the page's own size; the
handout does the same, so its PDF text holds the labels."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.body.figure import pose_labels
from backcoach.services.documents import handout_pdf
from backcoach.services.plans import todays_plan
from tests.reports.test_handout_clinic import page_texts
from tests.web.conftest import BASE_URL, person_of, ready_to_exercise

SVG = "{http://www.w3.org/2000/svg}"


def _client(app: FastAPI) -> TestClient:
    person = person_of(app)
    ready_to_exercise(person, equipment=["mat"])
    return TestClient(app, base_url=BASE_URL)


def _pose_list(page: str) -> list[str]:
    found = re.findall(r'<ol class="pose-labels[^"]*">(.*?)</ol>', page, re.S)
    assert found, "no pose labels on the page"
    return [html.unescape(t) for t in re.findall(r"<li>(.*?)</li>", found[0])]


def test_the_library_shows_pictures_without_words_and_labels_as_text(app: FastAPI) -> None:
    client = _client(app)
    page = client.get("/library", params={"q": "hip hinge"}).text
    assert 'src="/figures/hip-hinge.svg?text=no"' in page
    hinge = person_of(app).catalogue.get("hip-hinge")
    assert _pose_list(page) == pose_labels(hinge)
    # Every card's picture past the first two waits until it is scrolled to.
    everything = client.get("/library").text
    images = re.findall(r'<img class="figure"[^>]*>', everything)
    assert len(images) > 2 and all('loading="lazy"' in img for img in images[2:])
    assert all("?text=no" in img for img in images)


def test_the_picture_without_words_has_no_text_elements(app: FastAPI) -> None:
    client = _client(app)
    plain = client.get("/figures/hip-hinge.svg", params={"text": "no"})
    assert plain.status_code == 200 and plain.headers["etag"]
    root = ET.fromstring(plain.text)
    assert root.findall(f".//{SVG}text") == []
    assert 'class="prop stick"' in plain.text
    # The captioned picture is another drawing with its own tag; both come from memory.
    captioned = client.get("/figures/hip-hinge.svg")
    assert root.findall(f".//{SVG}text") == [] and "<text" in captioned.text
    assert captioned.headers["etag"] != plain.headers["etag"]
    again = client.get(
        "/figures/hip-hinge.svg",
        params={"text": "no"},
        headers={"If-None-Match": plain.headers["etag"]},
    )
    assert again.status_code == 304


def test_the_exercise_page_prints_the_pose_labels(app: FastAPI) -> None:
    client = _client(app)
    page = client.get("/library/hip-hinge").text
    hinge = person_of(app).catalogue.get("hip-hinge")
    assert _pose_list(page) == pose_labels(hinge)
    assert "a stick or broom handle" in page


def test_the_handout_prints_the_pose_labels_as_text(app: FastAPI) -> None:
    person = person_of(app)
    ready_to_exercise(person, equipment=["mat"])
    plan = todays_plan(person.store, person.catalogue, person.today())
    text = " ".join(page_texts(handout_pdf(person.store, person.catalogue, person.today())))
    for item in plan.items:
        for pose in pose_labels(person.catalogue.get(item.exercise_id)):
            assert pose in text, (item.exercise_id, pose)

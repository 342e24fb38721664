"""Article conflicts and advice link to the lesson that covers them (issues 18 and 19): the
``lesson`` key in the JSON, every linked lesson real, and the link on the /article page and in
the command's text output."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.articles import analyse
from backcoach.articles import lessons as links
from backcoach.catalogue import load_default
from backcoach.lessons.loader import builtin_dir, load_library
from backcoach.web.app import create_app
from tests.conftest import run_cli
from tests.web.conftest import csrf_client, make_settings

CATALOGUE, _ = load_default(None)

ARTICLE = """# Five moves for a sore back

Stay in bed for a week until it settles.

Last year a scan showed two bulging discs in my lower back.

Do heavy deadlifts to strengthen your back.

**Press-up:** lie on your stomach and push up with your arms, keep your pelvis on the floor,
hold for a count of ten, 10 times.

Stop if you feel sharp pain, and see a doctor if you have numbness in your groin.

Click here to read more stories like this!
"""


def by_text(items: list[dict[str, object]], start: str) -> dict[str, object]:
    return next(i for i in items if isinstance(i["text"], str) and i["text"].startswith(start))


def test_every_linked_lesson_exists_in_the_built_in_lessons() -> None:
    built_in = load_library([(builtin_dir(), True)], grade=False)
    assert not built_in.problems
    assert links.linked_ids() <= set(built_in.lessons), links.missing_lessons(built_in.lessons)
    # The examples, one per kind of link.
    assert links.CONFLICT_LESSONS["bed-rest"] == "staying-active-in-a-flare-up"
    assert links.CONFLICT_LESSONS["heavy-lifts"] == "bending-and-lifting"
    assert links.ADVICE_LESSONS["guideline:scans"] == "scans"
    assert links.ADVICE_LESSONS["bladder_change"] == "when-to-seek-help"


def test_a_link_to_a_lesson_that_does_not_exist_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(links.CONFLICT_LESSONS, "bouncing", "no-such-lesson")  # type: ignore[index]
    assert links.missing_lessons(links.builtin_lesson_ids()) == ["no-such-lesson"]
    with pytest.raises(LookupError, match="no-such-lesson"):
        links.check_links()


def test_conflicts_and_advice_carry_their_lesson() -> None:
    out = analyse(ARTICLE, CATALOGUE).as_json()
    assert by_text(out["conflicts"], "Stay in bed")["lesson"] == "staying-active-in-a-flare-up"
    assert by_text(out["conflicts"], "Do heavy deadlifts")["lesson"] == "bending-and-lifting"
    scan = by_text(out["advice"], "Last year a scan showed")
    assert scan["maps_to"] == ["guideline:scans"] and scan["lesson"] == "scans"
    signs = by_text(out["advice"], "Stop if you feel sharp pain")
    assert "saddle_numbness" in signs["maps_to"] and signs["lesson"] == "when-to-seek-help"
    # The keys are all still there; ``lesson`` is added to each item.
    for item in out["conflicts"]:
        assert set(item) == {"text", "why", "lesson"}
    for item in out["advice"]:
        assert set(item) == {"text", "maps_to", "note", "lesson"}
    # Missing stop rules link to the lesson with "When to stop".
    missing = [a for a in out["advice"] if a["text"] is None and "stop:spreading" in a["maps_to"]]
    assert missing and missing[0]["lesson"] == "hurt-and-harm"


def test_a_conflict_no_lesson_covers_has_no_link() -> None:
    out = analyse("Bounce into each stretch to loosen up.", CATALOGUE).as_json()
    assert [c["lesson"] for c in out["conflicts"]] == [None]


def test_advice_that_agrees_still_links_its_lesson() -> None:
    out = analyse("Avoid bed rest: stay active and keep moving.", CATALOGUE).as_json()
    assert out["conflicts"] == []
    advice = by_text(out["advice"], "Avoid bed rest")
    assert advice["lesson"] == "staying-active-in-a-flare-up"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    home = tmp_path / "home"
    home.mkdir()
    return create_app(make_settings(home), test_client=True)


def test_the_page_links_each_conflict_to_its_lesson(app: FastAPI) -> None:
    client: TestClient = csrf_client(app)
    page = client.post("/article", data={"text": ARTICLE})
    assert page.status_code == 200, page.text
    html = page.text
    assert (
        'Read more: <a href="/learn/staying-active-in-a-flare-up">Getting through a flare-up'
        in html
    )
    assert '<a href="/learn/bending-and-lifting">Bending and lifting</a>' in html
    assert '<a href="/learn/scans">What a scan can and cannot show</a>' in html
    assert '<a href="/learn/when-to-seek-help">When to get help straight away</a>' in html
    # The link opens the lesson.
    assert client.get("/learn/scans").status_code == 200


def test_the_command_names_the_lesson(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(ARTICLE)
    done = run_cli("article", str(article), home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    assert "Read more: Getting through a flare-up (backcoach learn show " in done.stdout
    assert "staying-active-in-a-flare-up)" in done.stdout
    assert "What a scan can and cannot show (backcoach learn show scans)" in done.stdout

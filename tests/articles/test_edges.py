"""Articles that are hard to read: each gets a clear result or a plain refusal, never a
traceback."""

from __future__ import annotations

import pytest

from backcoach.articles import MAX_BYTES, ArticleError, ArticleTooLarge, analyse
from backcoach.articles.draft import draft_exercise
from backcoach.catalogue.loader import load_file
from backcoach.catalogue.yamlio import read_yaml
from tests.articles.corpus import catalogue


def read(text: str | bytes) -> dict:  # type: ignore[type-arg]
    return analyse(text, catalogue()).as_json()


def test_unknown_exercise_names_are_listed_as_unmatched() -> None:
    out = read(
        "## Superman\nLie on your stomach and lift your arms and legs off the floor. Hold 5 "
        "seconds, 10 times.\n\n## Dead bug\nLie on your back, arms up, and lower the opposite "
        "arm and leg. 8 each side."
    )
    assert out["exercises"] == []
    assert [u["name"] for u in out["unmatched"]] == ["Superman", "Dead bug"]
    assert all(u["evidence"] for u in out["unmatched"])


def test_an_unknown_named_exercise_is_not_taken_for_a_similar_one() -> None:
    """A superman is described much like a press-up; its name says it is not one."""
    out = read("Superman: lie on your stomach and lift your arms and legs. Hold 5 seconds.")
    assert out["exercises"] == [] and out["unmatched"][0]["name"] == "Superman"


def test_an_ambiguous_name_is_settled_by_the_text_or_flagged() -> None:
    settled = read("## Knee to chest\nLie on your back and pull one knee toward your chest.")
    assert [e["exercise_id"] for e in settled["exercises"]] == ["knee-to-chest-single"]
    unsettled = read("Knee to chest: lie on your back and hold the stretch.")
    (only,) = unsettled["exercises"]
    assert only["confidence"] < 0.7
    assert "could also mean" in only["dose_note"]


def test_contradictory_doses_are_explained() -> None:
    out = read("## Bridge\nHold for 10 seconds. Later: hold the bridge for 60 seconds each time.")
    (bridge,) = out["exercises"]
    assert bridge["dose"]["hold_seconds"] == 10
    assert "different holds" in bridge["dose_note"]


def test_an_article_with_no_exercises() -> None:
    out = read("# Why backs hurt\n\nBack pain is common. Most back pain gets better in weeks.")
    assert out["exercises"] == [] and out["unmatched"] == []
    assert out["kept"]


def test_a_non_english_article_is_said_to_be_so() -> None:
    out = read(
        "# Übungen für den Rücken\n\nLegen Sie sich auf den Bauch und stützen Sie sich auf die "
        "Unterarme. Halten Sie die Position für dreißig Sekunden und wiederholen Sie die Übung "
        "zehnmal am Tag, wenn es Ihnen gut tut."
    )
    assert out["exercises"] == [] and out["kept"] == []
    assert {r["reason"] for r in out["removed"]} == {"not in English"}


def test_more_than_five_megabytes_is_refused_plainly() -> None:
    page = "<html><body>" + "<p>Lie on your back.</p>" * (MAX_BYTES // 20) + "</body></html>"
    assert len(page) > MAX_BYTES
    with pytest.raises(ArticleTooLarge, match="more than the 5 MB"):
        analyse(page, catalogue())


@pytest.mark.slow
def test_a_large_page_under_the_limit_is_read() -> None:
    filler = "<p>Unrelated words about a garden party and a new car and the weather.</p>" * 20000
    page = (
        "<html><body><article><h1>Bridge</h1><p>Lie on your back with your knees bent and lift "
        f"your hips. Repeat 10 times.</p></article><div class='sidebar'>{filler}</div>"
        "</body></html>"
    )
    assert 1_000_000 < len(page) < MAX_BYTES
    out = read(page)
    assert [e["exercise_id"] for e in out["exercises"]] == ["bridge"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><h2>Bridge<p>Lie on your back and lift your hips. Repeat 10 times.<div>",
        "<p>Bridge: lie on your back and lift your hips</b></i></span> Repeat 10 times.",
        "<<<>>><html><body><<p>>Bridge: lie on your back and lift your hips. Repeat 10 times.",
    ],
)
def test_broken_html_still_gives_a_result(html: str) -> None:
    out = read(html)
    assert [e["exercise_id"] for e in out["exercises"]] == ["bridge"]


def test_binary_rubbish_gives_a_result() -> None:
    out = read(bytes(range(256)) * 10)
    assert out["exercises"] == []


@pytest.mark.parametrize("url", ["https://example.com/back-exercises", "www.example.com/x"])
def test_a_url_is_refused_with_a_plain_message(url: str) -> None:
    with pytest.raises(ArticleError, match="save it"):
        analyse(url, catalogue())


def test_an_empty_article_is_refused() -> None:
    with pytest.raises(ArticleError, match="empty"):
        analyse("  \n ", catalogue())


def test_advice_missing_from_the_article_is_named() -> None:
    out = read("Stop if you feel sharp pain. Lie on your back and hug both knees to your chest.")
    missing = [a for a in out["advice"] if a["text"] is None]
    named = {m for a in missing for m in a["maps_to"]}
    assert "stop:spreading" in named and "bladder_change" in named
    assert "stop:sharp-pain" not in named


def test_advice_that_agrees_is_not_a_conflict() -> None:
    out = read("Avoid bed rest. Never crack your own back. Don't bounce.")
    assert out["conflicts"] == []
    conflicts = read("Rest in bed for three days. Crack your own back to realign it.")["conflicts"]
    assert len(conflicts) == 2


def test_a_draft_for_an_unmatched_exercise_passes_the_catalogue_checks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from backcoach.articles.draft import draft_yaml

    result = analyse(
        "## Superman\nLie on your stomach. Lift your arms and legs off the floor. Hold 5 "
        "seconds and repeat 10 times.",
        catalogue(),
    )
    data = draft_exercise(result.unmatched[0], "Back tips", set())
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(draft_yaml(data))
    exercise, problems = load_file(path)
    assert problems == [] and exercise is not None
    assert exercise.position == "prone" and exercise.dose.reps is not None
    assert exercise.dose.reps.default == 10
    assert read_yaml(path) is not None

"""The test articles (tests/articles/data, one per style the issue lists) against their
expectations: precision and recall of exercise matches and of noise removal (printed, and at
least 90% each), no exercise-bearing statement removed, and each article's doses, unmatched
exercises, advice and conflicts as written beside it."""

from __future__ import annotations

import pytest

from tests.articles.corpus import Score, articles, expectations, run, score

TARGET = 0.9


def test_there_are_at_least_twelve_articles_each_with_expectations() -> None:
    found = articles()
    assert len(found) >= 12
    for article in found:
        assert article.with_suffix(".yaml").is_file(), article
        assert expectations(article).get("style")


@pytest.fixture(scope="module")
def total() -> Score:
    total = Score()
    for article in articles():
        score(article, run(article), total)
    return total


def test_precision_and_recall_of_matches_and_noise(total: Score) -> None:
    print(
        f"\nexercise matches: precision {total.match_precision:.0%} "
        f"({total.match_right}/{total.match_found}), recall {total.match_recall:.0%} "
        f"({total.match_recalled}/{total.match_expected})"
        f"\nnoise removal:    precision {total.noise_precision:.0%} "
        f"({total.noise_right}/{total.noise_removed}), recall {total.noise_recall:.0%} "
        f"({total.noise_recalled}/{total.noise_expected})"
    )
    for problem in total.problems:
        print("  ", problem)
    assert total.match_precision >= TARGET
    assert total.match_recall >= TARGET
    assert total.noise_precision >= TARGET
    assert total.noise_recall >= TARGET


def test_no_exercise_bearing_statement_is_removed(total: Score) -> None:
    assert [p for p in total.problems if "not kept" in p] == []


@pytest.mark.parametrize("article", articles(), ids=lambda p: p.stem)
def test_each_article_as_expected(article: object) -> None:
    one = Score()
    score(article, run(article), one)  # type: ignore[arg-type]
    assert one.problems == []


def test_removed_statements_each_have_a_reason_from_the_list() -> None:
    from backcoach.articles import noise

    reasons = {
        noise.ADVERTISING, noise.LINK_BAIT, noise.UNRELATED, noise.COMMENTS, noise.RELATED,
        noise.CLINIC, noise.NAVIGATION, noise.OUTSIDE, noise.NOT_ENGLISH,
    }  # fmt: skip
    for article in articles():
        for text, reason in run(article).removed:
            assert text.strip() and reason in reasons

"""docs/safety.md is tested: every sign, tier rule and restriction rule is documented, and the
tables agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backcoach.safety.conditions import FIRST_TRIMESTER_END_WEEK
from backcoach.safety.gate import SCREEN_VALID_DAYS
from backcoach.safety.restriction_rules import RULES, Rule
from backcoach.safety.signs import SIGN_IDS, TIER_RULES, TierRule

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"
ACTION_WORDS = {"exclude": "exclude", "modify": "modify", "note": "note only"}


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows whose first cell is a `code` id, keyed by that id."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = re.match(r"^\| `([a-z0-9_-]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


@pytest.mark.parametrize("sign_id", SIGN_IDS)
def test_every_sign_is_documented_with_its_tier(text: str, sign_id: str) -> None:
    row = table_rows(text).get(sign_id)
    assert row is not None, f"docs/safety.md has no table row for sign `{sign_id}`"
    alone = [r.tier for r in TIER_RULES if r.all_of == {sign_id} and not r.any_of]
    documented = row[-1]
    assert documented.startswith(alone[0] if alone else "none")


@pytest.mark.parametrize("rule", [r for r in TIER_RULES if r.any_of], ids=lambda r: r.id)
def test_every_combination_rule_is_documented_with_its_tier(text: str, rule: TierRule) -> None:
    row = table_rows(text).get(rule.id)
    assert row is not None, f"docs/safety.md has no table row for rule `{rule.id}`"
    assert row[1].startswith(rule.tier)
    for sign_id in rule.all_of | rule.any_of:
        assert f"`{sign_id}`" in row[0]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_restriction_rule_is_documented_with_its_action(text: str, rule: Rule) -> None:
    row = table_rows(text).get(rule.id)
    assert row is not None, f"docs/safety.md has no table row for rule `{rule.id}`"
    assert row[2] == ACTION_WORDS[rule.action]
    for tag in rule.tags:
        assert f"`{tag}`" in row[1]


def test_the_documented_sign_and_rule_rows_are_all_real(text: str) -> None:
    known = set(SIGN_IDS) | {r.id for r in TIER_RULES} | {r.id for r in RULES}
    assert set(table_rows(text)) <= known


def test_thresholds_are_documented(text: str) -> None:
    assert f"{SCREEN_VALID_DAYS} days (`SCREEN_VALID_DAYS`)" in text
    assert f"week {FIRST_TRIMESTER_END_WEEK} (`FIRST_TRIMESTER_END_WEEK`)" in text

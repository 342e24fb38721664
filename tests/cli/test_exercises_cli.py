from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import run_cli


def test_list_json_gives_full_objects(home: Path) -> None:
    result = run_cli("exercises", "list", "--json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_id = {e["id"]: e for e in data}
    assert "prone-press-up" in by_id
    assert by_id["prone-press-up"]["dose"]["hold_seconds"]["default"] == 10


def test_list_filters_and_rejects_unknown_category(home: Path) -> None:
    result = run_cli("exercises", "list", "--position", "prone", "--json", home=home)
    assert {e["position"] for e in json.loads(result.stdout)} == {"prone"}
    bad = run_cli("exercises", "list", "--category", "stretchy", home=home)
    assert bad.returncode == 2
    assert "stretchy" in bad.stderr and "stretch" in bad.stderr


def test_show_card_and_unknown_id(home: Path) -> None:
    result = run_cli("exercises", "show", "prone-press-up", home=home)
    assert result.returncode == 0
    flat = re.sub(r"[\s│]+", " ", result.stdout)  # undo the card's line wrapping
    assert "“Hands under your shoulders.”" in flat
    assert "wrist: Stay propped on your forearms" in flat
    missing = run_cli("exercises", "show", "prone-pressup", home=home)
    assert missing.returncode == 2
    assert "did you mean prone-press-up" in missing.stderr

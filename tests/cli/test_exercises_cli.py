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
    assert "Wrist problems: Stay propped on your forearms" in flat  # conditions in words
    missing = run_cli("exercises", "show", "prone-pressup", home=home)
    assert missing.returncode == 2
    assert "did you mean prone-press-up" in missing.stderr


HEAVY = ("backcoach.catalogue.model", "sqlalchemy", "matplotlib", "weasyprint", "ruamel.yaml")
"""What `exercises list` must not import once the catalogue cache is warm (start-up time)."""


def imported_by(home: Path, *args: str) -> tuple[str, list[str]]:
    """Run the CLI in a fresh interpreter; its output and which of HEAVY it imported."""
    import os
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys\n"
        f"sys.argv = ['backcoach', *{list(args)!r}]\n"
        "from backcoach.cli.app import main\n"
        "out = io.StringIO()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(out):\n"
        "    main()\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
        "print(out.getvalue())\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update(BACKCOACH_HOME=str(home), COLUMNS="200", NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, check=True
    )
    heavy, _, output = done.stdout.partition("\n")
    return output, json.loads(heavy.replace("'", '"'))


def test_list_reads_the_cache_without_building_the_models(home: Path) -> None:
    first, heavy_first = imported_by(home, "exercises", "list", "--json")
    assert "backcoach.catalogue.model" in heavy_first  # no cache yet: a full load
    again, heavy_again = imported_by(home, "exercises", "list", "--json")
    assert heavy_again == []
    assert json.loads(again) == json.loads(first)
    table, heavy_table = imported_by(home, "exercises", "list", "--category", "stretch")
    assert heavy_table == []
    assert "4 exercises" in table
    _, heavy_for_me = imported_by(home, "exercises", "list", "--for-me")
    assert "backcoach.catalogue.model" in heavy_for_me  # verdicts need the real models


def test_an_own_file_shows_in_the_fast_listing_and_a_broken_one_is_still_reported(
    home: Path,
) -> None:
    from tests.catalogue.test_user_files import VALID

    (home / "exercises").mkdir(parents=True, exist_ok=True)
    (home / "exercises" / "heel-slide.yaml").write_text(VALID)
    run_cli("exercises", "list", home=home)
    listed = run_cli("exercises", "list", home=home)
    # The id column holds the id alone (to copy); the name says it is the person's own.
    assert re.search(r"heel-slide +│ [^│]*\(your own\)", listed.stdout)
    (home / "exercises" / "broken.yaml").write_text("id: broken\nname: [\n")
    broken = run_cli("exercises", "list", home=home)
    assert broken.returncode == 0
    assert "1 problem(s) in your own exercise files" in broken.stderr  # not a stale listing
    assert re.search(r"heel-slide +│ [^│]*\(your own\)", broken.stdout)

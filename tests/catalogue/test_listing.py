"""The catalogue listed from its cache (catalogue.listing) says exactly what a full load says,
and gives up (None) whenever the files or the cache are not what the last clean load saw."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backcoach.catalogue import load_default
from backcoach.catalogue.listing import cached_listing
from tests.catalogue.test_user_files import VALID


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    user = tmp_path / "exercises"
    user.mkdir()
    (user / "heel-slide.yaml").write_text(VALID)
    return user, tmp_path / "cache" / "catalogue.json"


def full(user: Path, cache: Path) -> list[tuple[dict[str, object], bool]]:
    catalogue, problems = load_default(user, cache_file=cache)
    assert not problems
    return [(ex.model_dump(mode="json"), catalogue.is_builtin(ex.id)) for ex in catalogue]


def listed(user: Path, cache: Path) -> list[tuple[dict[str, object], bool]] | None:
    rows = cached_listing(user, cache)
    return None if rows is None else [(row.data, row.builtin) for row in rows]


def test_the_listing_is_the_full_load(folders: tuple[Path, Path]) -> None:
    user, cache = folders
    assert listed(user, cache) is None  # no cache yet
    expected = full(user, cache)
    assert listed(user, cache) == expected
    assert ("heel-slide", False) in [(data["id"], builtin) for data, builtin in expected]
    assert len(expected) > 20


def test_a_changed_added_or_removed_file_means_a_full_load(folders: tuple[Path, Path]) -> None:
    user, cache = folders
    full(user, cache)
    own = user / "heel-slide.yaml"
    own.write_text(VALID.replace("name: Heel slide", "name: Heel slides"))
    os.utime(own, ns=(1, 1))  # a different modification time, whatever the clock does
    assert listed(user, cache) is None
    assert [d["name"] for d, _ in full(user, cache) if d["id"] == "heel-slide"] == ["Heel slides"]
    assert [r.name for r in cached_listing(user, cache) or [] if r.id == "heel-slide"] == [
        "Heel slides"
    ]
    (user / "heel-slide-two.yaml").write_text(VALID.replace("id: heel-slide", "id: heel-slide-two"))
    assert listed(user, cache) is None
    full(user, cache)
    (user / "heel-slide-two.yaml").unlink()
    assert listed(user, cache) is None


def test_a_load_with_problems_leaves_no_listing(folders: tuple[Path, Path]) -> None:
    user, cache = folders
    full(user, cache)
    (user / "broken.yaml").write_text(VALID.replace("id: heel-slide", "id: bird-dog"))
    _, problems = load_default(user, cache_file=cache)
    assert problems  # bird-dog is a built-in id
    assert listed(user, cache) is None
    (user / "broken.yaml").unlink()
    assert listed(user, cache) is None  # until a clean load records one again
    full(user, cache)
    assert listed(user, cache) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not json",
        lambda text: text.replace('"listing": [', '"listing": [7, '),
        lambda text: text.replace('\\"name\\":\\"Bird dog\\"', '\\"name\\":7'),
        lambda text: text.replace('\\"id\\":\\"bird-dog\\"', '\\"id\\":null'),
    ],
    ids=["not-json", "listing-of-numbers", "name-not-text", "id-missing"],
)
def test_a_damaged_cache_means_a_full_load(folders: tuple[Path, Path], damage: object) -> None:
    user, cache = folders
    full(user, cache)
    text = cache.read_text()
    damaged = damage(text)  # type: ignore[operator]
    assert damaged != text
    cache.write_text(damaged)
    assert listed(user, cache) is None


def test_listing_does_not_build_the_models() -> None:
    code = (
        "import sys, backcoach.catalogue.listing, backcoach.catalogue.vocabulary; "
        "print(sorted(m for m in ('pydantic', 'ruamel.yaml', 'backcoach.catalogue.model') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""The test articles (tests/articles/data) and their expectations, and how a result is scored
against them: precision and recall of exercise matches and of noise removal."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from backcoach.articles import Analysis, analyse
from backcoach.catalogue.loader import load_default

DATA = Path(__file__).parent / "data"
ARTICLE_SUFFIXES = (".md", ".txt", ".html")


def articles() -> list[Path]:
    return sorted(p for p in DATA.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.name[0].isdigit())


def expectations(article: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(article.with_suffix(".yaml").read_text())
    return data


_CATALOGUE = None


def catalogue() -> Any:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE, problems = load_default(None)
        assert not problems
    return _CATALOGUE


def run(article: Path) -> Analysis:
    return analyse(article.read_bytes(), catalogue())


def _has(texts: list[str], needle: str) -> bool:
    needle = needle.lower()
    return any(needle in t.lower() for t in texts)


@dataclass
class Score:
    """Counts over all articles (micro-averaged)."""

    match_found: int = 0
    match_right: int = 0
    match_expected: int = 0
    match_recalled: int = 0
    noise_removed: int = 0
    noise_right: int = 0
    noise_expected: int = 0
    noise_recalled: int = 0
    problems: list[str] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def match_precision(self) -> float:
        return self.ratio(self.match_right, self.match_found)

    @property
    def match_recall(self) -> float:
        return self.ratio(self.match_recalled, self.match_expected)

    @property
    def noise_precision(self) -> float:
        return self.ratio(self.noise_right, self.noise_removed)

    @property
    def noise_recall(self) -> float:
        return self.ratio(self.noise_recalled, self.noise_expected)


def score(article: Path, result: Analysis, total: Score) -> None:
    """Add one article's result to ``total``; anything wrong is noted in ``total.problems``."""
    want = expectations(article)
    name = article.name
    expected_ids = [e["id"] for e in want.get("exercises", [])]
    found_ids = [m.exercise_id for m in result.exercises]
    total.match_found += len(found_ids)
    total.match_right += sum(1 for i in found_ids if i in expected_ids)
    total.match_expected += len(expected_ids)
    total.match_recalled += sum(1 for i in expected_ids if i in found_ids)
    for i in found_ids:
        if i not in expected_ids:
            total.problems.append(f"{name}: unexpected match {i}")
    by_id = {m.exercise_id: m for m in result.exercises}
    for e in want.get("exercises", []):
        got = by_id.get(e["id"])
        if got is None:
            total.problems.append(f"{name}: missed {e['id']}")
            continue
        dose = got.dose.as_json()
        for key in ("hold_seconds", "reps", "sets", "per_side"):
            if key in e and dose[key] != e[key]:
                total.problems.append(f"{name}: {e['id']} {key} {dose[key]!r} != {e[key]!r}")
    unmatched = [u.name for u in result.unmatched]
    for u in want.get("unmatched", []):
        if not _has(unmatched, u):
            total.problems.append(f"{name}: unmatched {u!r} not listed (got {unmatched})")
    removed_texts = [t for t, _ in result.removed]
    expected_removed = want.get("removed", [])
    maybe = [m.lower() for m in want.get("maybe_removed", [])]
    for text, reason in result.removed:
        low = text.lower()
        hit = [r for r in expected_removed if r["text"].lower() in low]
        if any(m in low for m in maybe) and not hit:
            continue
        total.noise_removed += 1
        if hit:
            total.noise_right += 1
            if hit[0].get("reason") and hit[0]["reason"] != reason:
                total.problems.append(
                    f"{name}: {text!r} removed as {reason}, not {hit[0]['reason']}"
                )
        else:
            total.problems.append(f"{name}: removed but not noise: {text!r} ({reason})")
    total.noise_expected += len(expected_removed)
    for r in expected_removed:
        if _has(removed_texts, r["text"]):
            total.noise_recalled += 1
        else:
            total.problems.append(f"{name}: noise not removed: {r['text']!r}")
    for k in want.get("kept", []):
        if not _has(result.kept, k) or _has(removed_texts, k):
            total.problems.append(f"{name}: exercise statement not kept: {k!r}")
    maps = {m for a in result.advice if a.text is not None for m in a.maps_to}
    for m in want.get("advice", []):
        if m not in maps:
            total.problems.append(f"{name}: advice {m} not found (got {sorted(maps)})")
    conflict_texts = [c.text for c in result.conflicts]
    for c in want.get("conflicts", []):
        if not _has(conflict_texts, c):
            total.problems.append(f"{name}: conflict {c!r} not flagged")

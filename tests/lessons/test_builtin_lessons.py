"""Every built-in lesson validates, cites a source in every section, reads at grade 8 or
below (each grade printed: run with -s to see them), and the choice order names them all."""

from __future__ import annotations

import pytest

from backcoach.catalogue.files import builtin_dir as exercises_dir
from backcoach.catalogue.files import yaml_files
from backcoach.lessons.choose import ORDER
from backcoach.lessons.loader import builtin_dir, lesson_files, load_file, load_library
from backcoach.lessons.text import MAX_GRADE, MAX_PARAGRAPH_WORDS, blocks

ISSUE_19_TOPICS = {
    "hurt-and-harm",
    "why-movement-helps",
    "staying-active-in-a-flare-up",
    "pacing",
    "fear-of-movement",
    "sleep",
    "stress-and-pain",
    "sitting-and-work",
    "bending-and-lifting",
    "weight-and-smoking",
    "scans",
    "when-to-seek-help",
    "directional-preference",
    "how-your-programme-adapts",
    "keeping-going",
}
"""The fifteen lessons issue 19 lists, by the ids they have here."""

FILES = lesson_files(builtin_dir())


def test_there_are_the_lessons_the_issue_asks_for() -> None:
    assert len(FILES) >= 15
    assert {p.stem for p in FILES} >= ISSUE_19_TOPICS
    assert set(ORDER) == {p.stem for p in FILES}, "ORDER must name every built-in lesson"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_lesson_validates_cites_and_reads_at_grade_8(path: object) -> None:
    exercise_ids = {p.stem for p in yaml_files(exercises_dir())}  # named by id (checked)
    lesson, problems = load_file(path, builtin=True, exercise_ids=exercise_ids)  # type: ignore[arg-type]
    assert problems == [], "\n".join(map(str, problems))
    assert lesson is not None and lesson.grade is not None
    print(f"\n{lesson.id}: grade {lesson.grade:.1f}")
    assert lesson.grade <= MAX_GRADE
    assert lesson.sections
    declared = {s.key for s in lesson.header.sources}
    for section in lesson.sections:
        assert section.source_keys, f"{lesson.id}: section {section.heading!r} has no source"
        assert set(section.source_keys) <= declared
        for _, block in blocks(section.markdown):
            assert len(block.split()) <= MAX_PARAGRAPH_WORDS
    # every source shows in the text people see, next to its section
    shown = lesson.markdown()
    assert all(s.cite in shown for s in lesson.header.sources)
    assert "[sources:" not in shown


def test_the_library_loads_them_all_without_problems() -> None:
    library = load_library([(builtin_dir(), True)])
    assert library.problems == []
    assert len(library) == len(FILES)

"""Which lesson covers a flagged conflict or a piece of advice (issues 18 and 19): the one
place that links the article reader to the Learn lessons, so a person told "bed rest is not
advised" can read *Getting through a flare-up* next.

The links are by lesson id. The ids are checked against the built-in lesson files when this
module is imported (``check_links``): a renamed or removed lesson fails loudly here and in the
tests, never as a dead link on a page.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from backcoach.safety.signs import SIGNS_BY_ID

STAYING_ACTIVE = "staying-active-in-a-flare-up"
HURT_AND_HARM = "hurt-and-harm"
SEEK_HELP = "when-to-seek-help"
LIFTING = "bending-and-lifting"
SCANS = "scans"
PACING = "pacing"

CONFLICT_LESSONS: Mapping[str, str] = {
    "bed-rest": STAYING_ACTIVE,
    "heavy-lifts": LIFTING,
    "push-through-pain": HURT_AND_HARM,
}
"""A conflict's topic (``advice.CONFLICTS``) -> the lesson that explains what to do instead.
Topics without a lesson (bouncing, cracking your own back...) link nowhere."""

ADVICE_LESSONS: Mapping[str, str] = {
    "guideline:stay-active": STAYING_ACTIVE,
    "guideline:hurt-not-harm": HURT_AND_HARM,
    "guideline:progression": PACING,
    "guideline:scans": SCANS,
    "guideline:see-clinician": SEEK_HELP,
    "stop:sharp-pain": HURT_AND_HARM,
    "stop:spreading": HURT_AND_HARM,
    "stop:numbness": HURT_AND_HARM,
    "stop:too-much-pain": HURT_AND_HARM,
    **dict.fromkeys(SIGNS_BY_ID, SEEK_HELP),
}
"""An advice item's ``maps_to`` id -> its lesson. Every warning sign of the screen goes to
*When to get help straight away*; every stop rule to *Hurt is not the same as harm* (its
"When to stop" section)."""


def lesson_for_conflict(topic: str) -> str | None:
    return CONFLICT_LESSONS.get(topic)


def lesson_for_advice(maps_to: Iterable[str]) -> str | None:
    """The lesson for an advice item: a warning sign's lesson first (safety before comfort),
    else the first of its ids that has one."""
    ids = list(maps_to)
    if any(i in SIGNS_BY_ID for i in ids):
        return SEEK_HELP
    return next((ADVICE_LESSONS[i] for i in ids if i in ADVICE_LESSONS), None)


def linked_ids() -> set[str]:
    return set(CONFLICT_LESSONS.values()) | set(ADVICE_LESSONS.values())


def missing_lessons(known: Collection[str]) -> list[str]:
    """The linked lesson ids that are not in ``known`` (a list of lesson ids), sorted."""
    return sorted(linked_ids() - set(known))


def builtin_lesson_ids() -> set[str]:
    """The built-in lessons' ids: their file names (a lesson's id must match its file name,
    ``lessons.loader``), read without parsing the files, so the check costs one listing."""
    from backcoach.lessons.loader import builtin_dir, lesson_files

    return {path.stem for path in lesson_files(builtin_dir())}


def check_links() -> None:
    """Refuse to load with a link to a lesson that does not exist (a programming error: the
    mapping above names the lessons shipped with backcoach)."""
    missing = missing_lessons(builtin_lesson_ids())
    if missing:
        raise LookupError(
            f"backcoach.articles.lessons links to lessons that do not exist: {', '.join(missing)}"
            "; fix CONFLICT_LESSONS / ADVICE_LESSONS to use ids of files in lessons/data"
        )


check_links()

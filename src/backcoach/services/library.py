"""The exercise library as the person sees it: the built-ins with their own files.

Loading checks the person's own files with the body model's pose checks (imported only when
there are own files: they pull in the drawing code); ``check_catalogue`` checks every file,
built-ins included, and is never served from the cache.
"""

from __future__ import annotations

from pathlib import Path

from backcoach.catalogue.files import builtin_dir, cache_file, yaml_files
from backcoach.catalogue.loader import (
    Catalogue,
    ExtraCheck,
    Problem,
    UnknownExercise,
    load_catalogue,
    load_default,
)


def _pose_checks() -> list[ExtraCheck]:
    # Imported here: the body model and the camera coach's checks are heavy, and only files
    # the person wrote need them at load time.
    from backcoach.body.checks import check_exercise
    from backcoach.body.versions import check_versions
    from backcoach.motion.checks import check_coach

    return [check_exercise, check_versions, check_coach]


def load_user_catalogue(home: Path, exercises_dir: Path) -> tuple[Catalogue, list[Problem]]:
    """Built-in exercises and the valid ones of ``exercises_dir``, with the problems of the
    files left out; cached in ``home/cache``."""
    checks = _pose_checks() if yaml_files(exercises_dir) else []
    return load_default(exercises_dir, cache_file=cache_file(home), user_checks=checks)


def check_catalogue(folder: Path) -> tuple[Catalogue, list[Problem]]:
    """Validate the built-ins together with the files of ``folder``, so a file that reuses a
    built-in id or links to a missing exercise is caught."""
    return load_catalogue([(builtin_dir(), True), (folder, False)], extra_checks=_pose_checks())


def exercise_name(catalogue: Catalogue, exercise_id: str) -> str:
    """The exercise's name, or its id when it is no longer in the catalogue."""
    try:
        return catalogue.get(exercise_id).name
    except UnknownExercise:
        return exercise_id

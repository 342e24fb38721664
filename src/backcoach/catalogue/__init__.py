"""The exercise catalogue: the Exercise model and loading validated YAML files."""

from backcoach.catalogue.loader import (
    Catalogue,
    Problem,
    UnknownExercise,
    builtin_dir,
    load_catalogue,
    load_default,
    load_file,
)
from backcoach.catalogue.model import Exercise

__all__ = [
    "Catalogue",
    "Exercise",
    "Problem",
    "UnknownExercise",
    "builtin_dir",
    "load_catalogue",
    "load_default",
    "load_file",
]

"""The exercise catalogue: the Exercise model and loading validated YAML files.

The names below are imported on first use, so ``import backcoach.catalogue.listing`` (the
fast ``exercises list``) does not build the pydantic models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcoach.catalogue.errors import UnknownExercise
    from backcoach.catalogue.files import builtin_dir
    from backcoach.catalogue.loader import (
        Catalogue,
        Problem,
        load_catalogue,
        load_default,
        load_file,
    )
    from backcoach.catalogue.model import Exercise

_WHERE = {
    "Catalogue": "loader",
    "Problem": "loader",
    "UnknownExercise": "errors",
    "load_catalogue": "loader",
    "load_default": "loader",
    "load_file": "loader",
    "builtin_dir": "files",
    "Exercise": "model",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)

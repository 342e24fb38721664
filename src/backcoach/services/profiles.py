"""The person's profile: read back validated, changed only as a whole valid profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from backcoach.errors import (
    FieldsRejected,
    ProfileUnreadable,
    describe_validation,
    validation_problems,
)
from backcoach.planning.profile import Profile

if TYPE_CHECKING:
    from backcoach.records.store import Store


def load_profile(store: Store) -> Profile:
    """The saved profile, or the defaults when none was saved yet.

    A saved profile that no longer validates (edited by hand, damaged) is never guessed at:
    it raises ProfileUnreadable naming the field, so nothing is planned from it."""
    return profile_from(store.load_profile())


def profile_from(data: Any) -> Profile:
    """The profile saved as ``data`` (None: nothing saved, the defaults), validated again."""
    if data is None:
        return Profile()
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileUnreadable(describe_validation(exc, "saved profile", Profile)) from None


def has_profile(store: Store) -> bool:
    return store.load_profile() is not None


def update_profile(store: Store, **changes: Any) -> Profile:
    """Apply changes to the saved profile; nothing is saved unless all of it is valid
    (FieldsRejected names every field that is not)."""
    profile = changed_profile(store, **changes)
    store.save_profile(profile.model_dump(mode="json"))
    return profile


def changed_profile(store: Store, **changes: Any) -> Profile:
    """The saved profile with ``changes`` (None: unchanged) applied and checked, not saved."""
    saved = store.load_profile()
    try:
        current = profile_from(saved).model_dump(mode="json")
    except ProfileUnreadable:
        # Start from what was saved, so the changes can mend the field that is wrong.
        current = dict(saved) if isinstance(saved, dict) else {}
    current.update({k: v for k, v in changes.items() if v is not None})
    try:
        return Profile.model_validate(current)
    except ValidationError as exc:
        raise FieldsRejected("profile", validation_problems(exc, Profile)) from None

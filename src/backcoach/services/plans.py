"""Plans: today's for the saved profile (only while the screen allows one), or one from a
profile given as data (a clinician's file), and the restriction verdicts behind them.

A clinic patient with a programme their clinician assigned (``clinic.programmes``) gets its
current version as today's plan instead of backcoach's own; ``plan_from`` is the one place
that chooses, for ``todays_plan`` and ``todays_plan_to_show`` alike. Without one (personal
mode, a patient with none yet), nothing changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from backcoach.body.cache import fingerprint
from backcoach.clinic.programmes import Assigned, assigned, to_plan
from backcoach.errors import BackcoachError, PlanRefused, describe_validation
from backcoach.planning.flare import flare_up_exercise_ids
from backcoach.planning.planner import build_plan
from backcoach.planning.profile import MAX_MINUTES, MIN_MINUTES, Profile
from backcoach.planning.select import eligible
from backcoach.safety.gate import known_tier, plan_gate
from backcoach.safety.restrictions import assess_all
from backcoach.safety.signs import TIER_ORDER
from backcoach.services.profiles import load_profile, profile_from
from backcoach.services.progression import program_state
from backcoach.services.screening import gate

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.planning.plan import Plan
    from backcoach.planning.state import ProgramState
    from backcoach.records.store import Store
    from backcoach.safety.restrictions import Verdict


def verdicts(catalogue: Catalogue, profile: Profile, today: dt.date) -> dict[str, Verdict]:
    """Each exercise's verdict (allowed, modified or not allowed) for this profile today."""
    return assess_all(catalogue, profile.conditions, today)


def todays_plan(
    store: Store,
    catalogue: Catalogue,
    today: dt.date,
    date: dt.date | None = None,
    minutes: int | None = None,
) -> Plan:
    """The plan for the saved profile (for ``date``, by default today); PlanRefused while the
    screen does not allow one."""
    allowed = gate(store, today)
    if not allowed.allowed:
        raise PlanRefused(allowed.reason, allowed.code)
    profile = load_profile(store)
    state = program_state(store, today)
    return plan_from(catalogue, profile, date or today, minutes, state, assigned(store))


def plan_from(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    minutes: int | None,
    state: ProgramState,
    programme: Assigned | None,
) -> Plan:
    """The clinician's programme when one is assigned, else backcoach's own plan. No gate
    check: callers check the screen first, and a programme never gets past a refusal."""
    if programme is None:
        return build(catalogue, profile, day, minutes, state)
    _check_minutes(minutes)
    return to_plan(catalogue, programme, verdicts(catalogue, profile, day), day)


def todays_plan_to_show(
    store: Store, catalogue: Catalogue, today: dt.date, minutes: int | None = None
) -> BuiltPlan:
    """Today's plan for reading (a page, the API): the screen, the profile and the programme
    state read once, in one read transaction, and the plan built from them kept
    (``built_plan``). PlanRefused while the screen does not allow one, as ``todays_plan``.

    The person's revision tag (``records.revision``) is read first: a plan shown under the
    same tag, day, length and catalogue is the one building it again would give (the gate's
    answer too: it reads only their records and the day), so it is answered from memory."""
    with store.reading():
        tag = store.revision()
        key = (store.person_id, tag, today, minutes, catalogue_digest(catalogue)) if tag else None
        if key is not None:
            with _built_lock:
                shown = _shown.get(key)
                if shown is not None:
                    _shown.move_to_end(key)
                    return shown
        allowed = gate(store, today)
        if not allowed.allowed:
            raise PlanRefused(allowed.reason, allowed.code)
        data = store.load_profile()
        profile = profile_from(data)
        state = program_state(store, today)
        programme = assigned(store)
    made = built_plan(
        catalogue,
        profile,
        state,
        today,
        minutes,
        has_profile=data is not None,
        programme=programme,
    )
    if key is not None:
        with _built_lock:
            _shown[key] = made
            while len(_shown) > MAX_BUILT:
                _shown.popitem(last=False)
    return made


def catalogue_digest(catalogue: Catalogue) -> str:
    """A hash of every exercise in the catalogue (each by its fingerprint, which is kept per
    exercise object, so this costs a lookup per exercise): an edited file is another digest."""
    digest = hashlib.sha256()
    for exercise in catalogue:
        digest.update(fingerprint(exercise).encode() + b"\0")
    return digest.hexdigest()


MAX_BUILT = 256
"""Built plans kept (see ``built_plan``): a person's plan changes a few times a day at most, and
a clinic's patients share a process; 256 plans take about 1 MB."""


@dataclass(frozen=True)
class BuiltPlan:
    plan: Plan
    not_offered: list[tuple[str, str]]
    """(name, reason) of every exercise the plan may not use today, as the planner decides."""
    has_profile: bool = True
    """Whether a profile was saved (False: the plan is for the default profile)."""


_built: OrderedDict[str, BuiltPlan] = OrderedDict()
_shown: OrderedDict[tuple[object, ...], BuiltPlan] = OrderedDict()
"""Plans shown, by (person, revision tag, day, length, catalogue): ``todays_plan_to_show``."""
_built_lock = threading.Lock()


def built_plan(
    catalogue: Catalogue,
    profile: Profile,
    state: ProgramState,
    day: dt.date,
    minutes: int | None = None,
    *,
    has_profile: bool = True,
    programme: Assigned | None = None,
) -> BuiltPlan:
    """The plan for ``day`` and the exercises it may not use, built once for the same inputs.

    Planning is deterministic (``planning.select``): the same catalogue, profile, programme
    state, date and length always give the same plan, so it is kept under a hash of exactly
    those (each exercise by its fingerprint); the plan is frozen, so sharing it is safe. A
    changed profile, a new decision, another day, an edited exercise file or another version
    of an assigned programme (``programme``, which the plan then comes from) is another key. At
    most ``MAX_BUILT`` are kept, least recently used out. The caller has checked the gate;
    nothing here decides whether a plan may be offered."""
    digest = hashlib.sha256(f"{day.isoformat()}\0{minutes}\0{has_profile}".encode())
    for exercise in catalogue:
        digest.update(b"\0" + fingerprint(exercise).encode())
    digest.update(b"\0" + profile.model_dump_json().encode())
    digest.update(b"\0" + state.model_dump_json().encode())
    if programme is not None:
        digest.update(f"\0programme {programme.version} {programme.by_name}\0".encode())
        digest.update(programme.programme.model_dump_json().encode())
    key = digest.hexdigest()
    with _built_lock:
        found = _built.get(key)
        if found is not None:
            _built.move_to_end(key)
            return found
    unavailable = eligible(catalogue, profile, state, day).unavailable
    names = {ex.id: ex.name for ex in catalogue}
    made = BuiltPlan(
        plan_from(catalogue, profile, day, minutes, state, programme),
        sorted((names.get(i, i), reason) for i, reason in unavailable.items()),
        has_profile,
    )
    with _built_lock:
        _built[key] = made
        while len(_built) > MAX_BUILT:
            _built.popitem(last=False)
    return made


def plan_for_profile(
    catalogue: Catalogue,
    today: dt.date,
    data: dict[str, Any],
    date: dt.date | None = None,
    minutes: int | None = None,
) -> Plan:
    """A plan from a profile given as data (a clinician's file), touching nothing saved.

    The ``screen`` entry (``{"tier", "taken_on", "cleared_on"}``) is required and obeyed
    like a saved screen: a file that says nothing about warning signs gets no plan, as a
    person who has not answered the questions gets none (fail closed).
    """
    data = dict(data)
    screen = data.pop("screen", None)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise BackcoachError(describe_validation(exc, "profile", Profile)) from None
    day = date or today
    taken, cleared, tier = profile_file_screen(screen, day)
    decision = plan_gate(tier, taken, cleared, day)
    if not decision.allowed:
        raise PlanRefused(decision.reason, decision.code)
    return build(catalogue, profile, day, minutes, None)


def build(
    catalogue: Catalogue,
    profile: Profile,
    date: dt.date,
    minutes: int | None,
    state: ProgramState | None,
) -> Plan:
    """The plan for this profile and programme state, with no gate check: callers check the
    screen first (``todays_plan`` does)."""
    _check_minutes(minutes)

    def gentle(pool: Any, who: Profile) -> list[str]:
        return flare_up_exercise_ids(pool, who.directional_preference, who.avoid_directions)

    return build_plan(catalogue, profile, date, state, minutes, gentle_ids=gentle)


def _check_minutes(minutes: int | None) -> None:
    if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise BackcoachError(
            f"minutes: must be from {MIN_MINUTES} to {MAX_MINUTES} (got {minutes}); "
            "choose a session length in that range"
        )


SCREEN_ENTRY = '"screen": {"tier": "clear", "taken_on": "YYYY-MM-DD"}'
SCREEN_FIELDS = frozenset({"tier", "taken_on", "cleared_on"})


def profile_file_screen(screen: object, today: dt.date) -> tuple[dt.date, dt.date | None, str]:
    """A profile file's ``screen`` entry checked exactly: the date it was taken, the clearance
    date if any, and the tier. Anything missing, unknown or malformed is an error naming it."""
    if screen is None:
        raise PlanRefused(
            "profile: screen: missing; a plan is offered only after the warning-sign check. "
            f"Add the result of the patient's check, e.g. {SCREEN_ENTRY}",
            "no-screen",
        )
    if not isinstance(screen, dict):
        raise BackcoachError(
            f"profile: screen: must be an object like {{{SCREEN_ENTRY.split(': ', 1)[1]}}} "
            f"(got {screen!r}); give the check's tier and date"
        )
    unknown = sorted(str(k) for k in screen if k not in SCREEN_FIELDS)
    if unknown:
        raise BackcoachError(
            f"profile: screen: unknown field {', '.join(unknown)}; the fields are "
            "tier, taken_on and cleared_on"
        )
    tier = screen.get("tier")
    if known_tier(tier) is None:
        raise BackcoachError(
            f"profile: screen.tier: is not one of the allowed values (got {tier!r}); use one "
            f"of {', '.join(reversed(TIER_ORDER))}, written exactly"
        )
    dates: dict[str, dt.date | None] = {}
    for name in ("taken_on", "cleared_on"):
        raw = screen.get(name)
        if raw is None:
            dates[name] = None
            continue
        try:
            if not isinstance(raw, str):
                raise ValueError
            dates[name] = dt.date.fromisoformat(raw)
        except ValueError:
            raise BackcoachError(
                f"profile: screen.{name}: must be a date written YYYY-MM-DD (got {raw!r}); "
                "fix the date"
            ) from None
    taken = dates["taken_on"]
    if taken is None:
        raise BackcoachError(
            "profile: screen.taken_on: missing; give the date of the warning-sign check "
            f"(YYYY-MM-DD), e.g. {SCREEN_ENTRY}; today is {today}"
        )
    return taken, dates["cleared_on"], str(tier)

"""How long planning takes for a 200-exercise catalogue (target: well under 50 ms).

Run: .venv/bin/python bench/planning.py
The catalogue is the built-in exercises plus generated variants of them (new ids, shuffled
categories, positions, tags and doses), so restrictions, families and time fitting all work.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import get_args

from backcoach.catalogue import load_default
from backcoach.catalogue.model import Category, CautionTag, Exercise, Position
from backcoach.planning.planner import build_plan
from backcoach.planning.profile import Profile

SIZE = 200
TARGET_MS = 50.0


def catalogue(size: int, seed: int = 7) -> list[Exercise]:
    rng = random.Random(seed)
    base = list(load_default(None)[0])
    out = list(base)
    while len(out) < size:
        src = rng.choice(base)
        out.append(
            src.model_copy(
                update={
                    "id": f"{src.id}-v{len(out)}",
                    "category": rng.choice(get_args(Category)),
                    "position": rng.choice(get_args(Position)),
                    "difficulty": rng.randint(1, 3),
                    "cautions": rng.sample(get_args(CautionTag), rng.randint(0, 3)),
                    "regression": None,
                    "progression": None,
                }
            )
        )
    return out


PROFILES = {
    "plain 15 min": Profile(equipment=["mat", "chair", "towel"]),
    "45 min, strength, regular": Profile(
        minutes=45, goals=["strength", "mobility"], experience="regular"
    ),
    "osteoporosis + pregnancy 24 wk": Profile(
        conditions=[{"id": "osteoporosis"}, {"id": "pregnancy", "weeks": 24}]
    ),
    "5 min, extension preference": Profile(minutes=5, directional_preference="extension"),
}


def main() -> None:
    exercises = catalogue(SIZE)
    day = dt.date(2026, 11, 21)
    print(f"catalogue: {len(exercises)} exercises; target under {TARGET_MS:.0f} ms per plan")
    print(f"{'profile':34} {'median ms':>10} {'max ms':>8} {'items':>6}")
    for name, profile in PROFILES.items():
        samples = []
        for _ in range(30):
            start = time.perf_counter()
            plan = build_plan(exercises, profile, day)
            samples.append((time.perf_counter() - start) * 1000)
        flag = "" if statistics.median(samples) < TARGET_MS else "  OVER TARGET"
        print(
            f"{name:34} {statistics.median(samples):10.2f} {max(samples):8.2f} "
            f"{len(plan.items):6d}{flag}"
        )


if __name__ == "__main__":
    main()

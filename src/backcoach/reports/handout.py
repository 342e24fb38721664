"""The handout: today's programme on paper, one card per exercise with its picture.

Paper still helps some people (and a clinician may want to give one), but it repeats what the
app says: the same steps, the same dose, the same cautions, in the plan's order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from backcoach.body.cache import still_svg
from backcoach.reports.pdf import data_uri
from backcoach.wording import label

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.planning.plan import Plan

STOP_RULES = (
    "Stop an exercise at once for sharp or shooting pain, pain spreading down a leg, or new "
    "numbness, tingling or weakness; with numbness, tingling or weakness, answer the "
    "warning-sign questions again (backcoach screen) before exercising."
)
"""The stop rules of CLINICAL.md section 3, as the session applies them."""

PAIN_GUIDE = (
    "Some discomfort is normal and safe. Pain up to 5 out of 10 while exercising is acceptable "
    "if it settles by the next morning; above 5, stop that exercise for today."
)
"""The pain-monitoring model (Silbernagel 2007, Am J Sports Med 35:897; CLINICAL.md
section 3), in the handout's words."""


WIDE_PICTURE = 2.0
"""Pictures wider than this (width / height: people lying down) get a row of their own above
the steps. Squeezed into the side column they shrink until their captions are too small to
read on paper."""

_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def is_wide(svg: str) -> bool:
    """True when the figure's drawing is much wider than tall (read from its viewBox)."""
    found = _VIEWBOX.search(svg)
    if found is None:
        return False
    width, height = (float(v) for v in found.groups())
    return height > 0 and width / height > WIDE_PICTURE


def handout_context(plan: Plan, catalogue: Catalogue) -> dict[str, Any]:
    """The handout template's context for this plan: one card per exercise."""
    cards = []
    for number, item in enumerate(plan.items, 1):
        ex = catalogue.get(item.exercise_id)
        svg = still_svg(ex)
        cards.append(
            {
                "number": number,
                "name": ex.name,
                "summary": ex.summary,
                "phase": label(item.phase, "phase"),
                "picture": data_uri(svg, "image/svg+xml"),
                "wide": is_wide(svg),
                "steps": [s.text for s in ex.steps],
                "dose": item.dose_words(ex),
                "tempo": ex.dose.tempo,
                "breathing": ex.breathing,
                "feel": list(ex.feel.should),
                "stop_if": list(ex.feel.should_not),
                "mistakes": list(ex.common_mistakes[:2]),
                "modification": item.modification,
            }
        )
    return {
        "date": f"{plan.date:%A %d %B %Y}",
        "minutes": f"{max(1, round(plan.total_seconds / 60))} min",
        "flare_up": plan.flare_up,
        "cards": cards,
        "notes": [n.replace("`", "") for n in plan.notes],  # commands read plainly on paper
        "stop_rules": STOP_RULES,
        "pain_guide": PAIN_GUIDE,
    }

"""The handout: the person's programme on paper, as a clinician would hand it out.

Paper still helps some people (and a clinician may want to give one), but it repeats what the
app says: the same steps, the same dose, the same cautions, in the plan's order. What a
clinic's home-exercise sheet carries (issue 16) is here too: who it is for and the date, days
per week and times per day, who prescribed it and when it will be reviewed (in a clinic), and
for each exercise the picture, the steps, the dose and the person's own version, with a box
for notes. It is read by someone holding paper, so it names no commands to type.

Pages hold two or three exercises each, never split: the layout is measured first (one tall
page), packed into A4 pages from the measured heights, then checked on the real pages; a page
that overflowed gets one exercise fewer and the whole is laid out again.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backcoach.body.cache import version_of
from backcoach.body.figure import plain_svg, pose_labels
from backcoach.reports.pdf import TEMPLATES, _fetcher, data_uri, render_html
from backcoach.wording import label

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.clinic.programmes import CareHeader
    from backcoach.planning.plan import Plan

STOP_RULES = (
    "Stop an exercise at once for sharp or shooting pain, pain spreading down a leg, or new "
    "numbness, tingling or weakness. With numbness, tingling or weakness, answer the "
    "warning-sign questions in backcoach again before you exercise."
)
"""The stop rules of CLINICAL.md section 3, as the session applies them."""

PAIN_GUIDE = (
    "Some discomfort is normal and safe. Pain up to 5 out of 10 while exercising is acceptable "
    "if it settles by the next morning; above 5, stop that exercise for today."
)
"""The pain-monitoring model (Silbernagel 2007, Am J Sports Med 35:897; CLINICAL.md
section 3), in the handout's words."""

PICTURE_MM = 66
"""Every picture's width on paper. The figures are drawn at one scale (a body is as many units
long in every picture: ``body.figure.FIGURE_WIDTH``), so shown at one width they stay at one
scale: a standing person as tall as a lying one is long, and cards line up."""

MOST_PER_PAGE = 3
"""Exercises on one page at most: three pictures with their steps is what an A4 page holds
at a size people read without glasses on the end of their nose."""

WRITE_IN = "_" * 28
"""A line to write on where the handout does not know the value (a personal copy's name)."""

PAGE_CONTENT_PX = (297 - 15 - 16) / 25.4 * 96
"""The height inside an A4 page's margins (style.css ``@page``), in CSS px as WeasyPrint
measures: what the packing fills."""

_COMMAND = re.compile(r"`[^`]*`|\bbackcoach [a-z][\w-]*(?: --?[\w-]+)*|(?<!\w)--[a-z][\w-]*")
"""Text a person would type in a terminal: anything in backticks, ``backcoach <command>``
and ``--options``. A handout is read on paper (often by someone who never opens a terminal),
so a sentence built around such text is left out rather than shown."""


def without_commands(text: str) -> str:
    """``text`` with every clause that tells the reader to type a command left out: the plan's
    notes are written for the app and the terminal, the handout for paper. A note that is
    nothing but such a clause becomes empty."""
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        clauses = [c for c in sentence.split("; ") if not _COMMAND.search(c)]
        if clauses:
            joined = "; ".join(clauses).rstrip(" ;:,")
            kept.append(joined if joined.endswith((".", "!", "?")) else joined + ".")
    return " ".join(kept)


def times_words(times: int) -> str:
    return "once a day" if times == 1 else f"{times} times a day"


@dataclass(frozen=True)
class Prescription:
    """What the programme a clinician assigned adds to the handout (None in personal mode or
    before a programme): who prescribed it, and per exercise how often a day and their note."""

    by_name: str | None
    times_per_day: Mapping[str, int]
    notes: Mapping[str, str]


def header_lines(
    *,
    made_on: dt.date,
    days: Sequence[str],
    care: CareHeader | None,
    prescription: Prescription | None,
    times_per_day: Sequence[int],
) -> list[tuple[str, str]]:
    """Who the handout is for and how often, as label and value pairs in the order printed.

    In a clinic (``care``): practice, clinician, prescriber, patient, date, days per week,
    times per day and review date, in the order of the clinic's header (issue 14). A personal
    copy has no clinic lines: a line to write the name on, the date, the profile's days and
    times per day. ``days``: the profile's weekday ids; ``times_per_day``: each exercise's."""
    spread = sorted(set(times_per_day)) or [1]
    times = str(spread[0]) if len(spread) == 1 else "as each exercise says"
    if care is None:
        named = ", ".join(label(d, "weekday") for d in days)
        return [
            ("Name", WRITE_IN),
            ("Date", f"{made_on:%d %B %Y}"),
            ("Days per week", f"{len(days)} ({named})" if days else "not set"),
            ("Times per day", times),
        ]
    if prescription is None:
        prescriber = "no programme yet: backcoach's own plan for now"
    else:
        prescriber = prescription.by_name or care.clinician or "your clinician"
    review = care.review_date
    return [
        ("Practice", care.practice),
        ("Clinician", care.clinician or "not assigned"),
        ("Prescribed by", prescriber),
        ("Patient", care.patient),
        ("Date", f"{care.made_on:%d %B %Y}"),
        ("Days per week", str(care.days_per_week) if care.days_per_week else "not set"),
        ("Times per day", times),
        ("Review date", f"{review:%d %B %Y}" if review else "not set"),
    ]


def handout_context(
    plan: Plan,
    catalogue: Catalogue,
    *,
    made_on: dt.date | None = None,
    days: Sequence[str] = (),
    care: CareHeader | None = None,
    prescription: Prescription | None = None,
) -> dict[str, Any]:
    """The handout template's context for this plan: the header and one card per exercise.
    ``days``: the profile's exercise days; ``care``: the clinic's header (None in personal
    mode); ``prescription``: the clinician's programme, when one is assigned."""
    per_day = prescription.times_per_day if prescription else {}
    notes_by_id = prescription.notes if prescription else {}
    who = (prescription.by_name if prescription else None) or "your clinician"
    cards = []
    for number, item in enumerate(plan.items, 1):
        ex = catalogue.get(item.exercise_id)
        # The person's version when drawn from its own poses, else the usual one; drawn
        # without words: the pose labels print as text under it, at one size.
        drawn = item.drawn_version(ex)
        shown = version_of(ex, drawn)
        svg = plain_svg(shown)
        times = per_day.get(item.exercise_id, 1)
        note = notes_by_id.get(item.exercise_id)
        cards.append(
            {
                "number": number,
                "name": ex.name,
                "summary": ex.summary,
                "phase": label(item.phase, "phase"),
                "picture": data_uri(svg, "image/svg+xml"),
                "poses": [text for text in pose_labels(shown) if text],
                "steps": [s.text for s in ex.steps],
                "dose": item.dose_words(ex),
                "times": times,
                "how_often": times_words(times),
                "tempo": ex.dose.tempo,
                "breathing": ex.breathing,
                "feel": list(ex.feel.should),
                "stop_if": list(ex.feel.should_not),
                "mistakes": list(ex.common_mistakes[:2]),
                "modification": item.modification,
                "pictured": drawn is not None,
                "note": f"Note from {who}: {note}" if note else None,
            }
        )
    notes = [plain for n in plan.notes if (plain := without_commands(n))]
    day = made_on or plan.date
    return {
        "date": f"{day:%A %d %B %Y}",
        "header": header_lines(
            made_on=day,
            days=days,
            care=care,
            prescription=prescription,
            times_per_day=[per_day.get(i.exercise_id, 1) for i in plan.items],
        ),
        "minutes": f"{max(1, round(plan.total_seconds / 60))} min",
        "picture_mm": PICTURE_MM,
        "flare_up": plan.flare_up,
        "cards": cards,
        "notes": notes,
        "stop_rules": STOP_RULES,
        "pain_guide": PAIN_GUIDE,
    }


# --- pages ------------------------------------------------------------------------------------


def pack(heights: Sequence[float], first_room: float, caps: Sequence[int] = ()) -> list[int]:
    """How many exercises go on each page, in order. Each page holds what fits its room (the
    first page's is less: the header is on it), at most MOST_PER_PAGE and at most
    ``caps[i]`` on page ``i`` (lowered where a real layout overflowed); one exercise taller
    than a page still gets a page. Of the ways that fit, the one with fewest pages holding a
    single exercise, then fewest pages, then the most on the earliest pages: page 1, under
    the header, holds two rather than leaving the lone exercise there (a small search: a
    programme has at most 20)."""
    n = len(heights)

    def rank(option: tuple[int, int, tuple[int, ...]]) -> tuple[int, int, tuple[int, ...]]:
        singles, pages, counts = option
        return singles, pages, tuple(-c for c in counts)

    @functools.cache
    def best(at: int, page: int) -> tuple[int, int, tuple[int, ...]]:
        if at == n:
            return 0, 0, ()
        room = first_room if page == 0 else PAGE_CONTENT_PX
        most = min(MOST_PER_PAGE, caps[page] if page < len(caps) else MOST_PER_PAGE, n - at)
        options = []
        for take in range(1, most + 1):
            if take > 1 and sum(heights[at : at + take]) > room:
                break
            singles, pages, rest = best(at + take, page + 1)
            options.append((singles + (take == 1), pages + 1, (take, *rest)))
        return min(options, key=rank)

    return list(best(0, 0)[2])


def groups_of(cards: list[dict[str, Any]], counts: Sequence[int]) -> list[list[dict[str, Any]]]:
    out, at = [], 0
    for n in counts:
        out.append(cards[at : at + n])
        at += n
    return out


def _document(html: str) -> Any:
    from weasyprint import HTML

    return HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_fetcher()).render()


def _pages_of(document: Any) -> dict[str, int]:
    """Each anchor (element id) and the index of the page it starts on."""
    return {name: i for i, page in enumerate(document.pages) for name in page.anchors}


@dataclass(frozen=True)
class Layout:
    """Exercises per page, and the page (index) the notes box ends."""

    counts: list[int]
    notes_page: int


def notes_page(
    heights: Sequence[float], counts: Sequence[int], first_room: float, notes: float
) -> int:
    """Where the notes box goes: after the last exercise when it fits there, else on the
    first page with room for it (so it never makes a page of its own), else the last."""
    spare, at = [], 0
    for page, n in enumerate(counts):
        room = first_room if page == 0 else PAGE_CONTENT_PX
        spare.append(room - sum(heights[at : at + n]))
        at += n
    last = len(counts) - 1
    if spare[last] >= notes:
        return last
    return next((page for page, left in enumerate(spare) if left >= notes), last)


def _overflowing(document: Any, layout: Layout) -> int | None:
    """The first page whose exercises (and the notes box, on its page) did not all fit on
    it, or None when every group sits on a page of its own and nothing more was made."""
    where = _pages_of(document)
    number = 1
    for page, n in enumerate(layout.counts):
        names = [f"card-{number + k}" for k in range(n)] + [f"card-{number + n - 1}-end"]
        if page == layout.notes_page:
            names.append("notes-end")
        if any(where.get(name) != page for name in names):
            return page
        number += n
    if len(document.pages) == len(layout.counts):
        return None
    return len(layout.counts) - 1


def _measure(context: dict[str, Any]) -> tuple[list[float], float, float]:
    """Each card's height, the notes box's and the room left under the header on page 1,
    from one layout on a page tall enough to hold everything (CSS px)."""
    cards = context["cards"]
    html = render_html("handout.html", **context, pages=[cards], notes_after=0, measure=True)
    anchors = _document(html).pages[0].anchors
    starts = [anchors[f"card-{c['number']}"][1] for c in cards]
    ends = [anchors[f"card-{c['number']}-end"][1] for c in cards]
    gap = (starts[1] - ends[0]) if len(cards) > 1 else 0.0
    heights = [end - start + gap for start, end in zip(starts, ends, strict=True)]
    notes = anchors["notes-end"][1] - ends[-1]
    top = anchors["cards-start"][1] - anchors["top"][1]
    return heights, notes, PAGE_CONTENT_PX - top


def handout_html(context: dict[str, Any], layout: Layout | None = None) -> str:
    """The handout's HTML laid out as ``layout`` says (default: all on one run of pages)."""
    cards = context["cards"]
    if layout is None:
        return render_html("handout.html", **context, pages=[cards], notes_after=0, measure=False)
    pages = groups_of(cards, layout.counts)
    return render_html(
        "handout.html", **context, pages=pages, notes_after=layout.notes_page, measure=False
    )


def page_layout(context: dict[str, Any]) -> tuple[Layout, Any]:
    """Exercises per page and the laid-out document: packed from measured heights, then
    checked on the real pages; a page that overflowed holds one fewer and all is laid out
    again (at most once per exercise, so it always ends)."""
    cards = context["cards"]
    if not cards:
        return Layout([], 0), _document(handout_html(context))
    heights, notes, first_room = _measure(context)
    caps: list[int] = []

    def packed() -> Layout:
        counts = pack(heights, first_room, caps)
        return Layout(counts, notes_page(heights, counts, first_room, notes))

    layout = packed()
    document = _document(handout_html(context, layout))
    for _ in range(len(cards)):
        page = _overflowing(document, layout)
        if page is None or layout.counts[page] <= 1:
            break  # fits, or one exercise taller than a page: it runs on, nothing better
        caps = caps + [MOST_PER_PAGE] * (len(layout.counts) - len(caps))
        caps[page] = min(caps[page], layout.counts[page]) - 1
        layout = packed()
        document = _document(handout_html(context, layout))
    return layout, document


def handout_pdf(context: dict[str, Any]) -> bytes:
    """The printable programme (``handout_context``): two or three exercises to a page, each
    with its picture, steps, dose, own version and cautions, and a box for notes."""
    _, document = page_layout(context)
    pdf: bytes = document.write_pdf()
    return pdf

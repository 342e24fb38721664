"""The progress chart: pain and the activity score over time, with session days marked.

Drawn with matplotlib's object API (no pyplot, so no GUI backend and no global state), from
the same ``progress_summary`` the terminal and the report show. Both scales run 0-10, so one
axis holds them: lower pain is better, a higher activity score is better, and the legend says so.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any, Literal

Format = Literal["png", "svg"]

PAIN_WORST = "#c0504d"
PAIN_NOW = "#e8a09a"
ACTIVITY = "#2e7d6f"
SESSION_DAY = "#d9e2ec"
INK = "#333333"

MIN_SPAN_DAYS = 14
"""The x axis shows at least two weeks: with only a day or two of records, matplotlib would
stretch one day across the whole width (one wide band, ticks "01 Nov 01 Nov 02 Nov")."""

PNG_DPI = 150
"""Sharp on screen and on paper at the report's width, and small (about 60 kB)."""

SCREEN_SIZE = (4.4, 3.4)
"""Inches: the chart the web page and `backcoach progress --chart` show. Drawn for a phone
first (issue 15: labels were about 6 px at 390 px wide): a wider one would be scaled down."""

PHONE_CHART_PX = 320
"""The CSS width the progress page gives the chart on a 390 px phone (the page's and the
card's padding take the rest): the narrowest it is shown at."""

MIN_TEXT_PX = 12
"""The smallest text a person reads on a phone without zooming, in CSS px."""

PRINT_TEXT_PT = 9.0
"""Text size of a chart printed at a given size (the report's), as the report's own text."""


def text_pt(width_in: float, shown_px: float | None) -> float:
    """The chart's text size in points: at least MIN_TEXT_PX when the chart, ``width_in``
    inches wide, is shown ``shown_px`` CSS px wide (an SVG scales as a whole); the print
    size when it is not shown on a screen (``shown_px`` None)."""
    if shown_px is None:
        return PRINT_TEXT_PT
    return max(PRINT_TEXT_PT, math.ceil(MIN_TEXT_PX * width_in * 72 / shown_px * 2) / 2)


def _dates(points: list[dict[str, Any]]) -> list[dt.date]:
    return [dt.date.fromisoformat(p["date"]) for p in points]


def progress_chart(
    summary: dict[str, Any],
    fmt: Format = "png",
    size: tuple[float, float] | None = None,
    shown_px: float | None = None,
) -> bytes:
    """The chart as PNG or SVG bytes. ``size`` is in inches; without one it is the screen
    chart (SCREEN_SIZE, its text readable at PHONE_CHART_PX). ``shown_px``: the narrowest
    CSS width a chart of a given size is shown at, so its text is sized for it; without
    it a sized chart is for print (the report)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"chart format must be png or svg (got {fmt!r})")
    if size is None:
        size, shown_px = SCREEN_SIZE, shown_px or PHONE_CHART_PX
    figure = chart_figure(summary, size, shown_px)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": "backcoach"}
    with mpl_style(text_pt(size[0], shown_px)):
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def mpl_style(points: float) -> Any:
    import matplotlib as mpl

    style: Any = {
        "font.family": "DejaVu Sans",
        "font.size": points,
        "svg.hashsalt": "backcoach",  # stable ids: the same records give the same file
        "axes.edgecolor": "#999999",
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
    }
    return mpl.rc_context(style)


def chart_figure(
    summary: dict[str, Any], size: tuple[float, float], shown_px: float | None = None
) -> Any:
    """The chart as a matplotlib Figure (drawn, laid out), every text at ``text_pt``; few
    date ticks on a narrow chart, so their labels never run into each other."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
    from matplotlib.figure import Figure

    points = text_pt(size[0], shown_px)
    narrow = size[0] < 6
    with mpl_style(points):
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        drew = _draw(ax, summary)
        ax.set_ylim(-0.3, 10.3)
        ax.set_yticks(range(0, 11, 2))
        ax.set_ylabel("pain: lower is better\nactivities: higher is better")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if drew:
            left, right = x_span(summary)
            ax.set_xlim(date2num(left), date2num(right))  # type: ignore[no-untyped-call]
            most = 4 if narrow else 8
            locator = AutoDateLocator(minticks=2, maxticks=most)  # type: ignore[no-untyped-call]
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
            fig.legend(loc="outside lower center", ncols=2 if narrow else 4, frameon=False)
        else:
            ax.set_xticks([])
            ax.text(
                0.5,
                0.5,
                "No check-ins yet:\npain and activity\nratings will show here."
                if narrow
                else "No check-ins yet: pain and activity ratings will show here.",
                ha="center",
                va="center",
                transform=ax.transAxes,
                color="#777777",
            )
        FigureCanvasAgg(fig).draw()  # type: ignore[no-untyped-call]  # laid out: callers measure it
    return fig


def x_span(summary: dict[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """From half a day before the first record to half a day after the last record or today,
    and never less than MIN_SPAN_DAYS: a short history sits at the left with room to grow."""
    pain = summary["pain"]
    days = [
        *_dates(pain["worst_24h"]["series"]),
        *_dates(pain["now"]["series"]),
        *_dates(summary["activities"]["mean_series"]),
        *(dt.date.fromisoformat(d) for d in summary["adherence"]["session_days"]),
        dt.date.fromisoformat(summary["today"]),
    ]
    half = dt.timedelta(hours=12)
    left = dt.datetime.combine(min(days), dt.time()) - half
    right = dt.datetime.combine(max(days), dt.time()) + half
    return left, max(right, left + dt.timedelta(days=MIN_SPAN_DAYS))


def _draw(ax: Any, summary: dict[str, Any]) -> bool:
    """Plot what there is; False when there is nothing at all to show."""
    pain = summary["pain"]
    session_days = [dt.date.fromisoformat(d) for d in summary["adherence"]["session_days"]]
    lines = [
        (pain["worst_24h"]["series"], PAIN_WORST, "-", "o", "worst pain (24 h)"),
        (pain["now"]["series"], PAIN_NOW, "--", "o", "pain now"),
        (summary["activities"]["mean_series"], ACTIVITY, "-", "s", "activities"),
    ]
    drew = False
    for series, colour, style, marker, label in lines:
        if not series:
            continue
        ax.plot(
            _dates(series),
            [p["score"] for p in series],
            color=colour,
            linestyle=style,
            marker=marker,
            markersize=3.5,
            linewidth=1.6,
            label=label,
        )
        drew = True
    if session_days:
        # Light bands behind the lines: when sessions happened, without hiding the trend.
        for i, day in enumerate(session_days):
            midnight = dt.datetime.combine(day, dt.time())  # where the day's points sit
            ax.axvspan(
                midnight - dt.timedelta(hours=8),
                midnight + dt.timedelta(hours=8),
                color=SESSION_DAY,
                zorder=0,
                linewidth=0,
                label="session day" if i == 0 else None,
            )
        drew = True
    return drew

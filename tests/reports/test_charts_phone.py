"""Issue 15: the progress chart's text is readable on a phone (labels were about 6 px at 390
px wide). Measured on the real SVG the web page shows, scaled to the width the progress page
gives it on a 390 px phone, and on the laid-out figure (no two labels overlap)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from backcoach.reports.charts import PHONE_CHART_PX, chart_figure, progress_chart
from backcoach.services.progress import progress_summary
from tests.services.simulate import START, person_on, three_weeks

TEXT = re.compile(r"<!-- (.+?) -->\s*<g [^>]*transform=\"translate\([^)]*\) scale\(([\d.]+) ")
"""A text drawn as glyph paths: matplotlib writes its words in a comment, then a group
scaled by font size / 100 (user units: points)."""


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("home")
    three_weeks(home, None)
    person = person_on(home, None, START + dt.timedelta(days=18))
    return progress_summary(person.store, person.catalogue, person.today())


def text_sizes_px(svg: bytes, shown_px: float) -> dict[str, float]:
    """Every text of the chart and its size in CSS px when the SVG is shown ``shown_px``
    wide."""
    doc = svg.decode()
    width_pt = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', doc).group(1))  # type: ignore[union-attr]
    found = {words: float(scale) * 100 for words, scale in TEXT.findall(doc)}
    return {words: pt * shown_px / width_pt for words, pt in found.items()}


def test_web_chart_text_is_at_least_12px_at_phone_width(summary: dict[str, Any]) -> None:
    sizes = text_sizes_px(progress_chart(summary, "svg"), PHONE_CHART_PX)
    # the ticks, the axis label and every legend entry are there and measured
    for words in ("08 Nov", "10", "worst pain (24 h)", "pain now", "activities", "session day"):
        assert words in sizes, sizes
    assert min(sizes.values()) >= 12, sorted(sizes.items(), key=lambda kv: kv[1])[:5]
    # the page's own width at 390 px, less its and the card's padding: what PHONE_CHART_PX says
    assert 300 <= PHONE_CHART_PX <= 390 - 2 * 16


def test_no_label_overlaps_another_or_leaves_the_picture(summary: dict[str, Any]) -> None:
    for size, shown in (((4.4, 3.4), PHONE_CHART_PX), ((7.0, 2.6), None)):
        figure = chart_figure(summary, size, shown)
        renderer = figure.canvas.get_renderer()
        found = figure.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
        unique = {id(t): t for t in found}.values()
        texts = [t for t in unique if t.get_visible() and t.get_text().strip()]
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        assert len(boxes) >= 8, [b[0] for b in boxes]
        width, height = figure.bbox.width, figure.bbox.height
        for words, box in boxes:
            assert box.x0 >= -1 and box.x1 <= width + 1, (size, words, box)
            assert box.y0 >= -1 and box.y1 <= height + 1, (size, words, box)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), (size, a, b)
        dates = [w for w, _ in boxes if re.fullmatch(r"\d\d \w{3}", w)]
        assert 2 <= len(dates) <= (4 if shown else 8), dates  # few ticks on a phone


def test_report_chart_keeps_print_sized_text(summary: dict[str, Any]) -> None:
    """The report's chart is printed on A4 at 7 inches: its text stays at the report's own
    size there instead of growing to phone size."""
    sizes = text_sizes_px(progress_chart(summary, "svg", size=(7.0, 2.6)), 7.0 * 72)
    assert max(sizes.values()) <= 9.5


def test_empty_chart_fits_a_phone(tmp_path: Path) -> None:
    person = person_on(tmp_path, None, START)
    empty = progress_summary(person.store, person.catalogue, person.today())
    figure = chart_figure(empty, (4.4, 3.4), PHONE_CHART_PX)
    renderer = figure.canvas.get_renderer()
    note = next(t for t in figure.axes[0].texts if "No check-ins" in t.get_text())
    box = note.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width

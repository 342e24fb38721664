"""The progress chart as real PNG and SVG files."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from backcoach.reports.charts import MIN_SPAN_DAYS, progress_chart, x_span
from backcoach.services import outcomes
from backcoach.services.progress import progress_summary
from tests.body.pngread import pixels
from tests.services.simulate import START, person_on, three_weeks

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("home")
    three_weeks(home, None)
    person = person_on(home, None, START + dt.timedelta(days=18))
    return progress_summary(person.store, person.catalogue, person.today())


def test_png_is_a_real_picture_with_the_lines(summary: dict[str, Any]) -> None:
    png = progress_chart(summary, "png", size=(6.0, 2.5))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, colours = pixels(png)
    assert (width, height) == (900, 375)  # 6 x 2.5 inches at 150 dpi
    # The worst-pain line's red and the activity line's green are both drawn.
    assert colours[(0xC0, 0x50, 0x4D)] > 100
    assert colours[(0x2E, 0x7D, 0x6F)] > 100


def test_svg_parses_and_is_stable(summary: dict[str, Any]) -> None:
    svg = progress_chart(summary, "svg")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    paths = root.iter(f"{SVG}path")
    assert sum(1 for _ in paths) > 20
    assert b"#c0504d" in svg and b"#2e7d6f" in svg and b"#d9e2ec" in svg  # lines, session days
    assert progress_chart(summary, "svg") == svg  # same records, same file


def test_empty_chart_says_so(tmp_path: Path) -> None:
    person = person_on(tmp_path, None, START)
    empty = progress_summary(person.store, person.catalogue, person.today())
    svg = progress_chart(empty, "svg")
    assert b"#c0504d" not in svg
    png = progress_chart(empty, "png")
    assert pixels(png)[0] > 0


def test_unknown_format_is_refused(summary: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="png or svg"):
        progress_chart(summary, "jpg")  # type: ignore[arg-type]


def test_a_first_day_is_not_stretched_across_the_chart(tmp_path: Path) -> None:
    person = person_on(tmp_path, None, START)
    outcomes.record_pain(person.store, now=4, worst_24h=6)
    left, right = x_span(progress_summary(person.store, person.catalogue, person.today()))
    assert left < dt.datetime(2026, 11, 2) < left + dt.timedelta(days=1)
    assert right - left == dt.timedelta(days=MIN_SPAN_DAYS)  # room to grow, not one wide day


def test_the_span_reaches_today_and_every_record(summary: dict[str, Any]) -> None:
    later = {**summary, "today": "2026-12-20"}
    left, right = x_span(later)
    assert left == dt.datetime(2026, 11, 1, 12) and right == dt.datetime(2026, 12, 20, 12)

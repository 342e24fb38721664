"""Dark mode follows the system (issue 15): with the phone set to dark, every page turns dark
and its text, links and buttons keep at least WCAG AA contrast (4.5:1) on what is behind them.
Measured in a real browser from the computed colours, not read from the stylesheet."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.browser.conftest import screenshot
from tests.web.conftest import ready_to_exercise

PAGES = ["/welcome", "/today", "/library", "/library/bridge", "/progress", "/profile", "/settings"]

COLOURS = """
() => {
  const opaque = (el) => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg && !bg.endsWith(', 0)') && bg !== 'transparent') return bg;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  const seen = [];
  const selector = 'main h1, main h2, main p, main li, main a, main label, main button, '
    + 'main .button, header a, footer p';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    if (el.closest('svg, .figure, figure')) continue;
    seen.push([el.tagName + '.' + el.className, getComputedStyle(el).color, opaque(el)]);
  }
  return {page: opaque(document.body), items: seen};
}
"""


def rgb(text: str) -> tuple[float, float, float]:
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", text)[:3])
    return r, g, b


def luminance(colour: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(rgb(a)), luminance(rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.slow
def test_every_page_is_dark_and_readable_when_the_system_is(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person())
    page = pages.open()
    page.emulate_media(color_scheme="dark")
    for path in PAGES:
        page.goto(server.url + path)
        found = page.evaluate(COLOURS)
        assert luminance(rgb(found["page"])) < 0.05, (path, found["page"])
        poor = [
            (what, round(contrast(fg, bg), 2))
            for what, fg, bg in found["items"]
            if contrast(fg, bg) < 4.5
        ]
        assert not poor, (path, poor)
        assert len(found["items"]) > 3, path
        screenshot(page, f"dark{path.replace('/', '-')}")
    # The light pages stay light.
    page.emulate_media(color_scheme="light")
    page.goto(server.url + "/today")
    assert luminance(rgb(page.evaluate(COLOURS)["page"])) > 0.8

"""Start-up and drawing time of the exercise figures, so a nicer figure does not make pages slow.

Run: .venv/bin/python bench/figures.py [--runs N] [--id EXERCISE]

Printed, each the median of N runs (best in brackets), with its ratio to a yardstick measured
in the same run (the machine is noisy; ratios travel between machines, seconds do not):

* yardstick: a fixed, simple SVG (a card with a circle, a line and a word) converted to a
  300-pixel PNG, the least work the PNG path does; and loading the catalogue, for scale.
* import: a fresh Python importing the drawing code (``backcoach.body.figure`` and
  ``animation``) against ``python -c pass``: what the first picture of a process pays first.
* all figures, cold: every built-in's still SVG (with title), animated SVG and 1200-pixel PNG,
  as ``backcoach figures`` writes them, with the drawing cache and the scene cache emptied
  first; and the same for one exercise (default: bridge).
* warm request: ``GET /figures/{id}.svg`` through the app's test client once the drawing is
  kept (the browser's second page), and with ``If-None-Match`` (its answer: 304).
* the library page (``GET /library``, every exercise's card) against bench/minimal_app.py
  answering the same bytes, both through a test client in this process.

Figures only: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcoach.catalogue.model import Exercise

REFERENCE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">'
    '<rect x="10" y="10" width="380" height="280" rx="16" fill="#eef3f8" stroke="#456"/>'
    '<circle cx="120" cy="150" r="60" fill="#7a9cc6"/>'
    '<line x1="200" y1="80" x2="360" y2="220" stroke="#234" stroke-width="8"/>'
    '<text x="200" y="270" font-family="DejaVu Sans" font-size="24">bridge</text></svg>'
)
PNG_WIDTH = 1200
"""The width `backcoach figures` writes PNG files at by default."""
WARM_REQUESTS = 200


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, best) wall seconds of ``work`` over ``runs`` runs."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def per_call(work: Callable[[], object], calls: int, runs: int) -> tuple[float, float]:
    """(median, best) seconds per call, each run making ``calls`` calls."""
    median, best = timed(lambda: [work() for _ in range(calls)], runs)
    return median / calls, best / calls


def cold() -> None:
    """Forget every drawing and every built scene."""
    from backcoach.body import cache, scene

    cache.FIGURES.clear()
    scene._build.cache_clear()


def draw_all(exercises: list[Exercise]) -> None:
    """What `backcoach figures` draws for each exercise (still SVG, PNG, animated SVG), cold."""
    from backcoach.body.cache import moving_svg, png, still_svg

    cold()
    for exercise in exercises:
        png(still_svg(exercise, title=True), PNG_WIDTH)
        moving_svg(exercise)


def stills(exercises: list[Exercise]) -> list[str]:
    from backcoach.body.cache import still_svg

    cold()
    return [still_svg(exercise, title=True) for exercise in exercises]


def pngs(svgs: list[str]) -> None:
    from backcoach.body.cache import png

    cold()
    for svg in svgs:
        png(svg, PNG_WIDTH)


def animations(exercises: list[Exercise]) -> None:
    from backcoach.body.cache import moving_svg

    cold()
    for exercise in exercises:
        moving_svg(exercise)


def subprocess_time(code: str, runs: int) -> tuple[float, float]:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    return timed(run, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--id", default="bridge", help="The one exercise drawn on its own.")
    args = parser.parse_args()
    runs = args.runs

    from fastapi.testclient import TestClient

    from backcoach.body.png import svg_to_png
    from backcoach.catalogue import load_default
    from backcoach.config import Settings
    from backcoach.web.app import create_app

    catalogue, _ = load_default(None)
    exercises = list(catalogue)
    one = [catalogue.get(args.id)]
    rows: list[tuple[str, float, float]] = []

    svg_to_png(REFERENCE_SVG, 300)  # the first conversion loads the renderer
    reference, ref_best = timed(lambda: svg_to_png(REFERENCE_SVG, 300), max(10 * runs, 30))
    rows.append(("yardstick: simple SVG -> 300 px PNG", reference, ref_best))
    rows.append(("catalogue load", *timed(lambda: load_default(None), runs)))
    rows.append(("python -c pass", *subprocess_time("pass", runs)))
    drawing = "import backcoach.body.figure, backcoach.body.animation"
    rows.append(("import the drawing code", *subprocess_time(drawing, runs)))
    n = len(exercises)
    rows.append((f"all {n} figures, cold", *timed(lambda: draw_all(exercises), runs)))
    svgs = stills(exercises)
    rows.append((f"  of which {n} still SVGs", *timed(lambda: stills(exercises), runs)))
    rows.append((f"  of which {n} PNGs from them", *timed(lambda: pngs(svgs), runs)))
    rows.append((f"  of which {n} animated SVGs", *timed(lambda: animations(exercises), runs)))
    rows.append((f"{args.id} figures, cold", *timed(lambda: draw_all(one), runs)))

    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_environ({"BACKCOACH_HOME": home})
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
            path = f"/figures/{args.id}.svg"
            first = client.get(path)
            first.raise_for_status()
            tag = first.headers["etag"]
            rows.append(
                (f"GET {path}, warm", *per_call(lambda: client.get(path), WARM_REQUESTS, runs))
            )
            again = {"If-None-Match": tag}
            rows.append(
                (
                    f"GET {path}, warm, 304",
                    *per_call(lambda: client.get(path, headers=again), WARM_REQUESTS, runs),
                )
            )
            page = client.get("/library")
            page.raise_for_status()
            library = per_call(lambda: client.get("/library"), 20, runs)
        with tempfile.NamedTemporaryFile(suffix=".html") as body:
            body.write(page.content)
            body.flush()
            os.environ["MINIMAL_APP_BODY"] = body.name
            minimal = importlib.import_module("minimal_app")  # bench/ is first on sys.path
            with TestClient(minimal.app, base_url="http://127.0.0.1") as bare:
                floor = per_call(lambda: bare.get("/today-threaded"), 20, runs)
    rows.append((f"GET /library ({len(page.content) // 1024} kB)", *library))
    rows.append(("minimal FastAPI app, same bytes", *floor))

    print(f"{'measured':44} {'median':>10} {'best':>10} {'x yardstick':>12}")
    for name, median, best in rows:
        print(f"{name:44} {median * 1000:8.2f}ms {best * 1000:8.2f}ms {median / reference:12.2f}")
    print(f"library page: {library[0] / floor[0]:.1f} x the minimal app answering the same bytes")


if __name__ == "__main__":
    main()

"""The installable app: the web app manifest, its icons and the service worker.

``/manifest.webmanifest`` names the app, its start page (``/today``), its colours (those of
``static/app.css``) and its icons (``static/icons/``, drawn from ``static/icon.svg`` by
``draw_icons``). ``/sw.js`` is ``static/sw.js`` with its release stamped in: the list of the
app's static files and a hash of their contents, so a release with any file changed installs
a new worker that replaces the cached copies. Served from the root so its scope is the whole
app. Neither holds personal data, so clinic mode answers both without a sign-in
(``web.security.SIGNED_OUT_PATHS``). docs/install.md says what the worker keeps.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

HERE = Path(__file__).parent
STATIC = HERE / "static"
ICONS = STATIC / "icons"
SW_SOURCE = STATIC / "sw.js"

MANIFEST_PATH = "/manifest.webmanifest"
SW_PATH = "/sw.js"
START_URL = "/today"

ICON_SIZES = (192, 512)
"""Android and the install prompts need 192 and 512 px icons (web.dev "Add a web app
manifest"); 180 px is the iPhone home-screen size (``apple-touch-icon``)."""
APPLE_TOUCH_SIZE = 180
MASKABLE_SAFE_ZONE = 0.8
"""A maskable icon's content must fit the centre circle of 80% of its width (W3C Web App
Manifest, "icon masks"); the glyph is drawn inside it on a full-bleed background."""

router = APIRouter(include_in_schema=False)


def css_colour(name: str) -> str:
    """A custom property's colour from ``static/app.css`` (``--bg`` -> ``#f4f2ec``)."""
    found = re.search(
        rf"{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})", (STATIC / "app.css").read_text()
    )
    if found is None:
        raise LookupError(f"static/app.css defines no colour {name}")
    return found.group(1).lower()


def manifest() -> dict[str, object]:
    icons: list[dict[str, str]] = [
        {"src": f"/static/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": "/static/icons/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "name": "backcoach: exercises for your back",
        "short_name": "backcoach",
        "description": "Your exercise plan for today, with a guided session.",
        "id": START_URL,
        "start_url": START_URL,
        "scope": "/",
        "display": "standalone",
        "background_color": css_colour("--bg"),
        "theme_color": css_colour("--surface"),
        "icons": icons,
    }


@router.get(MANIFEST_PATH)
def web_manifest() -> Response:
    body = json.dumps(manifest(), indent=1)
    return Response(body, media_type="application/manifest+json")


def static_files() -> list[Path]:
    """Every file the app serves under /static/ (the worker itself aside), in a fixed order."""
    return sorted(
        p for p in STATIC.rglob("*") if p.is_file() and p != SW_SOURCE and "__" not in p.name
    )


@cache
def worker_source() -> str:
    """``static/sw.js`` with this release's version and precache list in front of it. Cached
    per process: static files change only with a release (a new process)."""
    files = static_files()
    digest = hashlib.sha256()
    for path in [*files, SW_SOURCE]:
        digest.update(path.relative_to(STATIC).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    urls = [f"/static/{p.relative_to(STATIC).as_posix()}" for p in files]
    head = (
        "// Stamped by backcoach.web.pages_app: this release's static files and their hash.\n"
        f"const VERSION = {json.dumps(digest.hexdigest()[:16])};\n"
        f"const PRECACHE = {json.dumps(urls)};\n"
    )
    return head + SW_SOURCE.read_text()


@router.get(SW_PATH)
def service_worker() -> Response:
    """The service worker, scoped to the whole app. The security middleware adds
    ``Cache-Control: no-store``, so a browser checking for a new release always gets this one."""
    return Response(
        worker_source(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/"},
    )


# --- icons ------------------------------------------------------------------------------------

GLYPH = (
    '<path d="M16 6c-2.5 3-2.5 6 0 9s2.5 6 0 9" fill="none" stroke="#fff" stroke-width="3" '
    'stroke-linecap="round"/><circle cx="16" cy="27" r="1.8" fill="#fff"/>'
)
"""The curve and dot of ``static/icon.svg`` (a spine), in its 32-unit box."""


def icon_svgs() -> dict[str, str]:
    """The SVG of each PNG icon, by file name: the app's own ``icon.svg`` at each size, and a
    maskable one (full-bleed square, the glyph inside the safe zone)."""
    own = (STATIC / "icon.svg").read_text()
    fill = re.search(r'fill="(#[0-9a-fA-F]{6})"', own)
    if fill is None:
        raise LookupError("static/icon.svg has no background fill")
    # The glyph reaches 12.8 units from the centre; scaled to 3/4 it stays within 30% of the
    # width, inside the safe zone's 40% radius.
    scale = 0.75
    offset = 16 * (1 - scale)
    maskable = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" fill="{fill.group(1)}"/>'
        f'<g transform="translate({offset:.3f} {offset:.3f}) scale({scale:.3f})">{GLYPH}</g>'
        "</svg>"
    )
    svgs = {f"icon-{size}.png": own for size in ICON_SIZES}
    svgs[f"apple-touch-icon-{APPLE_TOUCH_SIZE}.png"] = maskable  # iOS rounds the corners itself
    svgs["maskable-512.png"] = maskable
    return svgs


def icon_width(name: str) -> int:
    return int(re.findall(r"\d+", name)[-1])


def draw_icons(dest: Path = ICONS) -> list[Path]:
    """Render the PNG icons into ``dest`` (``python -m backcoach.web.pages_app`` redraws the
    committed ones; tests check they match)."""
    import resvg_py

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, svg in icon_svgs().items():
        png = resvg_py.svg_to_bytes(svg_string=svg, width=icon_width(name))
        (dest / name).write_bytes(bytes(png))
        written.append(dest / name)
    return written


if __name__ == "__main__":
    for path in draw_icons():
        print(path)

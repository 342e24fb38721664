"""PNG from SVG, for the PDF handout and for looking at figures outside a browser.

resvg (through the ``resvg_py`` wheel) renders without system libraries and without network;
it finds fonts among the system's (DejaVu Sans on Debian).
"""

from __future__ import annotations


def svg_to_png(svg: str, width_px: int | None = None, background: str = "#ffffff") -> bytes:
    """Render ``svg`` to PNG bytes, ``width_px`` wide (the SVG's own size when None)."""
    import resvg_py  # imported here: only figure commands need the renderer

    png = resvg_py.svg_to_bytes(svg_string=svg, width=width_px, background=background)
    return bytes(png)

"""Looking at a placed body from a camera walked round it and raised above it.

Placement rests a body in the declared view's picture plane (x along the picture, y up, the
floor at y = 0) and keeps each point's depth toward the viewer: together that is a 3D world
with y up. A camera turns about the vertical (``turn``, degrees, positive walking round to the
picture's right) and then looks down (``raise``), orthographically: lengths along the picture
keep their scale, so pictures from different cameras line up.

Only the drawing uses the camera. The pose checks, the landmarks and the camera coach keep the
body as placed, so a contact is judged the same way whatever the picture shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from backcoach.body.geometry import Point
from backcoach.body.placement import END_VIEWS, Capsule, Placed
from backcoach.catalogue.poses import Camera


@dataclass(frozen=True)
class Lens:
    """A camera's turn and raise as cosines and sines, to project many points cheaply."""

    ct: float
    st: float
    cr: float
    sr: float

    @classmethod
    def of(cls, camera: Camera) -> Lens:
        t, r = math.radians(camera.turn), math.radians(camera.raise_)
        return cls(math.cos(t), math.sin(t), math.cos(r), math.sin(r))

    def see(self, x: float, y: float, depth: float) -> tuple[Point, float]:
        """A world point (x along the declared picture, y up, depth toward its viewer) in the
        camera's picture, with its depth toward the camera (larger = nearer)."""
        # Walking round to the right brings the picture's right-hand side nearer.
        u = x * self.ct - depth * self.st
        d = x * self.st + depth * self.ct
        # Looking down: what is nearer shows lower, and what is higher comes nearer.
        return (u, y * self.cr - d * self.sr), d * self.cr + y * self.sr

    def widen(self, across: float) -> float:
        """How much thicker a segment shows once seen this far round from the declared view:
        ``across`` is its thickness at right angles over its thickness in that view."""
        c = self.ct * self.cr  # the cosine of the angle between the two lines of sight
        return math.sqrt(c * c + (across * across) * (1.0 - c * c))


def plain(camera: Camera | None) -> bool:
    """True when ``camera`` shows the declared view unchanged."""
    return camera is None or (camera.turn == 0 and camera.raise_ == 0)


def look(placed: Placed, camera: Camera | None) -> Placed:
    """``placed`` as ``camera`` sees it: the same fields (points, depth, capsules with their
    depth) in the camera's picture, so it draws like any placed body. With no camera (or a
    level one straight on) the placed body itself."""
    if plain(camera) or placed.view == "top":
        return placed
    assert camera is not None
    lens = Lens.of(camera)
    points: dict[str, Point] = {}
    depth: dict[str, float] = {}
    for name, (x, y) in placed.points.items():
        points[name], depth[name] = lens.see(x, y, placed.depth[name])
    caps = {name: _capsule(cap, lens) for name, cap in placed.capsules.items()}
    view = placed.view
    if view in END_VIEWS:
        # Raised over the head or the feet, the trunk shows along its length, no longer as
        # the ovals of a body seen end-on: drawn as from anywhere else.
        view = "front"
        caps = {name: replace(cap, flat=1.0, tilt=0.0) for name, cap in caps.items()}
    return replace(
        placed,
        view=view,
        points=points,
        depth=depth,
        capsules=caps,
        wall_x=None,
        roller_x=None,
        chair_x=None,
        camera=camera,
    )


def _capsule(cap: Capsule, lens: Lens) -> Capsule:
    za, zb = cap.ends_depth if cap.ends_depth is not None else (cap.depth, cap.depth)
    a, da = lens.see(cap.a[0], cap.a[1], za)
    b, db = lens.see(cap.b[0], cap.b[1], zb)
    k = lens.widen(cap.across)
    return replace(
        cap, a=a, b=b, ra=cap.ra * k, rb=cap.rb * k, depth=(da + db) / 2, ends_depth=(da, db)
    )

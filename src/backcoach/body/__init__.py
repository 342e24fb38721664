"""The body model: a 2D-drawn, 3D-posed human figure for exercise pictures and form checks.

- ``skeleton``: proportions (Winter's anthropometry), thicknesses and masses.
- ``kinematics``: joint angles -> positions of joints, segments and landmarks (forward
  kinematics; segment lengths never change).
- ``contacts`` and ``placement``: which parts rest on the floor or a prop, and turning the body
  so they touch with nothing below the floor, as seen from the side, front, above or an end.
- ``scene``: an exercise's key poses as placed frames, in-between frames, what moves;
  ``clearance`` keeps a limb moving between two poses off the floor.
- ``checks``: pose checks for ``backcoach catalogue check`` (resting parts really touch).
- ``draw``, ``props``, ``figure``, ``placeholder``, ``sheet``: SVG pictures; ``animation`` and
  ``timing``: animated SVG at the exercise's tempo; ``png``: PNG for the PDF handout.
- ``landmarks``: MediaPipe-named keypoints and synthetic landmark tracks for the camera coach.

It imports the catalogue (for the pose schema); the catalogue never imports it.
"""

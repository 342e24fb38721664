"""Variants of the leg-raise test video made with OpenCV, with their MediaPipe landmarks cached.

MediaPipe takes several seconds per variant on a 2-core machine; its landmarks for a given
video file, variant and MediaPipe version never change, so they are kept in the system's
temporary folder and the robustness matrix replays them (the same analysis a camera feeds
live: see test_live_and_replayed_agree).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.motion.test_real_video import VIDEO

CACHE = Path(tempfile.gettempdir()) / "backcoach-motion-cache"


def _speed(factor: float) -> Callable[[list[Any]], list[Any]]:
    def apply(images: list[Any]) -> list[Any]:
        count = int(len(images) / factor)
        return [images[min(len(images) - 1, round(k * factor))] for k in range(count)]

    return apply


def _each(change: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda images: [change(i) for i in images]


def _brightness(share: float) -> Callable[[Any], Any]:
    def apply(image: Any) -> Any:
        import numpy as np

        return np.clip(image.astype(np.float32) * share, 0, 255).astype(np.uint8)

    return apply


def _size(pixels: int) -> Callable[[Any], Any]:
    def apply(image: Any) -> Any:
        import cv2

        return cv2.resize(image, (pixels, pixels), interpolation=cv2.INTER_AREA)

    return apply


def _band(left: float, top: float, right: float, bottom: float) -> Callable[[Any], Any]:
    """A grey rectangle (picture shares) over part of every frame: something in the way."""

    def apply(image: Any) -> Any:
        h, w = image.shape[:2]
        out = image.copy()
        out[int(top * h) : int(bottom * h), int(left * w) : int(right * w)] = 128
        return out

    return apply


def _turned(yaw_deg: float = 0.0, pitch_deg: float = 0.0) -> Callable[[Any], Any]:
    """The picture as a flat print seen from a camera turned ``yaw_deg`` about the vertical
    and tilted ``pitch_deg`` about the horizontal (a perspective warp, focal length = the
    picture's width): what a camera moved round the person changes in the picture, without
    the depth a real turn adds."""

    def apply(image: Any) -> Any:
        import cv2
        import numpy as np

        h, w = image.shape[:2]
        f = float(w)
        yaw, pitch = np.radians(yaw_deg), np.radians(pitch_deg)

        def seen(x: float, y: float) -> tuple[float, float]:
            x, y = x - w / 2, y - h / 2
            # The print's point in 3D, the print turned about its centre, then projected.
            px, pz = x * np.cos(yaw), x * np.sin(yaw)
            py, pz = y * np.cos(pitch), pz + y * np.sin(pitch)
            return w / 2 + f * px / (f + pz), h / 2 + f * py / (f + pz)

        corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
        src = np.array(corners, dtype=np.float32)
        dst = np.array([seen(x, y) for x, y in corners], dtype=np.float32)
        matrix = cv2.getPerspectiveTransform(src, dst)
        return cv2.warpPerspective(image, matrix, (w, h), borderValue=(128, 128, 128))

    return apply


VARIANTS: dict[str, Callable[[list[Any]], list[Any]]] = {
    "original": lambda images: images,
    "speed-1.6x": _speed(1.6),
    "brightness-30%": _each(_brightness(0.3)),
    "brightness-20%": _each(_brightness(0.2)),
    "size-160px": _each(_size(160)),
    # The lower legs as they lie on the floor (x 0.78-1.0 of the picture, found from the
    # original's landmarks: ankles near x 0.8-0.9, the hips at 0.68): a third of the body.
    "band-over-lower-legs": _each(_band(0.78, 0.7, 1.0, 0.92)),
    "turned-yaw-30": _each(_turned(yaw_deg=30)),
    "looking-down-pitch-20": _each(_turned(pitch_deg=20)),
}
"""What OpenCV makes cheaply (no ffmpeg on this machine): the issue's failing conditions,
brightness down to 20%, a band over part of the body, and perspective warps standing in for a
camera turned about the vertical and one looking down."""


def _key(variant: str) -> str:
    import mediapipe

    stat = VIDEO.stat()
    raw = f"{VIDEO.name}:{stat.st_size}:{variant}:{mediapipe.__version__}:v2"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def variant_video(variant: str) -> Path:
    """The variant as an .mp4 in the cache (made once)."""
    import cv2

    CACHE.mkdir(exist_ok=True)
    out = CACHE / f"legraise-{variant}-{_key(variant)}.mp4"
    if out.is_file():
        return out
    capture = cv2.VideoCapture(str(VIDEO))
    fps = capture.get(cv2.CAP_PROP_FPS) or 24.0
    images = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        images.append(image)
    capture.release()
    images = VARIANTS[variant](images)
    h, w = images[0].shape[:2]
    partial = out.with_suffix(".part.mp4")
    writer = cv2.VideoWriter(str(partial), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for image in images:
        writer.write(image)
    writer.release()
    partial.replace(out)
    return out


def variant_landmarks(variant: str) -> Path:
    """The variant's MediaPipe landmarks as a backcoach landmark file (made once)."""
    from backcoach.motion.frames import PoseFrame
    from backcoach.motion.recorded import write_json
    from backcoach.motion.video import VideoSource

    out = CACHE / f"legraise-{variant}-{_key(variant)}.json"
    if out.is_file():
        return out
    source = VideoSource(variant_video(variant))
    frames = [PoseFrame(f.t, f.marks) for f in source.frames()]
    partial = out.with_suffix(".part.json")
    write_json(partial, frames, source.fps, source.size)
    partial.replace(out)
    return out


if __name__ == "__main__":
    for name in VARIANTS:
        print(name, variant_landmarks(name))

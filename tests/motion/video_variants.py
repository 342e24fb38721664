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


VARIANTS: dict[str, Callable[[list[Any]], list[Any]]] = {
    "original": lambda images: images,
    "speed-1.6x": _speed(1.6),
    "brightness-30%": _each(_brightness(0.3)),
    "size-160px": _each(_size(160)),
}
"""What OpenCV makes cheaply (no ffmpeg on this machine): the issue's failing conditions."""


def _key(variant: str) -> str:
    import mediapipe

    stat = VIDEO.stat()
    raw = f"{VIDEO.name}:{stat.st_size}:{variant}:{mediapipe.__version__}:v1"
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

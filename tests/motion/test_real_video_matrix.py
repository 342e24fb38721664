"""The leg-raise video under what OpenCV makes cheaply: 1.6x speed, 30% and 20% brightness,
160 px, a grey band over the lower legs, and perspective warps standing in for a camera turned
30 degrees about the vertical and one looking down 20 degrees.

Before issue 17's changes the first three counted 3, 5 and 4 of 6. MediaPipe's landmarks for
each variant (with their world positions) are cached in the temporary folder
(video_variants.py), so after the first run this replays landmarks; a cold run makes the eight
variants through MediaPipe first (about 2-4 minutes on the 2-core machine);
test_live_and_replayed_agree runs MediaPipe on one variant every time.
"""

from __future__ import annotations

import statistics

import pytest

from backcoach.motion.recorded import RecordedSource
from backcoach.motion.reference import reference
from backcoach.motion.run import coach_run
from tests.motion.figures import Figures
from tests.motion.scenarios import coached_exercises
from tests.motion.test_real_video import REPS_SEEN, needs_video
from tests.motion.video_variants import VARIANTS, variant_landmarks, variant_video

EXACT = {"original", "speed-1.6x", "size-160px", "band-over-lower-legs", "looking-down-pitch-20"}
"""Variants counted exactly. At 30% brightness MediaPipe loses the person for two seconds in
which one whole repetition happens; the result must say so (see below). Turned 30 degrees,
MediaPipe's near knee (seen 0.96 sure) bends for a second while the legs lie still, in the
picture and in 3D alike: one repetition too many."""
KNOWN_LIMITS = {
    "brightness-20%": "MediaPipe finds the person in about one frame in eight on this small, "
    "dark-walled picture (224 px, mean grey 8 of 255); nothing is counted and the result says "
    "it could not see",
}
"""Variants left out of the figures, with the reason printed beside them."""


@needs_video
@pytest.mark.slow
def test_video_variants(accuracy: Figures) -> None:
    ref = reference(coached_exercises()["leg-raise"])
    counts, lines = {}, []
    for name in VARIANTS:
        result = coach_run(RecordedSource(variant_landmarks(name)), ref)
        counts[name] = result["reps"]
        lines.append(
            f"  {name:<22} counted {result['reps']} of {REPS_SEEN}, tracking "
            f"{result['tracking']['quality']} ({result['tracking']['measured_fraction']:.0%})"
        )
        if name.startswith("brightness-"):
            assert result["tracking"]["quality"] != "good"
            assert not result["form_judged"]
        if name == "brightness-30%":
            assert any("you were not seen from" in s for s in result["not_seen"])
        if name in KNOWN_LIMITS:
            # Honest about it: too little seen, said in plain words, and no form judged.
            assert result["tracking"]["quality"] == "poor"
            assert any("measured in only" in s for s in result["not_seen"]), result["not_seen"]
    errors = [abs(c - REPS_SEEN) for n, c in counts.items() if n not in KNOWN_LIMITS]
    accuracy.notes += [
        "robustness matrix, leg-raise video (MediaPipe landmarks, cached):",
        *lines,
        f"  overall MAE {statistics.fmean(errors):.2f}, within one rep "
        f"{sum(e <= 1 for e in errors) / len(errors):.0%} ({len(errors)} variants)",
        *(f"  not in the figures: {n}: {why}" for n, why in KNOWN_LIMITS.items()),
    ]
    assert all(counts[n] == REPS_SEEN for n in EXACT), counts
    assert all(e <= 1 for e in errors), counts


@needs_video
@pytest.mark.slow
def test_live_and_replayed_agree(tmp_path: pytest.TempPathFactory) -> None:
    """The video through MediaPipe (as a camera feeds it, frame by frame) and its saved
    landmarks replayed give the same repetitions: one analysis serves both."""
    from backcoach.motion.video import VideoSource

    ref = reference(coached_exercises()["leg-raise"])
    saved = tmp_path / "saved.json"  # type: ignore[operator]
    live = coach_run(VideoSource(variant_video("size-160px")), ref, save_landmarks=saved)
    replayed = coach_run(RecordedSource(saved), ref)
    assert live["reps"] == replayed["reps"] == REPS_SEEN
    assert live["rep_times"] == replayed["rep_times"]
    assert live["faults"] == replayed["faults"]

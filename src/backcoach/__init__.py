"""backcoach: an open, offline exercise coach for non-specific lower back pain."""

__version__ = "0.1.0"

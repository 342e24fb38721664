"""The clinic's settings, read from an environment mapping passed in (tests hand in a dict)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

PUBLIC_URL_VARIABLE = "BACKCOACH_PUBLIC_URL"
"""The address patients reach the clinic server at, as their phones see it (the TLS proxy's):
invite links start with it."""
DEFAULT_PUBLIC_URL = "https://localhost"
PRACTICE_NAME_VARIABLE = "BACKCOACH_PRACTICE_NAME"
"""The practice's name, given to the practice when its first clinician is added."""
DEFAULT_PRACTICE_NAME = "backcoach clinic"


@dataclass(frozen=True)
class ClinicSettings:
    public_url: str = DEFAULT_PUBLIC_URL
    practice_name: str = DEFAULT_PRACTICE_NAME

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ClinicSettings:
        """ValueError naming the variable, the value and the fix when one is not usable."""
        env = os.environ if environ is None else environ
        raw = env.get(PUBLIC_URL_VARIABLE, "").strip() or DEFAULT_PUBLIC_URL
        parts = urlsplit(raw)
        if (
            parts.scheme not in ("https", "http")
            or not parts.netloc
            or parts.query
            or (parts.fragment)
        ):
            raise ValueError(
                f"{PUBLIC_URL_VARIABLE}={raw!r} is not a web address; write the address "
                "patients open, e.g. https://physio.example.org (or unset it for "
                f"{DEFAULT_PUBLIC_URL})"
            )
        name = " ".join(env.get(PRACTICE_NAME_VARIABLE, "").split()) or DEFAULT_PRACTICE_NAME
        return cls(public_url=raw.rstrip("/"), practice_name=name[:200])

    def invite_url(self, code: str) -> str:
        """The link on the invite sheet. The code rides in the fragment (after ``#``), which
        browsers never send to a server, so it stays out of proxy logs and Referer headers."""
        return f"{self.public_url}/invite#code={code}"

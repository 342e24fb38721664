"""Turning validation errors into sentences that name the field, the value and the fix."""

from __future__ import annotations

from pydantic import ValidationError

from backcoach.catalogue.loader import explain_error


def describe_validation(exc: ValidationError, where: str = "") -> str:
    """One line per problem: ``where: field: what is wrong (got VALUE); how to fix``."""
    lines = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        field = ".".join(str(p) for p in loc if p != "[key]") or "(value)"
        message, fix = explain_error(err["type"], err["msg"], err.get("ctx") or {}, loc)
        got = err.get("input")
        shown = (
            ""
            if err["type"] in ("missing", "extra_forbidden") or isinstance(got, (dict, list))
            else f" (got {got!r})"
        )
        prefix = f"{where}: " if where else ""
        lines.append(f"{prefix}{field}: {message}{shown}; {fix}")
    return "\n".join(lines)

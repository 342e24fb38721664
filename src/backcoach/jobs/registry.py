"""The jobs there are, by name, and the retry rule every queue applies to them.

A job is a function ``run(workplace, **ids)`` that is idempotent, and ``give_up(workplace,
error, **ids)`` called once its last attempt has failed, so what the person sees (a document's
status) never stays "queued" for ever. Camera video analysis and the clinic's daily digest
join here the same way: a run function taking ids, loading through the person's store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backcoach.jobs.digest import PREPARE_DIGEST, give_up_digest, prepare_digest
from backcoach.jobs.documents import MAKE_DOCUMENT, give_up_document, make_document
from backcoach.jobs.workplace import Workplace

RETRIES = 2
"""Attempts after the first: three in all. A transient fault (the database restarting, a
row held by another run) clears within seconds; a fault that survives three tries is a bug,
and retrying it for ever would hide it."""

RETRY_WAIT_S = 2
"""The queue waits 2 s before the first retry and 4 s before the second (exponential)."""


@dataclass(frozen=True)
class Job:
    run: Callable[..., None]
    give_up: Callable[..., None]


JOBS: dict[str, Job] = {
    MAKE_DOCUMENT: Job(make_document, give_up_document),
    PREPARE_DIGEST: Job(prepare_digest, give_up_digest),
}


def attempt(name: str, workplace: Workplace, args: dict[str, Any], *, last: bool) -> None:
    """Run job ``name`` once; when it raises on the ``last`` attempt, give up (the job's own
    record says it failed) and raise on."""
    job = JOBS[name]
    try:
        job.run(workplace, **args)
    except Exception as exc:
        if last:
            job.give_up(workplace, exc, **args)
        raise

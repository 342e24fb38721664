"""The clinic's daily work, scheduled by the job worker (procrastinate's periodic tasks, set up
in ``jobs.pgqueue``):

- ``daily-digests``: one ``prepare-digest`` job for each clinician with an account in use
  (clinic.digest.prepare raises the flags that are due, so the digest page only reads);
- ``prune-throttles``: the sign-in attempt counters whose window and lockout are over are
  deleted (clinic.throttle.prune), so ``auth_throttles`` holds only the live ones.

Once a day each, at ``DAILY_CRON``. procrastinate records each periodic task it defers with its
scheduled time (``procrastinate_periodic_defers``, unique), so however many workers run, each
day's tasks are deferred once; a worker starting later in the day defers that day's tasks if
nobody did (``CATCH_UP_S``). A clinician's ``prepare-digest`` carries a queueing lock, so a
second one never waits beside the first, and the job itself is idempotent (a flag is unique per
event): a retried ``daily-digests`` adds no second digest.
"""

from __future__ import annotations

import logging

from backcoach.jobs.documents import store_now
from backcoach.jobs.workplace import Workplace

log = logging.getLogger(__name__)

DAILY_CRON = "0 5 * * *"
"""05:00 UTC every day: before the working day in Europe and Africa, after it in the Americas'
evening; the digest shows the flags raised in the last day and every one still open."""

CATCH_UP_S = 24 * 3600
"""A worker starting up to a day after a tick defers that tick's task if no worker did (a
server rebooted at 05:00 still gets its digest that day); procrastinate's default is 10 min."""

DAILY_DIGESTS = "daily-digests"
PRUNE_THROTTLES = "prune-throttles"


def digest_lock(clinician_id: int) -> str:
    """The queueing lock of a clinician's ``prepare-digest``: one waiting at a time."""
    return f"prepare-digest:{clinician_id}"


def clinicians_due(workplace: Workplace) -> list[int]:
    """Whom today's digests are for: every clinician with an account in use."""
    from backcoach.clinic.digest import clinicians

    return clinicians(workplace.database)


def prune_throttles(workplace: Workplace) -> int:
    """Delete the sign-in counters that are over; how many."""
    from backcoach.clinic.throttle import prune

    with workplace.database.begin() as db:
        pruned = prune(db, store_now(workplace.settings))
    log.info("pruned %s sign-in attempt counters that were over", pruned)
    return pruned

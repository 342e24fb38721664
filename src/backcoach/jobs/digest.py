"""The clinic's daily digest as a job: ``prepare-digest`` with a clinician's id raises the
flags of every patient in their care (clinic.digest.prepare), so their digest page and
patients list only read. Idempotent: flags are unique per event, so a retry adds none."""

from __future__ import annotations

import logging

from backcoach.jobs.documents import store_now
from backcoach.jobs.workplace import Workplace

log = logging.getLogger(__name__)

PREPARE_DIGEST = "prepare-digest"
"""The job's name on every queue."""


def prepare_digest(workplace: Workplace, *, clinician_id: int) -> None:
    from backcoach.clinic.digest import prepare

    raised = prepare(workplace.database, clinician_id, store_now(workplace.settings))
    log.info("digest for clinician %s: %s new flags", clinician_id, raised)


def give_up_digest(workplace: Workplace, error: BaseException, *, clinician_id: int) -> None:
    """Nothing a person waits on: the next day's run (or the next page view) raises the flags."""
    log.error("the digest for clinician %s failed: %s", clinician_id, error)

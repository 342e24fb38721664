"""The clinic: clinicians' accounts, patients and their invites, sign-in sessions, rate limits
and the audit log (issue 14, docs/clinic.md). PostgreSQL only.

A service-level package: it uses ``records`` and never the CLI, the web app or the contexts.
``service.Clinic`` is the way in; ``access.Roster`` answers what a signed-in person may see.
"""

from backcoach.clinic.access import Roster, Who
from backcoach.clinic.service import AddedPatient, Clinic

__all__ = ["AddedPatient", "Clinic", "Roster", "Who"]

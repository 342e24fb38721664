"""Each person's revision tag, replaced by every transaction that writes their records.

``people.revision`` (migration 0011) tells, in one small read, whether anything of a person's
changed since a page or plan was built from their records, in this process or any other (a
clinic runs several). Three session events keep it true for every write through the ORM,
scoped or not (the clinic writes a patient's programme from the clinician's request):

- ``before_flush``: every new, changed or deleted personal row (``tables.Owned``) notes its
  person in ``session.info``;
- ``do_orm_execute``: an ``INSERT``, ``UPDATE`` or ``DELETE`` statement on personal tables
  notes the session's person (``records.scoping`` has already limited it to them);
- ``before_commit`` of the outermost transaction: the noted people get a new random tag, in the
  same transaction as the writes, so a reader never sees new rows under an old tag.

Readers read the tag *before* the rows they build from (``Store.revision``): on PostgreSQL
each statement sees the newest commits, so rows read after the tag are at least as new as it,
and what is kept under a tag is never older than the tag says.

A tag is random rather than a counter, so a database made again (a restored file, a test's new
schema) never repeats the tag of another state.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session

from backcoach.records.scoping import person_of
from backcoach.records.tables import Owned, PersonRow

TOUCHED = "backcoach.touched_people"
"""``session.info`` key: the ids of people whose rows this transaction wrote."""


def _touched(session: Session) -> set[int]:
    found = session.info.get(TOUCHED)
    if found is None:
        found = session.info[TOUCHED] = set()
    return found


@event.listens_for(Session, "before_flush")
def _note_written_rows(session: Session, _context: Any, _instances: Any) -> None:
    person = person_of(session)
    for rows in (session.new, session.dirty, session.deleted):
        for row in rows:
            if isinstance(row, Owned):
                owner = row.person_id if row.person_id is not None else person
                if owner is not None:
                    _touched(session).add(owner)


@event.listens_for(Session, "do_orm_execute")
def _note_written_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    person = person_of(state.session)
    if person is None:
        return  # unscoped writes are refused (records.scoping) or whole-database work
    if any(issubclass(mapper.class_, Owned) for mapper in state.all_mappers):
        _touched(state.session).add(person)


@event.listens_for(Session, "before_commit")
def _new_tags(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction replaces the tags when it commits
    session.flush()  # before_commit runs before the last flush; its rows count too
    touched = session.info.pop(TOUCHED, None)
    for person in sorted(touched or ()):
        session.execute(
            update(PersonRow).where(PersonRow.id == person).values(revision=uuid.uuid4().hex)
        )


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(TOUCHED, None)

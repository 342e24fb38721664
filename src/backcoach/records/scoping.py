"""Person scoping for every ORM statement: one person's rows, or none at all.

A database session opened for one person carries ``session.info[PERSON] = person_id``. Two
session events make that the only way personal rows are reached:

- every ORM SELECT, UPDATE and DELETE that touches a personal table (a ``records.tables.Owned``
  class, relationship loads included) gets ``person_id = <the session's person>`` added
  (SQLAlchemy's ``with_loader_criteria``, the documented recipe for global criteria);
- every new personal row is stamped with the session's person before it is written, and a row
  naming another person is refused.

A session with no person that touches a personal table raises ``UnscopedQuery``: forgetting the
scope is an error, never "everyone's rows". Whole-database work that really is unscoped (the
person-less parts of migrations) says so with ``session.info[UNSCOPED] = True``.

A clinician's patients list reads several patients at once: a session may instead carry
``session.info[PEOPLE] = frozenset(ids)`` (``clinic.caseload.across``, with the ids the roster
gives). Its statements get ``person_id IN (ids)``, and it only reads: a new personal row in it
is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from backcoach.records.tables import Owned

PERSON = "backcoach.person_id"
PEOPLE = "backcoach.people"
UNSCOPED = "backcoach.unscoped"


class UnscopedQuery(RuntimeError):
    """A statement reached personal rows without naming whose: a programming error."""


def person_of(session: Session) -> int | None:
    value = session.info.get(PERSON)
    return value if isinstance(value, int) else None


def people_of(session: Session) -> frozenset[int] | None:
    value = session.info.get(PEOPLE)
    return value if isinstance(value, frozenset) else None


def _touches_personal_rows(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, Owned) for mapper in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    person = person_of(state.session)
    people = people_of(state.session) if person is None else None
    if people is not None:
        named = tuple(sorted(people))  # a plain value: SQLAlchemy binds it into the criteria
        state.statement = state.statement.options(
            with_loader_criteria(
                Owned,
                lambda cls: cls.person_id.in_(named),
                include_aliases=True,
            )
        )
        return
    if person is None:
        if state.session.info.get(UNSCOPED) or not _touches_personal_rows(state):
            return
        raise UnscopedQuery(
            "a query of personal records named no person; open the session through a "
            "person-scoped store"
        )
    state.statement = state.statement.options(
        with_loader_criteria(
            Owned,
            lambda cls: cls.person_id == person,
            include_aliases=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    person = person_of(session)
    for row in session.new:
        if not isinstance(row, Owned):
            continue
        if person is None:
            if people_of(session) is not None:
                raise UnscopedQuery(
                    f"a new {type(row).__name__} in a session over several people; those "
                    "sessions only read: add it through that person's own store"
                )
            if session.info.get(UNSCOPED):
                continue
            raise UnscopedQuery(
                f"a new {type(row).__name__} named no person; add it through a person-scoped store"
            )
        if row.person_id is None:
            row.person_id = person
        elif row.person_id != person:
            raise UnscopedQuery(
                f"a new {type(row).__name__} names person {row.person_id}, but this session "
                f"belongs to person {person}"
            )

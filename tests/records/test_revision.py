"""The revision tag (records.revision): every committed write of a person's rows replaces it,
in the same transaction, whichever process or path wrote; reads, rolled-back work and other
people's writes leave it as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from backcoach.records.db import open_database
from backcoach.records.scoping import UNSCOPED
from backcoach.records.store import Store
from backcoach.records.tables import PersonRow, ProfileRow, ProgrammeVersionRow

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def _second_person(store: Store) -> Store:
    with store.factory.begin() as s:
        person = PersonRow(role="patient", created_at=NOW)
        s.add(person)
        s.flush()
        person_id = person.id
    return Store(store.factory, person_id=person_id)


def test_a_write_replaces_the_tag_and_a_read_does_not(db_url: str) -> None:
    store = Store(open_database(db_url))
    first = store.revision()
    assert len(first) == 32
    store.load_profile()
    store.unfinished_session()
    assert store.revision() == first
    store.save_profile({"minutes": 15})
    second = store.revision()
    assert second != first
    store.save_profile({"minutes": 20})
    assert store.revision() not in {first, second}


def test_another_process_sees_the_new_tag(db_url: str) -> None:
    """Two engines on one database, as two server processes have."""
    mine = Store(open_database(db_url))
    theirs = Store(open_database(db_url))
    before = mine.revision()
    theirs.save_profile({"minutes": 25})
    assert mine.revision() != before
    assert mine.revision() == theirs.revision()


def test_one_unit_of_work_replaces_it_once_at_commit_and_a_rollback_not_at_all(
    db_url: str,
) -> None:
    store = Store(open_database(db_url))
    before = store.revision()
    with store.writing():
        store.save_profile({"minutes": 15})
        plan_id = store.save_plan(dt.date(2026, 11, 2), {"items": []}, flare_up=False)
        # Inside the transaction nothing is committed: the tag stays until the end.
        assert store.revision() == before
    assert plan_id and store.revision() != before

    committed = store.revision()
    with pytest.raises(RuntimeError), store.writing():
        store.save_profile({"minutes": 30})
        raise RuntimeError("the unit of work fails")
    assert store.revision() == committed
    assert store.load_profile() == {"minutes": 15}


def test_only_the_writers_person_gets_a_new_tag(db_url: str) -> None:
    one = Store(open_database(db_url))
    two = _second_person(one)
    tags = one.revision(), two.revision()
    assert tags[0] != tags[1]
    two.save_profile({"minutes": 10})
    assert one.revision() == tags[0]
    assert two.revision() != tags[1]


def test_a_row_written_for_a_patient_outside_their_store_replaces_their_tag(
    db_url: str,
) -> None:
    """The clinic saves a patient's programme from the clinician's request: a row that names
    its person is that person's write, whichever session adds it."""
    one = Store(open_database(db_url))
    patient = _second_person(one)
    before = patient.revision(), one.revision()
    with Session(one.factory.kw["bind"]) as s, s.begin():
        s.info[UNSCOPED] = True
        s.add(
            ProgrammeVersionRow(
                person_id=patient.person_id, version=1, created_at=NOW, changes=[], data={}
            )
        )
    assert patient.revision() != before[0]
    assert one.revision() == before[1]


def test_bulk_statements_and_deletes_replace_it(db_url: str) -> None:
    store = Store(open_database(db_url))
    store.save_profile({"minutes": 15})
    before = store.revision()
    with store.scoped() as s:
        s.execute(update(ProfileRow).values(data={"minutes": 40}))
    after_update = store.revision()
    assert after_update != before
    with store.scoped() as s:
        s.execute(delete(ProfileRow))
    assert store.revision() != after_update
    assert store.load_profile() is None


def test_rows_added_without_the_orm_get_a_tag(db_url: str) -> None:
    """A person added by plain SQL (a script, a restore) still has a tag to be kept under."""
    store = Store(open_database(db_url))
    with store.factory.begin() as s:
        s.execute(text("INSERT INTO people (role, created_at) VALUES ('person', :t)"), {"t": NOW})
        tags = s.execute(text("SELECT revision FROM people")).scalars().all()
    assert len(tags) == 2 and all(len(t) == 32 for t in tags) and len(set(tags)) == 2

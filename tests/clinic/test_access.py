"""Who may see which patient (patients A and B, clinicians 1 and 2, a practice admin, and a
second practice), the way to a patient's records, and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from backcoach.clinic import Clinic, Who
from backcoach.clinic.audit import to_csv
from backcoach.clinic.errors import NotYours
from backcoach.records.store import Store
from backcoach.records.tables import AccountRow, AuthSessionRow, PatientRow, PracticeRow
from tests.clinic.conftest import PASSWORD, Clock

pytestmark = pytest.mark.postgres
HERE = "192.0.2.10"


@dataclass
class People:
    a: int
    b: int
    c: int
    """Patient C belongs to another practice on the same server."""
    patient_a: Who
    patient_b: Who
    clinician_1: Who
    clinician_2: Who
    admin: Who
    other_admin: Who


def sign_in(clinic: Clinic, email: str) -> Who:
    return clinic.sign_in(email=email, password=PASSWORD, address=HERE).who


@pytest.fixture
def people(clinic: Clinic) -> People:
    for email, name, admin in (
        ("one@example.org", "Clinician One", False),
        ("two@example.org", "Clinician Two", False),
        ("admin@example.org", "Practice Admin", True),
        ("three@example.org", "Clinician Three", False),
        ("admin2@example.org", "Other Admin", True),
    ):
        clinic.add_clinician(email=email, name=name, password=PASSWORD, admin=admin)
    a = clinic.add_patient(name="Patient A", birth_year=1970, clinician_email="one@example.org")
    b = clinic.add_patient(name="Patient B", birth_year=1985, clinician_email="two@example.org")
    c = clinic.add_patient(name="Patient C", birth_year=1990, clinician_email="three@example.org")
    with clinic.factory.begin() as db:  # clinician three, their admin and patient C move out
        other = PracticeRow(name="Elsewhere Physio", created_at=clinic.clock())
        db.add(other)
        db.flush()
        db.execute(
            update(AccountRow)
            .where(AccountRow.email.in_(["three@example.org", "admin2@example.org"]))
            .values(practice_id=other.id)
        )
        db.execute(
            update(PatientRow)
            .where(PatientRow.person_id == c.patient_id)
            .values(practice_id=other.id)
        )
    return People(
        a=a.patient_id,
        b=b.patient_id,
        c=c.patient_id,
        patient_a=clinic.redeem_invite(code=a.invite_code, birth_year=1970, address=HERE).who,
        patient_b=clinic.redeem_invite(code=b.invite_code, birth_year=1985, address=HERE).who,
        clinician_1=sign_in(clinic, "one@example.org"),
        clinician_2=sign_in(clinic, "two@example.org"),
        admin=sign_in(clinic, "admin@example.org"),
        other_admin=sign_in(clinic, "admin2@example.org"),
    )


def test_who_may_see_whom(clinic: Clinic, people: People) -> None:
    p = people
    expected = {
        "patient_a": {p.a},
        "patient_b": {p.b},
        "clinician_1": {p.a},
        "clinician_2": {p.b},
        "admin": {p.a, p.b},
        "other_admin": {p.c},
    }
    everyone = [p.a, p.b, p.c, p.clinician_1.person_id, p.admin.person_id, 9999]
    for name, allowed in expected.items():
        roster = clinic.roster(getattr(p, name))
        seen = {pid for pid in everyone if roster.may_see(pid)}
        assert seen == allowed, name
        assert {s.person_id for s in roster.patients()} == allowed, name


def test_records_are_reached_only_through_the_patients_own_store(
    clinic: Clinic, people: People
) -> None:
    mine = Store(clinic.factory, clinic.clock, person_id=people.a)
    mine.save_profile({"minutes": 15})
    Store(clinic.factory, clinic.clock, person_id=people.b).save_profile({"minutes": 30})
    store = clinic.roster(people.clinician_1, HERE).store_for(people.a, "profile")
    assert store.person_id == people.a and store.load_profile() == {"minutes": 15}
    for who, patient in (
        (people.clinician_1, people.b),
        (people.patient_a, people.b),
        (people.clinician_2, people.a),
        (people.other_admin, people.a),
    ):
        with pytest.raises(NotYours, match=f"no patient {patient} among the records you may"):
            clinic.roster(who).store_for(patient)
    with pytest.raises(NotYours):  # patients cannot reissue invites, not even their own
        clinic.roster(people.patient_a).reissue_invite(people.a)
    with pytest.raises(NotYours):
        clinic.roster(people.clinician_2).reissue_invite(people.a)


def test_views_and_changes_are_audited_and_listed_per_patient(
    clinic: Clinic, clock: Clock, people: People
) -> None:
    one = clinic.roster(people.clinician_1, HERE)
    one.viewed(people.a, "progress")
    clock.advance(minutes=1)
    one.changed(people.a, "programme", {"exercise": "cat-cow", "reps": 8})
    clinic.roster(people.clinician_2).viewed(people.b, "progress")
    with pytest.raises(NotYours):
        clinic.roster(people.clinician_2).changed(people.a, "programme")

    entries = clinic.roster(people.patient_a).audit_log(people.a)  # the patient's own view
    mine = [(e.action, e.what, e.actor_id) for e in entries if e.action in ("view", "change")]
    assert mine == [
        ("change", "programme", people.clinician_1.person_id),
        ("view", "progress", people.clinician_1.person_id),
    ]
    assert entries[0].detail == {"exercise": "cat-cow", "reps": 8} and entries[0].address == HERE
    assert all(e.patient_id == people.a for e in entries)
    assert {e.action for e in entries} >= {"invite-issued", "invite-redeemed"}
    with pytest.raises(NotYours):
        clinic.roster(people.clinician_2).audit_log(people.a)

    listed = clinic.roster(people.clinician_1).audit_log(people.a)
    assert listed[0].action == "view" and listed[0].what == "audit log"  # reading it is logged
    csv_text = to_csv(listed)
    assert csv_text.splitlines()[0] == "id,at,actor_id,actor_role,patient_id,action,what,detail"
    assert "programme" in csv_text and "+00:00" in csv_text


def test_a_clinician_signs_out_a_patients_lost_phone(clinic: Clinic, people: People) -> None:
    assert clinic.roster(people.clinician_1).sign_out_patient(people.a) == 1
    with clinic.factory() as db:
        live = db.scalars(
            select(AuthSessionRow).where(
                AuthSessionRow.person_id == people.a, AuthSessionRow.revoked_at.is_(None)
            )
        ).all()
    assert live == []
    with pytest.raises(NotYours):
        clinic.roster(people.clinician_2).sign_out_patient(people.a)


def test_an_archived_patients_device_is_signed_out(clinic: Clinic, people: People) -> None:
    token = clinic.redeem_invite(
        code=clinic.reissue_invite(people.a).invite_code, birth_year=1970, address=HERE
    ).token
    assert clinic.who(token) is not None
    with clinic.factory.begin() as db:
        db.get_one(PatientRow, people.a).archived_at = clinic.clock() - dt.timedelta(seconds=1)
    assert clinic.who(token) is None

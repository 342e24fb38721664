"""Patients and their invites: single use, 14 days, birth year, reissue; the device session."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from backcoach.clinic import AddedPatient, Clinic
from backcoach.clinic.errors import BadInput, InviteProblem, Locked, NotFound
from backcoach.clinic.signin import DEVICE_IDLE, DEVICE_LIFETIME
from backcoach.records.tables import InviteRow, PersonRow
from tests.clinic.conftest import PASSWORD, PUBLIC, Clock

pytestmark = pytest.mark.postgres
PHONE = "203.0.113.5"


@pytest.fixture
def patient(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email="ana@example.org", name="Ana Silva", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email="ana@example.org")


def problem(clinic: Clinic, code: str, year: int, address: str = PHONE) -> str:
    with pytest.raises(InviteProblem) as refused:
        clinic.redeem_invite(code=code, birth_year=year, address=address)
    return refused.value.code


def test_a_patient_gets_an_invite_with_a_link_and_only_its_hash_is_stored(
    clinic: Clinic, patient: AddedPatient
) -> None:
    assert patient.invite_url == f"{PUBLIC}/invite#code={patient.invite_code}"
    assert patient.expires_at == clinic.clock() + dt.timedelta(days=14)
    with clinic.factory() as db:
        person = db.get(PersonRow, patient.patient_id)
        dump = str(db.execute(text("SELECT * FROM invites")).all())
    assert person is not None and person.role == "patient" and person.name == "Bo Chen"
    raw = patient.invite_code.replace("-", "")
    assert raw not in dump and patient.invite_code not in dump


def test_redeeming_signs_the_phone_in_for_long_and_works_once(
    clinic: Clinic, clock: Clock, patient: AddedPatient
) -> None:
    done = clinic.redeem_invite(code=patient.invite_code, birth_year=1980, address=PHONE)
    assert done.who.person_id == patient.patient_id and done.who.role == "patient"
    assert done.who.kind == "device" and done.who.account_id is None
    assert problem(clinic, patient.invite_code, 1980) == "invite-used"
    clock.advance(days=DEVICE_IDLE.days - 1)  # a phone unused for weeks stays signed in
    assert clinic.who(done.token) is not None
    clock.advance(days=DEVICE_IDLE.days - 1)
    assert clinic.who(done.token) is not None
    clock.advance(days=DEVICE_LIFETIME.days)
    assert clinic.who(done.token) is None


def test_an_invite_expires_after_14_days(
    clinic: Clinic, clock: Clock, patient: AddedPatient
) -> None:
    clock.advance(days=14)
    with pytest.raises(InviteProblem, match=r"expired on 2026-11-16.*ask your clinician"):
        clinic.redeem_invite(code=patient.invite_code, birth_year=1980, address=PHONE)


def test_a_wrong_birth_year_is_refused_and_five_withdraw_the_invite(
    clinic: Clinic, patient: AddedPatient
) -> None:
    for _ in range(4):
        assert problem(clinic, patient.invite_code, 1981) == "invite-wrong"
    with pytest.raises(InviteProblem, match="withdrawn"):
        clinic.redeem_invite(code=patient.invite_code, birth_year=1979, address=PHONE)
    assert problem(clinic, patient.invite_code, 1980) == "invite-revoked"


def test_a_wrong_or_malformed_code_is_refused_with_a_plain_message(
    clinic: Clinic, patient: AddedPatient
) -> None:
    with pytest.raises(InviteProblem, match="do not match an invite") as refused:
        clinic.redeem_invite(code="ABCD-EFGH-JKMN", birth_year=1980, address=PHONE)
    assert refused.value.code == "invite-wrong"
    assert problem(clinic, "not a code", 1980) == "invite-wrong"
    assert problem(clinic, "", 1980) == "invite-wrong"
    # Typed in lower case with spaces: still the code.
    typed = patient.invite_code.lower().replace("-", " ")
    assert clinic.redeem_invite(code=typed, birth_year=1980, address=PHONE)


def test_reissuing_withdraws_the_older_invite(clinic: Clinic, patient: AddedPatient) -> None:
    newer = clinic.reissue_invite(patient.patient_id)
    assert newer.invite_code != patient.invite_code
    assert problem(clinic, patient.invite_code, 1980) == "invite-revoked"
    assert clinic.redeem_invite(code=newer.invite_code, birth_year=1980, address=PHONE)
    with clinic.factory() as db:
        rows = db.scalars(select(InviteRow).order_by(InviteRow.id)).all()
    assert [r.revoked_at is not None for r in rows] == [True, False]
    with pytest.raises(NotFound):
        clinic.reissue_invite(9999)


def test_guessing_codes_from_one_address_is_locked(clinic: Clinic, clock: Clock) -> None:
    for _ in range(49):
        assert problem(clinic, "ABCD-EFGH-JKMN", 1980) == "invite-wrong"
    with pytest.raises(Locked):
        clinic.redeem_invite(code="ABCD-EFGH-JKMN", birth_year=1980, address=PHONE)
    other = problem(clinic, "ABCD-EFGH-JKMN", 1980, address="203.0.113.99")
    assert other == "invite-wrong"
    clock.advance(minutes=15)
    assert problem(clinic, "ABCD-EFGH-JKMN", 1980) == "invite-wrong"


def test_bad_patient_details_are_refused_with_the_field_named(clinic: Clinic) -> None:
    clinic.add_clinician(email="ana@example.org", name="Ana Silva", password=PASSWORD)
    with pytest.raises(BadInput, match="birth year: 1850"):
        clinic.add_patient(name="Old", birth_year=1850, clinician_email="ana@example.org")
    with pytest.raises(BadInput, match="birth year: 2027"):
        clinic.add_patient(name="Unborn", birth_year=2027, clinician_email="ana@example.org")
    with pytest.raises(BadInput, match="name:"):
        clinic.add_patient(name="  ", birth_year=1980, clinician_email="ana@example.org")
    with pytest.raises(NotFound, match=r"no account for zed@example\.org"):
        clinic.add_patient(name="Bo", birth_year=1980, clinician_email="zed@example.org")

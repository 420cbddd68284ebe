"""RNIV rules applied by the services to identities a user creates or changes.

Offline, an identity can be validated (a high-trust identity document checked by the
signed-in user), never qualified: qualified identities come only from the HIS. An INS a
user types is checked against the sex, the birth date and the birth place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from continuity.domain.identity import IdentityStatus
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient
from continuity.errors import InvalidInput
from continuity.services import patients, snapshots
from continuity.session import Session
from tests.conftest import NURSE, identity


def nir(body: str) -> str:
    """A NIR with its key: ``body`` is its first 13 characters (2A/2B as for Corsica)."""
    digits = body.replace("2A", "19").replace("2B", "18")
    return f"{body}{97 - int(digits) % 97:02d}"


# a woman born in March 1950 in Rouen (76540)
NIR_ROUEN = nir("2500376540123")
TODAY = datetime.now(UTC).date()


def test_a_user_can_never_admit_a_qualified_identity(nurse: Session) -> None:
    qualified = identity(ins=NIR_ROUEN, birth_place_insee="76540", status="qualifiee")
    with pytest.raises(InvalidInput) as refused:
        patients.admit(nurse, "CARDIO", identity=qualified)
    assert "qualifiée" in refused.value.message_fr and "qualified" in refused.value.message_en
    assert "INSi" in refused.value.message_fr
    assert [f.field for f in refused.value.fields] == ["status"]
    assert patients.search(nurse, "lefevre") == []


def test_a_user_can_never_make_an_identity_qualified(nurse: Session) -> None:
    admitted = patients.admit(nurse, "CARDIO", identity=identity(ins=NIR_ROUEN, birth_place_insee="76540"))
    with pytest.raises(InvalidInput, match="qualifiée"):
        patients.update_identity(
            nurse,
            admitted.patient.id,
            identity(ins=NIR_ROUEN, birth_place_insee="76540", status="qualifiee"),
            admitted.patient.version,
        )


def _his_qualified(session: Session) -> str:
    """A qualified identity as the HIS sends it (a snapshot): the patient's id."""
    snapshot = Snapshot(
        format=SnapshotFormat.CSV,
        taken_at=datetime.now(UTC) - timedelta(hours=1),
        patients=[
            SnapshotPatient(
                ipp="700001",
                identity=identity(ins=NIR_ROUEN, birth_place_insee="76540", status="qualifiee"),
            )
        ],
    )
    snapshots.import_snapshot(session, snapshot, "a" * 64)
    [found] = patients.search(session, "lefevre")
    return found.patient.id


def test_a_qualified_identity_from_the_his_keeps_its_status_when_its_used_name_is_corrected(
    crisis: Session, nurse: Session
) -> None:
    patient_id = _his_qualified(crisis)
    [before] = patients.get_patients(nurse, [patient_id])
    corrected = before.patient.identity.model_copy(update={"used_name": "MARTIN"})
    after = patients.update_identity(nurse, patient_id, corrected, before.patient.version)
    assert after.identity.status is IdentityStatus.QUALIFIEE and after.identity.used_name == "MARTIN"
    # a strict trait changed: the qualification would be the user's, refused
    changed = before.patient.identity.model_copy(update={"first_names": ["JEANNE", "MARIE"]})
    with pytest.raises(InvalidInput, match="qualifiée"):
        patients.update_identity(nurse, patient_id, changed, after.version)


@pytest.mark.parametrize("document", [None, "PC", "CE", "TC"])
def test_validation_needs_a_high_trust_identity_document(nurse: Session, document: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        patients.admit(nurse, "CARDIO", identity=identity(status="validee", document_type=document))
    assert "pièce d'identité à haut niveau de confiance" in refused.value.message_fr
    assert "carte Vitale" in refused.value.message_fr
    assert "high-trust identity document" in refused.value.message_en
    assert [f.field for f in refused.value.fields] == ["document_type"]


def test_validation_refuses_an_expired_document(nurse: Session) -> None:
    expired = identity(status="validee", document_type="CN", document_expires_on=TODAY - timedelta(days=1))
    with pytest.raises(InvalidInput, match="expiré") as refused:
        patients.admit(nurse, "CARDIO", identity=expired)
    assert [f.field for f in refused.value.fields] == ["document_expires_on"]


def test_validation_records_who_checked_the_document_and_when(nurse: Session) -> None:
    given = identity(
        status="validee",
        document_type="PA",
        document_expires_on=TODAY,
        validated_by="quelqu'un d'autre",  # not the user's to say
        validated_on=date(2001, 1, 1),
    )
    admitted = patients.admit(nurse, "CARDIO", identity=given)
    i = admitted.patient.identity
    assert (i.status, i.validated_by, i.validated_on) == (IdentityStatus.VALIDEE, NURSE.display_name, TODAY)
    [stored] = patients.get_patients(nurse, [admitted.patient.id])
    assert stored.patient.identity.validated_by == NURSE.display_name
    # back to provisional: no one vouches for it any more
    provisional = i.model_copy(update={"status": IdentityStatus.PROVISOIRE})
    after = patients.update_identity(nurse, admitted.patient.id, provisional, admitted.patient.version)
    assert (after.identity.validated_by, after.identity.validated_on) == (None, None)


def test_a_minor_may_be_validated_on_the_family_record_book(nurse: Session) -> None:
    child = identity(born=TODAY - timedelta(days=365 * 6), status="validee", document_type="LE")
    assert patients.admit(nurse, "CARDIO", identity=child).patient.identity.status is IdentityStatus.VALIDEE
    with pytest.raises(InvalidInput, match="haut niveau de confiance"):
        patients.admit(nurse, "CARDIO", identity=identity(status="validee", document_type="LE"))


def test_a_typed_ins_must_agree_with_the_birth_place(nurse: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        patients.admit(nurse, "CARDIO", identity=identity(ins=NIR_ROUEN, birth_place_insee="75056"))
    assert (
        "lieu de naissance" in str(refused.value.details) or "lieu de naissance" in refused.value.message_fr
    )
    assert [f.field for f in refused.value.fields] == ["ins"]
    kept = patients.admit(nurse, "CARDIO", identity=identity(ins=NIR_ROUEN, birth_place_insee="76540"))
    assert kept.patient.identity.ins_unverified == NIR_ROUEN and kept.patient.identity.ins is None


def test_the_birth_place_check_knows_corsica_and_abroad(nurse: Session) -> None:
    corsica_before_1976 = identity(ins=nir("2500320004123"), birth_place_insee="2A004")
    abroad = identity(birth_name="NIA", ins=nir("2500399350123"), birth_place_insee="99350")
    for given in (corsica_before_1976, abroad):
        patients.admit(nurse, "CARDIO", identity=given, not_a_duplicate="une autre")


def test_homonyms_share_birth_name_first_first_name_and_birth_date(nurse: Session) -> None:
    one = patients.admit(nurse, "CARDIO", identity=identity("LEFÈVRE", "Jeanne"))
    patients.admit(nurse, "CARDIO", identity=identity("Lefevre", "Jeanne"), not_a_duplicate="une autre")
    patients.admit(nurse, "CARDIO", identity=identity("LEFEVRE", "Jeannette"), not_a_duplicate="une autre")
    patients.admit(
        nurse, "CARDIO", identity=identity("LEFEVRE", "Jeanne", born=date(1950, 3, 13)), not_a_duplicate="x"
    )
    found = patients.homonyms(nurse, one.patient.id)
    assert found.count == 1 and found.in_his_index == 0
    assert found.patients[0].patient.identity.birth_name == "LEFEVRE"


def test_a_nir_of_a_former_north_african_department_is_not_checked_against_the_place(
    nurse: Session,
) -> None:
    """Born in Algeria before 1962: the NIR carries the former department (91 to 94, and
    Morocco and Tunisia 95, 96) where the birth place is now coded as the country (99352)."""
    algeria = identity(ins=nir("2500391352123"), birth_place_insee="99352")
    assert patients.admit(nurse, "CARDIO", identity=algeria).patient.identity.ins_unverified
    # a birth in Essonne (91) is still checked
    with pytest.raises(InvalidInput, match="lieu de naissance"):
        patients.admit(
            nurse, "CARDIO", identity=identity(ins=nir("2500391228123"), birth_place_insee="91229")
        )


def test_no_identity_is_retrieved_offline(nurse: Session) -> None:
    """Review of issue 17: « récupérée » says the INS came from the INSi teleservice, which
    cannot be queried offline; a user could still set it."""
    given = identity(ins="250037505612372", status="recuperee")
    assert given.status is IdentityStatus.RECUPEREE
    with pytest.raises(InvalidInput) as refused:
        patients.admit(nurse, "CARDIO", identity=given)
    assert "INSi" in refused.value.message_fr and "INSi" in refused.value.message_en

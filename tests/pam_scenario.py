"""A full outage, recorded on a real store, giving every kind of ADT message (issue 16).

Admission of a known patient (used name, several birth first names, birth place), bed and UF
transfers (the bed of one corrected afterwards: Z99), leave and return, discharge, each
cancellation, an identity update during a stay (A08) and after it (A31), an unknown patient,
a qualified identity with its INS (collected by the INSi service), a validated identity whose
INS was entered but not verified; the site declares its FINESS and identifier-domain OIDs.
"""

from __future__ import annotations

from continuity.domain.identity import Identity, Sex, UnknownPatient
from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.services import corrections, delivery, patients, sync_state, undo
from continuity.session import Session, Workspace
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW, identity
from tests.his_identity import from_his

QUALIFIED_INS = "250037505612372"  # NIR of a woman born in March 1950 (valid key)
UNVERIFIED_INS = "750037505612316"  # a NIA for the same traits
DOMAINS = {
    "finess": "750712184",
    "ipp_oid": "1.2.250.1.999.1.1",
    "nda_oid": "1.2.250.1.999.1.2",
    "movement_oid": "1.2.250.1.999.1.3",
    "provisional_ipp_oid": "1.2.250.1.999.2.1",
    "provisional_nda_oid": "1.2.250.1.999.2.2",
}


def known() -> Identity:
    return identity(
        birth_name="D'ARC-LŒUF", used_name="MARTIN", birth_place_insee="75056", birth_place_name="Paris"
    ).model_copy(update={"first_names": ["JEANNE", "MARIE"]})


def qualified() -> Identity:
    return identity(
        birth_name="DURAND",
        ins=QUALIFIED_INS,
        status="qualifiee",
        collection_mode="INSI",
        insi_queried_on="2026-11-30",
        document_type="CN",
    )


def validated_unverified() -> Identity:  # validated on a passport; the INS stays unverified
    return identity(
        birth_name="PETIT", ins=UNVERIFIED_INS, status="validee", collection_mode="CV", document_type="PA"
    )


def record_outage(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_identifier_domains(session, **DOMAINS)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=known(), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
        wrong_bed = patients.stay_movements(nurse, a.stay.id)[-1].id
        corrections.correct_movement(nurse, wrong_bed, bed_code="2B", reason="mauvais lit")  # Z99
        patients.transfer(nurse, a.stay.id, "PNEUMO", "3A")
    with workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as pneumo:
        undo.cancel_last(pneumo, a.stay.id)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.start_leave(nurse, a.stay.id)
        undo.cancel_last(nurse, a.stay.id)
        patients.start_leave(nurse, a.stay.id)
        patients.end_leave(nurse, a.stay.id)
        undo.cancel_last(nurse, a.stay.id)
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        undo.cancel_last(nurse, a.stay.id)
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        record = nurse.store.patients.get_patient(a.patient.id)
        assert record is not None
        patients.update_identity(
            nurse, a.patient.id, known().model_copy(update={"used_first_name": "MARIE"}), record.version
        )  # A31: no open stay any more
        u = patients.admit(nurse, "CARDIO", unknown=UnknownPatient(sex=Sex.I, estimated_birth_year=1970))
        record = nurse.store.patients.get_patient(u.patient.id)
        assert record is not None
        patients.update_identity(
            nurse, u.patient.id, identity(birth_name="BERNARD", first="Paul", sex="M"), record.version
        )  # A08: during the stay
        q = patients.admit(nurse, "CARDIO", patient_id=from_his(workspace, qualified()))  # from the HIS only
        undo.cancel_last(nurse, q.stay.id)
        patients.admit(nurse, "CARDIO", identity=validated_unverified(), not_a_duplicate="autre")
        patients.admit(nurse, "CARDIO", unknown=UnknownPatient(sex=Sex.I, estimated_birth_year=1990))


def built(session: Session) -> list[tuple[str, str]]:
    """(outbox kind, ER7) of every pending event, in order, built as the sync would send it."""
    site = delivery.sending_site(session)
    out = []
    for event in session.store.outbox.outbox_by_status(EventStatus.PENDING):
        ctx = delivery.event_context(session, event)
        out.append((event.kind, build_message(ctx, site, session.clock())))
    return out

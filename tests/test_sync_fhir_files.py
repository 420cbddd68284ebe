"""FHIR R4 transactions against Medplum's FHIR engine (a real process); file drops (HL7 batch, NDJSON)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus, IdentifierKind, MappingStatus
from continuity.services import patients, sync_state
from continuity.session import Workspace
from sync import engine
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, identity
from tests.peers.medplum import HIS_IPP_SYSTEM, MedplumFhir
from tests.sync_helpers import FAST, counts, record_activity


def _configure(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_endpoints(session, None, None, his_ipp_system=HIS_IPP_SYSTEM)


def _sync(workspace: Workspace, url: str, **kw: object) -> engine.RunReport:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        return engine.synchronise(session, url, options=FAST, **kw)  # type: ignore[arg-type]


def _resend_everything(workspace: Workspace) -> None:
    """Play a kit that lost its acknowledgements: every event goes out again."""
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        session.store._conn.execute("UPDATE outbox SET status = 'pending'")


def test_transactions_create_once_and_map_identities(workspace: Workspace, server: MedplumFhir) -> None:
    _configure(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity(birth_name="MARTIN", first="Luc", sex="M"))
    report = _sync(workspace, server.url)
    assert (report.acknowledged, report.remaining) == (4, 0)
    _resend_everything(workspace)
    assert _sync(workspace, server.url).acknowledged == 4
    assert server.stats()["invalid"] == []
    assert len(server.search("Patient")) == 2  # the replay created nothing
    assert len(server.search("Encounter")) == 2
    encounter = next(
        e for e in server.search("Encounter") if e["identifier"][0]["value"] == a.stay.provisional_nda
    )
    assert encounter["status"] == "finished"
    assert [loc["location"]["display"] for loc in encounter["location"]] == ["CARDIO/1A", "CARDIO/2A"]
    assert encounter["hospitalization"]["dischargeDisposition"]["coding"][0]["code"] == "8"
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        ipps = session.store.his_ids.his_identifiers(MappingStatus.CONFIRMED, IdentifierKind.IPP)
        assert len(ipps) == 2
        for pid in (a.patient.id, b.patient.id):
            record = session.store.patients.get_patient(pid)
            assert record is not None and record.ipp and record.ipp.startswith("9")
        assert session.store.his_ids.his_identifiers(kind=IdentifierKind.FHIR_PATIENT)


@pytest.mark.parametrize(
    "faults",
    [["500"], ["drop_before"], ["drop_after"], ["delay:1.5"], ["garbage"], ["500", "drop_after", "500"]],
    ids=lambda f: "+".join(f),
)
def test_fhir_faults_create_nothing_twice(
    workspace: Workspace, server: MedplumFhir, faults: list[str]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 5, 8, seed=3)
    server.queue_faults(faults)
    report = _sync(workspace, server.url)
    assert report.remaining == 0 and report.refused == 0
    assert server.stats()["faults"] == []  # every fault was met
    assert len(server.search("Patient")) == 5
    assert len(server.search("Encounter")) == 5


def test_fhir_refusal_goes_to_the_error_queue(workspace: Workspace, server: MedplumFhir) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="ACCEPTE"))
    server.refuse_family("REFUS")
    report = _sync(workspace, server.url)
    assert (report.acknowledged, report.refused) == (1, 1)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        [event] = session.store.outbox.outbox_by_status(EventStatus.ERROR)
        assert event.his_reply and "REFUS" in event.his_reply


def test_file_drop_is_a_valid_hl7_batch_and_fhir_ndjson(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 4, 6, seed=11)
    drop = tmp_path / "usb"
    drop.mkdir()
    report = _sync(workspace, f"file:{drop}")
    assert report.exported == 10 and len(report.files) == 2
    hl7_file = next(drop.glob("*.hl7"))
    segments = hl7_file.read_bytes().decode("utf-8").split("\r")
    assert segments[0].startswith("FHS|^~\\&|CONTINUITE") and segments[1].startswith("BHS|")
    assert segments[-1] == "" and "" not in segments[:-1]  # no empty segment anywhere
    assert [s for s in segments if s.startswith("BTS")] == ["BTS|10"]
    messages = "\r".join(segments).split("\rMSH|")[1:]
    assert len(messages) == 10
    for text in messages:
        body = "MSH|" + text.split("\rBTS|")[0]
        parse_message(body, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
    lines = next(drop.glob("*.ndjson")).read_text(encoding="utf-8").splitlines()
    bundles = [Bundle.model_validate(json.loads(line)) for line in lines]
    assert len(bundles) == 4 and all(b.type == "transaction" for b in bundles)
    assert not list(drop.glob("*.partial"))
    # Patient data in clear for the HIS, by design: owner-only (docs/security.md).
    assert {stat.S_IMODE(f.stat().st_mode) for f in drop.iterdir()} == {0o600}
    # Exported events stay in the queue for the network (a file may never reach the HIS),
    # and a second export only carries what is new.
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.PENDING: 10}
    assert _sync(workspace, f"file:{drop}").exported == 0
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="NOUVEAU"))
    assert _sync(workspace, f"file:{drop}").exported == 1


def test_missing_export_folder_is_a_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    from continuity.errors import InvalidInput

    with pytest.raises(InvalidInput, match="introuvable"):
        _sync(workspace, f"file:{tmp_path / 'absent'}")


def test_oids_declared_mid_outage_create_no_second_patient_or_encounter(
    workspace: Workspace, server: MedplumFhir
) -> None:
    """Events sent before the site declared the kit's provisional OIDs, then events after: the
    server must still hold one Patient and one Encounter (the conditional requests find the
    records created under the earlier systems)."""
    _configure(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    assert _sync(workspace, server.url).acknowledged == 1
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_identifier_domains(
            session, provisional_ipp_oid="2.999.1.2.3", provisional_nda_oid="2.999.1.2.4"
        )
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
    assert _sync(workspace, server.url).acknowledged == 1
    assert server.stats()["invalid"] == []
    assert len(server.search("Patient")) == 1
    [encounter] = server.search("Encounter")
    assert [loc["location"]["display"] for loc in encounter["location"]] == ["CARDIO/1A", "CARDIO/2A"]


def test_an_emergency_stay_is_an_emergency_encounter_as_in_pv1_2(
    workspace: Workspace, server: MedplumFhir
) -> None:
    """A stay in a UF the site calls an emergency UF goes out PV1-2 ``E`` in HL7; its Encounter
    says the same (class ``v3-ActCode#EMER``), and ``IMP`` once moved to a ward."""
    _configure(workspace)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_pam_options(session, emergency_ufs=["CARDIO"])
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    assert _sync(workspace, server.url).acknowledged == 1
    assert server.stats()["invalid"] == []
    [encounter] = server.search("Encounter")
    assert (encounter["class"]["code"], encounter["class"]["display"]) == ("EMER", "emergency")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_pam_options(session, emergency_ufs=[])
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
    assert _sync(workspace, server.url).acknowledged == 1
    [encounter] = server.search("Encounter")
    assert encounter["class"]["code"] == "IMP"

"""The identity-vigilance cell merges two local identities of one person, and undoes it.

Real encrypted stores; the A40 sent to hl7apy's strict receiver (tests/peers/hl7_his.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from continuity.domain.movement import DischargeMode
from continuity.domain.users import ROLE_PERMISSIONS, Permission, Role
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from continuity.services import delivery, identity_merge, patients, reconciliation
from continuity.session import Session, Workspace
from sync import engine
from sync.hl7_adt import build_message
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CIV,
    CIV_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    identity,
)
from tests.peers.hl7_his import Hl7His
from tests.peers.medplum import MedplumFhir
from tests.sync_helpers import FAST


@pytest.fixture
def civ(workspace: Workspace) -> Iterator[Session]:
    session = workspace.unlock(CIV.username, CIV_PW)
    yield session
    session.lock()


def _two_of_one_person(workspace: Workspace, *, both_open: bool = False) -> tuple[str, str]:
    """LEFÈVRE Jeanne admitted and discharged, then LEFEVRE Jeanne admitted again as someone new."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.transfer(nurse, first.stay.id, "CARDIO", "1B")
        if not both_open:
            patients.discharge(nurse, first.stay.id, DischargeMode.HOME)
        second = patients.admit(
            nurse,
            "CARDIO",
            identity=identity("LEFEVRE", "Jeanne"),
            bed_code="2A",
            not_a_duplicate="pas de pièce d'identité, traits incertains",
        )
        return first.patient.id, second.patient.id


def _stays(session: Session, patient_id: str) -> list[str]:
    return [s.id for s in session.store.stays.stays_of(patient_id)]


def _movements(session: Session, patient_id: str) -> list[str]:
    return [m.id for sid in _stays(session, patient_id) for m in session.store.movements.movements_of(sid)]


def test_only_the_identity_vigilance_cell_may_merge(workspace: Workspace, crisis: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    assert not crisis.user.can(Permission.MERGE_IDENTITIES)
    with pytest.raises(PermissionDenied) as refused:
        identity_merge.merge(crisis, kept, merged, reason="même personne")
    assert refused.value.message_fr and refused.value.message_en
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse, pytest.raises(PermissionDenied):
        identity_merge.merge(nurse, kept, merged, reason="même personne")
    roles = [r for r in Role if Permission.MERGE_IDENTITIES in ROLE_PERMISSIONS[r]]
    assert roles == [Role.IDENTITY_VIGILANCE]


def test_a_merge_moves_the_stays_with_their_movements_and_hides_the_merged_identity(
    workspace: Workspace, civ: Session
) -> None:
    kept, merged = _two_of_one_person(workspace)
    kept_stays, merged_stays = _stays(civ, kept), _stays(civ, merged)
    movements = sorted(_movements(civ, kept) + _movements(civ, merged))
    record = identity_merge.merge(civ, kept, merged, reason="même personne, pièce d'identité vue")
    assert record.kept_id == kept and record.merged_id == merged and record.undone_at is None
    assert _stays(civ, merged) == [] and sorted(_stays(civ, kept)) == sorted(kept_stays + merged_stays)
    assert sorted(_movements(civ, kept)) == movements
    gone = civ.store.patients.get_patient(merged)
    assert gone is not None and gone.merged_into == kept  # kept, never deleted
    # gone from search and census; its wristband still finds the kept patient
    assert {s.patient.id for s in patients.search(civ, "lefevre")} == {kept}
    [cardio] = patients.census(civ, ["CARDIO"])
    assert {b.occupant.patient.id for b in cardio.beds if b.occupant} == {kept}
    assert patients.find_patient(civ, gone.provisional_ipp).patient.id == kept
    # the merge row, and the audit entry saying what moved
    assert [m.id for m in identity_merge.merges(civ)] == [record.id]
    entry = next(r for r in civ.store.audit.audit_rows() if r.action == "identity.merge")
    payload = json.loads(entry.payload)
    assert payload["kept_id"] == kept and payload["merged_id"] == merged
    assert payload["moved"]["stays"] == merged_stays and payload["moved"]["movements"] == len(
        _movements(civ, kept)
    ) - len([m for s in kept_stays for m in civ.store.movements.movements_of(s)])
    assert payload["his"]["a40"] is False and "HIS" in payload["his"]["why_en"]
    assert "LEFEVRE" not in entry.payload and "LEFÈVRE" not in entry.payload


def test_a_merge_is_refused_when_both_are_in_a_stay_at_once(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace, both_open=True)
    with pytest.raises(Conflict) as refused:
        identity_merge.merge(civ, kept, merged, reason="même personne")
    assert "séjour" in refused.value.message_fr and "stay" in refused.value.message_en
    assert civ.store.patients.get_patient(merged).merged_into is None  # type: ignore[union-attr]
    assert len(_stays(civ, merged)) == 1


def test_a_merge_that_would_lose_something_is_refused(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    with pytest.raises(InvalidInput):
        identity_merge.merge(civ, kept, kept, reason="même personne")
    with pytest.raises(InvalidInput):
        identity_merge.merge(civ, kept, merged, reason="  ")
    with pytest.raises(NotFound):
        identity_merge.merge(civ, kept, "no-such-patient", reason="même personne")
    # the merged one is known to the HIS, the kept one is not: its IPP would be lost
    merged_ipp = civ.store.patients.get_patient(merged).provisional_ipp  # type: ignore[union-attr]
    reconciliation.enter(civ, merged_ipp, "IPP900002")
    with pytest.raises(Conflict) as refused:
        identity_merge.merge(civ, kept, merged, reason="même personne")
    assert "DPI" in refused.value.message_fr and "HIS" in refused.value.message_en
    # merging the other way round keeps it
    identity_merge.merge(civ, merged, kept, reason="même personne")
    with pytest.raises(Conflict):  # already merged
        identity_merge.merge(civ, merged, kept, reason="même personne")


def test_readmitting_a_merged_identity_is_refused(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    identity_merge.merge(civ, kept, merged, reason="même personne")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse, pytest.raises(Conflict):
        patients.admit(nurse, "CARDIO", patient_id=merged, bed_code="2B")


def test_unmerge_moves_exactly_those_stays_back(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    kept_stays, merged_stays = _stays(civ, kept), _stays(civ, merged)
    before = {p: sorted(_movements(civ, p)) for p in (kept, merged)}
    record = identity_merge.merge(civ, kept, merged, reason="même personne")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:  # life goes on under the kept one
        [open_stay] = [s for s in nurse.store.stays.stays_of(kept) if s.discharged_at is None]
        patients.transfer(nurse, open_stay.id, "CARDIO", "2B")
    undone = identity_merge.unmerge(civ, record.id, reason="erreur : deux personnes")
    assert undone.undone_at is not None and undone.undone_by == CIV.username
    assert _stays(civ, kept) == kept_stays and _stays(civ, merged) == merged_stays
    assert set(before[merged]) < set(_movements(civ, merged))  # the transfer went back with its stay
    assert sorted(_movements(civ, kept)) == before[kept]
    assert civ.store.patients.get_patient(merged).merged_into is None  # type: ignore[union-attr]
    assert {s.patient.id for s in patients.search(civ, "lefevre")} == {kept, merged}
    assert any(r.action == "identity.unmerge" for r in civ.store.audit.audit_rows())
    with pytest.raises(Conflict):
        identity_merge.unmerge(civ, record.id, reason="encore")


def test_unmerge_waits_for_a_later_merge_of_the_kept_identity_to_be_undone(
    workspace: Workspace, civ: Session
) -> None:
    kept, merged = _two_of_one_person(workspace)
    with workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as pneumo:
        third = patients.admit(
            pneumo, "PNEUMO", identity=identity("LEFEBVRE", "Jeanne"), not_a_duplicate="autre"
        )
    first = identity_merge.merge(civ, kept, merged, reason="même personne")
    with pytest.raises(Conflict):  # kept has an open stay, so has third
        identity_merge.merge(civ, third.patient.id, kept, reason="même personne")
    with workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as pneumo:
        patients.discharge(pneumo, third.stay.id, DischargeMode.HOME, at=third.stay.admitted_at)
    second = identity_merge.merge(civ, third.patient.id, kept, reason="même personne")
    with pytest.raises(Conflict):
        identity_merge.unmerge(civ, first.id, reason="erreur")
    identity_merge.unmerge(civ, second.id, reason="erreur")
    identity_merge.unmerge(civ, first.id, reason="erreur")


# ----------------------------------------------------------------------------- the HIS side
def _known_to_the_his(civ: Session, *ids_and_ipps: tuple[str, str]) -> None:
    for patient_id, ipp in ids_and_ipps:
        record = civ.store.patients.get_patient(patient_id)
        assert record is not None
        reconciliation.enter(civ, record.provisional_ipp, ipp)


def test_a_merge_of_two_identities_the_his_knows_is_sent_as_an_a40(
    workspace: Workspace, civ: Session
) -> None:
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"), (merged, "IPP900002"))
    identity_merge.merge(civ, kept, merged, reason="même personne")
    entry = next(r for r in civ.store.audit.audit_rows() if r.action == "identity.merge")
    assert json.loads(entry.payload)["his"]["a40"] is True
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        [event] = [e for e in it.store.outbox.outbox_of_patient(kept) if e.kind == "identity_merge"]
        message = build_message(delivery.event_context(it, event), delivery.sending_site(it), it.clock())
    segments = {line.split("|")[0]: line.split("|") for line in message.split("\r") if line}
    assert segments["MSH"][8] == "ADT^A40^ADT_A39"
    assert segments["PID"][3].startswith("IPP900001^") or "IPP900001^" in segments["PID"][3]
    assert segments["MRG"][1].split("^")[0] == "IPP900002" and segments["MRG"][1].split("^")[4] == "PI"


def test_the_a40_is_valid_for_a_strict_receiver(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"), (merged, "IPP900002"))
    identity_merge.merge(civ, kept, merged, reason="même personne")
    his = Hl7His().start()
    try:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            report = engine.synchronise(it, f"mllp://127.0.0.1:{his.port}", options=FAST)
        his.state.settle()
        assert his.state.invalid == []
        assert report.refused == 0
        a40 = [a for a in his.state.applied if a.trigger == "A40"]
        assert len(a40) == 1 and "MRG|IPP900002" in a40[0].raw
    finally:
        his.stop()


def test_no_a40_when_the_his_does_not_know_both(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"))
    identity_merge.merge(civ, kept, merged, reason="même personne")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        assert [e for e in it.store.outbox.outbox_of_patient(kept) if e.kind == "identity_merge"] == []
    entry = next(r for r in civ.store.audit.audit_rows() if r.action == "identity.merge")
    his = json.loads(entry.payload)["his"]
    assert his["a40"] is False and his["why_fr"] and his["why_en"]


def test_unmerge_of_a_merge_not_yet_sent_withdraws_its_a40(workspace: Workspace, civ: Session) -> None:
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"), (merged, "IPP900002"))
    record = identity_merge.merge(civ, kept, merged, reason="même personne")
    identity_merge.unmerge(civ, record.id, reason="erreur")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        [event] = [e for e in it.store.outbox.outbox_of_patient(kept) if e.kind == "identity_merge"]
        assert event.status.value == "superseded"


def test_the_a40_goes_into_the_export_files_too(workspace: Workspace, civ: Session, tmp_path: Path) -> None:
    """A file export (HL7 batch + FHIR NDJSON) carries the A40; FHIR has no merge message: its
    line for the event is the kept Patient again (docs/security.md)."""
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"), (merged, "IPP900002"))
    identity_merge.merge(civ, kept, merged, reason="même personne")
    drop = tmp_path / "export"
    drop.mkdir()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        report = engine.synchronise(it, f"file:{drop}", options=FAST)
    assert report.exported >= 1
    [batch] = [p for p in drop.iterdir() if p.suffix == ".hl7"]
    text = batch.read_text(encoding="utf-8")
    assert "ADT^A40^ADT_A39" in text and "MRG|IPP900002^^^" in text


def test_over_fhir_the_merge_event_is_the_kept_patient_again(
    workspace: Workspace, civ: Session, server: MedplumFhir
) -> None:
    """FR Core has no merge: the event is delivered as the kept Patient (docs/fhir-fr-core.md)."""
    kept, merged = _two_of_one_person(workspace)
    _known_to_the_his(civ, (kept, "IPP900001"), (merged, "IPP900002"))
    identity_merge.merge(civ, kept, merged, reason="même personne")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        report = engine.synchronise(it, server.url, options=FAST)
        assert report.refused == 0 and report.remaining == 0
        [event] = [e for e in it.store.outbox.outbox_of_patient(kept) if e.kind == "identity_merge"]
        assert event.status.value == "acknowledged"

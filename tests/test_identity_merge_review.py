"""Review of issue 17, faults A and B of the identity-vigilance (CIV) merge.

A: a merge received by another workstation must leave nothing under the merged identity,
   however the bundles cross, and stay undoable everywhere.
B: the merged identity's events still queued for the HIS go out under the kept identity; if
   the HIS already saw the merged identity (under its provisional IPP), it is told (ADT^A40).

Real encrypted stores, real bundles between three workstations, hl7apy's strict receiver.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import hl7

from continuity.domain.exchange import ConflictKind
from continuity.domain.his_index import IndexEntry, IndexHeader
from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.services import admin, delivery, his_index, identity_merge, patients
from continuity.session import Session, Workspace
from sync import engine
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, CIV, CIV_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.exchange_helpers import Site
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST

TAKEN = datetime(2026, 11, 30, 22, tzinfo=UTC)


# ------------------------------------------------------------------ A: received merges
def test_a_received_merge_also_takes_a_stay_made_meanwhile_and_stays_undoable(
    three_workstations: Site,
) -> None:
    """WS-C merges DUPONT into DUPOND while WS-B readmits DUPONT; the bundles cross."""
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("DUPOND", "Jeanne"), bed_code="1A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("DUPONT", "Jeanne"), not_a_duplicate="vu")
        patients.discharge(nurse, b.stay.id, DischargeMode.HOME)
    from_a = site.export("WS-A")
    site.deliver("WS-B", from_a)
    site.deliver("WS-C", from_a)
    with site.login("WS-C", CIV.username, CIV_PW) as civ:
        identity_merge.merge(civ, a.patient.id, b.patient.id, reason="même personne")
    with site.login("WS-B", NURSE.username, NURSE_PW) as nurse:
        again = patients.admit(nurse, "CARDIO", patient_id=b.patient.id)
    from_c, from_b = site.export("WS-C"), site.export("WS-B")
    site.deliver("WS-B", from_c)
    site.deliver("WS-C", from_b)
    for ws in ("WS-B", "WS-C"):
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            merged = s.store.patients.get_patient(b.patient.id)
            assert merged is not None and merged.merged_into == a.patient.id, ws
            assert s.store.stays.stays_of(b.patient.id) == [], ws  # a merged identity holds nothing
            held = s.store.stays.open_stay(a.patient.id)
            assert held is not None and held.id == again.stay.id, ws
            in_census = [x.patient.id for c in patients.census(s) for x in c.without_bed]
            assert b.patient.id not in in_census and a.patient.id in in_census, ws
            assert patients.find_patient(s, b.patient.provisional_ipp).patient.id == a.patient.id
            [record] = s.store.merges.list_merges()
            assert set(record.stays) == {b.stay.id, again.stay.id}, ws
    with site.login("WS-B", NURSE.username, NURSE_PW) as s:  # B's A01 goes out under DUPOND
        [a01] = [e for e in s.store.outbox.outbox_of_patient(a.patient.id) if e.stay_id == again.stay.id]
        assert s.store.outbox.outbox_of_patient(b.patient.id) == []
    with site.login("WS-C", CIV.username, CIV_PW) as civ:
        [record] = identity_merge.merges(civ)
        identity_merge.unmerge(civ, record.id, reason="annuler")
    site.deliver("WS-B", site.export("WS-C"))
    for ws in ("WS-B", "WS-C"):
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            merged = s.store.patients.get_patient(b.patient.id)
            assert merged is not None and merged.merged_into is None, ws
            assert sorted(x.id for x in s.store.stays.stays_of(b.patient.id)) == sorted(
                (b.stay.id, again.stay.id)
            ), ws
            assert [x.id for x in s.store.stays.stays_of(a.patient.id)] == [a.stay.id], ws
    with site.login("WS-B", NURSE.username, NURSE_PW) as s:
        assert [e.event_id for e in s.store.outbox.outbox_of_patient(b.patient.id)] == [a01.event_id]
    for ws in ("WS-B", "WS-C"):  # every write sealed in the audit chain
        with site.login(ws, ADMIN.username, ADMIN_PW) as it:
            check = admin.verify_audit(it)
            assert check.ok and check.records == [], ws


def test_a_received_merge_is_not_applied_when_the_patient_would_be_in_two_stays(
    three_workstations: Site,
) -> None:
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("DUPOND", "Jeanne"), bed_code="1A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("DUPONT", "Jeanne"), not_a_duplicate="vu")
        patients.discharge(nurse, b.stay.id, DischargeMode.HOME)
    from_a = site.export("WS-A")
    site.deliver("WS-B", from_a)
    site.deliver("WS-C", from_a)
    with site.login("WS-C", CIV.username, CIV_PW) as civ:
        identity_merge.merge(civ, a.patient.id, b.patient.id, reason="même personne")
    with site.login("WS-B", NURSE.username, NURSE_PW) as nurse:  # both readmitted on B meanwhile
        patients.admit(nurse, "CARDIO", patient_id=a.patient.id)
        patients.admit(nurse, "CARDIO", patient_id=b.patient.id)
    site.deliver("WS-B", site.export("WS-C"))
    with site.login("WS-B", NURSE.username, NURSE_PW) as s:
        merged = s.store.patients.get_patient(b.patient.id)
        assert merged is not None and merged.merged_into is None
        assert s.store.merges.list_merges() == []
        assert s.store.stays.open_stay(a.patient.id) is not None
        assert s.store.stays.open_stay(b.patient.id) is not None
        unapplied = [c for c in s.store.conflicts.conflicts() if c.kind is ConflictKind.UNAPPLIED]
        assert any("deux séjours" in str(c.detail.get("reason_fr")) for c in unapplied)


# ------------------------------------------------------------------ B: queued events
def _index(session: Session, *entries: IndexEntry) -> None:
    """Import an index as the crisis cell does (ward staff may not)."""
    header = IndexHeader(format="csv", taken_at=datetime(2026, 11, 30, 22, tzinfo=UTC), extraction="X1")
    with session.workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        his_index.import_index(crisis, header, list(entries), hashlib.sha256(b"X1").hexdigest(), batch=1000)


def _his_and_local(workspace: Workspace) -> tuple[patients.Admission, patients.Admission]:
    """DURAND Luc admitted from the HIS index and discharged; DURAN Luc, provisional, in a stay."""
    durand = identity("DURAND", "Luc", date(1980, 4, 5), "M")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        _index(nurse, IndexEntry(ipp="H1004", identity=durand))
        his = patients.admit(nurse, "CARDIO", index_ipp="H1004")
        patients.discharge(nurse, his.stay.id, DischargeMode.HOME)
        local = patients.admit(
            nurse, "CARDIO", identity=identity("DURAN", "Luc", date(1980, 4, 5), "M"), not_a_duplicate="?"
        )
    return his, local


def _pids(workspace: Workspace, stay_id: str) -> list[tuple[str, str]]:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        site = delivery.sending_site(it)
        out = []
        for event in it.store.outbox.outbox_by_status(EventStatus.PENDING):
            if event.stay_id == stay_id:
                msg = hl7.parse(build_message(delivery.event_context(it, event), site, it.clock()))
                out.append((event.kind, str(msg.segment("PID")(3))))
        return out


def _merge_audit(session: Session, action: str = "identity.merge") -> dict[str, object]:
    entry = [r for r in session.store.audit.audit_rows() if r.action == action][-1]
    payload: dict[str, object] = json.loads(entry.payload)
    return payload


def test_events_queued_before_a_merge_go_out_under_the_kept_identity(workspace: Workspace) -> None:
    his, local = _his_and_local(workspace)
    with workspace.unlock(CIV.username, CIV_PW) as civ:
        record = identity_merge.merge(civ, his.patient.id, local.patient.id, reason="même personne")
        assert record.a40_event is None  # the HIS never saw DURAN: nothing to merge on its side
        assert record.events  # the A01 queued under DURAN now goes out under DURAND
        his_side = _merge_audit(civ)["his"]
        assert isinstance(his_side, dict) and his_side["a40"] is False
        assert his_side["events_repointed"] == list(record.events)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, local.stay.id, "CARDIO", "1B")
    sent = _pids(workspace, local.stay.id)
    assert [k for k, _ in sent] == ["admission", "transfer"]
    assert len({pid for _, pid in sent}) == 1 and "H1004" in sent[0][1], sent
    assert local.patient.provisional_ipp not in sent[0][1]


def test_an_undo_points_the_events_still_queued_back_at_the_merged_identity(workspace: Workspace) -> None:
    his, local = _his_and_local(workspace)
    with workspace.unlock(CIV.username, CIV_PW) as civ:
        record = identity_merge.merge(civ, his.patient.id, local.patient.id, reason="même personne")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, local.stay.id, "CARDIO", "1B")  # made under DURAND, after the merge
    with workspace.unlock(CIV.username, CIV_PW) as civ:
        identity_merge.unmerge(civ, record.id, reason="erreur")
        back = _merge_audit(civ, "identity.unmerge")["his"]
        assert isinstance(back, dict) and len(back["events_repointed_back"]) == 2
    sent = _pids(workspace, local.stay.id)
    assert len(sent) == 2
    assert all(local.patient.provisional_ipp in pid and "H1004" not in pid for _, pid in sent)


def test_a_merge_of_an_identity_the_his_saw_under_its_provisional_ipp_is_sent_as_an_a40(
    workspace: Workspace,
) -> None:
    his, local = _his_and_local(workspace)
    peer = Hl7His().start()
    try:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:  # DURAN's A01 reaches the HIS
            report = engine.synchronise(it, f"mllp://127.0.0.1:{peer.port}", options=FAST)
            assert report.refused == 0 and report.remaining == 0
        with workspace.unlock(CIV.username, CIV_PW) as civ:
            record = identity_merge.merge(civ, his.patient.id, local.patient.id, reason="même personne")
            assert record.a40_event is not None and record.events == ()
            his_side = _merge_audit(civ)["his"]
            assert isinstance(his_side, dict) and his_side["a40"] is True
            assert "provisoire" in str(his_side["why_fr"]) and "provisional" in str(his_side["why_en"])
        with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
            patients.transfer(nurse, local.stay.id, "CARDIO", "1B")
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            report = engine.synchronise(it, f"mllp://127.0.0.1:{peer.port}", options=FAST)
            assert report.refused == 0 and report.remaining == 0
        peer.state.settle()
        assert peer.state.invalid == []
        [a40] = [a for a in peer.state.applied if a.trigger == "A40"]
        mrg = next(s for s in a40.raw.split("\r") if s.startswith("MRG|")).split("|")[1].split("^")
        pid = next(s for s in a40.raw.split("\r") if s.startswith("PID|")).split("|")[3]
        assert mrg[0] == local.patient.provisional_ipp and mrg[4] == "PI"
        assert "H1004" in pid
        triggers = [a.trigger for a in peer.state.applied]
        assert triggers.index("A40") < triggers.index("A02")  # the transfer follows the merge
    finally:
        peer.stop()


def test_a_workstation_whose_events_of_the_merged_identity_left_sends_the_a40_on_receiving_it(
    three_workstations: Site,
) -> None:
    """WS-A sent DUPONT's A01 to the HIS; the CIV merges on WS-C, which never sent anything."""
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("DUPOND", "Jeanne"), bed_code="1A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("DUPONT", "Jeanne"), not_a_duplicate="vu")
    peer = Hl7His().start()
    try:
        with site.login("WS-A", ADMIN.username, ADMIN_PW) as it:
            report = engine.synchronise(it, f"mllp://127.0.0.1:{peer.port}", options=FAST)
            assert report.refused == 0 and report.remaining == 0
        site.deliver("WS-C", site.export("WS-A"))
        with site.login("WS-C", CIV.username, CIV_PW) as civ:
            record = identity_merge.merge(civ, a.patient.id, b.patient.id, reason="même personne")
            assert record.a40_event is None
            why = _merge_audit(civ)["his"]
            assert isinstance(why, dict) and "ce poste" in str(why["why_fr"])
        site.deliver("WS-A", site.export("WS-C"))
        with site.login("WS-A", ADMIN.username, ADMIN_PW) as it:
            [row] = it.store.merges.list_merges()
            assert row.a40_event is not None
            report = engine.synchronise(it, f"mllp://127.0.0.1:{peer.port}", options=FAST)
            assert report.refused == 0 and report.remaining == 0
        peer.state.settle()
        assert peer.state.invalid == []
        [a40] = [x for x in peer.state.applied if x.trigger == "A40"]
        assert f"MRG|{b.patient.provisional_ipp}^" in a40.raw
    finally:
        peer.stop()


def test_the_a40_waits_behind_an_event_of_the_merged_identity_the_his_refused(
    workspace: Workspace,
) -> None:
    his, local = _his_and_local(workspace)
    peer = Hl7His().start()
    try:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:  # DURAN's A01 reaches the HIS
            assert engine.synchronise(it, f"mllp://127.0.0.1:{peer.port}", options=FAST).refused == 0
    finally:
        peer.stop()
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, local.stay.id, "CARDIO", "1B")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        [a02] = it.store.outbox.outbox_by_status(EventStatus.PENDING)
        delivery.refuse(it, a02.event_id, "AE", "MSA|AE")
    with workspace.unlock(CIV.username, CIV_PW) as civ:
        record = identity_merge.merge(civ, his.patient.id, local.patient.id, reason="même personne")
        assert record.a40_event is not None and record.events == ()  # the HIS knows DURAN
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        event = it.store.outbox.outbox_event(a02.event_id)
        assert event is not None and event.patient_id == local.patient.id  # goes out as DURAN
        assert record.a40_event not in {e.event_id for e in delivery.deliverable(it, 100)}

"""Exchange between isolated workstations: three real encrypted stores and real bundle files."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from continuity.domain.exchange import ConflictKind
from continuity.domain.movement import DischargeMode
from continuity.services import exchange, paper, patients, snapshots
from sync import bundles
from sync.snapshots import parse_snapshot
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    identity,
)
from tests.exchange_helpers import WORKSTATIONS, Site
from tests.snapshot_files import csv_snapshot, his_patients


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


def picture(site: Site, ws: str) -> dict[str, Any]:
    """Everything that must agree between workstations, read from the store."""
    with site.login(ws, CRISIS.username, CRISIS_PW) as s:
        store = s.store
        people = {}
        for (pid,) in store._all("SELECT id FROM patients ORDER BY id"):
            record = store.patients.get_patient(pid)
            assert record is not None
            people[pid] = record.identity.model_dump(mode="json")
        stays = {}
        for pid in list(people):
            for stay in store.stays.stays_of(pid):
                stays[stay.id] = (
                    stay.state.value,
                    stay.uf_code,
                    stay.bed_code,
                    [m.id for m in store.movements.movements_of(stay.id)],
                )
        conflicts = {(c.entity_id, c.kind.value, c.heads) for c in store.conflicts.conflicts()}
        forms = {f: store.paper.paper_form(f) for f in [n for n in _form_numbers(store)]}
        return {
            "patients": people,
            "stays": stays,
            "conflicts": conflicts,
            "forms": {n: (f.uf_code, f.used_at is not None) for n, f in forms.items() if f},
        }


def _form_numbers(store: Any) -> list[str]:
    return [r[0] for r in store._all("SELECT number FROM paper_forms ORDER BY number")]


def test_three_workstations_converge_and_surface_conflicts(site: Site) -> None:
    made: list[Path] = []
    # Ward A (cardiology): two admissions, a stock of blank forms, a transfer to pneumology.
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        p1 = patients.admit(a, "CARDIO", identity=identity(birth_name="ALPHA"), bed_code="1A")
        p2 = patients.admit(
            a, "CARDIO", identity=identity(birth_name="BRAVO", first="Luc", sex="M"), bed_code="1B"
        )
        forms = paper.reserve_blank_forms(a, "CARDIO", 3)
    made.append(site.export("WS-A"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.transfer(a, p2.stay.id, "PNEUMO", "3B")
    made.append(site.export("WS-A"))
    # Ward B (pneumology): an admission; later, the transferred patient leaves.
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
        p3 = patients.admit(b, "PNEUMO", identity=identity(birth_name="CHARLIE"), bed_code="3A")
    made.append(site.export("WS-B"))
    for path in made[:2]:
        assert site.deliver("WS-B", path).outcome is bundles.BundleOutcome.IMPORTED
    assert site.deliver("WS-A", made[2]).outcome is bundles.BundleOutcome.IMPORTED
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
        patients.discharge(b, p2.stay.id, DischargeMode.HOME)
        # A cardiology form carried with a patient to pneumology is keyed in there.
        patients.admit(b, "PNEUMO", identity=identity(birth_name="DELTA"), paper_number=forms[0].number)
    # Concurrent edits: the same identity corrected differently on A and B...
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        rec = a.store.patients.get_patient(p1.patient.id)
        assert rec is not None
        patients.update_identity(
            a, rec.id, rec.identity.model_copy(update={"used_name": "MARTIN"}), rec.version
        )
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        rec = b.store.patients.get_patient(p1.patient.id)
        assert rec is not None
        patients.update_identity(
            b, rec.id, rec.identity.model_copy(update={"used_name": "DURAND"}), rec.version
        )
    # ...and movements of one stay recorded on both at the same time.
    with site.login("WS-A", PNEUMO_NURSE.username, PNEUMO_PW) as a:
        patients.start_leave(a, p3.stay.id)
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
        patients.discharge(b, p3.stay.id, DischargeMode.HOME)
    made += [site.export("WS-A"), site.export("WS-B")]

    # The stick goes round: every bundle to every workstation, shuffled, each twice.
    rng = random.Random(2026)
    for ws in WORKSTATIONS:
        deliveries = [p for p in made for _ in range(2)]
        rng.shuffle(deliveries)
        outcomes = {site.deliver(ws, p).outcome for p in deliveries}
        assert bundles.BundleOutcome.REFUSED not in outcomes
    pictures = {ws: picture(site, ws) for ws in WORKSTATIONS}
    assert pictures["WS-A"] == pictures["WS-B"] == pictures["WS-C"]
    seen = pictures["WS-C"]
    assert {k for _, k, _ in seen["conflicts"]} == {"identity", "movements"}
    assert seen["stays"][p2.stay.id][:3] == ("discharged", "PNEUMO", "3B")
    assert seen["forms"][forms[0].number] == ("CARDIO", True)
    # The HIS gets nothing about the patients in conflict until a person settles it.
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        deliverable = {e.patient_id for e in a.store.outbox.deliverable_events(1000)}
        assert p1.patient.id not in deliverable and p3.patient.id not in deliverable
        assert p2.patient.id in deliverable

    # The crisis cell settles both; its bundle settles them everywhere.
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        for conflict in exchange.open_conflicts(c):
            keep = None
            if conflict.kind is ConflictKind.IDENTITY:
                keep = next(
                    h
                    for h, v in conflict.detail["versions"].items()
                    if v["identity"]["used_name"] == "MARTIN"
                )
            exchange.resolve(c, conflict.id or 0, keep)
    settled = site.export("WS-C")
    for ws in ("WS-A", "WS-B"):
        assert site.deliver(ws, settled).outcome is bundles.BundleOutcome.IMPORTED
    pictures = {ws: picture(site, ws) for ws in WORKSTATIONS}
    assert pictures["WS-A"] == pictures["WS-B"] == pictures["WS-C"]
    assert pictures["WS-A"]["conflicts"] == set()
    assert pictures["WS-A"]["patients"][p1.patient.id]["used_name"] == "MARTIN"
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        assert p1.patient.id in {e.patient_id for e in a.store.outbox.deliverable_events(1000)}


def test_bundles_out_of_order_wait_then_apply(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(), bed_code="2A")
    first = site.export("WS-A")
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.transfer(a, adm.stay.id, "CARDIO", "2B")
        patients.start_leave(a, adm.stay.id)
    second = site.export("WS-A")
    report = site.deliver("WS-B", second).report
    assert report is not None and (report.applied, report.waiting) == (0, 2)
    with site.login("WS-B", CRISIS.username, CRISIS_PW) as b:
        [status] = [p for p in exchange.peers(b) if p.workstation == "WS-A"]
        assert (status.last_seq, status.missing) == (2, (1,))
    report = site.deliver("WS-B", first).report
    assert report is not None and (report.applied, report.waiting) == (4, 0)
    assert picture(site, "WS-B")["stays"] == picture(site, "WS-A")["stays"]
    assert picture(site, "WS-B")["stays"][adm.stay.id][:3] == ("leave", "CARDIO", "2B")


def test_foreign_and_tampered_bundles_are_refused(site: Site, tmp_path: Path) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    good = site.export("WS-A")
    raw = good.read_bytes()
    tampered = tmp_path / "altere.cxb"
    tampered.write_bytes(raw[:-20] + bytes([raw[-20] ^ 1]) + raw[-19:])
    header_changed = tmp_path / "entete.cxb"
    header_changed.write_bytes(raw.replace(b'"seq":1', b'"seq":7', 1))
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        exchange.import_key(b, exchange.new_key(b))  # WS-B now holds another site's key
    foreign = site.deliver("WS-B", good)
    assert foreign.outcome is bundles.BundleOutcome.REFUSED and "autre clé" in (foreign.error_fr or "")
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        for path in (tampered, header_changed):
            result = bundles.import_file(c, path, grace=0)
            assert result.outcome is bundles.BundleOutcome.REFUSED
            assert "altéré" in (result.error_fr or "")
        assert c.store.patients.count_patients() == 0
        assert len(c.store.exchange.refused_bundles()) == 2
    assert site.deliver("WS-C", good).outcome is bundles.BundleOutcome.IMPORTED
    assert site.deliver("WS-A", good).outcome is bundles.BundleOutcome.OWN
    # WS-B gets the right key: the bundle it refused is accepted now.
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a, site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        exchange.import_key(b, exchange.export_key(a))
    assert site.deliver("WS-B", good).outcome is bundles.BundleOutcome.IMPORTED


def test_his_records_travel_with_the_changes_that_touch_them(site: Site) -> None:
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    his = his_patients(3, {"CARDIO": ["1A", "1B"], "PNEUMO": ["3A"]}, taken)
    raw = csv_snapshot(his, taken)
    for ws in ("WS-A", "WS-B"):  # the crisis workstation never got this snapshot
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            snapshots.import_snapshot(s, parse_snapshot(raw, "f", taken), hashlib.sha256(raw).hexdigest())
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        stay = patients.find_patient(a, his[0].ipp).stay
        assert stay is not None
        patients.transfer(a, stay.id, "PNEUMO", "3C")
    bundle = site.export("WS-A")
    for ws in ("WS-B", "WS-C"):
        site.deliver(ws, bundle)
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            found = patients.find_patient(s, his[0].ipp)
            assert found.stay is not None
            assert (found.patient.ipp, found.stay.uf_code, found.stay.bed_code) == (
                his[0].ipp,
                "PNEUMO",
                "3C",
            )


def test_export_carries_only_this_workstations_changes(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    site.deliver("WS-B", site.export("WS-A"))
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        assert exchange.prepare_export(b) is None  # nothing of its own yet
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
        patients.admit(b, "PNEUMO", identity=identity(birth_name="ZOULOU"))
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        export = exchange.prepare_export(b)
        assert export is not None
        assert {c.origin for c in export.changes} == {"WS-B"}
        assert {c.action for c in export.changes} == {"patient.create", "stay.admission"}


@pytest.fixture
def stick_cli(site: Site) -> Iterator[Site]:
    import os

    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    yield site
    del os.environ["CONTINUITY_PASSWORD"]


def test_cli_export_import_status(stick_cli: Site, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    site = stick_cli
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    folder_a, folder_c = str(site.spaces["WS-A"].folder), str(site.spaces["WS-C"].folder)
    assert main(["--data", folder_a, "exchange", "export", "--to", str(site.stick), "--user", "admin"]) == 0
    [path] = site.stick.iterdir()
    assert main(["--data", folder_c, "exchange", "import", str(path), "--user", "admin"]) == 0
    assert main(["--data", folder_c, "exchange", "status", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "Lot écrit" in out and "imported" in out and "WS-A" in out and "n°1" in out


def test_an_outgrown_conflict_is_replaced_not_left_open(site: Site) -> None:
    """A third correction on top of a conflict: one conflict open, about the versions left."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(birth_name="ECHO"))
    created = site.export("WS-A")
    site.deliver("WS-B", created)

    def correct(ws: str, used: str) -> None:
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            rec = s.store.patients.get_patient(adm.patient.id)
            assert rec is not None
            patients.update_identity(
                s, rec.id, rec.identity.model_copy(update={"used_name": used}), rec.version
            )

    correct("WS-A", "UN")
    correct("WS-B", "DEUX")
    site.deliver("WS-C", site.export("WS-A"))
    site.deliver("WS-C", site.export("WS-B"))
    site.deliver("WS-C", created)  # last: the corrections waited for the identity
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [first] = exchange.open_conflicts(c)
    correct("WS-A", "TROIS")  # on top of UN: the conflict is now TROIS against DEUX
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [now] = exchange.open_conflicts(c)
        shown = {v["identity"]["used_name"] for v in now.detail["versions"].values()}
        closed = c.store.conflicts.conflict(first.id or 0)
    assert now.id != first.id and shown == {"TROIS", "DEUX"}
    assert closed is not None and closed.resolved_by == "@merge"


def test_bed_given_on_two_workstations_goes_to_the_same_patient_everywhere(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        first = patients.admit(
            a,
            "CARDIO",
            identity=identity(birth_name="PREMIER"),
            bed_code="1A",
            at=site.clock() - timedelta(hours=2),
        )
    from_a = site.export("WS-A")
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        second = patients.admit(
            b,
            "CARDIO",
            identity=identity(birth_name="SECOND"),
            bed_code="1A",
            at=site.clock() - timedelta(hours=1),
        )
    from_b = site.export("WS-B")
    site.deliver("WS-A", from_b)
    site.deliver("WS-B", from_a)
    site.deliver("WS-C", from_b)
    site.deliver("WS-C", from_a)
    for ws in WORKSTATIONS:  # the one put in the bed first keeps it, wherever
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            beds = {sid: s.store.stays.get_stay(sid).bed_code for sid in (first.stay.id, second.stay.id)}  # type: ignore[union-attr]
            assert beds == {first.stay.id: "1A", second.stay.id: None}, ws
            [conflict] = s.store.conflicts.conflicts()
            assert (conflict.entity, conflict.entity_id, conflict.kind) == (
                "bed",
                "CARDIO/1A",
                ConflictKind.BED,
            )
    # On B, the patient who lost the bed can still go on leave (the bed stays with the other).
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        assert patients.start_leave(b, second.stay.id).bed_code is None
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        exchange.resolve(c, c.store.conflicts.conflicts()[0].id or 0)
    settled = site.export("WS-C")
    for ws in ("WS-A", "WS-B"):
        site.deliver(ws, settled)
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            assert s.store.conflicts.conflicts() == []
    # When the bed is free again, the patient placed in it gets it, on every workstation.
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.discharge(a, first.stay.id, DischargeMode.HOME)
        assert a.store.stays.get_stay(second.stay.id).bed_code == "1A"  # type: ignore[union-attr]
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        assert c.store.stays.get_stay(second.stay.id).bed_code == "1A"  # type: ignore[union-attr]


def test_a_movement_left_out_by_the_merge_is_never_sent_to_the_his(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(), bed_code="1A")
    site.deliver("WS-B", site.export("WS-A"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.discharge(a, adm.stay.id, DischargeMode.HOME)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        patients.transfer(b, adm.stay.id, "CARDIO", "2B")  # recorded later: after the discharge
    site.deliver("WS-B", site.export("WS-A"))
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        kinds = {e["kind"]: e["status"] for e in b.store.outbox.outbox_events()}
        assert kinds["transfer"] == "superseded"
        assert not [e for e in b.store.outbox.deliverable_events(100) if e.kind == "transfer"]
        assert b.store.outbox.count_unacknowledged() == 0


def test_a_paper_form_keyed_on_two_workstations_is_a_conflict_not_a_blocked_bundle(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        [form] = paper.reserve_blank_forms(a, "CARDIO", 1)
    site.deliver("WS-B", site.export("WS-A"))
    for ws, name in (("WS-A", "PREMIER"), ("WS-B", "SECOND")):
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            patients.admit(s, "CARDIO", identity=identity(birth_name=name), paper_number=form.number)
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
        other = patients.admit(b, "PNEUMO", identity=identity(birth_name="AUTRE"))
    result = site.deliver("WS-A", site.export("WS-B"))
    assert result.report is not None and result.report.failed == 1
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as a:
        [conflict] = exchange.open_conflicts(a)
        assert conflict.kind is ConflictKind.UNAPPLIED and "formulaire" in conflict.detail["reason_fr"]
        assert a.store.patients.get_patient(other.patient.id) is not None  # the rest of the bundle went in


def test_a_bundle_number_used_twice_still_brings_its_changes(site: Site) -> None:
    """A crash between writing a bundle and recording it: the next one re-uses its number."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(), bed_code="1A")
        seq_before = a.store.get_meta(exchange.BUNDLE_SEQ_META)
        exported_before = a.store.get_meta(exchange.EXPORTED_SEQ_META)
    first = site.export("WS-A")
    kept = first.read_bytes()
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a, a.store.transaction():
        a.store.set_meta(exchange.BUNDLE_SEQ_META, seq_before or "0")
        a.store.set_meta(exchange.EXPORTED_SEQ_META, exported_before or "0")
    site.deliver("WS-C", first)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.transfer(a, adm.stay.id, "CARDIO", "2A")
    second = site.export("WS-A")
    assert second.name == first.name and second.read_bytes() != kept
    assert site.deliver("WS-C", second).outcome is bundles.BundleOutcome.IMPORTED
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        assert c.store.stays.get_stay(adm.stay.id).bed_code == "2A"  # type: ignore[union-attr]

"""Identity reconciliation, and the whole recovery of an outage recorded on two workstations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from continuity.domain.outbox import IdentifierKind, MappingStatus
from continuity.domain.users import Role, User
from continuity.errors import Conflict, PermissionDenied
from continuity.provisioning import demo_site, provision
from continuity.services import admin, patients, reconciliation, sync_state
from continuity.session import Workspace
from sync import engine
from sync.merges import import_merges
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, TEST_KDF, identity
from tests.peers.hl7_his import HisState, Hl7His
from tests.sync_helpers import FAST, assert_his_holds_exactly, expected_per_patient, record_activity


def _merge_file(path: Path, pairs: list[tuple[str, str]], authority: str = "CONTINUITE-TEST-CH") -> Path:
    """HL7 A40 messages as the HIS sends them: PID-3 its IPP, MRG-1 our provisional IPP."""
    lines = []
    for n, (provisional, ipp) in enumerate(pairs):
        lines += [
            f"MSH|^~\\&|DPI|CH|CONTINUITE|X|20261127080000||ADT^A40^ADT_A39|M{n}|P|2.5",
            "EVN||20261127080000",
            f"PID|||{ipp}^^^DPI^PI||NOM^PRENOM",
            f"MRG|{provisional}^^^{authority}^PI",
            "",
        ]
    path.write_text("\r".join(lines), encoding="utf-8")
    return path


def test_his_merges_map_identities_and_never_merge_two_of_ours(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
        b = patients.admit(nurse, "CARDIO", identity=identity(birth_name="BETA")).patient
        c = patients.admit(nurse, "CARDIO", identity=identity(birth_name="GAMMA")).patient
    merges = _merge_file(
        tmp_path / "a40.hl7",
        [
            (a.provisional_ipp, "500001"),
            (b.provisional_ipp, "500002"),
            (c.provisional_ipp, "500002"),  # same IPP as b!
            ("0000000000", "500009"),
        ],
    )
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        result = import_merges(session, merges)
        assert (result.messages, result.confirmed, result.proposed, result.unknown) == (4, 2, 1, 1)
        assert import_merges(session, merges).confirmed == 2  # reading it twice changes nothing
        with pytest.raises(PermissionDenied):
            reconciliation.enter(session, c.provisional_ipp, "500003")
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        [proposal] = reconciliation.mappings(cell, MappingStatus.PROPOSED)
        assert proposal.provisional == c.provisional_ipp and proposal.mapping.value == "500002"
        record = cell.store.patients.get_patient(c.id)
        assert record is not None and record.ipp is None  # nothing applied before a human says so
        reconciliation.decide(cell, proposal.mapping.id, confirm=False)
        with pytest.raises(Conflict):
            reconciliation.decide(cell, proposal.mapping.id, confirm=True)
        with pytest.raises(Conflict, match="déjà attribué"):
            reconciliation.enter(cell, c.provisional_ipp, "500001")
        reconciliation.enter(cell, c.provisional_ipp, "500003")
        ipps = {p.id: p.ipp for p in (cell.store.patients.get_patient(x.id) for x in (a, b, c)) if p}
    assert ipps == {a.id: "500001", b.id: "500002", c.id: "500003"}


def test_mapping_export_and_census_show_the_his_ipp(workspace: Workspace, tmp_path: Path) -> None:
    from cli import main
    from forms import documents

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").patient
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        reconciliation.enter(cell, a.provisional_ipp, "777001")
    out = tmp_path / "mapping.csv"
    import os

    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    try:
        assert (
            main(["--data", str(workspace.folder), "sync", "mapping", "--user", "admin", "--csv", str(out)])
            == 0
        )
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    text = out.read_text(encoding="utf-8")
    assert f"{a.provisional_ipp};ipp;777001" in text and "LEF" not in text  # no names
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        pdf = documents.census(nurse, ["CARDIO"])
    from tests.pdf_tools import pages_text

    assert "777001" in " ".join(pages_text(pdf))


# ------------------------------------------------------------------ the outage
WARD_A = User(username="ide.urg", display_name="IDE urgences", role=Role.WARD_STAFF, ufs=("URG", "MED"))
WARD_B = User(username="ide.med", display_name="IDE médecine", role=Role.WARD_STAFF, ufs=("MED", "URG"))


@pytest.fixture
def two_workstations(tmp_path: Path) -> Iterator[list[Workspace]]:
    site = demo_site()
    stations = []
    for code, ward in (("URG-01", WARD_A), ("MED-01", WARD_B)):
        ws = Workspace(tmp_path / code)
        provision(ws, site, code, ADMIN, ADMIN_PW, kdf=TEST_KDF)
        with ws.unlock(ADMIN.username, ADMIN_PW) as session:
            admin.add_user(session, ward, "ward-password-1")
        stations.append(ws)
    yield stations


@pytest.mark.slow
def test_full_outage_recovery_on_two_workstations(two_workstations: list[Workspace], tmp_path: Path) -> None:
    ufs = [u.code for u in demo_site().ufs]
    assert {"URG", "MED"} <= set(ufs)
    his = Hl7His(HisState()).start()
    try:
        expected = {}
        for n, (ws, ward) in enumerate(zip(two_workstations, (WARD_A, WARD_B), strict=True)):
            with ws.unlock(ward.username, "ward-password-1") as nurse:
                home, other = ward.ufs
                record_activity(nurse, home, 100, 150, seed=100 + n, other_uf=other)
                expected.update(expected_per_patient(nurse))
        assert sum(len(v) for v in expected.values()) == 500
        for ws in two_workstations:
            with ws.unlock(ADMIN.username, ADMIN_PW) as session:
                report = engine.synchronise(session, his.url, options=FAST)
                assert (report.refused, report.remaining) == (0, 0)
        assert_his_holds_exactly(his.state, expected)
        # The HIS sends back its merges: each provisional identity gets its IPP.
        pairs = [(p, f"8{i:06d}") for i, p in enumerate(sorted(expected))]
        merges = _merge_file(tmp_path / "merges.hl7", pairs, "CONTINUITE-DEMO-CH")
        for ws in two_workstations:
            with ws.unlock(ADMIN.username, ADMIN_PW) as session:
                result = import_merges(session, merges)
                assert (result.confirmed, result.proposed, result.unknown) == (100, 0, 100)
                status = sync_state.status(session)
                assert status.phase is sync_state.SyncPhase.RESTORED and status.backlog == 0
                mapped = session.store.his_ids.his_identifiers(MappingStatus.CONFIRMED, IdentifierKind.IPP)
                assert len(mapped) == 100
    finally:
        his.stop()

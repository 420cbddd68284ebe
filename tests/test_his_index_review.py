"""Faults the review of issue 17 found in the HIS identity index, each test seen failing on
the code before its fix (the reviewer's reproductions, kept as tests)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from continuity.domain.his_index import IndexEntry, IndexHeader, IndexOutcome, IndexReport
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient
from continuity.errors import Conflict, PermissionDenied
from continuity.services import his_index, patients, snapshots
from continuity.session import Session, Workspace
from sync import inbox
from sync.his_index_files import read_index
from tests.conftest import CRISIS, CRISIS_PW, identity
from tests.index_files import IndexPerson, index_people, write_index

T1 = datetime(2026, 11, 29, 22, tzinfo=UTC)
T2 = datetime(2026, 11, 30, 22, tzinfo=UTC)
T3 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def load(session: Session, path: Path, *, batch: int = 500, **kw: Any) -> IndexReport:
    header, entries = read_index(path, workers=0)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return his_index.import_index(session, header, entries, sha, batch=batch, **kw)


def fill(
    session: Session, entries: list[IndexEntry], extraction: str, taken: datetime, base: str | None = None
) -> IndexReport:
    header = IndexHeader(format="csv", taken_at=taken, extraction=extraction, base=base)
    return his_index.import_index(
        session, header, entries, sha256=hashlib.sha256(extraction.encode()).hexdigest(), batch=1000
    )


def _open_paths() -> set[str]:
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
    return found


def test_r1_one_full_import_at_a_time(workspace: Workspace, tmp_path: Path) -> None:
    """Two full imports at once (the watcher and the GUI, say) filled the same spare tables:
    the index in use ended with rows its state and seal did not know. The second is refused."""
    a = write_index(tmp_path / "a.csv", index_people(1500, first_ipp=100_000), "EXT-A")
    b = write_index(tmp_path / "b.csv", index_people(700, seed=5, first_ipp=300_000), "EXT-B")
    with (
        workspace.unlock(CRISIS.username, CRISIS_PW) as one,
        workspace.unlock(CRISIS.username, CRISIS_PW) as other,
    ):
        refused: list[Exception] = []

        def progress(p: his_index.Progress) -> None:
            if p.phase == "read" and not refused:  # another process imports meanwhile
                with pytest.raises(Conflict) as busy:
                    load(other, b)
                refused.append(busy.value)

        assert load(one, a, progress=progress).outcome is IndexOutcome.IMPORTED
        assert refused and "déjà en cours" in refused[0].message_fr  # type: ignore[attr-defined]
        state = other.store.his_index.state()
        assert state is not None and state.extraction == "EXT-A"
        assert other.store.his_index.count() == state.count == 1500
        assert his_index.verify_index(other)
        assert load(other, b).outcome is IndexOutcome.IMPORTED  # after it: allowed again (a newer file)


def test_r2_an_older_index_reverts_a_newer_his_identity(crisis: Session, nurse: Session) -> None:
    durand = identity("DURAND", "Luc", date(1980, 4, 5), "M")
    fill(
        crisis,
        [IndexEntry(ipp="H1", identity=durand), IndexEntry(ipp="H2", identity=identity("PETIT", "Léa"))],
        "X1",
        T1,
    )
    a = patients.admit(nurse, "CARDIO", index_ipp="H1")
    # the HIS corrected the birth name since: a census snapshot of 08:00 says so
    corrected = identity("DURANT", "Luc", date(1980, 4, 5), "M")
    snap = Snapshot(
        format=SnapshotFormat.CSV,
        taken_at=T3,
        patients=[SnapshotPatient(ipp="H1", identity=corrected)],
        stays=[],
    )
    snapshots.import_snapshot(nurse, snap, "s" * 64)
    p = nurse.store.patients.get_patient(a.patient.id)
    assert p is not None and p.identity.birth_name == "DURANT"
    # the nightly delta of 22:00 the day before (about someone else) arrives after it
    fill(
        crisis,
        [IndexEntry(ipp="H2", identity=identity("PETIT", "Lea", date(1950, 3, 12)))],
        "X2",
        T2,
        base="X1",
    )
    p = nurse.store.patients.get_patient(a.patient.id)
    assert p is not None
    assert p.identity.birth_name == "DURANT"  # the newer HIS identity kept


def test_r2b_an_older_full_index_replaces_a_newer_one(crisis: Session) -> None:
    fill(crisis, [IndexEntry(ipp="H1", identity=identity("DURANT", "Luc", date(1980, 4, 5), "M"))], "X2", T2)
    report = fill(
        crisis, [IndexEntry(ipp="H1", identity=identity("DURAND", "Luc", date(1980, 4, 5), "M"))], "X1", T1
    )
    state = crisis.store.his_index.state()
    assert report.outcome is IndexOutcome.OLDER and state is not None and state.extraction == "X2"


def test_r3_a_delta_short_of_its_declared_count_is_applied(crisis: Session, tmp_path: Path) -> None:
    people = index_people(100)
    load(crisis, write_index(tmp_path / "full.csv", people, "EXT-1"))
    full_short = write_index(
        tmp_path / "short.csv",
        people[:40],
        "EXT-3",
        declared=100,
        end=False,
        taken_at="2026-12-01T22:00:00+01:00",
    )
    with pytest.raises(his_index.Incomplete):
        load(crisis, full_short)
    delta_short = write_index(tmp_path / "d.csv", people[:2], "EXT-2", base="EXT-1", declared=50, end=False)
    with pytest.raises(his_index.Incomplete) as refused:
        load(crisis, delta_short)
    assert "50" in refused.value.message_fr
    state = crisis.store.his_index.state()
    assert state is not None and state.extraction == "EXT-1"  # the cut delta applied nothing


def test_r4_an_index_still_being_copied_is_quarantined_not_retried(crisis: Session, tmp_path: Path) -> None:
    drop = tmp_path / "inbox"
    drop.mkdir()
    path = write_index(drop / "index.csv", index_people(60), "EXT-1", declared=100, end=False)
    os.utime(path, (time.time(), time.time()))  # written just now: the copy goes on
    result = inbox.import_file(crisis, path, quarantine=tmp_path / "q", grace=60)
    assert result.outcome is inbox.FileOutcome.RETRY and path.exists()


def test_r7_ward_staff_replace_the_his_index(nurse: Session, tmp_path: Path) -> None:
    """The GUI offers the import to IT and the crisis cell only (INDEX_ROLES)."""
    path = write_index(tmp_path / "i.csv", index_people(10), "EXT-1")
    with pytest.raises(PermissionDenied):
        load(nurse, path)
    assert nurse.store.his_index.state() is None
    left = inbox.import_file(nurse, path, grace=0)  # a ward's watcher leaves it for IT
    assert (
        left.outcome is inbox.FileOutcome.RETRY and path.exists() and "informatique" in (left.error_fr or "")
    )


def test_r9_a_duplicate_or_refused_delta_leaves_the_file_open(crisis: Session, tmp_path: Path) -> None:
    full = write_index(tmp_path / "full.csv", index_people(30), "EXT-1")
    load(crisis, full)
    again = write_index(tmp_path / "again.csv", index_people(30), "EXT-1")
    header, entries = read_index(again, workers=0)
    assert his_index.import_index(crisis, header, entries, "x" * 64).outcome is IndexOutcome.DUPLICATE
    stale = write_index(tmp_path / "stale.csv", index_people(3), "EXT-3", base="EXT-2")
    header, entries2 = read_index(stale, workers=0)
    with pytest.raises(his_index.MissingBase):
        his_index.import_index(crisis, header, entries2, "y" * 64)
    assert str(again) not in _open_paths() and str(stale) not in _open_paths()


def test_r11_a_removal_then_a_re_addition_in_one_delta_ends_removed(crisis: Session, tmp_path: Path) -> None:

    people = index_people(20)
    load(crisis, write_index(tmp_path / "full.csv", people, "EXT-1"))
    x = people[3]
    back = IndexPerson(x.ipp, "REVENU", ("JULES",), x.born, "M")
    delta = write_index(
        tmp_path / "d.csv", [], "EXT-2", base="EXT-1", removed=(x.ipp,), extra_lines=(back.line() + ";",)
    )
    load(crisis, delta)
    hit = crisis.store.his_index.by_ipp(x.ipp)
    assert hit is not None and hit.identity.birth_name == "REVENU"  # the file's last word on it


def test_r12_a_delta_that_arrives_before_its_full_index_is_lost_and_so_are_the_next(
    crisis: Session, tmp_path: Path
) -> None:
    people = index_people(50)
    f0 = write_index(tmp_path / "f0.csv", people, "F0", taken_at="2026-11-22T22:00:00+01:00")
    assert inbox.import_file(crisis, f0, grace=0).outcome is inbox.FileOutcome.IMPORTED
    # the weekly full F1 and Monday's delta D1 (base F1) dropped together: the small one settles first
    f1 = write_index(tmp_path / "f1.csv", people, "F1", taken_at="2026-11-29T22:00:00+01:00")
    d1 = write_index(tmp_path / "d1.csv", people[:2], "D1", base="F1", taken_at="2026-11-30T22:00:00+01:00")
    assert inbox.import_file(crisis, d1, grace=0).outcome is inbox.FileOutcome.RETRY  # waits for F1
    assert d1.exists()
    assert inbox.import_file(crisis, f1, grace=0).outcome is inbox.FileOutcome.IMPORTED
    assert inbox.import_file(crisis, d1, grace=0).outcome is inbox.FileOutcome.IMPORTED  # its turn
    d2 = write_index(tmp_path / "d2.csv", people[2:4], "D2", base="D1", taken_at="2026-12-01T22:00:00+01:00")
    assert inbox.import_file(crisis, d2, grace=0).outcome is inbox.FileOutcome.IMPORTED
    state = crisis.store.his_index.state()
    assert state is not None and state.extraction == "D2"


def test_r6_an_ipp_carried_by_an_index_patient_is_not_given_to_another(
    crisis: Session, nurse: Session
) -> None:
    """Review: the CIV could give a provisional identity the IPP that a patient admitted from the
    index already carried; two records then had it, and a merge of them sent an A40 of that IPP
    into itself. The IPP of an HIS patient here counts as given."""
    from continuity.domain.movement import DischargeMode
    from continuity.services import reconciliation

    durand = identity("DURAND", "Luc", date(1980, 4, 5), "M")
    fill(crisis, [IndexEntry(ipp="H1004", identity=durand)], "X1", T2)
    made = patients.admit(nurse, "CARDIO", identity=durand, not_a_duplicate="pas celui de l'index")
    patients.discharge(nurse, made.stay.id, DischargeMode.HOME)
    patients.admit(nurse, "CARDIO", index_ipp="H1004", not_a_duplicate="vu")
    with pytest.raises(Conflict):
        reconciliation.enter(crisis, made.patient.provisional_ipp, "H1004")
    assert len(crisis.store.patients.patients_with_ipp("H1004")) == 1

"""Qualified identities the way they reach a workstation: from the HIS, in a snapshot.

No user can create or set a qualified identity offline (``patients.admit`` and
``update_identity`` refuse the status): tests that need one import it as the HIS sends it,
then admit that patient.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from continuity.domain.identity import Identity
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient
from continuity.services import patients, snapshots
from continuity.session import Session, Workspace
from tests.conftest import CRISIS, CRISIS_PW


def import_his_identity(session: Session, identity: Identity, ipp: str = "700001") -> str:
    """Import ``identity`` as the HIS's (a snapshot without census, by a session that may
    exchange: the crisis cell); the patient's id."""
    snapshot = Snapshot(
        format=SnapshotFormat.CSV,
        taken_at=datetime.now(UTC) - timedelta(hours=1),
        patients=[SnapshotPatient(ipp=ipp, identity=identity)],
    )
    digest = hashlib.sha256(f"{ipp}{identity.data()}".encode()).hexdigest()
    snapshots.import_snapshot(session, snapshot, digest)
    [patient_id] = [p.patient.id for p in patients.search(session, ipp) if p.patient.ipp == ipp]
    return patient_id


def from_his(workspace: Workspace, identity: Identity, ipp: str = "700001") -> str:
    """``import_his_identity`` signed in as the crisis cell."""
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        return import_his_identity(crisis, identity, ipp)


def admit_from_his(
    workspace: Workspace, nurse: Session, uf: str, identity: Identity, ipp: str = "700001", **kw: object
) -> patients.Admission:
    """Admit the HIS's patient of that ``identity`` (imported first)."""
    return patients.admit(nurse, uf, patient_id=from_his(workspace, identity, ipp), **kw)  # type: ignore[arg-type]

"""Property tests of the RNIV rules, on a real encrypted store.

Whatever users do (admit, correct an identity with any status, attributes, document and
INS, in any order) and whatever the HIS sends (snapshots, qualified identities included):
- no identity is ever both doubtful and fictitious, nor doubtful or fictitious and more
  than provisional;
- no identity created on the workstation is ever qualified (qualified ones come only from
  the HIS);
- a validated identity always names who checked its high-trust document, and when;
- no HL7 or FHIR message built for the HIS carries an INS for an identity that is not
  qualified (neither typed as an INS, nor the unverified number anywhere in it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuity.domain.identity import (
    HIGH_TRUST_DOCUMENTS,
    MINOR_DOCUMENTS,
    Identity,
    IdentityStatus,
)
from continuity.domain.outbox import EventStatus
from continuity.domain.records import Source
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient
from continuity.errors import ContinuityError
from continuity.services import delivery, patients, snapshots
from continuity.session import Session, Workspace
from sync import fhir
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, Clock

PLACES = ["76540", "75056", "2A004", "99350", None]
DOCUMENTS = [None, "CN", "PA", "CS", "LE", "AN", "DC", "PC", "CE", "TC", "AC"]


def _nir(sex: str, born: date, place: str) -> str:
    body = f"{1 if sex == 'M' else 2}{born.year % 100:02d}{born.month:02d}{place}123"
    digits = body.replace("2A", "19").replace("2B", "18")
    return f"{body}{97 - int(digits) % 97:02d}"


@st.composite
def identities(draw: st.DrawFn) -> dict[str, Any]:
    """Identity data as a user might give it: any status, attributes, document, INS; often
    inconsistent (the services must refuse what breaks a rule, and keep what does not)."""
    sex = draw(st.sampled_from(["F", "M"]))
    born = draw(st.dates(date(1930, 1, 1), date.today() - timedelta(days=1)))
    place = draw(st.sampled_from(PLACES))
    data: dict[str, Any] = {
        "birth_name": draw(st.sampled_from(["LEFÈVRE", "LEFEVRE", "DURAND", "MARTIN"])),
        "first_names": [draw(st.sampled_from(["JEANNE", "PAUL", "LÉA"]))],
        "birth_date": born,
        "sex": sex,
        "status": draw(st.sampled_from(list(IdentityStatus))).value,
        "doubtful": draw(st.booleans()),
        "fictitious": draw(st.booleans()),
        "document_type": draw(st.sampled_from(DOCUMENTS)),
        "document_expires_on": draw(
            st.sampled_from([None, date.today() - timedelta(days=1), date.today() + timedelta(days=400)])
        ),
        "validated_by": draw(st.sampled_from([None, "un autre"])),
    }
    if place:
        data["birth_place_insee"] = place
    ins = draw(st.sampled_from(["none", "consistent", "other place"]))
    if ins != "none":
        data["ins"] = _nir(sex, born, "99350" if ins == "other place" or not place else place)
    return data


actions = st.one_of(
    st.tuples(st.just("admit"), identities()),
    st.tuples(st.just("update"), identities(), st.integers(0, 5)),
    st.tuples(st.just("snapshot"), st.lists(identities(), min_size=1, max_size=3)),
)


def _identity(data: dict[str, Any]) -> Identity | None:
    try:
        return Identity.model_validate(data)
    except ValueError:
        return None  # the domain refused it before any service: nothing to try


def _apply(nurse: Session, crisis: Session, action: tuple[Any, ...], step: int) -> None:
    kind = action[0]
    try:
        if kind == "admit":
            identity = _identity(action[1])
            if identity is not None:
                patients.admit(nurse, "CARDIO", identity=identity, not_a_duplicate="autre patient")
        elif kind == "update":
            found = [s for q in ("lef", "dur", "mar") for s in patients.search(nurse, q)]
            identity = _identity(action[1])
            if found and identity is not None:
                target = found[action[2] % len(found)].patient
                patients.update_identity(nurse, target.id, identity, target.version)
        else:
            his = [i for i in (_identity(d) for d in action[1]) if i is not None]
            snapshot = Snapshot(
                format=SnapshotFormat.CSV,
                taken_at=datetime.now(UTC) - timedelta(minutes=60 - step),
                patients=[SnapshotPatient(ipp=f"7{step:02d}{n}", identity=i) for n, i in enumerate(his)],
            )
            digest = hashlib.sha256(json.dumps([step, [i.data() for i in his]]).encode()).hexdigest()
            snapshots.import_snapshot(crisis, snapshot, digest)
    except ContinuityError:
        pass  # refused: nothing written (checked below like any other state)


def _check(workspace: Workspace) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        records = [crisis.store.patients.get_patient(pid) for pid in _all_patient_ids(crisis)]
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:  # the sync's rights
        store = session.store
        for record in records:
            assert record is not None
            i = record.identity
            assert not (i.doubtful and i.fictitious)
            assert not (i.doubtful or i.fictitious) or i.status is IdentityStatus.PROVISOIRE
            if record.source is not Source.HIS:
                assert i.status is not IdentityStatus.QUALIFIEE, "a qualified identity created offline"
            if i.status is IdentityStatus.VALIDEE and record.source is not Source.HIS:
                assert i.validated_by == NURSE.display_name and i.validated_on is not None
                assert i.document_type in HIGH_TRUST_DOCUMENTS | MINOR_DOCUMENTS
        site = delivery.sending_site(session)
        for event in store.outbox.outbox_by_status(EventStatus.PENDING):
            ctx = delivery.event_context(session, event)
            i = ctx.patient.identity
            message = build_message(ctx, site, session.clock())
            resource = fhir.patient_resource(ctx, site, None).model_dump_json()
            if i.status is not IdentityStatus.QUALIFIEE:
                assert "^INS" not in message and "INS-NIR" not in resource and "INS-NIA" not in resource
                if i.ins_unverified:
                    assert i.ins_unverified not in message and i.ins_unverified not in resource
            # what the event itself carries: never an INS for an unqualified identity
            sent = event.payload.get("identity", {})
            if sent.get("status") != IdentityStatus.QUALIFIEE.value:
                assert not sent.get("ins")


def _all_patient_ids(session: Session) -> list[str]:
    found: dict[str, None] = {}
    for query in ("a", "e", "i", "o", "u", "l", "d", "m"):
        for s in patients.search(session, query, limit=500):
            found[s.patient.id] = None
    return list(found)


@pytest.fixture(scope="module")
def template(provisioned_template: tuple[Path, str]) -> Path:
    return provisioned_template[0]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=6))
def test_no_sequence_of_actions_breaks_the_rniv_rules(
    template: Path, tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[Any, ...]]
) -> None:
    folder = tmp_path_factory.mktemp("rniv") / "data"
    shutil.copytree(template, folder)
    workspace = Workspace(folder, Clock())
    with (
        workspace.unlock(NURSE.username, NURSE_PW) as nurse,
        workspace.unlock(CRISIS.username, CRISIS_PW) as crisis,
    ):
        for n, action in enumerate(steps):
            _apply(nurse, crisis, action, n)
    _check(workspace)
    shutil.rmtree(folder.parent, ignore_errors=True)

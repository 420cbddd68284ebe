"""Admission searches the HIS identity index first: a returning patient is admitted under the
HIS's IPP and identity (no provisional IPP, nothing to reconcile), and the duplicate warning
looks in the index too."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import hl7
import pytest

from continuity.domain.his_index import IndexEntry, IndexHeader, IndexHit
from continuity.domain.identity import Identity, IdentityStatus
from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.domain.records import HIS_PREFIX, PatientSummary, Source
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from continuity.errors import Conflict, NotFound, PossibleDuplicates
from continuity.services import delivery, patients, reconciliation, snapshots
from continuity.services.his_index import import_index
from continuity.services.snapshots import his_patient_id
from continuity.session import Session, Workspace
from sync import fhir
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity

NIR_BODY = "2500376540001"
NIR = f"{NIR_BODY}{97 - int(NIR_BODY) % 97:02d}"  # a woman born in March 1950 in 76540
TAKEN = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def qualified(name: str = "LEFÈVRE", first: str = "Jeanne") -> Identity:
    return identity(name, first, birth_place_insee="76540", ins=NIR, status="qualifiee")


_FILLS = itertools.count()


def fill(session: Session, entries: Sequence[tuple[str, Identity]], extraction: str = "X1") -> None:
    """Import an index as the crisis cell does (ward staff may not), each one newer."""
    taken = TAKEN + timedelta(minutes=next(_FILLS))
    header = IndexHeader(format="csv", taken_at=taken, extraction=extraction, count=len(entries))
    rows = [IndexEntry(ipp=ipp, identity=i) for ipp, i in entries]
    with session.workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        import_index(crisis, header, rows, sha256=hashlib.sha256(extraction.encode()).hexdigest(), batch=1000)


@pytest.fixture
def indexed(nurse: Session) -> Session:
    fill(
        nurse,
        [
            ("H1001", qualified()),
            ("H1002", identity("MARTIN", "Paul", date(1961, 7, 1), "M", status="validee")),
            ("H1003", identity("MARTINEZ", "Zoé", date(1970, 1, 1))),
            ("H1004", identity("DURAND", "Luc", date(1980, 4, 5), "M")),
        ],
    )
    return nurse


def site_code(session: Session) -> str:
    return session.store.reference.site_name()[0]


# --------------------------------------------------------------------------- search
def test_search_index_finds_identities_of_the_his_index(indexed: Session) -> None:
    hits = patients.search_index(indexed, "mart")
    assert [(h.ipp, h.identity.birth_name) for h in hits] == [("H1002", "MARTIN"), ("H1003", "MARTINEZ")]
    assert [h.ipp for h in patients.search_index(indexed, "lef jean 12/03/1950")] == ["H1001"]
    assert [h.ipp for h in patients.search_index(indexed, "05/04/1980")] == ["H1004"]
    assert [h.ipp for h in patients.search_index(indexed, "H1004")] == ["H1004"]  # an exact IPP
    assert [h.ipp for h in patients.search_index(indexed, " h1004 ")] == ["H1004"]
    assert patients.search_index(indexed, "zzz") == [] and patients.search_index(indexed, " ") == []


def test_search_all_lists_local_patients_first_then_index_hits_not_already_here(indexed: Session) -> None:
    local = patients.admit(indexed, "CARDIO", identity=identity("MARTINEAU", "Luc", date(1955, 2, 2)))
    patients.admit(indexed, "CARDIO", index_ipp="H1002")  # now a patient here: no longer an index hit
    found = patients.search_all(indexed, "mart")
    assert [type(f).__name__ for f in found] == ["PatientSummary", "PatientSummary", "IndexHit"]
    first, second, third = found
    assert isinstance(first, PatientSummary) and isinstance(second, PatientSummary)
    assert {first.patient.id, second.patient.id} == {
        local.patient.id,
        his_patient_id(site_code(indexed), "H1002"),
    }
    assert isinstance(third, IndexHit) and third.ipp == "H1003"
    assert [h.ipp for h in patients.search_index(indexed, "H1002")] == []  # deduplicated on the IPP
    (by_ipp,) = patients.search_all(indexed, "H1002")
    assert isinstance(by_ipp, PatientSummary) and by_ipp.patient.ipp == "H1002"
    assert len(patients.search_all(indexed, "mart", limit=2)) == 2  # the limit counts both


def test_search_without_an_index_is_the_local_search(nurse: Session) -> None:
    patients.admit(nurse, "CARDIO", identity=identity())
    assert patients.search_index(nurse, "lef") == []
    assert [type(f).__name__ for f in patients.search_all(nurse, "lef")] == ["PatientSummary"]


def test_an_index_ipp_that_looks_like_a_kit_number_is_no_error(nurse: Session) -> None:
    """Ten digits with a wrong kit check digit are an error for the kit's numbers only: the
    HIS's IPP is found in the index first."""
    fill(nurse, [("1234567890", identity())])
    assert [h.ipp for h in patients.search_index(nurse, "1234567890")] == ["1234567890"]
    assert [type(f).__name__ for f in patients.search_all(nurse, "1234567890")] == ["IndexHit"]


# --------------------------------------------------------------------------- admission
def test_admission_from_the_index_takes_the_his_ipp_and_identity(indexed: Session) -> None:
    store = indexed.store
    a = patients.admit(indexed, "CARDIO", index_ipp="H1001", bed_code="1A")
    p = a.patient
    assert p.id == his_patient_id(site_code(indexed), "H1001")
    assert (p.source, p.ipp, p.provisional_ipp, p.from_index) == (
        Source.HIS,
        "H1001",
        HIS_PREFIX + "H1001",
        True,
    )
    assert (
        p.identity == qualified() and p.identity.status is IdentityStatus.QUALIFIEE and p.identity.ins == NIR
    )
    assert p.number == "H1001"
    assert store.patients.get_patient(p.id) == p
    assert (a.stay.uf_code, a.stay.bed_code) == ("CARDIO", "1A")
    (entry,) = store.audit.audit_of("patient", p.id, ["patient.create"])
    body = json.loads(entry.payload)
    assert body["from_index"] == {"extraction": "X1", "ipp": "H1001"}
    assert "provisional_ipp" not in body
    # a stay NDA is still the kit's; no provisional IPP was allocated for the patient
    assert a.stay.source is Source.KIT


def test_the_same_index_patient_is_readmitted_not_created_twice(indexed: Session) -> None:
    from continuity.domain.movement import DischargeMode

    a = patients.admit(indexed, "CARDIO", index_ipp="H1002", bed_code="1A")
    with pytest.raises(Conflict):
        patients.admit(indexed, "CARDIO", index_ipp="H1002")
    patients.discharge(indexed, a.stay.id, DischargeMode.HOME)
    b = patients.admit(indexed, "CARDIO", index_ipp="H1002")
    assert b.patient.id == a.patient.id and b.stay.id != a.stay.id
    assert indexed.store.patients.count_patients() == 1
    assert len(indexed.store.audit.audit_of("patient", a.patient.id, ["patient.create"])) == 1


def test_a_census_patient_of_the_same_ipp_is_readmitted(indexed: Session) -> None:
    snap = Snapshot(
        format=SnapshotFormat.CSV,
        taken_at=TAKEN,
        patients=[
            SnapshotPatient(ipp="H1004", identity=identity("DURAND", "Luc", date(1980, 4, 5), "M")),
            SnapshotPatient(ipp="H1003", identity=identity("MARTINEZ", "Zoé", date(1970, 1, 1))),
        ],
        stays=[SnapshotStay(nda="N9", ipp="H1004", uf_code="PNEUMO", bed_code="3A", admitted_at=TAKEN)],
        census=True,
    )
    snapshots.import_snapshot(indexed, snap, "s" * 64)
    with pytest.raises(Conflict):  # in a stay of the census already
        patients.admit(indexed, "CARDIO", index_ipp="H1004")
    a = patients.admit(indexed, "CARDIO", index_ipp="H1003")  # known from the snapshot, not in a stay
    assert a.patient.id == his_patient_id(site_code(indexed), "H1003") and not a.patient.from_index
    assert indexed.store.patients.count_patients() == 2


def test_an_unknown_index_ipp_is_refused(indexed: Session) -> None:
    with pytest.raises(NotFound):
        patients.admit(indexed, "CARDIO", index_ipp="H9999")
    with pytest.raises(Exception, match="soit"):
        patients.admit(indexed, "CARDIO", index_ipp="H1001", identity=identity())


def test_what_is_sent_for_an_index_patient_is_the_his_ipp_only(
    workspace: Workspace, indexed: Session
) -> None:
    a = patients.admit(indexed, "CARDIO", index_ipp="H1001", bed_code="1A")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        (event,) = session.store.outbox.outbox_by_status(EventStatus.PENDING)
        ctx = delivery.event_context(session, event)
        site = delivery.sending_site(session)
        msg = hl7.parse(build_message(ctx, site, session.clock()))
        pid3 = [str(r) for r in msg.segment("PID")(3)]
        assert pid3[0].startswith("H1001^^^") and pid3[0].endswith("^PI")
        assert not any(HIS_PREFIX in r or r.startswith(a.stay.provisional_nda) for r in pid3)
        assert [r.split("^")[-1] for r in pid3] == ["PI", "INS"]  # the HIS IPP and the qualified INS
        resource = fhir.patient_resource(ctx, site, None)
        values = [(i.value, i.use) for i in resource.identifier or []]
        assert values[0] == ("H1001", "usual") and ("DPI:H1001", "temp") not in values
        assert all(HIS_PREFIX not in str(v) for v, _ in values)
        assert reconciliation.mappings(session) == []


# --------------------------------------------------------------------------- duplicates
def test_a_new_identity_like_an_index_identity_is_stopped(indexed: Session) -> None:
    typed = identity("LEFEVRE", "Jeanne")  # no accent: the index holds LEFÈVRE, same birth date
    with pytest.raises(PossibleDuplicates) as stopped:
        patients.admit(indexed, "CARDIO", identity=typed)
    assert stopped.value.candidate_ids == [] and stopped.value.index_ipps == ["H1001"]
    assert [h.ipp for h in patients.find_index_duplicates(indexed, typed)] == ["H1001"]
    assert [h.ipp for h in patients.index_entries(indexed, ["H1001", "H9999"])] == ["H1001"]
    swapped = identity("LEFEVRE", "Jeanne", date(1950, 12, 3))  # day and month swapped
    with pytest.raises(PossibleDuplicates) as again:
        patients.admit(indexed, "CARDIO", identity=swapped)
    assert again.value.index_ipps == ["H1001"]
    a = patients.admit(indexed, "CARDIO", identity=typed, not_a_duplicate="homonyme, pièce vue")
    (entry,) = indexed.store.audit.audit_of("patient", a.patient.id, ["patient.create"])
    body = json.loads(entry.payload)["not_a_duplicate"]
    assert body == {"candidates": [], "index_candidates": ["H1001"], "reason": "homonyme, pièce vue"}
    assert a.patient.source is Source.KIT


def test_an_index_identity_already_admitted_is_a_local_candidate_only(indexed: Session) -> None:
    known = patients.admit(indexed, "CARDIO", index_ipp="H1001")
    with pytest.raises(PossibleDuplicates) as stopped:
        patients.admit(indexed, "CARDIO", identity=identity("LEFEVRE", "Jeanne"))
    assert stopped.value.candidate_ids == [known.patient.id] and stopped.value.index_ipps == []


def test_a_different_person_of_the_same_birth_date_is_no_duplicate(indexed: Session) -> None:
    a = patients.admit(indexed, "CARDIO", identity=identity("BERNARD", "Alice"))
    assert a.patient.source is Source.KIT


# --------------------------------------------------------------------------- command line
def test_cli_search_marks_index_hits_and_admit_takes_an_index_ipp(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import Cli

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        fill(nurse, [("H1001", qualified()), ("H1002", identity("MARTIN", "Paul", date(1961, 7, 1), "M"))])
        patients.admit(nurse, "CARDIO", identity=identity("MARTINEAU", "Luc", date(1955, 2, 2)))
    cli = Cli(workspace.folder, capsys, monkeypatch)
    code, out, _ = cli.nurse("search", "mart")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert "MARTINEAU" in lines[0] and "Index DPI" not in lines[0]
    assert "MARTIN" in lines[1] and "[Index DPI]" in lines[1] and "IPP H1002" in lines[1]
    assert "provisoire" in lines[1]  # the status the HIS gave
    code, out, _ = cli.nurse("search", "mart", "--json")
    found = json.loads(out)
    assert "patient" in found[0] and found[1]["index"]["ipp"] == "H1002"
    code, out, _ = cli.nurse("admit", "--uf", "CARDIO", "--bed", "1B", "--index-ipp", "H1001")
    assert code == 0, out
    assert "IPP H1001" in out and "issu de l'index du DPI" in out and "IPP provisoire" not in out
    code, out, _ = cli.nurse("search", "H1001")
    assert "issu de l'index du DPI" in out and "[Index DPI]" not in out
    code, _, err = cli.nurse(
        "admit", "--uf", "CARDIO", "--birth-name", "MARTIN", "--first-names", "Paul",
        "--birth-date", "01/07/1961", "--sex", "M",
    )  # fmt: skip
    assert code != 0 and "[Index DPI]" in err and "IPP H1002" in err and "--index-ipp" in err


# --------------------------------------------------------------------------- other workstations
def test_an_index_admission_reaches_the_other_workstations_as_the_his_patient(
    three_workstations: object,
) -> None:
    from tests.exchange_helpers import Site

    site = three_workstations
    assert isinstance(site, Site)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        fill(a, [("H1001", qualified())])
        admitted = patients.admit(a, "CARDIO", index_ipp="H1001", bed_code="1A")
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        fill(b, [("H1001", qualified())])  # B has the index too, and admits nobody
    result = site.deliver("WS-B", site.export("WS-A"))
    assert result.error_fr is None, result.error_fr
    assert result.report is not None and (result.report.failed, result.report.waiting) == (0, 0)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        p = b.store.patients.get_patient(admitted.patient.id)
        assert p is not None
        assert (p.source, p.ipp, p.provisional_ipp, p.from_index) == (Source.HIS, "H1001", "DPI:H1001", True)
        assert p.identity == qualified()
        (found,) = patients.search_all(b, "lef")  # the patient, no longer an index hit
        assert isinstance(found, PatientSummary) and found.stay is not None and found.stay.bed_code == "1A"


def test_an_index_admission_warns_of_a_provisional_identity_made_here(indexed: Session) -> None:
    """Review of issue 17: a provisional identity created here for the same person (before the
    index came) was silently doubled by the HIS's one; now the duplicate warning stops it, and
    going on needs a reason, kept in the audit."""
    made = patients.admit(
        indexed,
        "CARDIO",
        identity=identity("DURAND", "Luc", date(1980, 4, 5), "M"),
        not_a_duplicate="pas celui de l'index",
    )
    patients.discharge(indexed, made.stay.id, DischargeMode.HOME)
    with pytest.raises(PossibleDuplicates) as warned:
        patients.admit(indexed, "CARDIO", index_ipp="H1004")
    assert warned.value.candidate_ids == [made.patient.id]
    admitted = patients.admit(indexed, "CARDIO", index_ipp="H1004", not_a_duplicate="homonyme vérifié")
    entry = indexed.store.audit.audit_of("patient", admitted.patient.id, ["patient.create"])[0]
    assert json.loads(entry.payload)["not_a_duplicate"] == {
        "candidates": [made.patient.id],
        "reason": "homonyme vérifié",
    }

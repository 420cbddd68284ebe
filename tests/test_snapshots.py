"""HIS snapshots: the three formats, whole-file import into the real store, offline work kept."""

from __future__ import annotations

import hashlib
import json
import stat
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hl7apy.parser
import pytest

from continuity.domain.movement import DischargeMode
from continuity.domain.records import Source
from continuity.domain.snapshot import SnapshotOutcome, SnapshotReport
from continuity.domain.users import Permission
from continuity.services import delivery, indicators, patients, snapshots
from continuity.session import Session, Workspace
from sync import inbox
from sync.hl7_adt import build_message
from sync.snapshots import SnapshotRejected, parse_snapshot
from tests.conftest import NURSE, NURSE_PW, identity
from tests.snapshot_files import HisPatient, csv_snapshot, fhir_bundle, his_patients, hl7_batch, moved

BEDS = {"CARDIO": ["1A", "1B", "2A", "2B"], "PNEUMO": ["3A", "3B", "3C"]}
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def people(count: int = 6) -> list[HisPatient]:
    return his_patients(count, BEDS, T0)


def load(session: Session, raw: bytes) -> SnapshotReport:
    snapshot = parse_snapshot(raw, "f", T0, snapshots.his_identifiers(session))
    return snapshots.import_snapshot(session, snapshot, hashlib.sha256(raw).hexdigest())


def census_picture(session: Session) -> set[tuple[str, str | None, str | None, str]]:
    """(IPP or provisional IPP, UF, bed, state) of every open stay."""
    return {
        (line.patient.number, line.stay.uf_code, line.stay.bed_code, line.stay.state.value)
        for uf in patients.census(session)
        for line in [b.occupant for b in uf.beds if b.occupant] + uf.without_bed
        if line.stay
    }


@pytest.mark.parametrize("make", [hl7_batch, fhir_bundle, csv_snapshot])
def test_three_formats_read_the_same_census(make: object) -> None:
    expected = people()
    snapshot = parse_snapshot(make(expected, T0), "f", T0)  # type: ignore[operator]
    assert snapshot.taken_at == T0 and snapshot.census
    by_ipp = {p.ipp: p for p in snapshot.patients}
    assert set(by_ipp) == {p.ipp for p in expected}
    for p in expected:
        got = by_ipp[p.ipp].identity
        assert (got.birth_name, tuple(got.first_names), got.birth_date, got.sex.value) == (
            p.birth_name,
            p.first_names,
            p.birth_date,
            p.sex,
        )
    assert {(s.nda, s.ipp, s.uf_code, s.bed_code, s.admitted_at) for s in snapshot.stays} == {
        (p.nda, p.ipp, p.uf, p.bed, p.admitted_at) for p in expected
    }


def test_hl7_batch_messages_are_valid_for_an_independent_parser() -> None:
    raw = hl7_batch(people(2), T0).decode()
    messages = [m for m in raw.split("MSH|")[1:]]
    for body in messages:
        segments = [s for s in ("MSH|" + body).split("\r") if s[:3] in ("MSH", "EVN", "PID", "PV1")]
        msg = hl7apy.parser.parse_message("\r".join(segments), find_groups=False)
        assert msg.msh.msh_9.msh_9_2.value == "A01"


def test_import_marks_records_as_his_and_sends_nothing_back(crisis: Session, workspace: Workspace) -> None:
    report = load(crisis, csv_snapshot(people(), T0))
    assert (report.outcome, report.patients_added, report.stays_added) == (SnapshotOutcome.IMPORTED, 6, 6)
    assert census_picture(crisis) == {(p.ipp, p.uf, p.bed, "present") for p in people()}
    record = patients.find_patient(crisis, people()[0].ipp)
    assert record.patient.source is Source.HIS and record.patient.ipp == people()[0].ipp
    assert record.stay is not None and record.stay.nda == people()[0].nda
    assert crisis.store.outbox.outbox_counts() == {}
    assert indicators.last_snapshot_at(crisis) == T0
    assert load(crisis, csv_snapshot(people(), T0)).outcome is SnapshotOutcome.DUPLICATE


def test_newer_census_moves_adds_and_closes_only_untouched_stays(
    crisis: Session, workspace: Workspace
) -> None:
    first = people()
    load(crisis, hl7_batch(first, T0))
    # Offline, a nurse discharges patient 0 and moves patient 1: their stays are local now.
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        s0 = patients.find_patient(nurse, first[0].ipp).stay
        s1 = patients.find_patient(nurse, first[1].ipp).stay
        assert s0 and s1
        patients.discharge(nurse, s0.id, DischargeMode.HOME)
        patients.transfer(nurse, s1.id, "PNEUMO", "3C")
    # Newer census: 0 and 1 elsewhere, 2 in the bed 0 left, 3 and 5 gone, a new patient.
    extra = moved(his_patients(1, {"PNEUMO": ["3C"]}, T0, ipp_start=900_000)[0], "PNEUMO", None)
    newer = [
        moved(first[0], "PNEUMO", "3B"),
        moved(first[1], "PNEUMO", "3A"),
        moved(first[2], "CARDIO", "1A"),
        first[4],
        extra,
    ]
    report = load(crisis, fhir_bundle(newer, T0 + timedelta(hours=2)))
    assert (report.stays_kept_local, report.stays_updated, report.stays_added, report.stays_closed) == (
        2,
        2,
        1,
        2,
    )
    assert census_picture(crisis) == {
        (first[1].ipp, "PNEUMO", "3C", "present"),  # the offline transfer stands
        (first[2].ipp, "CARDIO", "1A", "present"),
        (first[4].ipp, "PNEUMO", "3A", "present"),
        (extra.ipp, "PNEUMO", None, "present"),
    }  # 0 discharged offline is not re-admitted
    # The HIS stay ids are stable: the same NDA keeps the same stay.
    assert patients.find_patient(crisis, first[2].ipp).stay.id == snapshots.his_stay_id(  # type: ignore[union-attr]
        "TEST-CH", first[2].nda
    )


def test_result_does_not_depend_on_file_order(
    workspace: Workspace, tmp_path: Path, provisioned_template: tuple[Path, str]
) -> None:
    import shutil

    from tests.conftest import CRISIS, CRISIS_PW

    base = people()
    files = [
        csv_snapshot(base, T0),
        hl7_batch([moved(base[0], "PNEUMO", "3C"), *base[1:4]], T0 + timedelta(hours=1)),
        fhir_bundle([moved(base[1], "CARDIO", "2B"), *base[2:5]], T0 + timedelta(hours=3)),
        hl7_batch(base[:2], T0 + timedelta(hours=2), identity_only=True),
    ]
    pictures = []
    for order in ([0, 1, 2, 3], [2, 3, 0, 1], [3, 2, 1, 0]):
        folder = tmp_path / f"ws{order[0]}"
        shutil.copytree(provisioned_template[0], folder)
        with Workspace(folder).unlock(CRISIS.username, CRISIS_PW) as session:
            outcomes = [load(session, files[i]).outcome for i in order]
            pictures.append((census_picture(session), indicators.last_snapshot_at(session)))
            if order[0] == 2:
                assert outcomes[2] is SnapshotOutcome.OLDER
    assert pictures[0] == pictures[1] == pictures[2]
    assert pictures[0][1] == T0 + timedelta(hours=3)


def test_identity_corrected_here_is_not_replaced(crisis: Session, workspace: Workspace) -> None:
    base = people(2)
    load(crisis, csv_snapshot(base, T0))
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        found = patients.find_patient(nurse, base[0].ipp)
        corrected = found.patient.identity.model_copy(update={"used_name": "NOUVEAU"})
        patients.update_identity(nurse, found.patient.id, corrected, found.patient.version)
    renamed = [HisPatient(**{**b.__dict__, "birth_name": "AUTRE"}) for b in base]
    report = load(crisis, csv_snapshot(renamed, T0 + timedelta(hours=1)))
    assert (report.patients_kept_local, report.patients_updated) == (1, 1)
    assert patients.find_patient(crisis, base[0].ipp).patient.identity.used_name == "NOUVEAU"
    assert patients.find_patient(crisis, base[1].ipp).patient.identity.birth_name == "AUTRE"


def test_bed_taken_offline_places_the_his_stay_without_bed(nurse: Session, crisis: Session) -> None:
    patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    report = load(crisis, csv_snapshot(people(1), T0))  # patient 0 is in CARDIO/1A at the HIS
    assert report.stays_without_bed == 1
    assert (people(1)[0].ipp, "CARDIO", None, "present") in census_picture(crisis)


def test_unknown_uf_is_skipped_and_counted(crisis: Session) -> None:
    outside = moved(people(1)[0], "ORTHO", "9Z")
    report = load(crisis, csv_snapshot([outside, *people(3)[1:]], T0))
    assert report.stays_unknown_uf == 1 and report.stays_added == 2


def test_malformed_snapshot_applies_nothing_and_names_no_patient(crisis: Session, tmp_path: Path) -> None:
    good = people(5)
    raw = csv_snapshot(good, T0).decode().replace(f"{good[3].birth_date:%d/%m/%Y}", "31/02/1990")
    path = tmp_path / "inbox" / "recensement.csv"
    path.parent.mkdir()
    path.write_text(raw, encoding="utf-8")
    result = inbox.import_file(crisis, path)
    assert result.outcome is inbox.FileOutcome.QUARANTINED
    assert crisis.store.patients.count_patients() == 0 and not path.exists()
    quarantined = list((tmp_path / "inbox" / inbox.QUARANTINE_DIR).iterdir())
    report = next(p for p in quarantined if p.name.endswith(".erreur.txt"))
    text = report.read_text(encoding="utf-8")
    assert "Ligne 6" in text and "date de naissance" in text
    for p in good:
        assert p.birth_name not in text and p.ipp not in text
    assert [e.outcome for e in snapshots.recent_imports(crisis)] == ["quarantined"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in quarantined} == {0o600}  # kept in clear for IT


@pytest.mark.parametrize(
    "raw",
    [
        b"FHS|^~\\&|DPI\rBHS|^~\\&|DPI\rMSH|^~\\&|DPI|CHU|||20261120||ADT^A01|1|P|2.5\r",
        b'{"resourceType": "Bundle", "timestamp": "2026-11-20T08:00:00+00:00", "entry": [',
        b"ipp;nom_naissance;prenoms;date_naissance;sexe\n1;DUPONT;JEAN;01/01/1950;M\n2;DUR",
    ],
)
def test_files_cut_short_are_recognised_as_incomplete(raw: bytes) -> None:
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(raw, "f", T0)
    assert caught.value.incomplete


def test_his_patient_moved_offline_is_sent_with_the_his_identifiers_only(
    crisis: Session, nurse: Session, admin_session: Session
) -> None:
    base = people(1)
    load(crisis, hl7_batch(base, T0))
    stay = patients.find_patient(nurse, base[0].ipp).stay
    assert stay is not None
    patients.transfer(nurse, stay.id, "CARDIO", "2A")
    [event] = nurse.store.outbox.deliverable_events(10)
    message = build_message(
        delivery.event_context(admin_session, event), delivery.sending_site(admin_session), T0
    )
    pid = next(s for s in message.split("\r") if s.startswith("PID"))
    pv1 = next(s for s in message.split("\r") if s.startswith("PV1"))
    assert f"{base[0].ipp}^^^DPI^PI" in pid and "DPI:" not in message and "CONTINUITE" not in pid
    assert f"{base[0].nda}^^^DPI^AN" in pv1


def test_freshness_threshold(crisis: Session, admin_session: Session, clock: object) -> None:
    assert snapshots.freshness(crisis).stale  # no snapshot at all
    now = crisis.clock()
    load(crisis, csv_snapshot(people(1), now - timedelta(hours=2)))
    assert not snapshots.freshness(crisis).stale
    snapshots.set_max_age(admin_session, 60)
    fresh = snapshots.freshness(crisis)
    assert fresh.stale and fresh.max_age == timedelta(hours=1)
    assert not crisis.user.can(Permission.SYNC)


def test_his_patient_moved_offline_goes_to_fhir_under_the_his_identifiers(
    crisis: Session, nurse: Session, admin_session: Session
) -> None:
    from sync import fhir

    base = people(1)
    load(crisis, fhir_bundle(base, T0))
    stay = patients.find_patient(nurse, base[0].ipp).stay
    assert stay is not None
    patients.transfer(nurse, stay.id, "CARDIO", "2A")
    [event] = nurse.store.outbox.deliverable_events(10)
    bundle = fhir.patient_bundle(
        [delivery.event_context(admin_session, event)],
        delivery.sending_site(admin_session),
        "urn:oid:1.2.250.1.999.1",
    )
    entries = json.loads(fhir.bundle_json(bundle))["entry"]
    patient, encounter = (e["resource"] for e in entries)
    assert [(i["system"], i["value"], i["use"]) for i in patient["identifier"]] == [
        ("urn:oid:1.2.250.1.999.1", base[0].ipp, "usual")  # FR Core: an IPP is never "official"
    ]
    assert [(i["value"], i["use"]) for i in encounter["identifier"]] == [(base[0].nda, "official")]
    query = entries[0]["request"]["ifNoneExist"]
    assert query.startswith(f"identifier=urn%3Aoid%3A1.2.250.1.999.1%7C{base[0].ipp}")
    # the same patient under the system an earlier run used (no OID then): a token OR
    assert urllib.parse.unquote(query).split("=", 1)[1].split(",") == [
        f"urn:oid:1.2.250.1.999.1|{base[0].ipp}",
        f"urn:continuite:{delivery.sending_site(admin_session).site_code}:ipp-dpi|{base[0].ipp}",
    ]


def test_a_csv_header_line_full_of_spaces_is_read_in_linear_time() -> None:
    """Issue 15, ReDoS: ``#a:x`` + 64k spaces + ``y`` took 10.7 s (a quadratic regular
    expression), blocking the watcher and the store worker; now well under a second, and
    the same meaning (the value between the separator and the end, trimmed)."""
    import time

    hostile = "#a:x" + " " * 65_536 + "y\n"
    raw = hostile.encode() + csv_snapshot(people(2), T0)
    started = time.perf_counter()
    snapshot = parse_snapshot(raw, "f", T0)
    assert time.perf_counter() - started < 1.0
    assert snapshot.taken_at == T0 and len(snapshot.patients) == 2

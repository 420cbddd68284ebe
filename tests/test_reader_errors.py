"""Broken and hostile files found by fuzzing the readers (issue 15): each is refused with the kit's
own error, says so clearly, writes nothing, and a dropped file goes to quarantine once.

The inputs here are the ones the fuzzing found; ``tests/test_fuzz.py`` runs the readers on
many more (``make fuzz``, many more still).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from continuity.errors import InvalidInput
from continuity.provisioning import load_site, parse_site
from continuity.services import patients, reconciliation, snapshots
from continuity.session import Session, Workspace
from sync import engine, inbox
from sync.dropped import UNREADABLE_EN, UNREADABLE_FR
from sync.hl7_adt import BadAck, parse_ack
from sync.merges import import_merges
from sync.snapshots import SnapshotRejected, parse_snapshot
from sync.watch_service import WatchService, describe
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, identity
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import record_activity

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

# MSH-2 repeating a separator (the component separator as the repetition one too): python-hl7
# raised AssertionError on it; and MSH-2 holding a segment terminator.
REPEATED_SEPARATOR_MSH = "MSH|^^~\\&|DPI^X|CH|CONTINUITE|X|20261120080000||ACK^A01^ACK|A1|P|2.5"
TERMINATOR_IN_MSH = "MSH|\r|\\&|ACK^A01|CH\rMSA|AA|CTRL1"
DEEP = 100_000


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


# ------------------------------------------------------------------- HL7 ACKs
@pytest.mark.parametrize(
    "reply", [f"{REPEATED_SEPARATOR_MSH}\rMSA|AA|CTRL1\r", TERMINATOR_IN_MSH], ids=["repeated", "cr"]
)
def test_an_ack_with_a_broken_msh_is_a_bad_ack(reply: str) -> None:
    with pytest.raises(BadAck) as caught:
        parse_ack(reply, "CTRL1")
    assert isinstance(caught.value, InvalidInput)  # the kit's own error, in both languages
    assert "HL7" in caught.value.message_fr and "HL7" in caught.value.message_en


def test_a_his_answering_a_broken_msh_is_retried_then_the_run_stops_clearly(
    workspace: Workspace, his: Hl7His
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 2, 0, seed=3)
    his.state.faults.extend(["bad_msh"] * 3)
    options = engine.SyncOptions(timeout=1.0, attempts=3, backoff=0.01)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = engine.synchronise(session, his.url, options=options)
    assert report.stopped_fr and report.stopped_en
    assert "Arrêt après 3 tentatives" in report.stopped_fr and "HL7" in report.stopped_en
    assert report.acknowledged == 0 and report.remaining == 2
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert engine.synchronise(session, his.url, options=options).acknowledged == 2  # HIS fine again


# ------------------------------------------------------------------ snapshots
def _deep_fhir() -> bytes:
    return (
        b'{"resourceType": "Bundle", "type": "collection", "timestamp": "2026-11-20T08:00:00Z", '
        b'"entry": ' + b"[" * DEEP + b"]" * DEEP + b"}"
    )


BROKEN_SNAPSHOTS = {
    "hl7-repeated-separator": (
        f"{REPEATED_SEPARATOR_MSH.replace('ACK^A01^ACK', 'ADT^A01^ADT_A01')}\r"
        "PID|||800001^^^DPI^PI||DUPONT^JEAN||19500312|M\r"
    ).encode(),
    "hl7-terminator-in-msh": b"MSH|\r|\\&|ADT^A01|CH\rPID|||800001^^^DPI^PI||DUPONT^JEAN||19500312|M\r",
    "fhir-deep-array": _deep_fhir(),
    "fhir-deep-object": b'{"resourceType": "Bundle", "a": ' + b'{"a": ' * DEEP + b"1" + b"}" * (DEEP + 1),
}


@pytest.mark.parametrize("raw", list(BROKEN_SNAPSHOTS.values()), ids=list(BROKEN_SNAPSHOTS))
def test_a_broken_snapshot_is_refused_by_the_reader(raw: bytes) -> None:
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(raw, "f", T0)
    assert not caught.value.incomplete  # not worth waiting for: it will not get better


@pytest.mark.parametrize("name", list(BROKEN_SNAPSHOTS))
def test_a_broken_snapshot_dropped_in_the_inbox_is_quarantined_once(
    crisis: Session, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "depot-dpi"
    folder.mkdir()
    suffix = ".json" if name.startswith("fhir") else ".hl7"
    (folder / f"{name}{suffix}").write_bytes(BROKEN_SNAPSHOTS[name])
    service = WatchService(folder, None, settle=0.0, grace=0.0)
    service.start()
    try:
        [result] = service.process(crisis, service.ready())
    finally:
        service.stop()
    assert result.outcome.value == "quarantined", describe(result)
    assert "quarantaine" in describe(result) and "laissé en place" not in describe(result)
    assert not list(folder.glob(f"*{suffix}"))  # moved out of the inbox: never retried
    quarantined = sorted(p.name for p in (folder / inbox.QUARANTINE_DIR).iterdir())
    assert len(quarantined) == 2 and quarantined[1].endswith(".erreur.txt")
    assert "DUPONT" not in (folder / inbox.QUARANTINE_DIR / quarantined[1]).read_text(encoding="utf-8")
    assert crisis.store.patients.count_patients() == 0
    assert [e.outcome for e in snapshots.recent_imports(crisis)] == ["quarantined"]
    again = WatchService(folder, None, settle=0.0, grace=0.0)  # the watch restarted: nothing to redo
    again.start()
    try:
        assert not again.ready()
    finally:
        again.stop()


def test_the_watcher_does_not_call_quarantined_a_file_left_in_place() -> None:
    left = inbox.FileResult(
        name="a.hl7", outcome=inbox.FileOutcome.UNREADABLE, error_fr=UNREADABLE_FR, error_en=UNREADABLE_EN
    )
    line = describe(left)
    assert "quarantaine" not in line and "quarantined" not in line
    assert "laissé en place" in line and "left in place" in line


# ------------------------------------------------------------------- site file
@pytest.mark.parametrize(
    "text",
    [
        'site = "x"',
        "site = [1, 2]",
        "a = " + "[" * DEEP + "]" * DEEP,
        "a = " + "{b = " * DEEP + "1" + "}" * DEEP,
        "[settings]\nidle_lock_minutes = " + "9" * 70_000,  # found by tests/test_fuzz.py: ValueError
    ],
    ids=["site-string", "site-array", "deep-array", "deep-table", "huge-integer"],
)
def test_a_broken_site_file_is_refused_clearly(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_site(text)
    assert caught.value.message_fr.startswith("Fichier de site")
    assert "site file" in caught.value.message_en.lower()


# ---------------------------------------------------------------- A40 merges
MERGE_MSH = "MSH|^~\\&|DPI|CH|CONTINUITE|X|20261127080000||"
BROKEN_MERGES = {
    "msh9-without-components": f"{MERGE_MSH}ADT|M1|P|2.5\rPID|||500001^^^DPI^PI\rMRG|{{prov}}\r",
    "pid-without-pid3": f"{MERGE_MSH}ADT^A40^ADT_A39|M1|P|2.5\rPID|\rMRG|{{prov}}^^^CONTINUITE-TEST-CH^PI\r",
    "repeated-separator": "MSH|^^~\\&|DPI^X|CH|||||ADT^A40^ADT_A39|M1|P|2.5\r"
    "PID|||500001^^^DPI^PI\rMRG|{prov}^^^CONTINUITE-TEST-CH^PI\r",
}
GOOD_MERGE = (
    f"{MERGE_MSH}ADT^A40^ADT_A39|M0|P|2.5\rPID|||500009^^^DPI^PI||NOM^PRENOM\r"
    "MRG|{prov}^^^CONTINUITE-TEST-CH^PI\r"
)


@pytest.mark.parametrize("name", list(BROKEN_MERGES))
def test_a_broken_merge_file_is_refused_whole(workspace: Workspace, tmp_path: Path, name: str) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
        b = patients.admit(nurse, "CARDIO", identity=identity(birth_name="BETA")).patient
    path = tmp_path / "a40.hl7"
    # a good merge first: it must not be applied either when a later message is broken
    path.write_text(
        GOOD_MERGE.format(prov=a.provisional_ipp) + BROKEN_MERGES[name].format(prov=b.provisional_ipp),
        encoding="utf-8",
    )
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        with pytest.raises(InvalidInput) as caught:
            import_merges(session, path)
        assert "2" in caught.value.message_fr  # names the message, never its content
        assert a.provisional_ipp not in str(caught.value) and "500001" not in str(caught.value)
        assert reconciliation.mappings(session) == []


# ---------------------------------------------------------------- CSV snapshot
def test_a_csv_snapshot_with_a_field_past_the_csv_limit_is_refused() -> None:
    """Found by tests/test_fuzz.py: the csv module's csv.Error (a field over 131,072 characters)."""
    raw = b"ipp;nom_naissance;prenoms;date_naissance;sexe\n9001;" + b"x" * 140_000 + b";JEAN;01/02/1950;M\n"
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(raw, "f.csv", T0)
    assert "2" in caught.value.message_fr  # the line, not its content


# --------------------------------------------- ACK text (found by tests/test_fuzz.py)
def test_an_ack_text_asking_to_repeat_a_line_break_ten_trillion_times_is_read_bounded() -> None:
    """python-hl7's unescape honours '\\.sp<n>\\' (n line breaks): a memory bomb in one field."""
    ack = parse_ack(
        "MSH|^~\\&|DPI|CH|||20261120||ACK|A1|P|2.5\rMSA|AE|CTRL1|Refus\\.sp9999999999999\\\r", "CTRL1"
    )
    assert ack.text.startswith("Refus") and len(ack.text) < 20


def test_an_ack_text_full_of_malformed_escapes_is_read_without_logging_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """python-hl7 logged the whole field once per malformed escape: quadratic, and patient text."""
    text = "Patient ZORGLUBIEN inconnu " + "\\\\" * 2000
    ack = parse_ack(f"MSH|^~\\&|DPI|CH|||20261120||ACK|A1|P|2.5\rMSA|AE|CTRL1|{text}\r", "CTRL1")
    assert ack.text.startswith("Patient ZORGLUBIEN inconnu")
    assert not [r for r in caplog.records if "ZORGLUBIEN" in r.getMessage()]


def test_a_site_file_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b'[site]\ncode = "CH"\nname = "H\xf4pital"\n')  # Latin-1, not UTF-8
    with pytest.raises(InvalidInput) as caught:
        load_site(path)
    assert "UTF-8" in caught.value.message_fr and "UTF-8" in caught.value.message_en

"""Fuzzing every reader of outside input: only the kit's own errors escape, and a refusal writes nothing.

Each property mutates valid samples (``tests/fuzz_inputs.py``). ``make test`` runs a few hundred
cases of each; ``make fuzz`` runs the same properties with FUZZ_EXAMPLES=100000 (and
FUZZ_STORE_EXAMPLES for those that go through a real store) and prints one line per reader.
The readers: the HIS's MLLP reply (ACK), the three snapshot formats, the A40/A47 merge file
(``sync merges``), the site file (TOML), the INS Datamatrix a scanner types, and, through the
real encrypted store, the watched inbox (every format: a refused file is quarantined once and
the store keeps no part of it), ``sync merges`` and ``sync map``.

Exchange bundles are read with the site key and a declared signer, so that mutations reach
the decompression and the JSON inside a valid seal and signature.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given

from continuity import signing
from continuity.domain.exchange import BundleHeader, PeerKey
from continuity.errors import ContinuityError
from continuity.ins_datamatrix import parse_ins_datamatrix
from continuity.provisioning import load_site
from continuity.services import exchange, patients, reconciliation
from continuity.session import Session, Workspace
from sync import bundles, inbox
from sync.hl7_adt import AckCode, parse_reply
from sync.merges import import_merges, read_merges
from sync.snapshots import parse_snapshot
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, SITE_TOML, identity
from tests.fuzz_inputs import (
    CSV_TOKENS,
    FUZZ_EXAMPLES,
    HL7_TOKENS,
    JSON_TOKENS,
    TOML_TOKENS,
    batch,
    cases,
    fuzz_settings,
    mutate,
    mutate_json,
)
from tests.snapshot_files import csv_snapshot, fhir_bundle, his_patients, hl7_batch
from tests.test_ins_datamatrix import NIA, code
from tests.test_snapshots_pam_fr import PAM_FR_SITE, fr_core_bundle, pam_fr_census

pytestmark = pytest.mark.fuzz

BEDS = {"CARDIO": ["1A", "1B", "2A", "2B"], "PNEUMO": ["3A", "3B", "3C"]}
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
OURS = "CONTINUITE-TEST-CH"


@dataclass
class Tally:
    """What a property saw, for ``make fuzz``'s summary line (an unexpected exception fails the test)."""

    reader: str
    outcomes: Counter[str] = field(default_factory=Counter)
    partial_writes: int = 0
    store: bool = False

    def __call__(self, outcome: str) -> None:
        self.outcomes[outcome] += 1

    def report(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert sum(self.outcomes.values()) > 0
        if not FUZZ_EXAMPLES:
            return
        seen = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        writes = f"partial writes {self.partial_writes}" if self.store else "partial writes - (no store)"
        with capsys.disabled():
            print(
                f"\nFUZZ {self.reader}: {sum(self.outcomes.values())} cases ({seen}); "
                f"unexpected exceptions 0; {writes}"
            )


def refused(reader: Callable[..., object], *args: object) -> str:
    """Run a reader; "accepted" or "refused" when it raised the kit's own error (anything else escapes)."""
    try:
        reader(*args)
    except ContinuityError:
        return "refused"
    return "accepted"


# --------------------------------------------------------------------- samples
PEOPLE = his_patients(3, BEDS, T0 - timedelta(hours=2), seed=11)
HL7_SAMPLES = [
    hl7_batch(PEOPLE, T0),
    hl7_batch(PEOPLE[:1], T0, identity_only=True),
    hl7_batch(PEOPLE[:2], T0, discharged=PEOPLE[1:2]),
    b"\r".join(hl7_batch(PEOPLE[:2], T0).split(b"\r")[2:-3]) + b"\r",  # bare messages, no batch
    pam_fr_census(),  # IHE PAM France 2.11 as a GAM sends it (read with the site's domains)
]
FHIR_SAMPLES = [
    fhir_bundle(PEOPLE[:2], T0),
    fhir_bundle(PEOPLE[:1], T0, scope=["CARDIO"]),
    fr_core_bundle("transaction"),  # the official FR Core examples, as an HIS would send them
]
CSV_SAMPLES = [
    csv_snapshot(PEOPLE, T0),
    csv_snapshot(PEOPLE[:2], T0, trailer=False),
    csv_snapshot(PEOPLE[:1], T0).replace(b";", b","),
    b"# perimetre: CARDIO\nipp;nom_naissance;prenoms;date_naissance;sexe\n9001;MARTIN;JEAN;01/02/1950;M\n",
]
ACK_SAMPLES = [
    b"MSH|^~\\&|DPI|CH|CONTINUITE|WS-A|20261120080000||ACK^A01^ACK|ACK1|P|2.5\rMSA|AA|CTRL1\r",
    b"MSH|^~\\&|DPI|CH|CONTINUITE|WS-A|20261120080000||ACK^A02^ACK|ACK2|P|2.5\r"
    b"MSA|AE|CTRL1|Identit\xc3\xa9 incompl\xc3\xa8te\r"
    b"ERR|||207^Application internal error^HL70357|E||||Champ \\T\\ \\F\\ obligatoire|Voir PID-5\r",
    b"MSH|^~\\&|DPI|CH|||20261120080000||ACK|ACK3|P|2.5\rMSA|CA|CTRL1\r",
    b"MSH|^~\\&|DPI|CH|||20261120080000||ADT^A01^ADT_A01|X|P|2.5\rPID|||1\r",
]
MERGE_MSH = "MSH|^~\\&|DPI|CH|CONTINUITE|X|20261127080000||"


def merge_samples(pairs: list[tuple[str, str]]) -> list[bytes]:
    """A40/A47 files naming our provisional IPPs (PID-3 the HIS's IPP, MRG-1 ours), and others."""
    messages = [
        f"{MERGE_MSH}ADT^A40^ADT_A39|M{n}|P|2.5\rEVN||20261127080000\r"
        f"PID|||{ipp}^^^DPI^PI||NOM^PRENOM\rMRG|{provisional}^^^{OURS}&1.2.3&ISO^PI~X9^^^AUTRE^PI\r"
        for n, (provisional, ipp) in enumerate(pairs)
    ]
    messages.append(f"{MERGE_MSH}ADT^A47^ADT_A30|M8|P|2.5\rPID|||500100^^^DPI^PI\rMRG|{pairs[0][0]}\r")
    messages.append(f"{MERGE_MSH}ADT^A08^ADT_A01|M9|P|2.5\rPID|||500200^^^DPI^PI\r")
    batch = "FHS|^~\\&|DPI\rBHS|^~\\&|DPI\r" + "".join(messages) + "BTS|3\rFTS|1\r"
    return ["".join(messages).encode(), batch.encode(), messages[0].replace("\r", "\r\n").encode()]


SITE_SAMPLES = [
    SITE_TOML.encode(),
    (
        SITE_TOML
        + '\n[his]\nendpoint = "mllp://127.0.0.1:2575"\nauthority = "DPI"\nipp_system = "urn:oid:1.2"\n'
        + "\n[settings]\nidle_lock_minutes = 10\nsnapshot_max_age_hours = 12\nexercise = true\n"
        + 'placeholder_name = "INCONNU"\nplaceholder_words = ["ALPHA", "BRAVO"]\n'
        + '\n[folders]\ninbox = "/srv/depot"\nexchange = "/media/echange"\n'
    ).encode(),
]


# ------------------------------------------------------------- pure readers
def test_ack_reader(capsys: pytest.CaptureFixture[str]) -> None:
    """The HIS's reply to a message: an ACK of the message sent, or BadAck (retried, then a clear stop)."""
    tally = Tally("HL7 ACK (MLLP reply)")

    @fuzz_settings(400)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            raw = mutate(ACK_SAMPLES, HL7_TOKENS, rnd)
            try:
                ack = parse_reply(raw, "CTRL1")
            except ContinuityError:
                tally("refused")
                continue
            assert ack.control_id == "CTRL1" and isinstance(ack.code, AckCode) and len(ack.text) <= 2000
            tally("accepted")

    check()
    tally.report(capsys)


DATAMATRIX_SAMPLES = [
    code().encode(),
    code("DC04FR050001" + "2A1B2A1B" + "L101FR", "", order="1235674").encode() + b"\x1fABCDEFGH234567",
    code(ins=NIA, oid="1.2.250.1.213.1.4.9", place=None).encode(),
]
DATAMATRIX_TOKENS = [
    b"S1",
    b"S2",
    b"S3",
    b"S4",
    b"S5",
    b"S6",
    b"S7",
    b"\x1d",
    b"\x1f",
    b"DC04",
    b"IS01",
    b"2A",
]


def test_ins_datamatrix_reader(capsys: pytest.CaptureFixture[str]) -> None:
    """What a scanner types from an INS Datamatrix: its traits, checked, or the kit's own error
    naming no part of the content."""
    tally = Tally("INS Datamatrix (scanner)")

    @fuzz_settings(300)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            text = mutate(DATAMATRIX_SAMPLES, DATAMATRIX_TOKENS, rnd).decode("utf-8", "replace")
            try:
                scanned = parse_ins_datamatrix(text)
            except ContinuityError as exc:
                assert "LEFEVRE" not in str(exc) and "JEANNE" not in str(exc)
                tally("refused")
                continue
            assert len(scanned.ins) == 15 and scanned.identity_data()["ins_unverified"] == scanned.ins
            tally("accepted")

    check()
    tally.report(capsys)


@pytest.mark.parametrize(
    ("reader", "default"),
    [
        pytest.param("HL7", 300, id="HL7"),
        pytest.param("FHIR", 150, id="FHIR"),
        pytest.param("CSV", 300, id="CSV"),
    ],
)
def test_snapshot_reader(reader: str, default: int, capsys: pytest.CaptureFixture[str]) -> None:
    """Every snapshot format: a Snapshot, or SnapshotRejected naming no patient."""
    tally = Tally(f"{reader} snapshot")
    samples = {"HL7": HL7_SAMPLES, "FHIR": FHIR_SAMPLES, "CSV": CSV_SAMPLES}[reader]
    tokens = {"HL7": HL7_TOKENS, "FHIR": JSON_TOKENS, "CSV": CSV_TOKENS}[reader]

    @fuzz_settings(default)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            if reader == "FHIR" and rnd.random() < 0.6:
                raw = mutate_json(samples, rnd)
            else:
                raw = mutate(samples, tokens, rnd)
            ids = PAM_FR_SITE if rnd.random() < 0.5 else None  # the domains declared, or not
            tally(refused(parse_snapshot, raw, "f", T0, ids))

    check()
    tally.report(capsys)


def test_merge_reader(capsys: pytest.CaptureFixture[str]) -> None:
    tally = Tally("A40/A47 merge file (reading)")
    samples = merge_samples([("100001", "500001"), ("100002", "500002")])

    @fuzz_settings(400)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            raw = mutate(samples, HL7_TOKENS, rnd)
            text = raw.decode("utf-8", errors="replace")  # as import_merges reads the file
            tally(refused(read_merges, text, OURS))

    check()
    tally.report(capsys)


def test_site_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tally = Tally("site file (TOML)")
    path = tmp_path / "site.toml"

    @fuzz_settings(300)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            raw = mutate(SITE_SAMPLES, TOML_TOKENS, rnd)
            path.write_bytes(raw)
            tally(refused(load_site, path))

    check()
    tally.report(capsys)


# ----------------------------------------------------- through the real store
def fingerprint(session: Session) -> tuple[object, ...]:
    """What an import may change: patients, open stays, changes, outbox, mappings."""
    store = session.store
    return (
        store.patients.count_patients(),
        sorted(store.stays.count_open_stays_by_uf().items()),
        sorted(store.exchange.count_changes().items()),
        store.outbox.count_unacknowledged(),
        len(reconciliation.mappings(session)),
    )


@pytest.fixture
def cell(workspace: Workspace) -> Iterator[Session]:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        yield session


def test_inbox(cell: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file dropped in the watched inbox is imported whole, or quarantined once with nothing kept."""
    tally = Tally("snapshot inbox (HL7, FHIR, CSV into the store)", store=True)
    folder = tmp_path / "depot-dpi"
    folder.mkdir()
    quarantine = folder / inbox.QUARANTINE_DIR
    counter = iter(range(10**9))

    @fuzz_settings(60, store=True)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            kind = rnd.choice(("HL7", "FHIR", "CSV"))
            if kind == "HL7":
                raw, suffix = mutate(HL7_SAMPLES, HL7_TOKENS, rnd), ".hl7"
            elif kind == "FHIR":
                raw, suffix = mutate_json(FHIR_SAMPLES, rnd), ".json"
            else:
                raw, suffix = mutate(CSV_SAMPLES, CSV_TOKENS, rnd), ".csv"
            path = folder / f"f{next(counter)}{suffix}"
            path.write_bytes(raw)
            before = fingerprint(cell)
            quarantined = len(list(quarantine.iterdir())) if quarantine.exists() else 0
            result = inbox.import_file(cell, path, grace=0.0)
            assert result.outcome is not inbox.FileOutcome.RETRY  # grace 0: never waited for
            assert not path.exists()  # imported (deleted), duplicate (deleted) or quarantined (moved)
            if result.outcome is inbox.FileOutcome.QUARANTINED:
                if fingerprint(cell) != before:
                    tally.partial_writes += 1
                assert fingerprint(cell) == before
                assert len(list(quarantine.iterdir())) == quarantined + 2  # the file and its report
            tally(result.outcome.value)

    check()
    tally.report(capsys)


def test_merge_import(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``sync merges FILE``: the merges recorded, or InvalidInput and no mapping recorded."""
    tally = Tally("sync merges (into the store)", store=True)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        ours = [
            patients.admit(nurse, "CARDIO", identity=identity(birth_name=name)).patient.provisional_ipp
            for name in ("ALPHA", "BETA", "GAMMA")
        ]
    samples = merge_samples([(ours[0], "500001"), (ours[1], "500002"), (ours[2], "500002")])
    path = tmp_path / "a40.hl7"
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:

        @fuzz_settings(60, store=True)
        @given(cases())
        def check(seed: int) -> None:
            for rnd in batch(seed):
                path.write_bytes(mutate(samples, HL7_TOKENS, rnd))
                before = fingerprint(session)
                try:
                    import_merges(session, path)
                except ContinuityError:
                    if fingerprint(session) != before:
                        tally.partial_writes += 1
                    assert fingerprint(session) == before
                    tally("refused")
                    continue
                tally("accepted")

        check()
    tally.report(capsys)


def test_map_input(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """``sync map PROVISIONAL IPP``: the mapping recorded, or the kit's error and nothing recorded."""
    tally = Tally("sync map (into the store)", store=True)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        ours = [
            patients.admit(nurse, "CARDIO", identity=identity(birth_name=name)).patient.provisional_ipp
            for name in ("ALPHA", "BETA")
        ]
    tokens = (b" ", b"\t", b'=HYPERLINK("x")', b"+", b"@", b"\x1c", b"\x0b", b"\\F\\", b"|", b"^")
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:

        @fuzz_settings(60, store=True)
        @given(cases())
        def check(seed: int) -> None:
            for rnd in batch(seed):
                provisional = mutate([o.encode() for o in ours], tokens, rnd) if rnd.random() < 0.5 else None
                ipp = mutate([b"500001", b"A12345", b"500002"], tokens, rnd)
                before = fingerprint(cell)
                try:
                    reconciliation.enter(
                        cell,
                        provisional.decode("utf-8", errors="replace") if provisional else rnd.choice(ours),
                        ipp.decode("utf-8", errors="replace"),
                    )
                except ContinuityError:
                    if fingerprint(cell) != before:
                        tally.partial_writes += 1
                    assert fingerprint(cell) == before
                    tally("refused")
                    continue
                tally("accepted")

        check()
    tally.report(capsys)


BUNDLE_KEY = bytes(range(32))
BUNDLE_SIGNER = signing.new_private_key()
BUNDLE_PEER = PeerKey(
    workstation="WS-B",
    fingerprint=signing.fingerprint(signing.public_key(BUNDLE_SIGNER)),
    public_key=signing.public_key_text(signing.public_key(BUNDLE_SIGNER)),
    declared_at=T0,
    declared_by="admin",
)


def bundle_body_samples() -> list[bytes]:
    """Bodies of bundles from WS-B: an admission and a transfer, with and without HIS records."""
    admit = {
        "change_id": "WS-B:12",
        "origin": "WS-B",
        "origin_seq": 12,
        "action": "patient.admit",
        "entity": "stay",
        "entity_id": "S-1",
        "at": T0.isoformat(),
        "actor": "ide.urg",
        "payload": {"patient": {"id": "P-1", "identity": {"birth_name": "MARTIN", "first_names": ["JEAN"]}}},
    }
    move = {
        **admit,
        "change_id": "WS-B:13",
        "origin_seq": 13,
        "action": "stay.transfer",
        "payload": {"movement": {"id": "M-2", "uf_code": "CARDIO", "bed_code": "1A"}},
    }
    his = [{"kind": "ipp", "provisional": "100001", "his": "500001"}]
    bodies = [{"changes": [admit, move], "his_records": his}, {"changes": [admit], "his_records": []}]
    return [json.dumps(b, separators=(",", ":")).encode() for b in bodies]


def sealed_bundle(body: bytes, changes: int) -> bytes:
    """A bundle file as ``sync.bundles.seal`` writes it, around any body (compressed, sealed, signed)."""
    header = (
        BundleHeader(
            format=2,
            site="TEST",
            workstation="WS-B",
            seq=1,
            created_at=T0,
            changes=changes,
            key_id=exchange.key_id(BUNDLE_KEY),
            signer=BUNDLE_PEER.fingerprint,
            signer_key=BUNDLE_PEER.public_key,
        )
        .model_dump_json()
        .encode()
    )
    nonce = bytes(12)
    sealed = AESGCM(BUNDLE_KEY).encrypt(nonce, zlib.compress(body), bundles.MAGIC + header)
    signature = signing.sign(BUNDLE_SIGNER, bundles.MAGIC + header + b"\n" + nonce + sealed)
    return bundles.MAGIC + header + b"\n" + signature + nonce + sealed


def test_bundle_reader(capsys: pytest.CaptureFixture[str]) -> None:
    """Exchange bundles of a declared workstation, with the site key: a body mutated inside a
    valid seal and signature (``[]``, deep nesting, wrong types...), or the file's bytes
    mutated; ``BundleRefused`` is the only error that escapes ``open_bundle``."""
    tally = Tally("exchange bundle (with the key)")
    bodies = bundle_body_samples()
    files = [sealed_bundle(b, len(json.loads(b)["changes"])) for b in bodies]

    @fuzz_settings(300)
    @given(cases())
    def check(seed: int) -> None:
        for rnd in batch(seed):
            if rnd.random() < 0.7:
                body = mutate_json(bodies, rnd) if rnd.random() < 0.7 else mutate(bodies, JSON_TOKENS, rnd)
                raw = sealed_bundle(body, rnd.choice((0, 1, 2)))
            else:
                raw = mutate(files, JSON_TOKENS, rnd)
            try:
                bundles.open_bundle(raw, BUNDLE_KEY, lambda ws: BUNDLE_PEER if ws == "WS-B" else None)
            except bundles.BundleRefused:
                tally("refused")
                continue
            tally("accepted")

    check()
    tally.report(capsys)

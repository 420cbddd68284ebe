"""Bounded decoding of what other machines drop here: a bundle or snapshot too large on disk or
once decompressed, nested too deep or of the wrong shape is refused once, in bounded memory, with
the kit's own error, and never retried at the next watch pass (real stores, files, processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from continuity import signing
from continuity.domain.exchange import MIB, BundleHeader, FileLimits
from continuity.provisioning import parse_site, site_settings
from continuity.services import exchange, snapshots
from continuity.session import Session
from sync import bundles, inbox
from sync.dropped import TooLarge, read_dropped
from sync.watch_service import ReadyFiles, WatchService
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, SITE_TOML
from tests.exchange_helpers import Site
from tests.snapshot_files import csv_snapshot, his_patients

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """1 GiB of zeros, deflated: about 1 MB."""
    deflate = zlib.compressobj(9)
    zeros = bytes(16 * MIB)
    bomb = b"".join(deflate.compress(zeros) for _ in range(64)) + deflate.flush()
    assert len(bomb) < 2 * MIB
    return bomb


def craft(site: Site, name: str, compressed_body: bytes, *, seq: int = 50) -> Path:
    """A bundle signed and sealed by WS-A itself (valid keys) around an arbitrary compressed body."""
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        key = exchange.bundle_key(a)
        private = exchange.own_signing_key(a)
    public = signing.public_key(private)
    header = (
        BundleHeader(
            format=2,
            site="TEST-CH",
            workstation="WS-A",
            seq=seq,
            created_at=datetime.now(UTC),
            changes=0,
            key_id=exchange.key_id(key),
            signer=signing.fingerprint(public),
            signer_key=signing.public_key_text(public),
        )
        .model_dump_json()
        .encode()
    )
    nonce = os.urandom(bundles.NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, compressed_body, bundles.MAGIC + header)
    signature = signing.sign(private, bundles.MAGIC + header + b"\n" + nonce + sealed)
    path = site.stick / name
    path.write_bytes(bundles.MAGIC + header + b"\n" + signature + nonce + sealed)
    return path


def _refused_once(site: Site, path: Path) -> bundles.BundleResult:
    first = site.deliver("WS-B", path)
    assert first.outcome is bundles.BundleOutcome.REFUSED, first
    assert first.error_fr and first.error_en
    _not_retried(site, path)
    return first


def _not_retried(site: Site, path: Path) -> None:
    """The next watch pass finds it again: remembered as refused, not opened again."""
    service = WatchService(None, site.stick, settle=0)
    with site.login("WS-B", CRISIS.username, CRISIS_PW) as b:
        [again] = service.process(b, ReadyFiles(bundles=[path]))
        assert again.outcome.value == "refused" and again.error_fr is None
        refused = [n for n, _, _ in b.store.exchange.refused_bundles()]
        assert refused.count(path.name) == 1
        assert b.store.patients.count_patients() == 0


CHILD = """
import resource, sys
from pathlib import Path
from continuity.session import Workspace
from sync import bundles
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with Workspace(Path(sys.argv[1])).unlock("crise", sys.argv[3]) as session:
    result = bundles.import_file(session, Path(sys.argv[2]), grace=0)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(result.outcome.value, before // 1024, after // 1024)
print(result.error_en)
"""


def test_a_zip_bomb_bundle_is_refused_in_bounded_memory(site: Site, zip_bomb: bytes) -> None:
    """1 GiB of zeros in a 1 MB bundle (validly signed and sealed): inflated only up to the ceiling."""
    path = craft(site, "bombe.cxb", zip_bomb)
    assert path.stat().st_size < 2 * MIB
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(site.spaces["WS-B"].folder), str(path), CRISIS_PW],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, before, after = done.stdout.splitlines()[0].split()
    assert outcome == "refused" and "decompressed" in done.stdout
    ceiling = FileLimits().bundle_inflated_bytes // MIB
    print(f"zip bomb: peak RSS {before} -> {after} MiB")
    assert int(after) - int(before) < ceiling + 100, done.stdout  # was 2.1 GB
    _not_retried(site, path)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("liste.cxb", zlib.compress(b"[]")),
        ("texte.cxb", zlib.compress(b'"x"')),
        ("nombre.cxb", zlib.compress(b"12")),
        ("changes-objet.cxb", zlib.compress(b'{"changes": {}}')),
        ("changes-entiers.cxb", zlib.compress(b'{"changes": [1, 2]}')),
        ("his-texte.cxb", zlib.compress(b'{"changes": [], "his_records": ["x"]}')),
        ("imbrique.cxb", zlib.compress(b"[" * 200_000 + b"]" * 200_000)),
        (
            "payload-imbrique.cxb",
            zlib.compress(b'{"changes": [{"payload": ' + b'{"a": ' * 60 + b"1" + b"}" * 60 + b"}]}"),
        ),
        ("pas-utf8.cxb", zlib.compress(b'{"changes": ["\xff\xfe"]}')),
        ("grand-entier.cxb", zlib.compress(b'{"changes": [], "x": ' + b"9" * 10_000 + b"}")),
        ("pas-zlib.cxb", b"not deflate at all"),
        ("zlib-coupe.cxb", zlib.compress(b'{"changes": []}')[:-3]),
        ("zlib-suivi.cxb", zlib.compress(b'{"changes": []}') + b"trailing"),
    ],
)
def test_a_bundle_body_of_the_wrong_shape_is_refused_once(site: Site, name: str, body: bytes) -> None:
    result = _refused_once(site, craft(site, name, body))
    assert "refus" in (result.error_fr or "")


def test_the_bundle_reader_lets_only_its_own_error_escape() -> None:
    """The pure reader (what a fuzzer drives): only ``BundleRefused``, whatever the bytes."""
    deep = b"[" * 100_000 + b"]" * 100_000
    for body in (b"[]", deep, b"\x00" * 10, b'{"changes": null}', b'{"changes": [{"at": []}]}'):
        with pytest.raises(bundles.BundleRefused):
            bundles.decode_body(zlib.compress(body))
    with pytest.raises(bundles.BundleRefused):
        bundles.decode_body(zlib.compress(bytes(10 * MIB)), max_inflated=MIB)
    assert bundles.json_depth(json.loads(b'{"a": ["[[[[", {"b": "\\"]]]"}]}')) == 3
    assert bundles.json_depth(json.loads(b"[" * 500 + b"]" * 500), stop=32) == 33
    assert bundles.json_depth("x") == 0
    key = os.urandom(32)
    for raw in (
        b"",
        bundles.MAGIC,
        bundles.MAGIC + b"{}\n",
        bundles.MAGIC + b"[" * 5000 + b"\n" + b"x" * 100,
    ):
        with pytest.raises(bundles.BundleRefused):
            bundles.open_bundle(raw, key, lambda _: None)


def test_a_bundle_file_above_the_size_limit_is_refused_without_being_read(site: Site) -> None:
    path = site.stick / "enorme.cxb"
    with open(path, "wb") as f:
        f.write(bundles.MAGIC)
        f.truncate(FileLimits().bundle_bytes + 1)  # sparse: 32 MiB + 1 of zeros
    result = _refused_once(site, path)
    assert "volumineux" in (result.error_fr or "") and "too large" in (result.error_en or "")


def test_read_dropped_never_reads_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 1000)
    dropped = read_dropped(path, 1000)
    assert dropped is not None and len(dropped.raw) == 1000
    with pytest.raises(TooLarge) as caught:
        read_dropped(path, 999)
    assert caught.value.sha256 == dropped.sha256 and caught.value.size == 1000


def _limit_snapshots(session: Session, size: int) -> None:
    with session.store.transaction():  # as the site file's [settings] snapshot_max_mb sets it
        session.store.set_meta(exchange.MAX_SNAPSHOT_META, str(size))


def test_a_snapshot_above_the_size_limit_is_quarantined_once(
    admin_session: Session, crisis: Session, tmp_path: Path
) -> None:
    _limit_snapshots(admin_session, 4096)
    folder = tmp_path / "depot-dpi"
    folder.mkdir()
    big = folder / "recensement.csv"
    taken = datetime.now(UTC).replace(microsecond=0)
    raw = csv_snapshot(his_patients(60, {"CARDIO": ["1A"]}, taken, ipp_start=700_000), taken)
    assert len(raw) > 4096
    big.write_bytes(raw)
    service = WatchService(folder, None, settle=0)
    [result] = service.process(crisis, ReadyFiles(snapshots=[big]))
    assert result.outcome is inbox.FileOutcome.QUARANTINED
    assert "volumineux" in (result.error_fr or "") and "too large" in (result.error_en or "")
    assert not big.exists() and crisis.store.patients.count_patients() == 0
    quarantine = folder / inbox.QUARANTINE_DIR
    reports = list(quarantine.glob("*.erreur.txt"))
    assert len(reports) == 1 and "too large" in reports[0].read_text(encoding="utf-8")
    assert (reports[0].stat().st_mode & 0o777) == 0o600
    # out of the inbox: the next watch pass has nothing to retry
    service.start()
    try:
        assert service.ready().snapshots == []
    finally:
        service.stop()
    [entry] = snapshots.recent_imports(crisis)
    assert entry.outcome == "quarantined"


def test_cli_snapshot_import_refuses_a_file_above_the_limit(
    admin_session: Session, workspace: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    _limit_snapshots(admin_session, 100)
    admin_session.lock()
    path = tmp_path / "gros.csv"
    path.write_bytes(b"ipp;nom_naissance\n" + b"1;X\n" * 100)
    os.environ["CONTINUITY_PASSWORD"] = CRISIS_PW
    try:
        code = main(["--data", str(workspace.folder), "snapshot", "import", str(path), "--user", "crise"])  # type: ignore[attr-defined]
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    assert code == 2 and "too large" in capsys.readouterr().err


def test_the_site_file_sets_the_limits() -> None:
    text = (
        SITE_TOML + "\n[settings]\nbundle_max_mb = 8\nbundle_max_inflated_mb = 40\nsnapshot_max_mb = 1024\n"
    )
    values = site_settings(parse_site(text))
    assert values[exchange.MAX_BUNDLE_META] == str(8 * MIB)
    assert values[exchange.MAX_INFLATED_META] == str(40 * MIB)
    assert values[exchange.MAX_SNAPSHOT_META] == str(1024 * MIB)
    defaults = site_settings(parse_site(SITE_TOML))
    assert defaults[exchange.MAX_SNAPSHOT_META] == str(FileLimits().snapshot_bytes)
    assert json.loads(json.dumps(FileLimits().model_dump()))["bundle_bytes"] == 32 * MIB


def test_the_snapshot_reader_refuses_a_file_above_its_limit() -> None:
    from sync.snapshots import SnapshotRejected, parse_snapshot

    taken = datetime.now(UTC).replace(microsecond=0)
    raw = csv_snapshot(his_patients(3, {"CARDIO": ["1A"]}, taken), taken)
    assert parse_snapshot(raw, "f.csv", taken, max_bytes=len(raw)).patients
    with pytest.raises(SnapshotRejected, match="too large"):
        parse_snapshot(raw, "f.csv", taken, max_bytes=len(raw) - 1)

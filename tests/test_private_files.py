"""Every file the kit writes in clear, by design, is owner-only (issue 15), whatever the umask;
and a backup killed half-way never looks like a backup.

Each test runs under umask 0, so a file created with the default mode would be 0666 and a
folder 0777: only a file the kit creates owner-only passes.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from cli import main
from continuity import journal, maintenance
from continuity.errors import NotFound
from continuity.health import write_health_file
from continuity.services import admin, crisis, patients
from continuity.session import Session, Workspace
from sync import engine, inbox
from tests.conftest import ADMIN, ADMIN_PW, NURSE_PW, identity
from tests.snapshot_files import csv_snapshot, his_patients


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def as_admin() -> Iterator[None]:
    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    yield
    del os.environ["CONTINUITY_PASSWORD"]


def test_his_export_files_are_owner_only(workspace: Workspace, nurse: Session, tmp_path: Path) -> None:
    patients.admit(nurse, "CARDIO", identity=identity())
    out = tmp_path / "export"
    out.mkdir()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        report = engine.synchronise(it, f"file:{out}")
    assert len(report.files) == 2
    assert [mode(Path(f)) for f in report.files] == [0o600, 0o600]


def test_a_pdf_written_by_choice_is_owner_only_even_over_a_wider_file(
    workspace: Workspace, nurse: Session, tmp_path: Path
) -> None:
    patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    pdf = tmp_path / "recensement.pdf"
    pdf.write_bytes(b"old")
    pdf.chmod(0o644)
    base = ["--data", str(workspace.folder), "forms", "census", "--user", "ide", "--uf", "CARDIO"]
    os.environ["CONTINUITY_PASSWORD"] = NURSE_PW
    try:
        assert main([*base, "-o", str(pdf), "--force"]) == 0
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    assert pdf.read_bytes().startswith(b"%PDF") and mode(pdf) == 0o600


def test_the_mapping_csv_is_owner_only(workspace: Workspace, tmp_path: Path, as_admin: None) -> None:
    out = tmp_path / "mapping.csv"
    assert (
        main(["--data", str(workspace.folder), "sync", "mapping", "--user", "admin", "--csv", str(out)]) == 0
    )
    assert mode(out) == 0o600


def test_a_quarantined_snapshot_its_report_and_the_quarantine_folder_are_owner_only(
    workspace: Workspace, clock: object, tmp_path: Path
) -> None:
    drop = tmp_path / "depot"
    drop.mkdir()
    people = his_patients(2, {"CARDIO": ["1A"]}, clock() - timedelta(hours=1))  # type: ignore[operator]
    raw = csv_snapshot(people, clock()).replace(b"CARDIO", b"CARDIO;extra;;")  # type: ignore[operator]
    path = drop / "recensement.csv"
    path.write_bytes(raw)
    path.chmod(0o644)  # as the HIS's export tool left it
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        result = inbox.import_file(it, path, grace=0)
    assert result.outcome is inbox.FileOutcome.QUARANTINED
    folder = drop / inbox.QUARANTINE_DIR
    files = sorted(folder.iterdir())
    assert len(files) == 2 and files[1].name.endswith(".erreur.txt")
    assert [mode(f) for f in files] == [0o600, 0o600]
    assert mode(folder) == 0o700


def test_the_exchange_key_file_is_owner_only_even_over_a_wider_file(
    workspace: Workspace, tmp_path: Path, as_admin: None
) -> None:
    key = tmp_path / "cle.txt"
    key.write_text("old")
    key.chmod(0o644)
    assert main(["--data", str(workspace.folder), "exchange", "key", "new", str(key), "--user", "admin"]) == 0
    assert mode(key) == 0o600


def test_health_banner_and_journal_files_are_owner_only(workspace: Workspace, nurse: Session) -> None:
    from app import banner

    assert write_health_file(nurse) is True
    banner.save(workspace.folder, "CH", crisis.service_statuses(nurse), False)
    assert journal.start(workspace.folder) is not None
    try:
        log = logging.getLogger("continuity.test")
        for _ in range(3 * journal.MAX_BYTES // 200):  # past two rotations
            log.warning("x" * 200)
    finally:
        journal.stop()
    logs = sorted(workspace.folder.glob(journal.JOURNAL_FILE + "*"))
    assert len(logs) == 1 + journal.BACKUPS
    for path in [workspace.folder / maintenance.HEALTH_FILE, workspace.folder / banner.FILE_NAME, *logs]:
        assert mode(path) == 0o600, path


def test_backup_files_are_owner_only(admin_session: Session, tmp_path: Path) -> None:
    folder = admin.backup(admin_session, tmp_path)
    assert mode(folder) == 0o700
    assert {f.name: mode(f) for f in folder.iterdir()} == {
        "continuity.db": 0o600,
        "keyslots.json": 0o600,
        "temoin-audit.json": 0o600,
    }


# ------------------------------------------------------------------ interrupted backup
def _grow(workspace: Workspace, megabytes: int) -> None:
    """Make the store big enough for a backup to take a while (encrypted, like the rest)."""
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it, it.store.transaction():
        for n in range(megabytes):
            it.store.set_meta(f"test.ballast.{n}", os.urandom(512 * 1024).hex())


def _kill_mid_backup(workspace: Workspace, usb: Path) -> None:
    env = {
        **os.environ,
        "CONTINUITY_HOME": str(workspace.folder),
        "CONTINUITY_USER": "admin",
        "CONTINUITY_PASSWORD": ADMIN_PW,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "backup", "create", str(usb)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    db_seen = False
    while time.monotonic() < deadline and proc.poll() is None:
        db_seen = any(
            (d / "continuity.db").is_file() and (d / "continuity.db").stat().st_size > 0
            for d in usb.iterdir()
        )
        if db_seen:
            break
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert db_seen, "the kill did not land during the copy"


def test_a_backup_killed_half_way_is_marked_incomplete_and_refused(
    workspace: Workspace, tmp_path: Path, as_admin: None, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    for _attempt in range(3):  # a fast machine may finish the copy before the kill: grow, again
        _grow(workspace, 24)
        _kill_mid_backup(workspace, usb)
        finished = [d for d in usb.iterdir() if not d.name.endswith(".partial")]
        if not finished:
            break
        for d in finished:
            shutil.rmtree(d)
    [left] = list(usb.iterdir())
    assert left.name.endswith(".partial"), left.name  # never a name a complete backup has
    assert [b.complete for b in maintenance.list_backups(usb)] == [False]
    with pytest.raises(NotFound, match="incomplète"):
        maintenance.backup_files(left)
    assert main(["backup", "list", str(usb)]) == 0
    out = capsys.readouterr().out
    assert "INCOMPLÈTE" in out and left.name in out
    target = tmp_path / "remplacant"
    code = main(["--data", str(target), "backup", "restore", str(left), "--user", "admin"])
    assert code == 5 and "incomplète" in capsys.readouterr().err
    assert not (target / "continuity.db").exists()
    # a later backup completes and is listed as such, beside the interrupted one
    with Workspace(workspace.folder).unlock(ADMIN.username, ADMIN_PW) as it:
        done = admin.backup(it, usb)
    listed = {b.path.name: b.complete for b in maintenance.list_backups(usb)}
    assert listed == {left.name: False, done.name: True}

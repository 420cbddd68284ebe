"""The watched inbox: real files in real folders, the real watchdog observer, the real store."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from continuity.services import snapshots
from continuity.session import Session
from sync import inbox
from sync.watch import FolderWatch
from sync.watch_service import ReadyFiles, Result, WatchService
from tests.snapshot_files import csv_snapshot, his_patients, hl7_batch

BEDS = {"CARDIO": ["1A", "1B", "2A", "2B"], "PNEUMO": ["3A", "3B", "3C"]}
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


class Running:
    """A ``WatchService`` running on a thread, as ``continuity watch`` runs it."""

    def __init__(self, session: Session, folder: Path, settle: float = 0.5):
        self.results: list[Result] = []
        self.service = WatchService(folder, None, settle=settle, grace=5.0)
        self._stop = threading.Event()
        self._started = threading.Event()
        self._thread = threading.Thread(
            target=self.service.run,
            args=(session, self._stop, self.results.append),
            kwargs={"started": self._started},
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()
        assert self._started.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise AssertionError(f"timed out; results so far: {len(self.results)}")
            time.sleep(0.05)

    def outcomes(self) -> list[str]:
        return [r.outcome.value for r in list(self.results)]


@pytest.fixture
def inbox_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "depot-dpi"
    folder.mkdir()
    return folder


@pytest.fixture
def running(crisis: Session, inbox_dir: Path) -> Iterator[Running]:
    watcher = Running(crisis, inbox_dir)
    watcher.start()
    yield watcher
    watcher.stop()


def one_patient_file(n: int) -> bytes:
    """An identity-only snapshot of one patient (no census), so 500 of them add 500 patients."""
    patient = his_patients(1, BEDS, T0, seed=n, ipp_start=500_000 + n)[0]
    return hl7_batch([patient], T0 + timedelta(seconds=n), identity_only=True)


def test_burst_of_500_files(running: Running, inbox_dir: Path, crisis: Session) -> None:
    for n in range(500):
        (inbox_dir / f"patient-{n:03d}.hl7").write_bytes(one_patient_file(n))
    running.wait_for(lambda: len(running.results) >= 500, timeout=120)
    assert running.outcomes().count("imported") == 500
    running.stop()
    assert crisis.store.patients.count_patients() == 500
    assert not list(inbox_dir.glob("*.hl7"))  # imported files do not linger in clear


def test_file_written_slowly_in_chunks_is_read_once_complete(
    running: Running, inbox_dir: Path, crisis: Session
) -> None:
    raw = hl7_batch(his_patients(7, BEDS, T0), T0)
    chunk = len(raw) // 5 + 1
    with open(inbox_dir / "recensement.hl7", "wb") as f:
        for start in range(0, len(raw), chunk):
            f.write(raw[start : start + chunk])
            f.flush()
            time.sleep(0.3)
    running.wait_for(lambda: "imported" in running.outcomes())
    time.sleep(0.5)
    assert running.outcomes() == ["imported"]
    assert crisis.store.patients.count_patients() == 7
    assert not (inbox_dir / inbox.QUARANTINE_DIR).exists()


def test_writer_pausing_longer_than_settle_is_waited_for(crisis: Session, inbox_dir: Path) -> None:
    """Where no close is reported, a pause can look like the end: the cut file is retried."""
    raw = csv_snapshot(his_patients(4, BEDS, T0), T0)
    path = inbox_dir / "lent.csv"
    path.write_bytes(raw[: len(raw) // 2])
    service = WatchService(inbox_dir, None, settle=0.2, grace=30)
    first = service.process(crisis, _ready_after(service.inbox, path))
    assert [r.outcome.value for r in first] == ["retry"]
    path.write_bytes(raw)
    second = service.process(crisis, _ready_after(service.inbox, path))
    assert [r.outcome.value for r in second] == ["imported"]
    assert crisis.store.patients.count_patients() == 4


def _ready_after(watch: FolderWatch | None, path: Path) -> ReadyFiles:
    assert watch is not None
    watch.note(path, closed=False)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = watch.ready()
        if found:
            return ReadyFiles(snapshots=found)
        time.sleep(0.05)
    raise AssertionError("never ready")


def test_file_renamed_into_the_folder(
    running: Running, inbox_dir: Path, tmp_path: Path, crisis: Session
) -> None:
    outside = tmp_path / "ailleurs.csv"
    outside.write_bytes(csv_snapshot(his_patients(3, BEDS, T0), T0))
    hidden = inbox_dir / ".recensement.csv.partial"
    hidden.write_bytes(csv_snapshot(his_patients(2, BEDS, T0, ipp_start=700_000), T0))
    os.rename(outside, inbox_dir / "recensement.csv")
    os.rename(hidden, inbox_dir / "recensement-2.csv")
    running.wait_for(lambda: running.outcomes().count("imported") + running.outcomes().count("older") == 2)
    assert crisis.store.patients.count_patients() == 5


def test_corrupt_file_is_quarantined_with_a_report(
    running: Running, inbox_dir: Path, crisis: Session
) -> None:
    (inbox_dir / "abime.hl7").write_bytes(b"MSH|^~\\&|DPI\rPID|||\x00\x01garbage\r")
    running.wait_for(lambda: "quarantined" in running.outcomes())
    quarantine = inbox_dir / inbox.QUARANTINE_DIR
    names = sorted(p.name for p in quarantine.iterdir())
    assert len(names) == 2 and names[1] == names[0] + ".erreur.txt"
    assert crisis.store.patients.count_patients() == 0
    assert "rien n'a été importé" in (quarantine / names[1]).read_text(encoding="utf-8")


def test_duplicate_file_is_recognised(running: Running, inbox_dir: Path, crisis: Session) -> None:
    raw = csv_snapshot(his_patients(3, BEDS, T0), T0)
    (inbox_dir / "a.csv").write_bytes(raw)
    running.wait_for(lambda: running.outcomes() == ["imported"])
    (inbox_dir / "copie-de-a.csv").write_bytes(raw)
    running.wait_for(lambda: len(running.results) == 2)
    assert running.outcomes() == ["imported", "duplicate"]
    assert not (inbox_dir / "copie-de-a.csv").exists()
    assert crisis.store.patients.count_patients() == 3


def test_files_dropped_while_the_watcher_was_stopped(crisis: Session, inbox_dir: Path) -> None:
    (inbox_dir / "nuit-1.csv").write_bytes(csv_snapshot(his_patients(2, BEDS, T0), T0))
    (inbox_dir / "nuit-2.hl7").write_bytes(
        hl7_batch(his_patients(3, BEDS, T0, ipp_start=600_000), T0 + timedelta(minutes=5))
    )
    old = time.time() - 3600
    for path in inbox_dir.iterdir():
        os.utime(path, (old, old))
    watcher = Running(crisis, inbox_dir)
    watcher.start()
    try:
        watcher.wait_for(lambda: len(watcher.results) == 2, timeout=10)
    finally:
        watcher.stop()
    assert sorted(watcher.outcomes()) == ["imported", "imported"]
    assert snapshots.freshness(crisis).taken_at == T0 + timedelta(minutes=5)


def test_cli_watch_once_imports_and_reports_without_patient_data(
    workspace: object, inbox_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli import main
    from continuity.session import Workspace
    from tests.conftest import ADMIN_PW

    assert isinstance(workspace, Workspace)
    people = his_patients(3, BEDS, T0)
    (inbox_dir / "a.csv").write_bytes(csv_snapshot(people, T0))
    (inbox_dir / "b.csv").write_bytes(b"ipp;nom_naissance\n1;X\n")
    old = time.time() - 600
    for path in inbox_dir.iterdir():
        os.utime(path, (old, old))
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    data = str(workspace.folder)
    code = main(
        [
            "--data",
            data,
            "watch",
            "--once",
            "--inbox",
            str(inbox_dir),
            "--exchange",
            str(inbox_dir.parent / "echange"),
            "--user",
            "admin",
        ]
    )
    out = capsys.readouterr().out
    assert code == 12  # one file refused
    assert "a.csv : imported" in out and "b.csv : mis en quarantaine" in out
    for p in people:
        assert p.birth_name not in out and p.ipp not in out
    assert main(["--data", data, "snapshot", "status", "--user", "admin"]) == 0
    status = capsys.readouterr().out
    assert "imported" in status and "quarantined" in status and "seuil / threshold 6 h" in status


def test_a_folder_not_there_at_start_is_watched_once_it_appears(crisis: Session, tmp_path: Path) -> None:
    stick = tmp_path / "cle-usb"
    stick.write_text("not mounted yet")  # a file where the folder should be: cannot watch
    service = WatchService(stick / "depot", None, settle=0.2)
    assert service.start() == [stick / "depot"]
    try:
        assert service.retry_unavailable() == []
        stick.unlink()
        stick.mkdir()
        assert service.retry_unavailable() == [stick / "depot"]
        (stick / "depot" / "r.csv").write_bytes(csv_snapshot(his_patients(2, BEDS, T0), T0))
        deadline = time.monotonic() + 10
        files = service.ready()
        while not files and time.monotonic() < deadline:
            time.sleep(0.05)
            files = service.ready()
        assert [r.outcome.value for r in service.process(crisis, files)] == ["imported"]
    finally:
        service.stop()


def test_cli_bad_paths_give_clear_errors_and_write_nothing(
    workspace: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli import main
    from continuity.session import Workspace
    from tests.conftest import ADMIN_PW

    assert isinstance(workspace, Workspace)
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    data = str(workspace.folder)
    missing = str(tmp_path / "absent")
    assert main(["--data", data, "snapshot", "import", missing + ".csv", "--user", "admin"]) == 5
    assert main(["--data", data, "exchange", "import", missing + ".cxb", "--user", "admin"]) == 5
    assert main(["--data", data, "exchange", "key", "import", missing, "--user", "admin"]) == 5
    assert main(["--data", data, "exchange", "key", "new", "--user", "admin"]) == 0
    blocked = tmp_path / "fichier"
    blocked.write_text("not a folder")
    assert (
        main(
            ["--data", data, "exchange", "export", "--to", str(blocked / "sous"), "--user", "admin", "--all"]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "introuvable" in err and "Impossible d'écrire le lot" in err
    assert "Erreur interne" not in err

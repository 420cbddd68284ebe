"""A read-only or full data folder: reading needs no write; every write the kit does says
« Dossier en lecture seule » or « Disque plein » in both languages, never an internal error.

On real file systems (``tests/disk_helpers.py``): a read-only bind mount and a small tmpfs,
both mounted by the test as root; skipped with the reason where mount is not allowed.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli import main
from continuity import journal, keyslots, locking
from continuity.domain.users import Role, User
from continuity.errors import DiskFull, ReadOnlyFolder, StoreError
from continuity.health import write_health_file
from continuity.services import admin, exchange, patients
from continuity.session import Session, Workspace
from sync import bundles, engine
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, Clock, identity
from tests.disk_helpers import fill, free, read_only_view, small_disk

DISK_KIB = 6 * 1024


def _contents(folder: Path) -> dict[str, str]:
    """Every file of the folder, by name, with a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _db_key(workspace: Workspace) -> bytes:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        return session.db_key


@contextmanager
def open_with_key(workspace: Workspace, key: bytes, username: str) -> Iterator[Session]:
    """The session a successful unlock opens, from the key itself: what follows the key slots
    (lock file, store, schema check, user), which this module is about."""
    opened = keyslots.Unlocked(bytearray(key), None, False)
    session = workspace._open(opened, workspace.load_slots(), lambda store: store.users.get_user(username))
    try:
        yield session
    finally:
        session.lock()


def _admit(session: Session, name: str = "LECTURE", bed: str = "1A") -> str:
    return patients.admit(session, "CARDIO", identity=identity(birth_name=name), bed_code=bed).patient.id


def _census_names(session: Session) -> list[str]:
    [census] = patients.census(session, ["CARDIO"])
    return [b.occupant.patient.identity.birth_name for b in census.beds if b.occupant]


# ------------------------------------------------------------------------ read-only folder
@pytest.mark.parametrize("lock_file", ["present", "absent"])
def test_a_read_only_folder_is_read_without_any_write(
    workspace: Workspace, tmp_path: Path, lock_file: str
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        _admit(session)
    key = _db_key(workspace)
    if lock_file == "absent":
        (workspace.folder / locking.LOCK_FILE).unlink()
    before = _contents(workspace.folder)
    assert not any(name.endswith(("-wal", "-shm")) for name in before)  # closed cleanly
    with read_only_view(workspace.folder, tmp_path / "lecture-seule") as view:
        ro = Workspace(view, workspace.clock)
        with open_with_key(ro, key, NURSE.username) as session:
            assert _census_names(session) == ["LECTURE"]
            assert write_health_file(session) is False  # logged, not raised
            with pytest.raises(ReadOnlyFolder) as caught:
                _admit(session, "AUTRE", "1B")
            assert "Dossier en lecture seule" in caught.value.message_fr
            assert "Read-only folder" in caught.value.message_en
        with open_with_key(ro, key, NURSE.username) as session:  # twice: nothing was left behind
            assert _census_names(session) == ["LECTURE"]
        assert journal.start(view) is None
    assert _contents(workspace.folder) == before


def _crashed_copy(workspace: Workspace, target: Path) -> Path:
    """The data folder as a crash leaves it: a committed admission still in the WAL."""
    session = workspace.unlock(NURSE.username, NURSE_PW)
    try:
        _admit(session, "DANSLEWAL")
        shutil.copytree(workspace.folder, target)
    finally:
        session.lock()
    assert (target / "continuity.db-wal").stat().st_size > 0
    return target


def test_a_read_only_folder_left_by_a_crash_shows_what_the_wal_holds(
    workspace: Workspace, tmp_path: Path
) -> None:
    key = _db_key(workspace)
    crashed = _crashed_copy(workspace, tmp_path / "crash")
    before = _contents(crashed)
    with (
        read_only_view(crashed, tmp_path / "lecture-seule") as view,
        open_with_key(Workspace(view, workspace.clock), key, NURSE.username) as session,
    ):
        assert _census_names(session) == ["DANSLEWAL"]
        with pytest.raises(ReadOnlyFolder):
            _admit(session, "AUTRE", "1B")
    assert _contents(crashed) == before


def test_a_read_only_folder_whose_wal_cannot_be_read_says_so(workspace: Workspace, tmp_path: Path) -> None:
    """Without its shared-memory file a WAL cannot be read from a read-only medium, and the
    database alone would lack committed changes: refused, with the reason."""
    key = _db_key(workspace)
    crashed = _crashed_copy(workspace, tmp_path / "crash")
    (crashed / "continuity.db-shm").unlink()
    with read_only_view(crashed, tmp_path / "lecture-seule") as view:
        with pytest.raises(StoreError) as caught:
            open_with_key(Workspace(view, workspace.clock), key, NURSE.username).__enter__()
        assert "lecture seule" in caught.value.message_fr and "-wal" in caught.value.message_fr


def test_census_on_a_read_only_folder(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        _admit(session)
    before = _contents(workspace.folder)
    with read_only_view(workspace.folder, tmp_path / "lecture-seule") as view:
        monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
        code = main(["--data", str(view), "census", "--user", NURSE.username])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "LECTURE" in out
    assert _contents(workspace.folder) == before


def test_writing_into_a_read_only_folder_says_read_only(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports, bundles and PDFs chosen to go to a read-only medium."""
    target = tmp_path / "support"
    target.mkdir()
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        _admit(session)
    with read_only_view(target, tmp_path / "support-ro") as view:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
            exchange.new_key(session)
            with pytest.raises(ReadOnlyFolder):
                engine.synchronise(session, f"file:{view}")
            with pytest.raises(ReadOnlyFolder):
                bundles.write_bundle(session, view)
        monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
        code = main(
            ["--data", str(workspace.folder), "forms", "census", "-o", str(view / "r.pdf"), "--user", "ide"]
        )
        err = capsys.readouterr().err
        assert code == 1 and "Dossier en lecture seule" in err and "Erreur interne" not in err


# ------------------------------------------------------------------------------ full disk
def test_a_full_disk_says_disk_full_at_every_write_and_loses_nothing(
    provisioned_template: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with small_disk(tmp_path / "disque", DISK_KIB) as disk:
        shutil.copytree(provisioned_template[0], disk / "data")
        (disk / "exports").mkdir()
        workspace = Workspace(disk / "data", Clock())
        journal.start(workspace.folder)
        nurse = workspace.unlock(NURSE.username, NURSE_PW)
        it = workspace.unlock(ADMIN.username, ADMIN_PW)
        try:
            exchange.new_key(it)
            _admit(nurse, "AVANT")  # something to export
            slots = workspace.slots_path.read_bytes()
            fillers = fill(disk)

            with pytest.raises(DiskFull) as caught:
                _admit(nurse, "PENDANT", "1B")
            assert "Disque plein" in caught.value.message_fr and "Disk full" in caught.value.message_en
            newcomer = User(username="interne", display_name="Interne", role=Role.CRISIS_CELL)
            with pytest.raises(DiskFull):
                admin.add_user(it, newcomer, "interne-password")  # the store and the key slots
            assert workspace.slots_path.read_bytes() == slots
            assert it.store.users.get_user("interne") is None
            assert write_health_file(nurse) is False
            with pytest.raises(DiskFull):
                engine.synchronise(it, f"file:{disk / 'exports'}")
            assert list((disk / "exports").iterdir()) == []  # no half export
            with pytest.raises(DiskFull):
                bundles.write_bundle(it, disk / "exports")
            assert list((disk / "exports").iterdir()) == []
            monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
            code = main(
                [
                    *("--data", str(workspace.folder), "admit", "--uf", "CARDIO", "--birth-name", "Cli"),
                    *("--first-names", "Paul", "--birth-date", "01/02/1960", "--sex", "M", "--user", "ide"),
                ]
            )
            err = capsys.readouterr().err
            assert code == 1 and "Disque plein" in err and "Disk full" in err
            assert "Erreur interne" not in err and "Logging error" not in err

            free(fillers, disk)
            assert _census_names(nurse) == ["AVANT"]  # nothing half-written
            _admit(nurse, "APRES", "2A")
            assert it.store.integrity_ok() and admin.verify_audit(it).valid
            admin.add_user(it, newcomer, "interne-password")
        finally:
            nurse.lock()
            it.lock()
            journal.stop()
        with workspace.unlock("interne", "interne-password") as session:
            assert session.user.username == "interne"


def test_a_full_disk_is_still_read(provisioned_template: tuple[Path, str], tmp_path: Path) -> None:
    """Opening needs no room: the shared-memory file SQLite would create is done without."""
    key = _db_key(Workspace(provisioned_template[0]))
    with small_disk(tmp_path / "disque", DISK_KIB) as disk:
        shutil.copytree(provisioned_template[0], disk / "data")
        workspace = Workspace(disk / "data", Clock())
        assert not (workspace.folder / "continuity.db-shm").exists()
        fillers = fill(disk)
        with open_with_key(workspace, key, NURSE.username) as session:
            assert _census_names(session) == []
            with pytest.raises(DiskFull):
                _admit(session)
        free(fillers, disk)
        with open_with_key(workspace, key, NURSE.username) as session:
            _admit(session)
            assert session.store.integrity_ok()


def test_a_pdf_onto_a_full_disk(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "cle", 256) as disk:
        fill(disk)
        monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
        code = main(
            ["--data", str(workspace.folder), "forms", "census", "-o", str(disk / "r.pdf"), "--user", "ide"]
        )
        err = capsys.readouterr().err
        assert code == 1 and "Disque plein" in err and "Erreur interne" not in err
        assert not (disk / "r.pdf").exists()

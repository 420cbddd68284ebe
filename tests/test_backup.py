"""Encrypted backups of the store and the workstation information (IT administration).

Everything runs against real SQLCipher files: the backup is opened again as a data
folder with the same passwords, and its raw bytes are searched for names.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlcipher3

from continuity.domain.users import Role
from continuity.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StoreError,
)
from continuity.schema import LATEST_VERSION
from continuity.services import admin, patients
from continuity.session import Session, Workspace
from continuity.store import Store
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    Clock,
    identity,
)

NAMES = ["Zqwxylongname", "Quetzalcoatl", "Ÿéèàçùœ"]


def _admit_patients(session: Session, n: int = 12) -> None:
    for i in range(n):
        patients.admit(
            session,
            "CARDIO",
            identity=identity(
                birth_name=NAMES[0],
                first=f"{NAMES[1]}{'abcdefghijklmnopqrstuvwxyz'[i % 26]}",
                used_name=NAMES[2],
            ),
            not_a_duplicate="autre patient",
        )


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _census(session: Session) -> list[dict[str, object]]:
    return [c.model_dump(mode="json") for c in patients.census(session)]


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_backup_opens_with_the_same_passwords_and_shows_the_same_patients(
    provisioned: tuple[Workspace, str], usb: Path
) -> None:
    workspace, recovery = provisioned
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        _admit_patients(nurse)
        # Not checkpointed: the admissions are still in the nurse's WAL when the
        # administrator's connection takes the backup; the snapshot must include them.
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            folder = admin.backup(it, usb)
        expected_census = _census(nurse)
        expected_search = [s.model_dump(mode="json") for s in patients.search(nurse, NAMES[0].lower())]
    assert folder.parent == usb.resolve()
    assert re.fullmatch(r"continuity-backup-\d{8}-\d{6}", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == ["continuity.db", "keyslots.json", "temoin-audit.json"]

    copy = Workspace(folder)
    with copy.unlock(NURSE.username, NURSE_PW) as session:
        assert _census(session) == expected_census
        found = [s.model_dump(mode="json") for s in patients.search(session, NAMES[0].lower())]
        assert found == expected_search and len(found) == 12
        assert session.store.integrity_ok()
    with copy.unlock(ADMIN.username, ADMIN_PW) as session:
        assert admin.verify_audit(session).valid
    with copy.unlock_with_recovery(recovery) as session:
        assert session.store.reference.site_name()[0] == "TEST-CH"
    # the original is untouched and still opens
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        assert _census(session) == expected_census


def test_backup_is_encrypted_private_and_holds_no_name(workspace: Workspace, usb: Path, clock: Clock) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        _admit_patients(nurse, 30)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        key = it.db_key
        folder = admin.backup(it, usb)
    blob = _all_bytes(folder)
    assert b"SQLite format 3" not in blob
    for needle in NAMES:
        for variant in {needle, needle.lower(), needle.upper(), needle.title()}:
            assert variant.encode("utf-8") not in blob
            assert variant.encode("utf-16-le") not in blob
            assert variant.encode("utf-16-be") not in blob
    for secret in (key, key.hex().encode(), ADMIN_PW.encode(), NURSE_PW.encode()):
        assert secret not in blob
    # opens only with the key
    db = folder / Workspace.DB_NAME
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()
    conn = sqlcipher3.connect(str(db))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()
    with pytest.raises(StoreError, match="clé incorrecte"):
        Store.open_encrypted(db, secrets.token_bytes(32), clock)
    store = Store.open_encrypted(db, key, clock)
    try:
        assert store.patients.count_patients() == 30
    finally:
        store.close()
    if sys.platform != "win32":
        assert folder.stat().st_mode & 0o077 == 0
        for file in folder.iterdir():
            assert file.stat().st_mode & 0o077 == 0


def test_backup_is_audited_and_two_backups_never_share_a_folder(admin_session: Session, usb: Path) -> None:
    before = admin.workstation_info(admin_session).audit_entries
    first = admin.backup(admin_session, usb)
    second = admin.backup(admin_session, usb)  # the test clock has not moved
    assert first != second and second.name == first.name + "-2"
    rows = list(admin_session.store.audit.audit_rows())
    assert len(rows) == before + 2
    assert [(r.actor, r.action, r.entity_id) for r in rows[-2:]] == [
        (ADMIN.username, "backup.create", first.name),
        (ADMIN.username, "backup.create", second.name),
    ]
    assert admin.verify_audit(admin_session).valid
    # the first backup holds the audit as it was before it was taken; its chain is whole
    with Workspace(first).unlock(ADMIN.username, ADMIN_PW) as session:
        assert len(list(session.store.audit.audit_rows())) == before
        assert admin.verify_audit(session).valid


def test_only_it_administrators_back_up(workspace: Workspace, usb: Path) -> None:
    for user, pw in ((CRISIS, CRISIS_PW), (NURSE, NURSE_PW)):
        with (
            workspace.unlock(user.username, pw) as session,
            pytest.raises(PermissionDenied, match="non autorisée"),
        ):
            admin.backup(session, usb)
    assert list(usb.iterdir()) == []


def test_refuses_a_destination_inside_the_data_folder(admin_session: Session, workspace: Workspace) -> None:
    inside = workspace.folder / "sauvegardes"
    inside.mkdir()
    before = sorted(p.name for p in workspace.folder.iterdir())
    for destination in (workspace.folder, inside, workspace.folder / ".." / workspace.folder.name):
        with pytest.raises(InvalidInput, match="hors du dossier de données") as refused:
            admin.backup(admin_session, destination)
        assert "outside the workstation's data folder" in refused.value.message_en
    assert sorted(p.name for p in workspace.folder.iterdir()) == before
    assert list(inside.iterdir()) == []


def test_missing_or_non_folder_destinations_are_refused(admin_session: Session, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="introuvable") as missing:
        admin.backup(admin_session, tmp_path / "absent")
    assert "not found" in missing.value.message_en
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x")
    with pytest.raises(InvalidInput, match="pas un dossier"):
        admin.backup(admin_session, a_file)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="file modes do not stop root (see the read-only test below)",
)
def test_folder_without_write_permission_is_refused_clearly(admin_session: Session, usb: Path) -> None:
    usb.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="Droits insuffisants") as refused:
            admin.backup(admin_session, usb)
        assert "No permission" in refused.value.message_en
        assert list(usb.iterdir()) == []
    finally:
        usb.chmod(0o700)


def _sys_is_read_only() -> bool:
    if not sys.platform.startswith("linux") or not Path("/sys").is_dir():
        return False
    probe = Path("/sys") / f"continuity-probe-{secrets.token_hex(4)}"
    try:
        probe.mkdir()
    except OSError:
        return True
    probe.rmdir()
    return False


@pytest.mark.skipif(not _sys_is_read_only(), reason="needs Linux with a read-only /sys")
def test_unwritable_medium_is_refused_clearly_even_for_root(admin_session: Session) -> None:
    with pytest.raises(StoreError) as refused:
        admin.backup(admin_session, Path("/sys"))
    assert "/sys" in refused.value.message_fr and "/sys" in refused.value.message_en
    assert refused.value.message_fr.startswith(
        ("Droits insuffisants", "Dossier en lecture seule", "Impossible d'écrire")
    )
    # nothing recorded for a backup that was not made
    assert all(r.action != "backup.create" for r in admin_session.store.audit.audit_rows())


# ---------------------------------------------------------------- workstation information
def test_workstation_info(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        info = admin.workstation_info(it)
        audit_count = len(list(it.store.audit.audit_rows()))
    assert (info.site_code, info.site_name) == ("TEST-CH", "CH de test")
    assert (info.workstation_code, info.workstation_name) == ("WS-A", "Poste A")
    assert (info.block_start, info.block_end, info.remaining_numbers) == (100000, 100999, 1000)
    assert info.data_folder == workspace.folder.resolve()
    assert info.database_bytes == workspace.db_path.stat().st_size > 0
    assert info.schema_version == LATEST_VERSION
    assert info.sqlcipher_version.startswith("4.")
    assert (info.active_users, info.inactive_users) == (5, 0)  # the template's five users
    assert info.audit_entries == audit_count

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        _admit_patients(nurse, 2)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        admin.remove_user(it, PNEUMO_NURSE.username)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:  # the crisis cell reads it too
        later = admin.workstation_info(crisis)
        assert later.audit_entries == len(list(crisis.store.audit.audit_rows()))
    assert later.remaining_numbers == info.remaining_numbers - 4  # an IPP and an NDA each
    assert (later.active_users, later.inactive_users) == (4, 1)
    assert later.audit_entries > info.audit_entries + 2


def test_ward_staff_do_not_read_workstation_info(nurse: Session) -> None:
    with pytest.raises(PermissionDenied):
        admin.workstation_info(nurse)


# ------------------------------------------------------- helpers of the user form (GUI)
def test_create_user_from_a_form(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        assert admin.site_ufs(it) == [("CARDIO", "Cardiologie"), ("PNEUMO", "Pneumologie")]
        with pytest.raises(InvalidInput) as bad:
            admin.create_user(it, "x", "", Role.CRISIS_CELL, [], "long-enough-pw")
        assert "identifiant invalide" in "\n".join(bad.value.details)
        with pytest.raises(InvalidInput) as bad:
            admin.create_user(it, "interne.3", "Interne", Role.WARD_STAFF, [], "long-enough-pw")
        assert "exige au moins une UF" in "\n".join(bad.value.details)
        with pytest.raises(InvalidInput, match="trop court"):
            admin.create_user(it, "interne.3", "Interne", Role.WARD_STAFF, ["cardio"], "short")
        with pytest.raises(NotFound, match="UF inconnue"):
            admin.create_user(it, "interne.3", "Interne", Role.WARD_STAFF, ["NEURO"], "interne-3-password")
        with pytest.raises(Conflict, match="existe déjà"):
            admin.create_user(it, " IDE ", "Doublon", Role.CRISIS_CELL, [], "doublon-password")
        user = admin.create_user(it, " Interne.3 ", "  ", Role.WARD_STAFF, [" cardio "], "interne-3-password")
    assert (user.username, user.display_name, user.ufs) == ("interne.3", "interne.3", ("CARDIO",))
    with workspace.unlock("interne.3", "interne-3-password") as session:
        assert session.user == user
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("x", "long-enough-pw")


def test_only_it_administrators_use_the_user_form(crisis: Session) -> None:
    with pytest.raises(PermissionDenied):
        admin.site_ufs(crisis)
    with pytest.raises(PermissionDenied):
        admin.create_user(crisis, "someone", "Someone", Role.CRISIS_CELL, [], "someone-password")

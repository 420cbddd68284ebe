"""How the store's pages are sealed (``continuity.store.cipher``): HMAC-SHA256 for new stores,
SQLCipher 4's defaults (HMAC-SHA512) still opened for stores made by an older kit, and rewritten
when their key is rotated. Real SQLCipher files, the release 0.1.0 store as the older kit left it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from continuity import rekey
from continuity.errors import StoreError
from continuity.services import admin
from continuity.session import Workspace
from continuity.store import Store, cipher
from tests.conftest import ADMIN, ADMIN_PW, Clock
from tests.old_release import previous_release


def _reads_with(db: Path, key: bytes | bytearray, hmac: str | None) -> bool:
    """Straight sqlcipher3: ``hmac`` None keeps SQLCipher 4's defaults."""
    conn = sqlcipher3.connect(str(db))
    level = conn.execute("PRAGMA cipher_log_level").fetchone()[0]  # one for the process
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
        if hmac:
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.execute(f"PRAGMA cipher_log_level = {level}")
        conn.close()


def test_a_new_store_seals_its_pages_with_hmac_sha256(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        key = bytes(session.db_key)
        assert cipher.hmac_of(session.store._conn) == "HMAC_SHA256"
    assert _reads_with(workspace.db_path, key, "HMAC_SHA256")
    assert not _reads_with(workspace.db_path, key, None)  # SQLCipher 4's default: SHA-512


def test_a_store_of_an_older_kit_opens_as_it_is_and_is_rewritten_at_its_key_rotation(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    workspace = previous_release(tmp_path)
    with workspace.unlock("admin", "demo-admin-2026") as session:  # migrated to today's schema
        key = bytes(session.db_key)
        assert cipher.hmac_of(session.store._conn) == "HMAC_SHA512"
        assert session.store.patients.count_patients() == 12
        backup = tmp_path / "copie.db"
        session.store.backup.backup_into(backup, key)
    assert _reads_with(workspace.db_path, key, None)
    assert _reads_with(backup, key, None)  # a backup keeps its source's page layout
    assert capfd.readouterr().err == ""  # the SHA-256 tried first and refused: not logged
    with workspace.unlock("admin", "demo-admin-2026") as session:
        assert admin.rotate_key(session, "test", drop_unconverted=True, show_recovery=lambda _: None).done
    with workspace.unlock("admin", "demo-admin-2026") as session:
        new_key = bytes(session.db_key)
        assert cipher.hmac_of(session.store._conn) == "HMAC_SHA256"
        assert session.store.patients.count_patients() == 12
    assert _reads_with(workspace.db_path, new_key, "HMAC_SHA256")
    assert not _reads_with(workspace.db_path, new_key, None)


def test_a_wrong_key_is_refused_in_either_layout_without_a_word_on_stderr(
    tmp_path: Path, workspace: Workspace, capfd: pytest.CaptureFixture[str]
) -> None:
    old = previous_release(tmp_path)
    for db in (workspace.db_path, old.db_path):
        with pytest.raises(StoreError, match="clé incorrecte"):
            Store.open_encrypted(db, bytes(32), Clock())
        assert not Store.key_opens(db, bytes(32))
    assert capfd.readouterr().err == ""


def test_a_key_rotation_keeps_the_copy_for_a_rollback_readable_by_the_kit_that_made_it(
    tmp_path: Path,
) -> None:
    workspace = previous_release(tmp_path)
    with workspace.unlock("admin", "demo-admin-2026") as session:  # migrates, keeps a copy
        assert admin.rotate_key(session, "test", drop_unconverted=True, show_recovery=lambda _: None).done
    with workspace.unlock("admin", "demo-admin-2026") as session:
        key = bytes(session.db_key)
    live, *copies = rekey.databases(workspace.folder)
    assert copies, "the pre-upgrade copy"
    assert _reads_with(live, key, "HMAC_SHA256")
    for copy in copies:  # re-keyed, in SQLCipher 4's default layout, as kit 0.1 reads it
        assert _reads_with(copy, key, None), copy

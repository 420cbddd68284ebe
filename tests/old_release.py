"""The store of kit 0.1.0 as it left it (schema v6, SQLCipher 4's default page HMAC), and a
check of a store file with straight sqlcipher3, as an attacker holding a key would make it."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlcipher3

from continuity.session import Workspace
from tests.conftest import Clock

PREVIOUS = Path(__file__).parent / "data" / "release-0.1.0-schema-v6"


def previous_release(tmp_path: Path) -> Workspace:
    """A data folder holding the 0.1.0 store and its key slots (users admin, crise, ide.urg)."""
    folder = tmp_path / "donnees"
    folder.mkdir(mode=0o700)
    for name in ("continuity.db", "keyslots.json"):
        shutil.copy2(PREVIOUS / name, folder / name)
    return Workspace(folder, Clock())


def opens_raw(db: Path, key: bytes | bytearray) -> bool:
    """Whether ``key`` reads the patients of ``db`` in either page layout (the kit's
    HMAC-SHA256, SQLCipher 4's default HMAC-SHA512), without the kit's code."""
    for hmac in ("HMAC_SHA256", "HMAC_SHA512"):
        conn = sqlcipher3.connect(str(db))
        level = conn.execute("PRAGMA cipher_log_level").fetchone()[0]  # one for the process
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
            conn.execute("SELECT count(*) FROM patients").fetchone()
            return True
        except sqlcipher3.DatabaseError:
            pass
        finally:
            conn.execute(f"PRAGMA cipher_log_level = {level}")
            conn.close()
    return False

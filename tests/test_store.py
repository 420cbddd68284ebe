"""The encrypted store itself: migrations, pragmas, encryption at rest."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

import continuity.store
from continuity.domain.users import Role, User
from continuity.errors import StoreError
from continuity.schema import LATEST_VERSION, MIGRATIONS
from continuity.services import patients
from continuity.session import Session, Workspace
from continuity.store import Store
from tests.conftest import NURSE, NURSE_PW, Clock, identity


def _schema(store: Store) -> list[tuple[str, str, str]]:
    rows = store._all("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    return [(r[0], r[1], " ".join((r[2] or "").split())) for r in rows]


def _new(tmp_path: Path, name: str, clock: Clock) -> tuple[Store, bytes]:
    key = secrets.token_bytes(32)
    return Store.open_encrypted(tmp_path / name, key, clock, create=True), key


def test_migrates_from_empty_file(tmp_path: Path, clock: Clock) -> None:
    store, _ = _new(tmp_path, "a.db", clock)
    assert store.user_version() == 0
    assert store.migrate() == LATEST_VERSION
    assert store.migrate() == LATEST_VERSION  # idempotent
    assert store.integrity_ok()
    store.close()


@pytest.mark.parametrize("start", range(1, LATEST_VERSION))
def test_migrates_from_every_earlier_version_keeping_data(
    tmp_path: Path, clock: Clock, site: object, start: int
) -> None:
    old, key = _new(tmp_path, "old.db", clock)
    old.migrate(target=start)
    with old.transaction():
        old.reference.insert_site(site, "WS-A")  # type: ignore[arg-type]
        old.users.insert_user(User(username="ide", display_name="IDE", role=Role.WARD_STAFF, ufs=("CARDIO",)))
    old.close()

    upgraded = Store.open_encrypted(tmp_path / "old.db", key, clock)
    assert upgraded.user_version() == start
    assert upgraded.migrate() == LATEST_VERSION
    fresh, _ = _new(tmp_path, "fresh.db", clock)
    fresh.migrate()
    assert _schema(upgraded) == _schema(fresh)
    assert upgraded.users.get_user("ide") is not None
    assert [c for c, _ in upgraded.reference.list_ufs()] == ["CARDIO", "PNEUMO"]
    # the crisis migration registers existing UFs as services
    assert [s.code for s in upgraded.crisis.service_statuses()][:2] == ["CARDIO", "PNEUMO"]
    assert upgraded.integrity_ok()
    upgraded.close()
    fresh.close()


def test_refuses_database_from_newer_kit(tmp_path: Path, clock: Clock) -> None:
    store, key = _new(tmp_path, "a.db", clock)
    store.migrate()
    store._conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    store.close()
    again = Store.open_encrypted(tmp_path / "a.db", key, clock)
    with pytest.raises(StoreError, match="plus récente"):
        again.migrate()
    again.close()


def test_pragmas(tmp_path: Path, clock: Clock) -> None:
    store, _ = _new(tmp_path, "a.db", clock)
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    store.close()


def test_migration_statements_are_complete() -> None:
    for script in MIGRATIONS:
        assert sqlite3.complete_statement(script)


NEEDLES = ["ZQWXYLONGNAME", "QUETZALCOATL", "9876543210"]


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_no_patient_data_in_any_file(workspace: Workspace) -> None:
    """Name bytes (UTF-8 and UTF-16, any case) appear in no file: DB, WAL, SHM, key slots."""
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        for i in range(30):
            patients.admit(
                session,
                "CARDIO",
                identity=identity(
                    birth_name="Zqwxylongname",
                    first=f"Quetzalcoatl{'abcdefghijklmnopqrstuvwxyz'[i % 26]}",
                    used_name="Ÿéèàçùœ",
                ),
                not_a_duplicate="autre patient",
            )
        # WAL not yet checkpointed: it must be encrypted too
        assert (workspace.db_path.with_name(workspace.db_path.name + "-wal")).stat().st_size > 0
        blob = _all_bytes(workspace.folder)
        session.store.checkpoint()
    blob += _all_bytes(workspace.folder)
    for needle in [*NEEDLES[:2], "ŸÉÈÀÇÙŒ"]:
        for variant in {needle, needle.lower(), needle.title()}:
            assert variant.encode("utf-8") not in blob
            assert variant.encode("utf-16-le") not in blob
    assert b"SQLite format 3" not in blob
    assert not [p for p in workspace.folder.iterdir() if p.name.startswith(".keyslots-")]


def test_plain_sqlite_and_wrong_key_cannot_open(workspace: Workspace, clock: Clock) -> None:
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(workspace.db_path).execute("SELECT * FROM sqlite_master").fetchall()
    conn = sqlcipher3.connect(str(workspace.db_path))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()  # no key
    conn.close()
    with pytest.raises(StoreError, match="clé incorrecte"):
        Store.open_encrypted(workspace.db_path, secrets.token_bytes(32), clock)


def test_writes_outside_a_transaction_are_refused(nurse: Session) -> None:
    with pytest.raises(StoreError, match="hors transaction"):
        nurse.store.set_meta("x", "y")


STORE_MODULE_MAX_LINES = 350


def test_store_modules_stay_small() -> None:
    """The store is a package of small managers: no module may grow back into a god class."""
    modules = sorted(Path(continuity.store.__file__).parent.glob("*.py"))
    assert len(modules) > 10
    too_long = {
        p.name: n
        for p in modules
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > STORE_MODULE_MAX_LINES
    }
    assert not too_long, f"store modules over {STORE_MODULE_MAX_LINES} lines: {too_long}"


def _modes(folder: Path) -> dict[str, int]:
    import stat

    return {
        p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.name.startswith("continuity.db")
    }


def test_store_files_are_owner_only(tmp_path: Path, clock: Clock) -> None:
    """The encrypted database, its WAL and shared memory: 0600 like the key slots, when created
    and when an older store (made 0644) is opened again."""
    from continuity.provisioning import parse_site, provision
    from tests.conftest import ADMIN, ADMIN_PW, SITE_TOML, TEST_KDF

    workspace = Workspace(tmp_path / "data", clock)
    provision(workspace, parse_site(SITE_TOML), "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW):
        modes = _modes(workspace.folder)
        assert set(modes) >= {"continuity.db", "continuity.db-wal"} and set(modes.values()) == {0o600}
    for path in workspace.folder.glob("continuity.db*"):
        path.chmod(0o644)
    with workspace.unlock(ADMIN.username, ADMIN_PW):
        assert set(_modes(workspace.folder).values()) == {0o600}


def test_copies_of_the_store_are_owner_only(nurse: Session, tmp_path: Path) -> None:
    target = tmp_path / "copy"
    target.mkdir()
    nurse.store.backup.backup_into(target / "continuity.db", nurse.db_key)
    nurse.store.copy_files_into(nurse.workspace.db_path, tmp_path, nurse.db_key)
    assert set(_modes(target).values()) == {0o600}
    assert set(_modes(tmp_path).values()) == {0o600}


def test_v14_turns_an_imported_his_index_into_its_tables(tmp_path: Path, clock: Clock) -> None:
    """A store at v13 holding an index (its IPPs and birth dates as indexes) keeps it once
    migrated to tables: found by IPP, birth date and name, its seal unchanged."""
    from continuity.domain.his_index import IndexState
    from continuity.his_index_rows import index_row

    old, key = _new(tmp_path, "v13.db", clock)
    old.migrate(target=13)
    rows = [
        index_row(
            f"80{i:04d}",
            None,
            identity(f"NOM{chr(65 + i % 7)}", f"Prenom{chr(65 + i % 3)}", date(1950 + i % 40, 3, 1 + i % 9)),
        )
        for i in range(300)
    ]
    with old.transaction():
        for rid, r in enumerate(rows, start=1):
            old._write(
                "INSERT INTO his_index_a(rid, ipp, authority, birth_date, data) VALUES (?, ?, ?, ?, ?)",
                (rid, r.ipp, r.authority, r.birth_date, r.data),
            )
            for k in r.keys:
                old._write(
                    "INSERT INTO his_index_a_keys(key, rid, names) VALUES (?, ?, ?)", (k, rid, r.names)
                )
        digest = f"{sum(r.digest for r in rows) % (1 << 128):032x}"
        state = IndexState(extraction="V13", taken_at=clock(), imported_at=clock(), count=300, digest=digest)
        old.his_index.swap("a", state)
    old.close()

    store = Store.open_encrypted(tmp_path / "v13.db", key, clock)
    assert store.migrate() == LATEST_VERSION
    index = store.his_index
    assert index.count() == 300
    hit = index.by_ipp("800042")
    assert hit is not None and hit.identity.birth_name == "NOMA"
    born = rows[42].birth_date
    assert {h.ipp for h in index.born_on([date.fromisoformat(born)])} == {
        r.ipp for r in rows if r.birth_date == born
    }
    assert "800042" in {h.ipp for h in index.search(["NOMA", "PRENO"], [], 100)}
    assert f"{index.digest():032x}" == digest
    assert store.integrity_ok()
    store.close()


def test_the_his_index_tables_a_build_makes_are_those_the_migrations_made(
    tmp_path: Path, clock: Clock
) -> None:
    """A full import drops and remakes a generation with ``his_index_tables``; the migrations
    keep their own text: both must give the same tables (whitespace aside)."""
    store, _ = _new(tmp_path, "a.db", clock)
    store.migrate()

    def shape(gen: str) -> list[tuple[str, str]]:
        rows = store._all(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name LIKE ? ORDER BY name", (f"his_index_{gen}%",)
        )
        mine = f"his_index_{gen}"
        return [
            (n.replace(mine, "his_index_g"), "".join(sql.split()).replace(mine, "his_index_g"))
            for n, sql in rows
        ]

    migrated = shape("b")
    assert [n for n, _ in migrated] == [
        "his_index_g",
        "his_index_g_births",
        "his_index_g_ipps",
        "his_index_g_keys",
    ]
    with store.transaction():
        store.his_index.empty("b")
    assert shape("b") == migrated == shape("a")
    store.close()

"""What a write changed, derived from the tables the store wrote (``continuity.changes``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from continuity.changes import TABLE_CONCERNS, Changes, WriteLog, concerns_of, table_concern, written_table
from continuity.domain.crisis import LogCategory
from continuity.domain.users import Role, User
from continuity.errors import Conflict
from continuity.schema import MIGRATIONS
from continuity.services import admin, exchange, indicators, patients, snapshots
from continuity.services import crisis as crisis_service
from continuity.session import Session
from continuity.store import Store
from tests.conftest import Clock, identity

ROOT = Path(__file__).resolve().parents[1]


def test_every_table_of_the_schema_has_its_concern(tmp_path: Path, clock: Clock) -> None:
    created = {m.lower() for m in re.findall(r"CREATE TABLE (\w+)", "\n".join(MIGRATIONS))}
    assert created - TABLE_CONCERNS.keys() == set()
    store = Store.open_plain_for_benchmark(tmp_path / "plain.db", clock)  # the tables really made
    store.migrate()
    made = {r[0] for r in store._all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    store.close()
    assert {t for t in made if not t.startswith("sqlite_")} == created
    assert TABLE_CONCERNS.keys() == created  # and no concern for a table that does not exist


def _store_sources() -> list[Path]:
    """store.py, or the package it is being split into."""
    return sorted([*ROOT.glob("continuity/store.py"), *ROOT.glob("continuity/store/*.py")])


def test_every_statement_the_store_writes_names_a_known_table() -> None:
    statements = []
    for path in _store_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "_write"
                and node.args
            ):
                first = node.args[0]
                parts = [first] if not isinstance(first, ast.JoinedStr) else first.values
                # an interpolated part reads as "a": the generation of the HIS index's tables
                text = "".join(
                    p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else "a"
                    for p in parts
                    if isinstance(first, ast.JoinedStr) or isinstance(p, ast.Constant)
                )
                if text:
                    statements.append(text)
    assert len(statements) > 50  # the scan did find the store's writes
    unknown = [s for s in statements if table_concern(written_table(s) or "?") is None]
    assert unknown == []


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("INSERT INTO site(code, name) VALUES (?, ?)", "site"),
        ("  insert or ignore into Paper_Forms (number) VALUES (?)", "paper_forms"),
        ("INSERT OR REPLACE INTO meta VALUES (?, ?)", "meta"),
        ("REPLACE INTO meta VALUES (?, ?)", "meta"),
        ("\nUPDATE outbox SET status = ? WHERE event_id = ?", "outbox"),
        ("UPDATE OR IGNORE stays SET bed_code = NULL", "stays"),
        ('DELETE FROM "movements" WHERE stay_id = ?', "movements"),
        ("SELECT * FROM patients", None),
        ("WITH x AS (SELECT 1) INSERT INTO meta SELECT * FROM x", None),
    ],
)
def test_written_table(sql: str, table: str | None) -> None:
    assert written_table(sql) == table


def test_changes_combine_and_compare() -> None:
    assert not Changes.none() and Changes.all()
    assert Changes.all().names() == {f for f in Changes.__dataclass_fields__}
    both = Changes(census=True) | Changes(users=True)
    assert both == Changes.of("census", "users") and bool(both)
    assert both & Changes.of("users", "outbox") == Changes(users=True)
    assert not (both & Changes(main_courante=True))
    assert concerns_of(["stays", "crisis_log"]) == Changes.of("census", "main_courante")
    assert concerns_of(["a_table_added_later"]) == Changes.all()  # never silently missed


def test_write_log_keeps_only_what_was_committed() -> None:
    log = WriteLog()
    log.note("INSERT INTO users VALUES (?)")
    log.commit()
    log.note("INSERT INTO crisis_log VALUES (?)")
    log.rollback()  # a later transaction fails: the first one still counts
    log.note("UPDATE outbox SET status = 'sent'")
    assert log.take() == Changes(users=True)  # the open transaction is not included
    log.commit()
    assert log.take() == Changes(outbox=True)
    assert log.take() == Changes.none()
    log.note("VACUUM INTO 'x'")  # a write whose table cannot be read
    log.commit()
    assert log.take() == Changes.all()


def test_the_store_reports_what_services_wrote(nurse: Session, crisis: Session) -> None:
    assert nurse.take_changes() == Changes.none()  # opening an up-to-date store writes nothing
    patients.census(nurse)
    assert nurse.take_changes() == Changes.none()  # reads change nothing
    patients.admit(nurse, "CARDIO", identity=identity("MARTIN"), bed_code="1A")
    # the patient, the stay and its movement, the HIS event, the number taken, the audit entry
    assert nurse.take_changes() == Changes.of("patients", "census", "outbox", "workstations", "audit")
    assert nurse.take_changes() == Changes.none()  # taken once

    crisis.take_changes()  # another session: another store, its own log
    crisis_service.add_log_entry(crisis, "Plan blanc déclenché", LogCategory.DECISION)
    assert crisis.take_changes() == Changes(main_courante=True, audit=True)


def test_a_write_rolled_back_reports_nothing(admin_session: Session) -> None:
    store = admin_session.store
    admin_session.take_changes()
    with pytest.raises(RuntimeError), store.transaction():
        store.set_meta("x", "y")
        raise RuntimeError
    assert admin_session.take_changes() == Changes.none()
    user = User(username="interne.9", display_name="Interne", role=Role.WARD_STAFF, ufs=("CARDIO",))
    admin.add_user(admin_session, user, "mot-de-passe-interne-9")
    with pytest.raises(Conflict):  # the insert is attempted, then rolled back
        admin.add_user(admin_session, user, "mot-de-passe-interne-9")
    assert admin_session.take_changes() == Changes(users=True, audit=True)  # the first one only


def test_a_migration_reports_everything(tmp_path: Path, clock: Clock) -> None:
    store = Store.open_plain_for_benchmark(tmp_path / "plain.db", clock)
    store.migrate()
    assert store.take_changes() == Changes.all()
    store.migrate()  # already up to date
    assert store.take_changes() == Changes.none()
    store.close()


def test_meta_is_read_by_key(admin_session: Session) -> None:
    store = admin_session.store
    admin_session.take_changes()
    expected = {
        "audit_head": Changes(audit=True),  # moved by every audit entry: not a setting
        indicators.SNAPSHOT_META_KEY: Changes(snapshots=True),
        snapshots.CENSUS_META_KEY: Changes(snapshots=True),
        exchange.BUNDLE_SEQ_META: Changes(exchange=True),
        exchange.EXPORTED_SEQ_META: Changes(exchange=True),
        crisis_service.EXERCISE_KEY: Changes(settings=True),
        indicators.MAX_AGE_META_KEY: Changes(settings=True),
        "a.key.added.later": Changes(settings=True),
    }
    for key, concern in expected.items():
        with store.transaction():
            store.set_meta(key, "x")
        assert admin_session.take_changes() == concern, key


def test_a_full_index_import_batch_changes_the_index_only() -> None:
    """Each batch of an index import writes a sorted run (``his_index_run_*``): the views of
    the index refresh, not every view of the workstation after each of 50 batches."""
    log = WriteLog()
    log.note("INSERT INTO his_index_run_keys_00003(key, rid, names) VALUES (?, ?, ?)")
    log.note("INSERT INTO his_index_b(rid, ipp, authority, birth_date, data) VALUES (?, ?, ?, ?, ?)")
    log.commit()
    assert log.take() == Changes(his_index=True)

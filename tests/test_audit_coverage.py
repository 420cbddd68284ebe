"""The audit covers the data: a record edited behind the kit's back is found by ``audit verify``.

The attacker here is an insider holding the database key and a SQL shell (a second
sqlcipher3 connection, the kit closed): they edit patients, stays or the outbox, delete
or truncate the audit chain and rewrite its head. Each must make ``verify`` say "not
intact"; what the kit itself writes, through every service, must keep it intact.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.movement import DischargeMode
from continuity.domain.users import Role, User
from continuity.schema import MIGRATIONS
from continuity.services import (
    admin,
    crisis,
    delivery,
    exchange,
    identity_merge,
    instructions,
    paper,
    patients,
    reconciliation,
    snapshots,
)
from continuity.services import undo as undo_service
from continuity.session import Workspace
from continuity.store import cipher, seal
from sync.snapshots import parse_snapshot
from tests.conftest import ADMIN, ADMIN_PW, CIV, CIV_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.exchange_helpers import Site
from tests.snapshot_files import csv_snapshot, his_patients


# ----------------------------------------------------------------------------- helpers
def _populate(workspace: Workspace) -> dict[str, str]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        admission = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        stay = patients.transfer(nurse, admission.stay.id, "CARDIO", "1B")
        patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul"), bed_code="2A")
        return {"patient": admission.patient.id, "stay": stay.id}


def _verify(workspace: Workspace) -> admin.AuditCheck:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        return admin.verify_audit(session)


def _key(workspace: Workspace) -> bytes:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        return session.db_key


@pytest.fixture
def raw_sql(workspace: Workspace) -> Iterator[Any]:
    """Run SQL on the store through a connection of its own, as an insider with the key would."""
    key = _key(workspace)

    def run(*statements: str, folder: Path | None = None) -> None:
        conn = sqlcipher3.connect(str((folder or workspace.folder) / Workspace.DB_NAME), isolation_level=None)
        try:
            cipher.unlock(conn, key)
            conn.execute("PRAGMA ignore_check_constraints = ON")
            conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
            conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            for statement in statements:
                conn.execute(statement)
        finally:
            conn.close()

    yield run


def _problems(check: admin.AuditCheck, kind: str | None = None) -> set[tuple[str, str]]:
    return {(p.table, p.kind) for p in check.records if kind is None or p.kind == kind}


# ------------------------------------------------------------------------ the faults
def test_a_name_edited_with_sql_is_found(workspace: Workspace, raw_sql: Any) -> None:
    ids = _populate(workspace)
    assert _verify(workspace).valid
    raw_sql(f"UPDATE patients SET birth_name = 'DUPONT' WHERE id = '{ids['patient']}'")
    check = _verify(workspace)
    assert not check.valid
    assert [(p.table, p.key, p.kind) for p in check.records] == [("patients", ids["patient"], "altered")]


def test_a_stay_moved_with_sql_is_found(workspace: Workspace, raw_sql: Any) -> None:
    ids = _populate(workspace)
    raw_sql(f"UPDATE stays SET uf_code = 'PNEUMO', bed_code = '3C' WHERE id = '{ids['stay']}'")
    check = _verify(workspace)
    assert not check.valid and _problems(check) == {("stays", "altered")}


def test_outbox_events_marked_acknowledged_with_sql_are_found(workspace: Workspace, raw_sql: Any) -> None:
    _populate(workspace)
    raw_sql("UPDATE outbox SET status = 'acknowledged', delivered_to = 'mllp://sih:2575'")
    check = _verify(workspace)
    assert not check.valid and _problems(check) == {("outbox", "altered")}
    assert len(check.records) >= 3  # every event marked


def test_every_audit_row_and_the_head_deleted_is_found(workspace: Workspace, raw_sql: Any) -> None:
    _populate(workspace)
    raw_sql("DELETE FROM audit", "DELETE FROM meta WHERE key = 'audit_head'")
    check = _verify(workspace)
    assert check.entries == 0 and not check.valid
    assert ("patients", "uncommitted") in _problems(check)


def test_a_chain_truncated_with_its_head_rewritten_is_found(workspace: Workspace, raw_sql: Any) -> None:
    _populate(workspace)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        rows = list(session.store.audit.audit_rows())
    keep = next(r for r in reversed(rows) if r.action == "stay.transfer")  # drop the second admission
    raw_sql(
        f"DELETE FROM audit WHERE seq > {keep.seq}",
        f"UPDATE meta SET value = '{keep.seq}:{keep.hash}' WHERE key = 'audit_head'",
    )
    check = _verify(workspace)
    assert check.ok and check.head_matches  # the chain alone looks whole
    assert not check.valid


# --------------------------------------------------------------------- the coverage
def test_every_table_of_the_schema_is_covered_or_excluded_with_a_reason() -> None:
    created = {m.lower() for m in re.findall(r"CREATE TABLE (\w+)", "\n".join(MIGRATIONS))}
    assert seal.COVERED.keys() & seal.EXCLUDED.keys() == set()
    assert seal.COVERED.keys() | seal.EXCLUDED.keys() == created
    assert all(len(reason) > 20 for reason in seal.EXCLUDED.values())
    for table, key in seal.COVERED.items():  # the key named is the table's primary key
        pk = re.search(rf"CREATE TABLE {table} \((.*?)\n\);", "\n".join(MIGRATIONS), re.S | re.I)
        assert pk is not None
        body = pk.group(1)
        if len(key) == 1:
            assert re.search(rf"\b{key[0]}\b[^,\n]*PRIMARY KEY", body), table
        else:
            assert f"PRIMARY KEY ({', '.join(key)})" in body, table


def _through_every_service(site: Site) -> Workspace:
    """WS-C (the crisis cell) written to by every service that writes; returned."""
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    raw = csv_snapshot(his_patients(3, {"CARDIO": ["1A", "1B"], "PNEUMO": ["3A"]}, taken), taken)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(birth_name="ECHO"), bed_code="2B")
    created = site.export("WS-A")
    site.deliver("WS-B", created)
    for ws, used in (("WS-A", "UN"), ("WS-B", "DEUX")):  # an identity conflict for WS-C
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            rec = s.store.patients.get_patient(adm.patient.id)
            assert rec is not None
            patients.update_identity(
                s, rec.id, rec.identity.model_copy(update={"used_name": used}), rec.version
            )
    site.deliver("WS-C", site.export("WS-A"))
    site.deliver("WS-C", site.export("WS-B"))
    site.deliver("WS-C", created)
    tampered = site.stick / "altere.cxb"
    body = created.read_bytes()
    tampered.write_bytes(body[:-20] + bytes([body[-20] ^ 1]) + body[-19:])
    site.deliver("WS-C", tampered)  # refused
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        snapshots.import_snapshot(c, parse_snapshot(raw, "f", taken), hashlib.sha256(raw).hexdigest())
        crisis.set_status(c, "LABO", DegradedStatus.DEGRADED, "automate en panne")
        crisis.add_log_entry(c, "Plan blanc déclenché", LogCategory.DECISION)
        crisis.set_exercise_mode(c, False)
        [conflict] = exchange.open_conflicts(c)
        exchange.resolve(c, conflict.id or 0, sorted(conflict.detail["versions"])[0])
    with site.login("WS-C", ADMIN.username, ADMIN_PW) as it:
        intern = User(username="interne", display_name="Interne", role=Role.WARD_STAFF, ufs=("CARDIO",))
        admin.add_user(it, intern, "mot-de-passe-interne-1")
        admin.change_password(it, "interne", "mot-de-passe-interne-2")
        admin.remove_user(it, "interne")
    with site.login("WS-C", NURSE.username, NURSE_PW) as n:
        [form, _] = paper.reserve_blank_forms(n, "CARDIO", 2)
        keyed = patients.admit(n, "CARDIO", identity=identity("PAPIER", "Léa"), paper_number=form.number)
        stay = patients.transfer(n, keyed.stay.id, "CARDIO", "2A")
        patients.start_leave(n, stay.id)
        patients.end_leave(n, stay.id)
        patients.discharge(n, stay.id, DischargeMode.HOME)
        undo_service.cancel_last(n, stay.id)
        rec = n.store.patients.get_patient(keyed.patient.id)
        assert rec is not None
        patients.update_identity(n, rec.id, rec.identity.model_copy(update={"used_name": "P"}), rec.version)
        twin = patients.admit(n, "CARDIO", identity=identity("JUMEAU", "Paul"))
        patients.discharge(n, twin.stay.id, DischargeMode.HOME)
        again = patients.admit(n, "CARDIO", identity=identity("JUMEAUX", "Paul"), not_a_duplicate="autre")
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        reconciliation.enter(c, keyed.patient.provisional_ipp, "IPP900001")
    with site.login("WS-C", CIV.username, CIV_PW) as civ:  # the identity-vigilance cell
        undone = identity_merge.merge(civ, twin.patient.id, again.patient.id, reason="même personne")
        identity_merge.unmerge(civ, undone.id, reason="deux personnes")
        identity_merge.merge(civ, twin.patient.id, again.patient.id, reason="même personne, vérifié")
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        order = instructions.send_instruction(c, "Bascule en procédure papier", ["CARDIO"])
    site.deliver("WS-A", site.export("WS-C"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        instructions.acknowledge(a, order.id)
    site.deliver("WS-C", site.export("WS-A"))  # the acknowledgement, back to the crisis cell
    with site.login("WS-C", ADMIN.username, ADMIN_PW) as c:
        events = [e.event_id for e in delivery.deliverable(c, 10)]
        delivery.mark_sent(c, events[:3])
        delivery.acknowledge(c, events[:2], "mllp://sih:2575")
        delivery.refuse(c, events[2], "AE", "MSA|AE|1")
        delivery.mark_exported(c, events[3:4])
    return site.spaces["WS-C"]


def test_what_every_service_writes_is_committed_and_each_table_edited_with_sql_is_found(
    three_workstations: Site, tmp_path: Path
) -> None:
    workspace = _through_every_service(three_workstations)
    check = _verify(workspace)
    assert check.valid, check.records[:5]
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        key = session.db_key
        rows = {t: session.store._one(f"SELECT count(*) FROM {t}")[0] for t in seal.COVERED}
    empty = {t for t, n in rows.items() if n == 0}
    assert empty == set(), "a covered table the test does not write: write it through its service"
    for table, pk in seal.COVERED.items():
        copy = tmp_path / f"copy-{table}"
        shutil.copytree(workspace.folder, copy)
        conn = sqlcipher3.connect(str(copy / Workspace.DB_NAME), isolation_level=None)
        try:
            cipher.unlock(conn, key)
            conn.execute("PRAGMA ignore_check_constraints = ON")
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in pk]
            where = " AND ".join(f"{k} = ?" for k in pk)
            first = conn.execute(
                f"SELECT {', '.join(pk)} FROM {table} ORDER BY {pk[0]} DESC LIMIT 1"
            ).fetchone()
            if table == "meta":
                first = conn.execute("SELECT key FROM meta WHERE key != 'audit_head' LIMIT 1").fetchone()
            column = columns[0] if columns else pk[0]  # a table that is all key: its key edited
            conn.execute(f"UPDATE {table} SET {column} = {column} || '~' WHERE {where}", first)
        finally:
            conn.close()
        check = _verify(Workspace(copy, three_workstations.clock))
        expected = {(table, "altered")} if columns else {(table, "missing"), (table, "uncommitted")}
        assert expected <= _problems(check), table
        assert not check.valid
        shutil.rmtree(copy)


def test_a_record_deleted_or_added_with_sql_is_found(workspace: Workspace, raw_sql: Any) -> None:
    ids = _populate(workspace)
    raw_sql(
        f"DELETE FROM movements WHERE stay_id = '{ids['stay']}' AND seq = 2",
        "INSERT INTO crisis_log(at, author, category, text) VALUES ('2024-01-01T00:00:00+00:00',"
        " 'crise', 'info', 'rien à signaler')",
    )
    check = _verify(workspace)
    assert _problems(check) == {("movements", "missing"), ("crisis_log", "uncommitted")}


def test_an_edit_the_kit_later_writes_over_is_still_found(workspace: Workspace, raw_sql: Any) -> None:
    """The insider's edit must not be laundered by the next write of the same record."""
    ids = _populate(workspace)
    raw_sql(f"UPDATE patients SET ipp = '123456' WHERE id = '{ids['patient']}'")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        rec = nurse.store.patients.get_patient(ids["patient"])
        assert rec is not None
        patients.update_identity(
            nurse, rec.id, rec.identity.model_copy(update={"used_name": "X"}), rec.version
        )
    check = _verify(workspace)
    assert not check.valid and _problems(check) == {("patients", "changed_outside")}


def test_a_write_rolled_back_commits_nothing(workspace: Workspace) -> None:
    _populate(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        store = nurse.store
        before = store.audit.count_audit()
        with pytest.raises(RuntimeError), store.transaction():
            store.set_meta("x", "y")
            raise RuntimeError
        assert store.audit.count_audit() == before
    assert _verify(workspace).valid


def test_cli_audit_verify_names_the_record_edited(
    workspace: Workspace, raw_sql: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    ids = _populate(workspace)
    monkeypatch.setenv("CONTINUITY_USER", CRISIS.username)
    monkeypatch.setenv("CONTINUITY_PASSWORD", CRISIS_PW)
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 0
    raw_sql(f"UPDATE stays SET bed_code = '2B' WHERE id = '{ids['stay']}'")
    capsys.readouterr()
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 8
    err = capsys.readouterr().err
    assert f"stays {ids['stay']} : modifié hors du kit" in err and "LEFÈVRE" not in err


def test_a_store_from_before_the_seal_adopts_its_records_at_the_upgrade(tmp_path: Path, site: Any) -> None:
    from continuity import keyslots
    from continuity.schema import LATEST_VERSION
    from continuity.store import Store
    from tests.conftest import Clock

    clock = Clock()
    key = keyslots.new_database_key()
    old = Store.open_encrypted(tmp_path / "old.db", key, clock, create=True)
    old.migrate(target=8)  # 0.2.0's schema
    old._conn.execute("CREATE TEMP TABLE seal_touched (tbl, k1, k2, old)")  # and no trigger:
    old._seal_ready = True  # written as 0.2.0 did, without the seal
    with old.transaction():
        old.reference.insert_site(site, "WS-A")
        old.users.insert_user(User(username="ide", display_name="IDE", role=Role.WARD_STAFF, ufs=("CARDIO",)))
        old.audit.append_audit("admin", "user.add", "user", "ide", 1, {})
    assert old.audit.record_problems()[0] != []  # nothing committed yet
    old.close()
    upgraded = Store.open_encrypted(tmp_path / "old.db", key, clock)
    assert upgraded.migrate() == LATEST_VERSION
    problems, adoptions = upgraded.audit.record_problems()
    assert problems == [] and adoptions == 1
    upgraded._conn.execute("UPDATE users SET role = 'it_admin'")  # outside the kit's writes
    assert [(p.table, p.kind) for p in upgraded.audit.record_problems()[0]] == [("users", "altered")]
    upgraded.close()

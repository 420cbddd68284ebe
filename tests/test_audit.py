"""The hash-chained audit log: every change is in it, and tampering is detected."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from continuity import audit
from continuity.domain.movement import DischargeMode
from continuity.services import admin, patients
from continuity.session import Session, Workspace
from continuity.store import Store
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity


def _populate(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
        patients.transfer(nurse, stay.id, "CARDIO", "1B")
        patients.discharge(nurse, stay.id, DischargeMode.HOME)


def _verify(workspace: Workspace) -> admin.AuditCheck:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        return admin.verify_audit(session)


def _raw_store(workspace: Workspace) -> tuple[Store, Session]:
    session = workspace.unlock(NURSE.username, NURSE_PW)
    return session.store, session


def test_chain_is_valid_and_covers_every_change(workspace: Workspace) -> None:
    _populate(workspace)
    check = _verify(workspace)
    assert check.valid and check.entries >= 7
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        rows = list(session.store.audit.audit_rows())
    assert [r.action for r in rows if r.entity != "records"][-4:] == [
        "patient.create",
        "stay.admission",
        "stay.transfer",
        "stay.discharge",
    ]
    assert {r.actor for r in rows[-7:]} == {"ide"}  # the records written are the nurse's too
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def _tamper(workspace: Workspace, sql: str) -> None:
    """What an attacker with the key and a SQL shell could do: bypass the triggers first."""
    store, session = _raw_store(workspace)
    conn = store._conn
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    conn.execute(sql)
    session.lock()


def test_edited_payload_is_detected(workspace: Workspace) -> None:
    _populate(workspace)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        target = next(r for r in session.store.audit.audit_rows() if r.action == "stay.transfer")
    payload = json.loads(target.payload)
    payload["movement"]["bed_code"] = "2A"
    _tamper(workspace, f"UPDATE audit SET payload = '{json.dumps(payload)}' WHERE seq = {target.seq}")
    check = _verify(workspace)
    assert not check.valid and check.first_bad_seq == target.seq


def test_recomputed_hash_still_breaks_the_next_link(workspace: Workspace) -> None:
    _populate(workspace)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        rows = list(session.store.audit.audit_rows())
    victim = rows[-3]
    forged = audit.entry_hash(
        victim.prev_hash,
        victim.seq,
        victim.at,
        "someone-else",
        victim.action,
        victim.entity,
        victim.entity_id,
        victim.version,
        victim.payload,
    )
    _tamper(workspace, f"UPDATE audit SET actor = 'someone-else', hash = '{forged}' WHERE seq = {victim.seq}")
    check = _verify(workspace)
    assert not check.valid and check.first_bad_seq == victim.seq + 1


def test_deleted_rows_are_detected(workspace: Workspace) -> None:
    _populate(workspace)
    _tamper(workspace, "DELETE FROM audit WHERE seq = 3")
    assert _verify(workspace).first_bad_seq == 4
    _tamper(workspace, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    check = _verify(workspace)
    assert not check.valid


def test_truncated_tail_is_detected(workspace: Workspace) -> None:
    _populate(workspace)
    _tamper(workspace, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    check = _verify(workspace)
    assert check.ok and not check.head_matches and not check.valid


def test_triggers_refuse_plain_updates(workspace: Workspace) -> None:
    import pytest
    import sqlcipher3

    _populate(workspace)
    store, session = _raw_store(workspace)
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        store._conn.execute("UPDATE audit SET actor = 'x' WHERE seq = 1")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        store._conn.execute("DELETE FROM audit")
    session.lock()


def test_cli_audit_verify_reports_tampering(
    workspace: Workspace, tmp_path: Path, monkeypatch: object
) -> None:
    from cli import main

    _populate(workspace)
    env = {"CONTINUITY_USER": CRISIS.username, "CONTINUITY_PASSWORD": CRISIS_PW}
    for k, v in env.items():
        monkeypatch.setenv(k, v)  # type: ignore[attr-defined]
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 0
    _tamper(workspace, "UPDATE audit SET entity_id = 'x' WHERE seq = 2")
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 8


def test_the_state_hash_is_the_canonical_json_of_the_row() -> None:
    """The seal's format: SHA-256 of json.dumps(row, ensure_ascii=False, sort_keys=True,
    compact), first 128 bits; the encoder kept between calls gives the same text."""
    import hashlib
    import json

    from continuity.store.seal import HASH_CHARS, state_hash

    for row in ({"b": 1, "a": 'LEFÈVRE \u2028 "x"', "c": None, "d": 71.5, "e": -3}, {}, {"k": [1, {"z": 0}]}):
        text = json.dumps(row, ensure_ascii=False)
        canonical = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert state_hash(text) == hashlib.sha256(canonical.encode()).hexdigest()[:HASH_CHARS]
    assert state_hash(None) is None

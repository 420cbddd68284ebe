"""Crash safety: a writer process is SIGKILLed at random moments, then the store is checked.

``tests/crash_writer.py`` unlocks the workspace as a ward nurse and records
admissions, transfers, leaves, discharges and cancellations in a loop,
printing one line per committed transaction. Each run is killed after a
random (seeded) delay; the store is then reopened here and must hold every
reported change, pass SQLite's integrity check and the audit hash chain,
and show no half-written transaction.

SIGKILL stops the process, not the machine: this proves the transactions
are atomic and committed before the services return, not that the disk
honours fsync on power loss.
"""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from continuity import keyslots
from continuity.domain.movement import replay
from continuity.services import admin
from continuity.session import Session, Workspace
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).with_name("crash_writer.py")
PASSWORD_ENV = "CRASH_WRITER_PASSWORD"
ITERATIONS = 25
SEED = 20260314
START_TIMEOUT = 30.0
KIND_OF_OP = {
    "admit": "admission",
    "transfer": "transfer",
    "leave": "leave",
    "return": "return",
    "discharge": "discharge",
    "cancel": "cancel",
}


# --------------------------------------------------------------------------- running the writer
@dataclass
class Run:
    lines: list[dict[str, Any]]
    ready: bool
    stderr: str


def run_and_kill(folder: Path, seed: int, delay: float, from_start: bool) -> Run:
    """Start the writer, SIGKILL it ``delay`` s after it unlocked (or after it started)."""
    env = {
        **os.environ,
        PASSWORD_ENV: NURSE_PW,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(folder), NURSE.username, str(seed)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    raw: list[bytes] = []
    first_line = threading.Event()

    def drain() -> None:
        # Read while the writer runs, so a full pipe never blocks it.
        assert proc.stdout is not None
        for line in proc.stdout:
            raw.append(line)
            first_line.set()
        first_line.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        if not from_start:
            assert first_line.wait(START_TIMEOUT), "the writer did not unlock in time"
        threading.Event().wait(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=START_TIMEOUT)
        reader.join(timeout=START_TIMEOUT)
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL, f"the writer stopped by itself:\n{stderr}"
    # A write to a pipe of a short line is atomic; still, ignore anything without its newline.
    lines = [json.loads(b) for b in raw if b.endswith(b"\n")]
    ready = bool(lines) and lines[0] == {"op": "ready"}
    assert all(line["op"] in KIND_OF_OP for line in lines[1:])
    return Run(lines=lines[1:] if ready else [], ready=ready, stderr=stderr)


# --------------------------------------------------------------------------- inspecting the store
@contextmanager
def open_for_checks(workspace: Workspace) -> Iterator[tuple[Session, Any]]:
    """A crisis-cell session, plus a second plain connection for whole-table invariant queries."""
    session = workspace.unlock(CRISIS.username, CRISIS_PW)
    conn = sqlcipher3.connect(str(workspace.db_path))
    try:
        conn.execute(f"PRAGMA key = \"x'{session.db_key.hex()}'\"")
        yield session, conn
    finally:
        conn.close()
        session.lock()


def scalar(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return conn.execute(sql, params).fetchone()[0]


@dataclass(frozen=True)
class Counts:
    patients: int
    stays: int
    movements: int
    outbox: int
    audit: int


def counts(conn: Any) -> Counts:
    return Counts(
        *(
            scalar(conn, f"SELECT count(*) FROM {t}")
            for t in ("patients", "stays", "movements", "outbox", "audit")
        )
    )


def check_store(session: Session, conn: Any) -> None:
    """Invariants a half-written transaction would break, over the whole database."""
    store = session.store
    assert store.integrity_ok()
    audit = admin.verify_audit(session)
    assert audit.valid, audit
    assert audit.entries == scalar(conn, "SELECT count(*) FROM audit")
    # Set-based queries (IN, GROUP BY), so the checks stay fast as the tables grow.
    problems = {
        "stay without its admission as first movement": (
            "SELECT count(*) FROM stays WHERE id NOT IN"
            " (SELECT stay_id FROM movements WHERE seq = 1 AND kind = 'admission')"
        ),
        "stay whose movements have a gap": (
            "SELECT count(*) FROM (SELECT stay_id FROM movements GROUP BY stay_id"
            " HAVING max(seq) <> count(*))"
        ),
        "stay whose version does not count its movements": (
            "SELECT count(*) FROM stays s LEFT JOIN (SELECT stay_id, count(*) AS n FROM movements"
            " GROUP BY stay_id) m ON m.stay_id = s.id WHERE s.version IS NOT m.n"
        ),
        "patient without its creation in the audit": (
            "SELECT count(*) FROM patients WHERE id NOT IN"
            " (SELECT entity_id FROM audit WHERE action = 'patient.create')"
        ),
        "audit creation of a patient that is not there": (
            "SELECT count(*) FROM audit WHERE action = 'patient.create'"
            " AND entity_id NOT IN (SELECT id FROM patients)"
        ),
        "patient created without a stay": (
            "SELECT count(*) FROM patients WHERE id NOT IN (SELECT patient_id FROM stays)"
        ),
        "movement without its outbox event": (
            "SELECT count(*) FROM movements WHERE id || ' ' || stay_id NOT IN"
            " (SELECT movement_id || ' ' || stay_id FROM outbox WHERE movement_id IS NOT NULL)"
        ),
        "outbox event of a movement that is not there": (
            "SELECT count(*) FROM outbox WHERE movement_id NOT IN (SELECT id FROM movements)"
        ),
        "movement with several outbox events": (
            "SELECT count(*) FROM (SELECT movement_id FROM outbox WHERE movement_id IS NOT NULL"
            " GROUP BY movement_id HAVING count(*) > 1)"
        ),
        "movement without its audit entry": (
            "SELECT count(*) FROM movements WHERE id || ' ' || stay_id NOT IN"
            " (SELECT json_extract(payload, '$.movement.id') || ' ' || entity_id FROM audit"
            " WHERE entity = 'stay')"
        ),
    }
    found = {name: n for name, sql in problems.items() if (n := scalar(conn, sql))}
    assert not found, found
    c = counts(conn)
    assert c.outbox == c.movements
    assert scalar(conn, "SELECT count(*) FROM audit WHERE entity = 'stay'") == c.movements
    # Each committed admission took two numbers (IPP, NDA); a rolled-back one took none.
    start, following = conn.execute(
        "SELECT block_start, next_number FROM workstations WHERE is_local = 1"
    ).fetchone()
    assert following - start == c.patients + c.stays


def check_stays_replay(session: Session, stay_ids: set[str]) -> None:
    """The state kept beside the movements is the replay of the movements."""
    for stay_id in stay_ids:
        stay = session.store.stays.get_stay(stay_id)
        assert stay is not None
        view = replay(session.store.movements.movements_of(stay_id))
        assert view is not None
        assert (stay.state, stay.uf_code, stay.bed_code) == (view.state, view.uf_code, view.bed_code)


def check_reported(session: Session, conn: Any, lines: list[dict[str, Any]]) -> None:
    """Every change the writer reported as committed is in the store."""
    store = session.store
    movements: dict[str, list[Any]] = {}
    in_outbox = {r[0] for r in conn.execute("SELECT movement_id FROM outbox")}
    created = {r[0] for r in conn.execute("SELECT entity_id FROM audit WHERE action = 'patient.create'")}
    for line in lines:
        stay = store.stays.get_stay(line["stay"])
        assert stay is not None, line
        assert stay.patient_id == line["patient"]
        if line["stay"] not in movements:
            movements[line["stay"]] = store.movements.movements_of(line["stay"])
        moved = movements[line["stay"]]
        assert len(moved) >= line["seq"], line
        movement = moved[line["seq"] - 1]
        assert movement.id == line["movement"]
        assert movement.kind.value == KIND_OF_OP[line["op"]]
        assert movement.id in in_outbox
        if line["op"] == "admit":
            assert store.patients.get_patient(line["patient"]) is not None
            assert line["patient"] in created
        if len(moved) == line["seq"]:  # nothing recorded on this stay after this line
            assert (stay.state.value, stay.uf_code, stay.bed_code, stay.version) == (
                line["state"],
                line["uf"],
                line["bed"],
                line["version"],
            ), line


# --------------------------------------------------------------------------- the tests
def kill_plan(rng: random.Random) -> tuple[float, bool]:
    """(delay, timed from start?): mostly after unlocking, many very soon (first transaction)."""
    if rng.random() < 0.2:
        return rng.uniform(0.005, 0.8), True  # may land before, during or just after unlocking
    if rng.random() < 0.5:
        return 10 ** rng.uniform(-3, math.log10(0.5)), False  # 1 ms .. 0.5 s, log-uniform
    return rng.uniform(0.05, 0.5), False


@pytest.mark.slow
def test_sigkill_during_writes_loses_nothing_committed(provisioned: tuple[Workspace, str]) -> None:
    workspace, _ = provisioned
    rng = random.Random(SEED)
    with open_for_checks(workspace) as (session, conn):
        check_store(session, conn)
        before = counts(conn)
    initial = before
    reported_total = killed_mid_loop = unreported_commits = 0
    all_stays: set[str] = set()
    for iteration in range(ITERATIONS):
        delay, from_start = kill_plan(rng)
        run = run_and_kill(workspace.folder, SEED + iteration, delay, from_start)
        context = f"iteration {iteration} (delay {delay:.3f} s, from start: {from_start})"
        with open_for_checks(workspace) as (session, conn):
            check_store(session, conn)
            check_reported(session, conn, run.lines)
            touched = {line["stay"] for line in run.lines}
            check_stays_replay(session, touched)
            after = counts(conn)
        all_stays |= touched
        # Only the transaction running at the kill may be committed without being reported.
        admissions = sum(1 for line in run.lines if line["op"] == "admit")
        extra = (after.movements - before.movements) - len(run.lines)
        assert extra in (0, 1), context
        assert (after.patients - before.patients) - admissions in (0, extra), context
        assert after.outbox - before.outbox == after.movements - before.movements, context
        assert after.audit - before.audit == (
            after.patients - before.patients + after.movements - before.movements
        ), context
        if not run.ready:
            assert after == before, context
        reported_total += len(run.lines)
        killed_mid_loop += bool(run.lines)
        unreported_commits += extra
        before = after
    with open_for_checks(workspace) as (session, conn):
        check_store(session, conn)
        every_stay = {r[0] for r in conn.execute("SELECT id FROM stays")}
        check_stays_replay(session, every_stay)
        final = counts(conn)
    assert all_stays <= every_stay
    # The kills did interrupt real work, many times over.
    assert reported_total >= ITERATIONS
    assert final.movements - initial.movements == reported_total + unreported_commits
    assert killed_mid_loop >= 5
    assert keyslots.load(workspace.slots_path).slots  # the slot file survived the kills


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_keyslot_save_is_atomic(
    provisioned: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    workspace, _ = provisioned
    old = workspace.slots_path.read_bytes()
    slots = workspace.load_slots()
    del slots.slots[keyslots.user_slot_id(NURSE.username)]

    def crash(*_args: object, **_kwargs: object) -> None:
        raise OSError("simulated crash while saving the key slots")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="simulated crash"):
        keyslots.save(workspace.slots_path, slots)
    monkeypatch.undo()

    assert workspace.slots_path.read_bytes() == old
    assert list(workspace.folder.glob(".keyslots-*")) == []
    # The old file still works: the nurse's slot was not removed.
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        assert session.user.username == NURSE.username
    # And a later save goes through normally.
    keyslots.save(workspace.slots_path, slots)
    assert keyslots.user_slot_id(NURSE.username) not in workspace.load_slots().slots
    assert list(workspace.folder.glob(".keyslots-*")) == []

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

import contextlib
import hashlib
import json
import math
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from continuity import keyslots
from continuity.domain.movement import DischargeMode, replay
from continuity.services import admin, patients, sync_state
from continuity.session import Session, Workspace
from continuity.store import cipher
from sync import bundles, engine, inbox
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    identity,
)
from tests.peers.hl7_his import HisState, Hl7His
from tests.snapshot_files import his_patients, hl7_batch
from tests.sync_helpers import FAST, assert_his_holds_exactly, expected_per_patient, letters

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).with_name("crash_writer.py")
ITERATIONS = 120  # kills during ward writes (with sync, snapshot and bundle imports: 205 in all)
SYNC_KILLS = 35
SNAPSHOT_KILLS = 25
EXCHANGE_KILLS = 25
BUNDLES = 60
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


class Server:
    """``tests/crash_writer.py --serve``: forks one writer per run, which the test SIGKILLs."""

    def __init__(self, log: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.log = log
        self._err = open(log, "wb")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), "--serve"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(json.loads(raw))
        self.lines.put({"op": "server-gone"})

    def _next(self) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"the writer said nothing in time:\n{self.stderr()}") from None
        assert line["op"] != "server-gone", self.stderr()
        return line

    def stderr(self) -> str:
        self._err.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def run_and_kill(self, command: dict[str, Any], delay: float, from_start: bool) -> Run:
        """Start a writer; SIGKILL it ``delay`` s after it unlocked (or after it started)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        self.proc.stdin.flush()
        first = self._next()
        assert first["op"] == "child", first
        lines: list[dict[str, Any]] = []
        if not from_start:
            lines.append(self._next())
            assert lines[0]["op"] == "ready", f"{lines[0]}\n{self.stderr()}"
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(first["pid"], signal.SIGKILL)
        while (line := self._next())["op"] != "end":
            lines.append(line)
        assert line["signal"] == signal.SIGKILL, f"the writer stopped by itself:\n{self.stderr()}"
        ready = bool(lines) and lines[0] == {"op": "ready"}
        return Run(lines=lines[1:] if ready else [], ready=ready, stderr="")

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=START_TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._err.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("crash-writer") / "stderr.txt")
    yield running
    running.stop()


def writes_command(folder: Path, seed: int) -> dict[str, Any]:
    return {
        "scenario": "writes",
        "folder": str(folder),
        "user": NURSE.username,
        "password": NURSE_PW,
        "seed": seed,
    }


# --------------------------------------------------------------------------- inspecting the store
@contextmanager
def open_for_checks(workspace: Workspace) -> Iterator[tuple[Session, Any]]:
    """A crisis-cell session, plus a second plain connection for whole-table invariant queries."""
    session = workspace.unlock(CRISIS.username, CRISIS_PW)
    conn = sqlcipher3.connect(str(workspace.db_path))
    try:
        cipher.unlock(conn, session.db_key)
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
    """Rows of each table; audit entries of the actions themselves (each transaction's
    ``records.*`` entry, the seal of its records, is checked by ``audit verify``)."""
    rows = {
        t: scalar(conn, f"SELECT count(*) FROM {t}") for t in ("patients", "stays", "movements", "outbox")
    }
    actions = scalar(conn, "SELECT count(*) FROM audit WHERE action NOT LIKE 'records.%'")
    return Counts(**rows, audit=actions)


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
        return rng.uniform(0.005, 0.3), True  # may land before, during or just after unlocking
    if rng.random() < 0.6:
        return 10 ** rng.uniform(-3, math.log10(0.2)), False  # 1 ms .. 0.2 s, log-uniform
    return rng.uniform(0.02, 0.25), False


@pytest.mark.slow
def test_sigkill_during_writes_loses_nothing_committed(
    provisioned: tuple[Workspace, str], server: Server
) -> None:
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
        run = server.run_and_kill(writes_command(workspace.folder, SEED + iteration), delay, from_start)
        assert all(line["op"] in KIND_OF_OP for line in run.lines)
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
    assert killed_mid_loop >= ITERATIONS // 4
    assert keyslots.load(workspace.slots_path).slots  # the slot file survived the kills


def short_plan(rng: random.Random) -> float:
    """A delay after unlocking: 1 ms .. 0.25 s, log-uniform (within the first files or chunks)."""
    return 10 ** rng.uniform(-3, math.log10(0.25))


def check_whole(session: Session) -> None:
    assert session.store.integrity_ok()
    audit = admin.verify_audit(session)
    assert audit.valid, audit


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "app_acks"), [("original", "same"), ("enhanced", "same"), ("enhanced", "next")]
)
def test_sigkill_during_sync_to_the_his_loses_nothing_and_sends_nothing_twice(
    provisioned: tuple[Workspace, str], server: Server, mode: str, app_acks: str
) -> None:
    """The writer records stays and delivers them to a real MLLP HIS peer, one event a chunk.

    In enhanced mode (``[his] ack_mode``) the HIS answers CA, then its application ACK right
    after (``same``) or before its reply to the next message (``next``): a kill between the
    two leaves the event committed, never resent blindly, settled by the ACK that follows."""
    workspace, _ = provisioned
    rng = random.Random(SEED + 1)
    if mode == "enhanced":
        with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
            sync_state.set_ack_mode(session, "enhanced")
    his = Hl7His(HisState(app_ack_delivery=app_acks)).start()
    try:
        grew = 0  # runs killed after delivering something (a run goes until the backlog is empty)
        acknowledged: set[tuple[str, str]] = set()
        for iteration in range(SYNC_KILLS):
            command = {
                **writes_command(workspace.folder, SEED + 1000 + iteration),
                "scenario": "sync",
                "it_user": ADMIN.username,
                "it_password": ADMIN_PW,
                "his": his.url,
            }
            # The HIS peer validates each message strictly (tens of ms): kills up to 0.45 s.
            run = server.run_and_kill(command, rng.uniform(0.05, 0.45), False)
            before = len(acknowledged)
            with open_for_checks(workspace) as (session, conn):
                check_store(session, conn)
                check_reported(session, conn, [line for line in run.lines if line["op"] in KIND_OF_OP])
                # What the HIS applies for each acknowledged event: (ZBE-1, ZBE-4), a cancellation
                # naming the movement it cancels.
                acknowledged = {
                    (r[1], "CANCEL") if r[0] == "cancel" else (r[2], "INSERT")
                    for r in conn.execute(
                        "SELECT m.kind, m.cancels, m.id FROM outbox o JOIN movements m"
                        " ON m.id = o.movement_id WHERE o.status = 'acknowledged'"
                    )
                }
            with his.state.lock:
                applied = list(his.state.applied)
                assert his.state.invalid == []
            # Acknowledged only once the HIS applied it; applied once, whatever was resent.
            assert acknowledged <= {(a.movement, a.action) for a in applied}, f"iteration {iteration}"
            assert len({(a.movement, a.action) for a in applied}) == len(applied), f"iteration {iteration}"
            grew += len(acknowledged) > before
        assert grew >= SYNC_KILLS // 4  # the kills did land during sync runs, many times
        # What is left goes now, and the HIS then holds every event exactly once.
        with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
            report = engine.synchronise(session, his.url, options=FAST)
            assert (report.refused, report.remaining) == (0, 0)
            his.state.settle()
            assert_his_holds_exactly(his.state, expected_per_patient(session))
            assert sum(1 for a in his.state.applied) == session.store.outbox.outbox_counts()["acknowledged"]
    finally:
        his.stop()


def _snapshot_files(folder: Path, count: int) -> dict[str, str]:
    """HIS census files an hour apart, patients coming, moving and going; name -> SHA-256."""
    folder.mkdir()
    beds = {"CARDIO": ["1A", "1B", "2A", "2B"], "PNEUMO": ["3A", "3B", "3C"]}
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    digests = {}
    for n in range(count):
        people = his_patients(6 + n % 5, beds, t0, seed=n % 7, ipp_start=800_000 + 3 * (n % 9))
        raw = hl7_batch(people, t0 + timedelta(hours=n))
        name = f"recensement-{n:04d}.hl7"
        (folder / name).write_bytes(raw)
        digests[name] = hashlib.sha256(raw).hexdigest()
    return digests


def _picture(conn: Any) -> tuple[list[Any], list[Any]]:
    """The patients and stays as the imports left them (no time of import)."""
    return (
        conn.execute(
            "SELECT id, ipp, birth_name, first_names, birth_date, sex, version FROM patients ORDER BY id"
        ).fetchall(),
        conn.execute(
            "SELECT id, patient_id, nda, state, uf_code, bed_code, admitted_at, discharged_at, version"
            " FROM stays ORDER BY id"
        ).fetchall(),
    )


@pytest.mark.slow
def test_sigkill_during_snapshot_import_applies_each_file_whole(
    provisioned: tuple[Workspace, str], server: Server, tmp_path: Path
) -> None:
    workspace, _ = provisioned
    pristine = tmp_path / "avant"
    shutil.copytree(workspace.folder, pristine)
    inbox_folder = tmp_path / "entrees"
    digests = _snapshot_files(inbox_folder, 80)
    rng = random.Random(SEED + 2)
    done: set[str] = set()
    interrupted = 0
    for _ in range(SNAPSHOT_KILLS):
        command = {
            "scenario": "snapshot",
            "folder": str(workspace.folder),
            "user": CRISIS.username,
            "password": CRISIS_PW,
            "files": str(inbox_folder),
            "pattern": "*.hl7",
            "skip": sorted(done),
        }
        run = server.run_and_kill(command, short_plan(rng), False)
        interrupted += not any(line["op"] == "idle" for line in run.lines)
        reported = [line for line in run.lines if line["op"] == "file"]
        assert {line["outcome"] for line in reported} <= {"imported", "older", "duplicate"}, reported
        done |= {line["name"] for line in reported}
        with open_for_checks(workspace) as (session, conn):
            check_whole(session)
            seen = {r[0]: r[1] for r in conn.execute("SELECT sha256, outcome FROM snapshot_imports")}
            assert "quarantined" not in seen.values()  # a kill never makes a good file refused
            assert {digests[name] for name in done} <= set(seen)
            audited = scalar(conn, "SELECT count(*) FROM audit WHERE action = 'snapshot.import'")
            assert audited == len(seen)  # each import whole: its record and its audit entry
    assert interrupted >= SNAPSHOT_KILLS // 2
    assert not (inbox_folder / inbox.QUARANTINE_DIR).exists()
    # The rest now; then the store is what importing every file without a kill gives.
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        for path in sorted(inbox_folder.glob("*.hl7")):
            inbox.import_file(session, path, grace=0)
    reference = Workspace(pristine)
    with open_for_checks(workspace) as (_, conn):
        killed = _picture(conn)
    regenerated = tmp_path / "sans-arret"
    assert _snapshot_files(regenerated, 80) == digests
    with reference.unlock(CRISIS.username, CRISIS_PW) as session:
        for path in sorted(regenerated.glob("*.hl7")):
            inbox.import_file(session, path, grace=0)
    with open_for_checks(reference) as (_, conn):
        assert _picture(conn) == killed


@pytest.mark.slow
def test_sigkill_during_exchange_import_applies_each_bundle_whole(
    three_workstations: Any, server: Server
) -> None:
    site = three_workstations
    bundles_made = []
    ws_b = site.spaces["WS-B"]
    with ws_b.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as nurse, ws_b.unlock(ADMIN.username, ADMIN_PW) as it:
        for n in range(BUNDLES):  # bundles of WS-B: three admissions, a leave and a discharge each
            first, second, _ = (
                patients.admit(
                    nurse,
                    "PNEUMO",
                    identity=identity(birth_name=f"ECHANGE-{letters(n)}-{letters(k)}"),
                    not_a_duplicate="autre patient",
                ).stay
                for k in (0, 1, 2)
            )
            patients.start_leave(nurse, first.id)
            patients.discharge(nurse, second.id, DischargeMode.HOME)
            made = bundles.write_bundle(it, site.stick)
            assert made is not None
            bundles_made.append(made)
    ws_a = site.spaces["WS-A"]
    rng = random.Random(SEED + 3)
    done: set[str] = set()
    interrupted = 0
    for iteration in range(EXCHANGE_KILLS):
        command = {
            "scenario": "exchange",
            "folder": str(ws_a.folder),
            "user": CRISIS.username,
            "password": CRISIS_PW,
            "files": str(site.stick),
            "pattern": "echange-*",
            "skip": sorted(done),
        }
        run = server.run_and_kill(command, 10 ** rng.uniform(-3, -1), False)  # a bundle takes ~10 ms
        interrupted += not any(line["op"] == "idle" for line in run.lines)
        reported = [line for line in run.lines if line["op"] == "file"]
        assert {line["outcome"] for line in reported} <= {"imported", "duplicate"}, reported
        done |= {line["name"] for line in reported}
        with open_for_checks(ws_a) as (session, conn):
            check_whole(session)
            assert scalar(conn, "SELECT count(*) FROM exchange_refused") == 0
            received = scalar(conn, "SELECT count(*) FROM exchange_bundles WHERE workstation = 'WS-B'")
            assert received >= len(done), f"iteration {iteration}"
            applied = scalar(conn, "SELECT count(*) FROM changes WHERE origin = 'WS-B'")
            assert applied == scalar(
                conn, "SELECT coalesce(sum(changes), 0) FROM exchange_bundles WHERE workstation = 'WS-B'"
            ), f"iteration {iteration}: a bundle applied in part"
    assert interrupted >= EXCHANGE_KILLS // 2
    for path in bundles_made:
        assert site.deliver("WS-A", path).outcome.value in ("imported", "duplicate")
    with open_for_checks(site.spaces["WS-B"]) as (_, conn):
        theirs = _picture(conn)
    with open_for_checks(ws_a) as (_, conn):
        ours = _picture(conn)
    assert set(theirs[0]) <= set(ours[0]) and set(theirs[1]) <= set(ours[1])


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

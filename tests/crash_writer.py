"""Crash-safety writer: real service writes in a loop, until the test SIGKILLs it.

The test runs it as a fork server (``python tests/crash_writer.py --serve``): one process
imports the kit once, then forks one child per run, named on its standard input as one JSON
line (``{"scenario": "writes" | "sync" | "snapshot" | "exchange", ...}``). The child is a
real process doing real writes on the real files, and the test SIGKILLs it (its pid comes
first); the server relays what the child printed, then ``{"op": "end", "signal": N}``.
Forking saves the interpreter's start and the imports at each run (about 0.5 s), so the
test can kill it hundreds of times within its minute. Scenarios besides the ward writes:
``sync`` records stays and delivers them to the HIS peer of the test, ``snapshot`` imports
the HIS snapshot files of a folder, ``exchange`` the bundles of another workstation.

Run as ``python tests/crash_writer.py DATA_FOLDER USERNAME SEED`` with the
password in the ``CRASH_WRITER_PASSWORD`` environment variable. The user
must be ward staff of ``CARDIO`` (the ``NURSE`` of ``tests/conftest.py``).

It prints ``{"op": "ready"}`` once the store is unlocked, then one JSON line
per service call that has *returned*, i.e. whose transaction has committed,
and flushes it at once. A line holds internal ids and states only, never a
patient name, so the test can check that every reported write survived the
kill. The test reads only lines written before the kill; a transaction that
committed just before the kill but was not yet reported is allowed.

Each patient goes through a short stay: admission without a bed (the test
site has few beds), transfer into a free bed when there is one, temporary
leave and return, transfer out of the bed, discharge, and sometimes the
cancellation of that discharge followed by a new discharge. Stays left open
by an earlier killed run are discharged first, so beds stay free. Once the
workstation's block of provisional numbers is used up, earlier stays are
reopened (their discharge cancelled), so writes go on without new numbers.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import DischargeMode, StayState
from continuity.domain.records import StayRecord
from continuity.ids import format_id
from continuity.services import patients, sync_state, undo
from continuity.session import Session, Workspace

UF = "CARDIO"
PASSWORD_ENV = "CRASH_WRITER_PASSWORD"
REOPEN_POOL = 100
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def report(
    op: str, stay: StayRecord | None = None, seq: int = 0, movement_id: str = "", patient_id: str = ""
) -> None:
    """One committed change on one line, flushed before the next write starts."""
    line: dict[str, object] = {"op": op}
    if stay is not None:
        line.update(
            stay=stay.id,
            patient=patient_id or stay.patient_id,
            seq=seq,
            movement=movement_id,
            state=stay.state.value,
            uf=stay.uf_code,
            bed=stay.bed_code,
            version=stay.version,
        )
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def new_identity(rng: random.Random) -> Identity:
    """A fictitious identity; random letters keep names apart (no duplicate to confirm)."""
    birth_name = "".join(rng.choice(_LETTERS) for _ in range(8))
    first = "".join(rng.choice(_LETTERS) for _ in range(6)).capitalize()
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 25_000))
    return Identity(
        birth_name=birth_name,
        first_names=[first],
        birth_date=born,
        sex=rng.choice([Sex.F, Sex.M]),
        status=IdentityStatus.PROVISOIRE,
    )


def free_bed(session: Session) -> str | None:
    census = patients.census(session, [UF])[0]
    free = [b.bed_code for b in census.beds if b.occupant is None and not b.blocked]
    return free[0] if free else None


def last_movement(session: Session, stay_id: str) -> tuple[int, str]:
    movements = session.store.movements.movements_of(stay_id)
    return len(movements), movements[-1].id


def record(session: Session, op: str, stay: StayRecord) -> StayRecord:
    """Report a movement the service has just committed (its position and id)."""
    seq, movement_id = last_movement(session, stay.id)
    report(op, stay, seq, movement_id)
    return stay


def discharge_leftovers(session: Session) -> None:
    """Close the stays an earlier killed run left open, so their beds become free."""
    census = patients.census(session, [UF])[0]
    open_stays = [b.occupant.stay for b in census.beds if b.occupant and b.occupant.stay]
    open_stays += [s.stay for s in census.without_bed if s.stay]
    for stay in open_stays:
        record(session, "discharge", patients.discharge(session, stay.id, DischargeMode.HOME))


def one_stay(session: Session, rng: random.Random, reopen: StayRecord | None) -> StayRecord:
    """Admit (or, once numbers run out, reopen) a stay, move it around and discharge it."""
    if reopen is None:
        admission = patients.admit(session, UF, identity=new_identity(rng), not_a_duplicate="autre patient")
        stay = admission.stay
        report("admit", stay, 1, admission.movement_id, admission.patient.id)
    elif reopen.state is StayState.DISCHARGED:
        stay = record(session, "cancel", undo.cancel_last(session, reopen.id))
    else:
        stay = reopen
    if stay.state is StayState.ON_LEAVE:
        # a stay discharged by discharge_leftovers while on leave comes back on leave
        stay = record(session, "return", patients.end_leave(session, stay.id))
    bed = free_bed(session)
    if bed is not None:
        stay = record(session, "transfer", patients.transfer(session, stay.id, UF, bed))
    if rng.random() < 0.5:
        stay = record(session, "leave", patients.start_leave(session, stay.id))
        stay = record(session, "return", patients.end_leave(session, stay.id))
    if stay.bed_code is not None:
        stay = record(session, "transfer", patients.transfer(session, stay.id, UF, None))
    stay = record(session, "discharge", patients.discharge(session, stay.id, DischargeMode.HOME))
    if rng.random() < 0.2:
        stay = record(session, "cancel", undo.cancel_last(session, stay.id))
        stay = record(session, "discharge", patients.discharge(session, stay.id, DischargeMode.HOME))
    assert stay.state is StayState.DISCHARGED and stay.bed_code is None
    return stay


def stay_to_reopen(session: Session, rng: random.Random) -> StayRecord:
    """The latest stay of one of the first patients admitted here.

    Numbers are only taken by committed admissions (a rolled-back one gives
    its numbers back), so patient ``k`` has the provisional IPP ``start + 2k``.
    Spreading the reopened stays keeps each one's list of movements short.
    """
    start = session.store.reference.local_workstation().block[0]
    found = patients.find_patient(session, format_id(start + 2 * rng.randrange(REOPEN_POOL)))
    return session.store.stays.stays_of(found.patient.id)[-1]


def next_stay(session: Session, rng: random.Random) -> None:
    # Two numbers per admission (IPP and NDA); once the block is used up,
    # earlier stays are reopened (their discharge cancelled) instead.
    reopen = stay_to_reopen(session, rng) if session.store.reference.remaining_numbers() < 2 else None
    one_stay(session, rng, reopen)


def writes(folder: Path, username: str, password: str, seed: int) -> None:
    rng = random.Random(seed)
    session = Workspace(folder).unlock(username, password)
    report("ready")
    discharge_leftovers(session)
    while True:
        next_stay(session, rng)


def sync(command: dict[str, Any]) -> None:
    """Stays recorded by the nurse, delivered to the HIS by IT, in turns, small chunks at a time."""
    from sync import engine

    folder, rng = Path(command["folder"]), random.Random(command["seed"])
    nurse = Workspace(folder).unlock(command["user"], command["password"])
    it = Workspace(folder).unlock(command["it_user"], command["it_password"])
    options = engine.SyncOptions(timeout=2.0, attempts=3, backoff=0.01, backoff_max=0.05, chunk=1)
    report("ready")
    discharge_leftovers(nurse)
    while True:
        if sync_state.backlog(it) < 4:  # new events as the HIS takes them (it checks each slowly)
            next_stay(nurse, rng)
        done = engine.synchronise(it, command["his"], options=options)
        sys.stdout.write(json.dumps({"op": "synced", "acknowledged": done.acknowledged}) + "\n")
        sys.stdout.flush()


def _import_files(command: dict[str, Any], one: Any) -> None:
    """Import the files of a folder in name order (skipping those the test knows are in), then idle."""
    session = Workspace(Path(command["folder"])).unlock(command["user"], command["password"])
    report("ready")
    skip = set(command.get("skip", ()))
    for path in sorted(Path(command["files"]).glob(command["pattern"])):
        if path.name not in skip:
            outcome = one(session, path)
            sys.stdout.write(json.dumps({"op": "file", "name": path.name, "outcome": outcome}) + "\n")
            sys.stdout.flush()
    sys.stdout.write(json.dumps({"op": "idle"}) + "\n")
    sys.stdout.flush()
    while True:
        time.sleep(1)


def snapshot(command: dict[str, Any]) -> None:
    from sync import inbox

    _import_files(command, lambda s, p: inbox.import_file(s, p, grace=0).outcome.value)


def exchange(command: dict[str, Any]) -> None:
    from sync import bundles

    _import_files(command, lambda s, p: bundles.import_file(s, p, grace=0).outcome.value)


SCENARIOS = {"sync": sync, "snapshot": snapshot, "exchange": exchange}


def child(command: dict[str, Any]) -> None:
    if command["scenario"] == "writes":
        writes(Path(command["folder"]), command["user"], command["password"], command["seed"])
    SCENARIOS[command["scenario"]](command)


def serve() -> int:
    """The fork server: one child per command line, its pid, its lines, then how it ended."""
    from sync import bundles, engine, inbox  # imported once, before any fork

    assert bundles and engine and inbox
    out = sys.stdout
    for line in sys.stdin:
        command = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its standard output is the pipe, it never returns
            os.close(read_end)
            os.dup2(write_end, 1)
            os.close(write_end)
            code = 0
            try:
                sys.stdin.close()
                child(command)
            except BaseException:
                traceback.print_exc()
                code = 70
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.close(write_end)
        out.write(json.dumps({"op": "child", "pid": pid}) + "\n")
        out.flush()
        with os.fdopen(read_end, "rb") as lines:
            for raw in lines:  # relayed as they come; a line cut by the kill has no newline
                if raw.endswith(b"\n"):
                    out.write(raw.decode())
                    out.flush()
        _, status = os.waitpid(pid, 0)
        signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        out.write(json.dumps({"op": "end", "signal": signal_number, "status": status}) + "\n")
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["--serve"]:
        return serve()
    folder, username, seed = Path(argv[1]), argv[2], int(argv[3])
    writes(folder, username, os.environ[PASSWORD_ENV], seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

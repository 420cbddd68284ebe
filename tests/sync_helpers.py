"""Shared steps of the HIS sync tests: record activity offline, then read what the HIS holds."""

from __future__ import annotations

import random
from datetime import date

from continuity.domain.movement import DischargeMode, MovementKind, StayState
from continuity.domain.outbox import EventStatus
from continuity.services import patients, undo
from continuity.session import Session
from sync import engine
from tests.conftest import identity
from tests.peers.hl7_his import HisState

FAST = engine.SyncOptions(timeout=1.0, attempts=6, backoff=0.02, backoff_max=0.1, chunk=50)

TRIGGER_OF = {
    MovementKind.ADMISSION: "A01",
    MovementKind.TRANSFER: "A02",
    MovementKind.LEAVE: "A21",
    MovementKind.RETURN: "A22",
    MovementKind.DISCHARGE: "A03",
}
CANCEL_TRIGGER = {
    MovementKind.ADMISSION: "A11",
    MovementKind.TRANSFER: "A12",
    MovementKind.LEAVE: "A52",
    MovementKind.RETURN: "A53",
    MovementKind.DISCHARGE: "A13",
}


def record_activity(
    session: Session, uf: str, admissions: int, movements: int, seed: int, other_uf: str | None = None
) -> None:
    """Admit patients (without beds, so any number fits) and apply random valid movements."""
    rng = random.Random(seed)
    stays = []
    for n in range(admissions):
        who = identity(
            birth_name=f"PATIENT-{letters(seed)}-{letters(n)}",
            first=rng.choice(["Jeanne", "Paul", "Anaïs", "Éloi"]),
            born=date(1930 + n % 80, 1 + n % 12, 1 + n % 28),
            sex=rng.choice("FM"),
        )
        stays.append(patients.admit(session, uf, identity=who, not_a_duplicate="autre patient").stay)
    done = 0
    while done < movements:
        stay = session.store.stays.get_stay(rng.choice(stays).id)
        assert stay is not None
        if stay.state is StayState.PRESENT:
            choice = rng.choice(
                ["transfer", "leave", "discharge", "cancel"] if other_uf else ["leave", "discharge", "cancel"]
            )
        elif stay.state is StayState.ON_LEAVE:
            choice = rng.choice(["return", "cancel"])
        elif stay.state is StayState.DISCHARGED:
            choice = "cancel"
        else:
            continue
        if choice == "transfer":
            target = (other_uf or uf) if stay.uf_code == uf else uf
            patients.transfer(session, stay.id, target)
        elif choice == "leave":
            patients.start_leave(session, stay.id)
        elif choice == "return":
            patients.end_leave(session, stay.id)
        elif choice == "discharge":
            patients.discharge(session, stay.id, DischargeMode.HOME)
        else:
            undo.cancel_last(session, stay.id)
        done += 1


def letters(number: int) -> str:
    """A number written in letters (names may not hold digits): 0 -> A, 27 -> BB."""
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text = chr(ord("A") + rest) + text
        if number == 0:
            return text


def expected_per_patient(session: Session) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """What the HIS should hold: (trigger, ZBE-1, ZBE-4) per provisional IPP, in order."""
    out: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for row in session.store.outbox.outbox_events(limit=1_000_000):
        patient = session.store.patients.get_patient(row["patient_id"])
        assert patient is not None
        seq = out.setdefault(patient.provisional_ipp, [])
        if row["movement_id"] is None:
            seq.append(("A08" if row["stay_id"] else "A31", None, None))
            continue
        movements = session.store.movements.movements_of(row["stay_id"])
        m = next(x for x in movements if x.id == row["movement_id"])
        if m.kind is MovementKind.CANCEL:
            target = next(x for x in movements if x.id == m.cancels)
            seq.append((CANCEL_TRIGGER[target.kind], target.id, "CANCEL"))
        elif m.kind is MovementKind.UPDATE:  # a correction: ZBE-1 is the movement it corrects
            seq.append(("Z99", m.corrects, "UPDATE"))
        else:
            seq.append((TRIGGER_OF[m.kind], m.id, "INSERT"))
    return out


def assert_his_holds_exactly(
    state: HisState, expected: dict[str, list[tuple[str, str | None, str | None]]]
) -> None:
    controls = [a.control_id for a in state.applied]
    assert len(controls) == len(set(controls)), "a message was applied twice"
    assert state.invalid == []
    held = {p: state.movements_of(p) for p in expected}
    assert held == expected


def counts(session: Session) -> dict[EventStatus, int]:
    return {EventStatus(k): v for k, v in session.store.outbox.outbox_counts().items()}

"""The crisis cell's instructions to the wards, and their acknowledgement.

An instruction (« Bascule en procédure papier », « Urgences en délestage SAMU ») goes to
every UF or to some; it travels in the bundles like any change. A workstation of an
addressed UF shows it until someone there acknowledges it, and the acknowledgement travels
back: the crisis cell sees which workstations have read it, and which have not yet.
"""

from __future__ import annotations

import uuid

from continuity.domain.crisis import Acknowledgement, Instruction, InstructionInput
from continuity.domain.users import Permission, Role
from continuity.errors import NotFound, PermissionDenied
from continuity.session import Session
from continuity.validation import build


def send_instruction(session: Session, text: str, ufs: list[str] | None = None) -> Instruction:
    """An instruction to ``ufs`` (UF or service codes; none: every UF)."""
    session.require(Permission.SEND_INSTRUCTIONS)
    given = build(
        InstructionInput,
        {"text": text, "ufs": tuple(dict.fromkeys(c.strip().upper() for c in ufs or () if c.strip()))},
        "Consigne",
        "Instruction",
    )
    store = session.store
    with store.transaction():
        for code in given.ufs:
            store.crisis.require_service(code)
        instruction = Instruction(
            id=str(uuid.uuid4()),
            at=session.clock(),
            author=session.actor,
            workstation=store.reference.local_workstation().code,
            text=given.text,
            ufs=given.ufs,
        )
        store.crisis.add_instruction(instruction)
        store.audit.append_audit(
            session.actor,
            "instruction.send",
            "instruction",
            instruction.id,
            1,
            {"text": instruction.text, "ufs": list(instruction.ufs), "at": instruction.at.isoformat()},
        )
    return instruction


def _concerns(session: Session, instruction: Instruction) -> bool:
    """Ward staff see the instructions to their UFs; the other roles, all of them."""
    user = session.user
    return user.role is not Role.WARD_STAFF or instruction.addressed_to(user.ufs)


def instructions(session: Session) -> list[Instruction]:
    """The instructions this user is concerned by, newest first, with their acknowledgements."""
    session.require(Permission.READ_STATUS)
    return [i for i in session.store.crisis.instructions() if _concerns(session, i)]


def unacknowledged(session: Session) -> list[Instruction]:
    """What this workstation must still acknowledge (ward staff), oldest first."""
    session.require(Permission.READ_STATUS)
    if session.user.role is not Role.WARD_STAFF:
        return []
    here = session.store.reference.local_workstation().code
    return [i for i in reversed(instructions(session)) if not i.acknowledged_on(here)]


def acknowledge(session: Session, instruction_id: str) -> Instruction:
    """This workstation has read the instruction (by this user, now): sent back to the crisis cell."""
    session.require(Permission.READ_STATUS)
    store = session.store
    with store.transaction():
        found = store.crisis.instructions(instruction_id)
        if not found or not _concerns(session, found[0]):
            raise NotFound("Consigne inconnue.", "Unknown instruction.")
        if session.user.role is not Role.WARD_STAFF:
            raise PermissionDenied(
                "Seuls les postes des unités accusent réception des consignes.",
                "Only the wards' workstations acknowledge instructions.",
            )
        here = store.reference.local_workstation().code
        ack = Acknowledgement(workstation=here, username=session.actor, at=session.clock())
        if store.crisis.add_acknowledgement(instruction_id, ack):
            store.audit.append_audit(
                session.actor,
                "instruction.ack",
                "instruction",
                instruction_id,
                1,
                {"workstation": here, "at": ack.at.isoformat()},
            )
    return store.crisis.instructions(instruction_id)[0]

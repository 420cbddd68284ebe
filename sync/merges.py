"""HIS identity merges (HL7 A40, A47) read from a file: the HIS's IPP for our provisional ones.

An A40 "merge patient" whose MRG-1 names one of our provisional IPPs tells us
which IPP the HIS gave that person. It is recorded through the reconciliation
rules: confirmed when nothing contradicts it, proposed for review otherwise.
The file is read whole before anything is recorded: one malformed message and
nothing is, the error naming the message by its number, never its content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity.domain.outbox import HisMerge
from continuity.domain.users import Permission
from continuity.errors import InvalidInput
from continuity.services import delivery, reconciliation
from continuity.session import Session
from sync import hl7_read

MERGE_TRIGGERS = {"A40", "A47"}


class MergeImport(BaseModel):
    model_config = ConfigDict(frozen=True)
    messages: int
    confirmed: int
    proposed: int
    unknown: int  # merges naming none of our provisional identifiers


def _refused(number: int, fr: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"Fichier de fusions refusé, rien n'a été enregistré : message {number}, {fr}.",
        f"Merge file refused, nothing was recorded: message {number}, {en}.",
    )


def _identifiers(segment: Any, field: int) -> list[tuple[str, str]]:
    """(value, assigning authority namespace) for each repetition of a CX field."""
    return [
        (hl7_read.value(segment, field, rep, 1), hl7_read.value(segment, field, rep, 4, sub=1))
        for rep in range(1, hl7_read.reps(segment, field) + 1)
    ]


def read_merges(text: str, ours: str) -> list[HisMerge]:
    """The A40/A47 merges of an HL7 file (other messages are skipped), or ``InvalidInput``.

    ``ours``: the assigning authority of this site's provisional IPPs (MRG-1 may omit it).
    """
    body = text.replace("\r\n", "\r").replace("\n", "\r").strip("\x0b\x1c\r ")
    chunks = [c for c in body.split("MSH|") if c.strip() and not c.startswith(("FHS", "BHS"))]
    merges: list[HisMerge] = []
    for number, chunk in enumerate(chunks, start=1):
        try:
            msg = hl7_read.parse("MSH|" + chunk.strip("\x0b\x1c\r ") + "\r")
        except hl7_read.Unreadable:
            raise _refused(
                number,
                "message HL7 illisible (en-tête MSH ou séparateurs)",
                "unreadable HL7 message (MSH header or separators)",
            ) from None
        msh = hl7_read.segment(msg, "MSH")
        kind, trigger = hl7_read.value(msh, 9, 1, 1), hl7_read.value(msh, 9, 1, 2)
        if not kind or not trigger:
            raise _refused(number, "type de message incomplet (MSH-9)", "incomplete message type (MSH-9)")
        if trigger not in MERGE_TRIGGERS:
            continue
        pid, mrg = hl7_read.segment(msg, "PID"), hl7_read.segment(msg, "MRG")
        survivor = _identifiers(pid, 3)
        absorbed = _identifiers(mrg, 1)
        if not any(v for v, _ in survivor):
            raise _refused(number, "fusion sans IPP du DPI (PID-3)", "merge without the HIS IPP (PID-3)")
        if not any(v for v, _ in absorbed):
            raise _refused(
                number,
                "fusion sans identifiant fusionné (MRG-1)",
                "merge without the merged identifier (MRG-1)",
            )
        merges.append(
            HisMerge(
                his_ipps=tuple(v for v, a in survivor if v and a != ours),
                merged=tuple(v for v, a in absorbed if v and a in (ours, "")),
            )
        )
    return merges


def import_merges(session: Session, path: Path) -> MergeImport:
    session.require(Permission.SYNC)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInput(
            f"Lecture du fichier impossible ({exc.strerror}).", f"Cannot read the file ({exc.strerror})."
        ) from None
    merges = read_merges(text, delivery.sending_site(session).authority)
    counts = reconciliation.apply_his_merges(session, merges)
    return MergeImport(
        messages=len(merges), confirmed=counts.confirmed, proposed=counts.proposed, unknown=counts.unknown
    )

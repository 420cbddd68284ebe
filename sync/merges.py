"""HIS identity merges (HL7 A40, A47) read from a file: the HIS's IPP for our provisional ones.

An A40 "merge patient" whose MRG-1 names one of our provisional IPPs tells us
which IPP the HIS gave that person. It is recorded through the reconciliation
rules: confirmed when nothing contradicts it, proposed for review otherwise.
"""

from __future__ import annotations

from pathlib import Path

import hl7
from pydantic import BaseModel, ConfigDict

from continuity.domain.outbox import HisMerge
from continuity.domain.users import Permission
from continuity.errors import InvalidInput
from continuity.services import delivery, reconciliation
from continuity.session import Session

MERGE_TRIGGERS = {"A40", "A47"}


class MergeImport(BaseModel):
    model_config = ConfigDict(frozen=True)
    messages: int
    confirmed: int
    proposed: int
    unknown: int  # merges naming none of our provisional identifiers


def _messages(text: str) -> list[hl7.Message]:
    body = text.replace("\r\n", "\r").replace("\n", "\r").strip("\x0b\x1c\r ")
    chunks = [c for c in body.split("MSH|") if c.strip()]
    try:
        return [
            hl7.parse("MSH|" + c.strip("\x0b\x1c\r ") + "\r")
            for c in chunks
            if not c.startswith(("FHS", "BHS"))
        ]
    except (hl7.ParseException, ValueError):
        raise InvalidInput("Fichier HL7 illisible.", "Unreadable HL7 file.") from None


def _identifiers(field: hl7.Field) -> list[tuple[str, str]]:
    """(value, assigning authority namespace) for each repetition of a CX field."""
    out = []
    for rep in field:
        value = str(rep[0]) if isinstance(rep, hl7.Repetition) else str(rep)
        authority = ""
        if isinstance(rep, hl7.Repetition) and len(rep) >= 4:
            auth = rep[3]
            authority = str(auth[0]) if isinstance(auth, hl7.Component) else str(auth)
        out.append((value, authority))
    return out


def import_merges(session: Session, path: Path) -> MergeImport:
    session.require(Permission.SYNC)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInput(
            f"Lecture du fichier impossible ({exc.strerror}).", f"Cannot read the file ({exc.strerror})."
        ) from None
    ours = delivery.sending_site(session).authority
    merges: list[HisMerge] = []
    for msg in _messages(text):
        try:
            trigger = str(msg.segment("MSH")(9)(1)(2))
            pid, mrg = msg.segment("PID"), msg.segment("MRG")
        except (KeyError, IndexError):
            continue
        if trigger not in MERGE_TRIGGERS:
            continue
        merges.append(
            HisMerge(
                his_ipps=tuple(v for v, a in _identifiers(pid(3)) if v and a != ours),
                merged=tuple(v for v, a in _identifiers(mrg(1)) if v and a in (ours, "")),
            )
        )
    counts = reconciliation.apply_his_merges(session, merges)
    return MergeImport(
        messages=len(merges), confirmed=counts.confirmed, proposed=counts.proposed, unknown=counts.unknown
    )

"""Witnesses of the audit chain's head, kept outside the store.

The head of a workstation's chain (the sequence number and hash of its last entry) is
signed with the workstation's Ed25519 key (``continuity.signing``, the label
``CONTINUITE-TEMOIN-AUDIT``) and kept where an insider holding only the database key
cannot rewrite it unnoticed:

* the witness file ``temoin-audit.json`` beside the store, rewritten after each commit
  (``Witness``): only ever moved forward, never over a head the chain no longer holds;
* every exchange bundle's header (``BundleHeader.audit_head``): the other workstations
  keep the latest head received from each peer, in their own store;
* the situation report (the head's number, short hash and time, on paper in the crisis cell).

``audit verify`` checks the chain holds each of them (``holds``): an empty, truncated or
rewritten chain no longer holds an entry a witness saw.

Once this store has written its witness file (``SINCE_META``, a sealed meta row), an
unlock that finds the file missing, or naming a head the chain does not hold, records it
in the chain (``witness.missing``, ``witness.unheld``) before anything else: ``audit
verify`` reports the store not intact until IT acknowledges it (``witness.acknowledged``,
``continuity audit witness --acknowledge REASON``). A new store, or one upgraded from a
kit that wrote no witness, has never written one: its first unlock writes it and records
nothing.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from continuity import signing
from continuity.errors import InvalidInput
from continuity.folders import WITNESS_NAME

if TYPE_CHECKING:
    from continuity.audit import AuditRow
    from continuity.store import Store

LABEL = b"CONTINUITE-TEMOIN-AUDIT\n"
SHORT = 12  # hexadecimal digits of the hash printed on paper (48 bits)
# Set (to the head's number) once this store has written its witness file: from then on a
# witness file missing at unlock is a finding, not a first run.
SINCE_META = "audit.witness_since"
MISSING = "witness.missing"  # the file absent at an unlock (payload: the chain's head then)
UNHELD = "witness.unheld"  # the file names a head the chain does not hold (payload: that head)
ACKNOWLEDGED = "witness.acknowledged"  # IT saw the findings before it (payload: reason, their numbers)

log = logging.getLogger(__name__)


class AuditHead(BaseModel):
    """The head of a workstation's audit chain at a moment, signed by that workstation."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    workstation: str
    seq: int
    hash: str
    at: datetime
    signer: str | None = None  # fingerprint of the signing key
    signature: str | None = None  # base64 Ed25519 signature of ``message()``

    def message(self) -> bytes:
        body = [self.workstation, self.seq, self.hash, self.at.isoformat()]
        return LABEL + json.dumps(body, separators=(",", ":")).encode()

    @property
    def short(self) -> str:
        return self.hash[:SHORT]

    def signed_by(self, public: bytes) -> bool:
        if not self.signature or self.signer != signing.fingerprint(public):
            return False
        try:
            raw = base64.b64decode(self.signature, validate=True)
        except ValueError:
            return False
        return signing.verify(public, self.message(), raw)


def sign_head(private: bytes | None, workstation: str, seq: int, digest: str, at: datetime) -> AuditHead:
    """The head, signed when the workstation has its key (``None``: a store without one yet)."""
    head = AuditHead(workstation=workstation, seq=seq, hash=digest, at=at)
    if private is None:
        return head
    signature = base64.b64encode(signing.sign(private, head.message())).decode()
    return head.model_copy(
        update={"signer": signing.fingerprint(signing.public_key(private)), "signature": signature}
    )


def read_witness(folder: Path) -> AuditHead | None:
    """The witness file of a data folder; None when absent. An unreadable one raises ValueError."""
    path = folder / WITNESS_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return AuditHead.model_validate_json(text)
    except ValidationError:
        raise ValueError("unreadable witness file") from None


class Witness:
    """Keeps a data folder's witness file at the head of its chain (see ``Store.after_commit``).

    Frozen (never written) when the file found at unlock names a head the chain does not
    hold: the file is then the evidence ``audit verify`` reports, and must stay.
    """

    def __init__(
        self,
        folder: Path,
        workstation: str,
        private: Callable[[], bytes | None],
        clock: Callable[[], datetime],
        holds: bool,
        last_seq: int,
    ):
        self.folder = folder
        self._workstation = workstation
        self._private = private
        self._clock = clock
        self.frozen = not holds
        self._last = last_seq
        self.written = 0  # the last head this keeper wrote (0: none yet)

    def write(self, seq: int, digest: str) -> None:
        """After a commit: the new head (never backwards, never over evidence). Never raises."""
        if self.frozen or seq <= self._last:
            return
        head = sign_head(self._private(), self._workstation, seq, digest, self._clock())
        try:
            _replace_private(self.folder / WITNESS_NAME, head.model_dump_json().encode())
        except OSError as exc:  # the work goes on: the witness is only behind
            log.warning(
                "Témoin du journal d'audit non écrit / audit witness not written: %s (errno %s)",
                type(exc).__name__,
                getattr(exc, "errno", None),
            )
            return
        self._last = self.written = seq


def witness_head_at_unlock(folder: Path) -> AuditHead | None:
    """The witness file as found, or None (absent or unreadable: written again at the next commit)."""
    with contextlib.suppress(ValueError, OSError):
        return read_witness(folder)
    return None


def _replace_private(path: Path, data: bytes) -> None:
    """Replace ``path`` at once, owner-only, without fsync (a witness a power cut leaves
    behind, or empty, is only older: it is written again at the next commit)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_GIVEN = re.compile(r"^\s*(\d+)\s*[:/ ]\s*([0-9a-fA-F]{8,64})\s*$")


def parse_given(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed (situation report, ``audit witness`` on another workstation)."""
    match = _GIVEN.match(text)
    if match is None:
        raise InvalidInput(
            "Témoin invalide : « numéro:empreinte » attendu (au moins 8 chiffres hexadécimaux).",
            "Invalid witness: 'number:hash' expected (at least 8 hexadecimal digits).",
        )
    return int(match.group(1)), match.group(2).lower()


def head_line(head: AuditHead) -> str:
    """How a head is written for a person: ``WS n°SEQ SHORT (date)``; ``SEQ:SHORT`` checks it."""
    return f"{head.workstation} n°{head.seq} {head.short} ({_local(head.at)})"


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


# ------------------------------------------------------------ at unlock, and the findings
def outstanding(store: Store) -> list[AuditRow]:
    """The findings about the witness file (``MISSING``, ``UNHELD``) no acknowledgement followed."""
    rows = store.audit.audit_after(0, [MISSING, UNHELD, ACKNOWLEDGED])
    last_ack = max((i for i, r in enumerate(rows) if r.action == ACKNOWLEDGED), default=-1)
    return rows[last_ack + 1 :]


def attach(
    folder: Path, store: Store, clock: Callable[[], datetime], actor: str, *, fresh: bool = False
) -> None:
    """At unlock: record a witness file missing or not held (once), then keep the file at the
    chain's head after every commit (``Store.after_commit``); written now if absent or behind,
    never over a head the chain does not hold (that file is evidence for ``audit verify``).
    ``fresh``: after IT acknowledged the findings, written at the head whatever was there."""
    from continuity.errors import StoreError
    from continuity.store.base import _DB_ERRORS

    unwritable: tuple[type[Exception], ...] = (StoreError, *_DB_ERRORS)
    found = None if fresh else witness_head_at_unlock(folder)
    holds = found is None or store.audit.hash_at(found.seq) == found.hash
    head = store.audit.head()
    since = store.get_meta(SINCE_META)
    finding: tuple[str, dict[str, Any]] | None = None
    if head is not None and since and not fresh:
        if found is None:
            finding = (MISSING, {"head_seq": head[0], "head_hash": head[1]})
        elif not holds:
            finding = (UNHELD, found.model_dump(mode="json"))
    if finding is not None:
        if any(r.action == finding[0] and json.loads(r.payload) == finding[1] for r in outstanding(store)):
            finding = None  # recorded at an earlier unlock
        elif head is not None and store.get_meta("audit_head") == f"{head[0]}:{head[1]}":
            # (a chain whose tail was cut is left as it is: verify reports that first)
            log.warning("Témoin du journal d'audit absent ou non tenu / audit witness missing or not held")
            try:
                with store.transaction():
                    store.audit.append_audit(actor, finding[0], "audit", "witness", 1, finding[1])
            except unwritable:
                pass  # a read-only store cannot record it: verify reports the file itself
            else:
                finding = None
            head = store.audit.head()
    # Not recorded: the file is left as it is (absent, or of a head not held) for verify.
    holds = holds and finding is None

    def private() -> bytes | None:
        value = store.get_meta(signing.SIGNING_META_KEY)
        return base64.b64decode(value) if value else None

    keeper = Witness(
        folder,
        store.reference.local_workstation().code,
        private,
        clock,
        holds,
        found.seq if found is not None and holds else 0,
    )
    store.after_commit = keeper.write
    if head is None:
        return
    keeper.write(*head)
    if not since and keeper.written:
        with contextlib.suppress(*unwritable), store.transaction():
            store.set_meta(SINCE_META, str(keeper.written))

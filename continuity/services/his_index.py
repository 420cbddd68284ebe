"""Importing the HIS identity index, streamed: a full index, or a delta over the one in use.

A full import reads the file once, in batches written to the spare generation of the
index (``continuity.store.his_index``), each batch in its own transaction so that memory
and the write-ahead log stay bounded; the last transaction puts it in use, with its audit
entry. Until then the index in use is untouched: a cancel, an error in the file, a crash
or a full disk leave it as it was (the spare generation is emptied at the next import).

A delta is small (the identities changed since the extraction it names): it is applied in
one transaction, over that very extraction only.

``progress`` is called between batches with the count read, the rate and the time left
(when the file declares its count); ``cancelled`` is asked at the same points.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice

from pydantic import BaseModel, ConfigDict

from continuity import locking
from continuity.domain.his_index import (
    IndexEntry,
    IndexHeader,
    IndexOutcome,
    IndexReport,
    IndexState,
)
from continuity.domain.outbox import IdentifierKind
from continuity.domain.users import Permission
from continuity.errors import InvalidInput
from continuity.his_ids import accepts_plainly, check_his_id
from continuity.his_index_rows import Prepared, prepare
from continuity.services.snapshots import his_identifiers
from continuity.session import Session

BATCH = 40_000  # identities per transaction of a full import (and per sorted run of its keys)
_MOD = 1 << 128


class Progress(BaseModel):
    """Where a long import is: shown by the CLI and the GUI (counts only)."""

    model_config = ConfigDict(frozen=True)
    phase: str  # "read": identities read and written; "sort": search keys merged; "done"
    done: int
    total: int | None  # declared by the file (read), or known (sort)
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        if self.total is None or self.rate <= 0:
            return None
        return max(self.total - self.done, 0) / self.rate


class Cancelled(Exception):
    """The user stopped the import (nothing of it is in use)."""


def index_state(session: Session) -> IndexState | None:
    session.require(Permission.READ_STATUS)
    return session.store.his_index.state()


def import_index(
    session: Session,
    header: IndexHeader,
    entries: Iterable[IndexEntry | Prepared],
    sha256: str,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> IndexReport:
    """Import an index file (read by ``sync.his_index_files``): all of it, or nothing.

    One import at a time on a workstation (``locking.one_index_import``). An index older
    than the one in use is not imported (``IndexOutcome.OLDER``); a delta applies over its
    base only (``MissingBase`` otherwise: the inbox keeps it a while, its base may follow).
    """
    try:
        session.require(Permission.IMPORT_HIS_INDEX)
        with locking.one_index_import(session.workspace.folder):
            return _import(session, header, entries, sha256, progress, cancelled, batch)
    finally:
        close = getattr(entries, "close", None)
        if close is not None:
            close()  # a reader's file and worker processes, whatever the outcome


def _import(
    session: Session,
    header: IndexHeader,
    entries: Iterable[IndexEntry | Prepared],
    sha256: str,
    progress: Callable[[Progress], None] | None,
    cancelled: Callable[[], bool] | None,
    batch: int,
) -> IndexReport:
    store = session.store
    state = store.his_index.state()
    started = time.perf_counter()
    if state is not None and state.extraction == header.extraction:
        return IndexReport(
            outcome=IndexOutcome.DUPLICATE, extraction=header.extraction, taken_at=header.taken_at
        )
    if state is not None and not header.delta and header.taken_at <= state.taken_at:
        return IndexReport(outcome=IndexOutcome.OLDER, extraction=header.extraction, taken_at=header.taken_at)
    if header.delta and (state is None or state.extraction != header.base):
        in_use = state.extraction if state else None
        raise MissingBase(
            f"Delta d'index refusé : il suit l'extraction « {header.base} », l'index en place est "
            + (f"« {in_use} »." if in_use else "absent : importez d'abord un index complet."),
            f"Index delta refused: it follows extraction '{header.base}', the index in use is "
            + (f"'{in_use}'." if in_use else "missing: import a full index first."),
        )
    rows = _checked(session, entries)
    report_progress = _reporter(progress, cancelled, header.count, started)
    if header.delta:
        assert state is not None
        return _apply_delta(session, header, state, rows, sha256, report_progress, batch, started)
    with store.his_index.building():
        return _build_full(session, header, rows, sha256, report_progress, batch, started)


class MissingBase(InvalidInput):
    """A delta whose base is not the index in use."""


class Incomplete(InvalidInput):
    """A file holding fewer (or more) identities than it declares: maybe still being written."""


def _count_checked(header: IndexHeader, read: int) -> None:
    if header.count is not None and header.count != read:
        raise Incomplete(
            f"Index refusé : il annonce {header.count} identités et en contient {read}.",
            f"Index refused: it declares {header.count} identities and holds {read}.",
        )


def _reporter(
    progress: Callable[[Progress], None] | None,
    cancelled: Callable[[], bool] | None,
    declared: int | None,
    started: float,
) -> Callable[[str, int, int | None], None]:
    def report(phase: str, done: int, total: int | None = declared) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled
        if progress is not None:
            progress(Progress(phase=phase, done=done, total=total, elapsed=time.perf_counter() - started))

    return report


def _checked(session: Session, entries: Iterable[IndexEntry | Prepared]) -> Iterator[Prepared]:
    """Each entry with its stored row (computed here unless the reader did, in its worker
    processes); the IPP checked against the HIS's declared rules."""
    his = his_identifiers(session)
    plain = accepts_plainly(his.ipp_pattern)
    foreign = {his.provisional_ipp_oid} - {None}
    for number, item in enumerate(entries, start=1):
        ipp, authority, row = prepare(item) if isinstance(item, IndexEntry) else item
        if not plain(ipp):
            check_his_id(IdentifierKind.IPP, ipp, his.ipp_pattern, where=_where(number))
        authority = (authority or "").removeprefix("urn:oid:") or None
        if authority is not None and (
            (his.ipp_oid and authority != his.ipp_oid and authority[:1].isdigit()) or authority in foreign
        ):
            where = _where(number)
            raise InvalidInput(
                f"{where[0]} : IPP d'un autre domaine que celui de l'établissement.",
                f"{where[1]}: IPP of another domain than the establishment's.",
            )
        yield ipp, authority, row


def _where(number: int) -> tuple[str, str]:
    return f"Identité n°{number}", f"Identity #{number}"


def _build_full(
    session: Session,
    header: IndexHeader,
    rows: Iterator[Prepared],
    sha256: str,
    report: Callable[[str, int, int | None], None],
    batch: int,
    started: float,
) -> IndexReport:
    store = session.store
    index = store.his_index
    with store.transaction():
        gen = index.reset_spare()
    read = digest = 0
    try:
        for run in range(1 << 30):
            chunk = [row for _, _, row in islice(rows, batch)]
            if not chunk:
                break
            if any(row is None for row in chunk):
                raise InvalidInput(
                    "Index complet refusé : il retire des identités (c'est la forme d'un delta).",
                    "Full index refused: it removes identities (that is the form of a delta).",
                )
            ready = [row for row in chunk if row is not None]
            with store.transaction():
                index.load_batch(gen, run, ready)
            read += len(ready)
            digest += sum(row.digest for row in ready)
            report("read", read, header.count)
        _count_checked(header, read)
        with store.transaction():
            report("sort", read, read)
            index.finish_spare(gen)  # refuses an IPP listed twice
            old = index.generation()
            result = _put_in_use(
                session,
                header,
                sha256,
                gen,
                read,
                digest,
                started,
                IndexOutcome.IMPORTED,
                read=read,
                added=read,
            )
    except Cancelled:
        with store.transaction():
            index.reset_spare()
        return _cancelled(header, read, started)
    except BaseException:
        with store.transaction():
            index.reset_spare()
        raise
    if old is not None:
        with store.transaction():
            index.empty(old)
    report("done", read, read)
    return result


def _apply_delta(
    session: Session,
    header: IndexHeader,
    state: IndexState,
    rows: Iterator[Prepared],
    sha256: str,
    report: Callable[[str, int, int | None], None],
    batch: int,
    started: float,
) -> IndexReport:
    store = session.store
    index = store.his_index
    added = updated = removed = read = 0
    change = 0
    try:
        with store.transaction():
            while True:
                chunk = list(islice(rows, batch))
                if not chunk:
                    break
                for ipp, _, row in chunk:  # in the file's order: a removal then a re-addition stands
                    if row is None:
                        r, c = index.remove([ipp])
                        removed, change = removed + r, change + c
                    else:
                        a, u, c = index.upsert([row])
                        added, updated, change = added + a, updated + u, change + c
                read += len(chunk)
                report("read", read, header.count)
            _count_checked(header, read)
            total = index.count()
            result = _put_in_use(
                session,
                header,
                sha256,
                index.generation() or "a",
                total,
                int(state.digest, 16) + change,
                started,
                IndexOutcome.DELTA,
                read=read,
                added=added,
                updated=updated,
                removed=removed,
            )
    except Cancelled:
        return _cancelled(header, read, started)
    report("done", read, read)
    return result


def _put_in_use(
    session: Session,
    header: IndexHeader,
    sha256: str,
    gen: str,
    count: int,
    digest: int,
    started: float,
    outcome: IndexOutcome,
    **counts: int,
) -> IndexReport:
    """In the import's last transaction: the generation in use, its state and compact seal,
    the patients admitted from it refreshed, the report recorded and audited."""
    state = IndexState(
        extraction=header.extraction,
        taken_at=header.taken_at,
        imported_at=session.clock(),
        count=count,
        digest=f"{digest % _MOD:032x}",
    )
    session.store.his_index.swap(gen, state)
    result = IndexReport(
        outcome=outcome,
        extraction=header.extraction,
        taken_at=header.taken_at,
        total=count,
        patients_refreshed=_refresh_admitted(session, header.taken_at),
        seconds=time.perf_counter() - started,
        **counts,
    )
    _record(session, header, sha256, result, state)
    return result


def _cancelled(header: IndexHeader, read: int, started: float) -> IndexReport:
    return IndexReport(
        outcome=IndexOutcome.CANCELLED,
        extraction=header.extraction,
        taken_at=header.taken_at,
        read=read,
        seconds=time.perf_counter() - started,
    )


def _refresh_admitted(session: Session, taken_at: datetime) -> int:
    """Patients admitted here from the index get the identity the new index gives them (as a
    snapshot refreshes HIS patients), unless corrected here; return how many changed."""
    store = session.store
    changed = 0
    for patient_id, ipp, identity, as_of in store.his_index.admitted_from_index():
        if as_of is not None and taken_at <= as_of:
            continue  # a newer snapshot or index gave this identity
        hit = store.his_index.by_ipp(ipp)
        if hit is not None and hit.identity != identity:
            store.patients.update_his_identity(patient_id, hit.identity, taken_at)
            changed += 1
    return changed


def _record(
    session: Session, header: IndexHeader, sha256: str, report: IndexReport, state: IndexState
) -> None:
    store = session.store
    body = {
        **report.model_dump(mode="json", exclude={"seconds"}),
        "base": header.base,
        "digest": state.digest,
    }
    store.snapshots.record_snapshot_import(
        sha256, f"index-{header.format}", header.taken_at, report.outcome.value, body
    )
    store.audit.append_audit(session.actor, "his_index.import", "his_index", header.extraction, 1, body)


def verify_index(session: Session) -> bool:
    """The index in use is the one its last import committed (its digest), row for row."""
    session.require(Permission.VERIFY_AUDIT)
    state = session.store.his_index.state()
    if state is None:
        return True
    return f"{session.store.his_index.digest():032x}" == state.digest

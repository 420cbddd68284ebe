"""Importing one snapshot file from the inbox folder: import it whole, or quarantine it.

After a successful import the file is deleted: its data now lives in the
encrypted store, and a clear copy of a census should not linger on the disk.
A file that cannot be imported goes to the quarantine folder beside a report
(``.erreur.txt``) that says what is wrong and where, without any patient data.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from continuity.domain.his_index import IndexOutcome, IndexReport
from continuity.domain.snapshot import SnapshotReport
from continuity.domain.users import Permission
from continuity.errors import Conflict, InvalidInput
from continuity.folders import write_private
from continuity.services import exchange, his_index, snapshots
from continuity.session import Session
from sync.dropped import UNREADABLE_EN, UNREADABLE_FR, TooLarge, read_dropped
from sync.his_index_files import file_sha256, is_index_file, read_index
from sync.snapshots import SnapshotRejected, parse_snapshot

QUARANTINE_DIR = "quarantaine"
INCOMPLETE_GRACE_SECONDS = 30.0  # a file cut short this recently may still be being written
DELTA_WAIT_SECONDS = 6 * 3600.0  # a delta waits this long for its base (dropped with it, bigger)


class FileOutcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    OLDER = "older"
    QUARANTINED = "quarantined"
    RETRY = "retry"  # looks incomplete and was written recently: try again later
    GONE = "gone"  # vanished before it could be read
    UNREADABLE = "unreadable"  # no permission to read it: left where it is


class FileResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    outcome: FileOutcome
    report: SnapshotReport | IndexReport | None = None
    error_fr: str | None = None
    error_en: str | None = None


def import_file(
    session: Session, path: Path, *, quarantine: Path | None = None, grace: float = INCOMPLETE_GRACE_SECONDS
) -> FileResult:
    limit = exchange.file_limits(session).snapshot_bytes
    try:
        if is_index_file(path):
            return _import_index(session, path, quarantine, grace, limit)
    except FileNotFoundError:
        return FileResult(name=path.name, outcome=FileOutcome.GONE)
    except OSError:
        return FileResult(
            name=path.name, outcome=FileOutcome.UNREADABLE, error_fr=UNREADABLE_FR, error_en=UNREADABLE_EN
        )
    try:
        dropped = read_dropped(path, limit)
    except TooLarge as exc:
        refused = SnapshotRejected(exc.message_fr, exc.message_en)
        if snapshots.already_imported(session, exc.sha256):
            path.unlink(missing_ok=True)
            return FileResult(name=path.name, outcome=FileOutcome.DUPLICATE)
        _quarantine(path, quarantine or path.parent / QUARANTINE_DIR, refused, exc.sha256)
        snapshots.record_refusal(session, exc.sha256, refused.message_fr, refused.message_en)
        return FileResult(
            name=path.name, outcome=FileOutcome.QUARANTINED, error_fr=exc.message_fr, error_en=exc.message_en
        )
    except OSError:
        return FileResult(
            name=path.name, outcome=FileOutcome.UNREADABLE, error_fr=UNREADABLE_FR, error_en=UNREADABLE_EN
        )
    if dropped is None:
        return FileResult(name=path.name, outcome=FileOutcome.GONE)
    digest = dropped.sha256
    if snapshots.already_imported(session, digest):
        path.unlink(missing_ok=True)
        return FileResult(name=path.name, outcome=FileOutcome.DUPLICATE)
    ids = snapshots.his_identifiers(session)
    try:
        snapshot = parse_snapshot(dropped.raw, path.name, dropped.modified_at, ids, max_bytes=limit)
    except SnapshotRejected as exc:
        if exc.incomplete and dropped.still_settling(grace):
            return FileResult(name=path.name, outcome=FileOutcome.RETRY)
        return _refuse(session, path, quarantine, exc, digest)
    except Exception as exc:  # a reader's fault, not the file's alone: still never retried forever
        unforeseen = SnapshotRejected(
            f"Fichier illisible par le lecteur du kit (erreur inattendue {type(exc).__name__}) : "
            "rien n'a été importé.",
            f"File the kit's reader cannot read (unexpected {type(exc).__name__}): nothing was imported.",
        )
        return _refuse(session, path, quarantine, unforeseen, digest)
    try:
        report = snapshots.import_snapshot(session, snapshot, digest)
    except Exception:  # rolled back whole; what the store refused must not block the inbox
        refused = SnapshotRejected(
            "Instantané incohérent avec les données de ce poste : rien n'a été importé.",
            "Snapshot inconsistent with this workstation's data: nothing was imported.",
        )
        return _refuse(session, path, quarantine, refused, digest)
    path.unlink(missing_ok=True)
    outcome = {
        "imported": FileOutcome.IMPORTED,
        "older": FileOutcome.OLDER,
        "duplicate": FileOutcome.DUPLICATE,
    }[report.outcome.value]
    return FileResult(name=path.name, outcome=outcome, report=report)


def _import_index(
    session: Session, path: Path, quarantine: Path | None, grace: float, limit: int
) -> FileResult:
    """An identity index file: streamed (``sync.his_index_files``), never read whole."""
    if not session.user.can(Permission.IMPORT_HIS_INDEX):  # before reading 100 MB at each scan
        return FileResult(
            name=path.name,
            outcome=FileOutcome.RETRY,
            error_fr="Index du DPI laissé en place : à importer par l'informatique ou la cellule de crise.",
            error_en="HIS index left in place: to be imported by IT or the crisis cell.",
        )
    stat = path.stat()
    digest = file_sha256(path)
    if snapshots.already_imported(session, digest):
        path.unlink(missing_ok=True)
        return FileResult(name=path.name, outcome=FileOutcome.DUPLICATE)
    settling = datetime.now().timestamp() - stat.st_mtime < grace
    if stat.st_size > limit:
        mb, most = f"{stat.st_size / (1 << 20):.1f}", f"{limit / (1 << 20):.1f}"
        refused = SnapshotRejected(
            f"Index trop volumineux ({mb} Mo, limite {most} Mo) : refusé sans être lu.",
            f"Index too large ({mb} MB, limit {most} MB): refused without being read.",
        )
        return _refuse(session, path, quarantine, refused, digest)
    try:
        header, entries = read_index(path, snapshots.his_identifiers(session))
        report = his_index.import_index(session, header, entries, digest)
    except Conflict as exc:  # another import of the index is running: this one waits
        return FileResult(
            name=path.name, outcome=FileOutcome.RETRY, error_fr=exc.message_fr, error_en=exc.message_en
        )
    except SnapshotRejected as exc:
        if exc.incomplete and settling:
            return FileResult(name=path.name, outcome=FileOutcome.RETRY)
        return _refuse(session, path, quarantine, exc, digest)
    except his_index.Incomplete as exc:  # fewer lines than declared: maybe still being copied
        if settling:
            return FileResult(name=path.name, outcome=FileOutcome.RETRY)
        return _refuse(session, path, quarantine, SnapshotRejected(exc.message_fr, exc.message_en), digest)
    except his_index.MissingBase as exc:  # its full index may be still on its way (a bigger file)
        if datetime.now().timestamp() - stat.st_mtime < DELTA_WAIT_SECONDS:
            return FileResult(
                name=path.name, outcome=FileOutcome.RETRY, error_fr=exc.message_fr, error_en=exc.message_en
            )
        return _refuse(session, path, quarantine, SnapshotRejected(exc.message_fr, exc.message_en), digest)
    except InvalidInput as exc:  # the index's own rules: its IPP domain, an IPP twice
        return _refuse(session, path, quarantine, SnapshotRejected(exc.message_fr, exc.message_en), digest)
    path.unlink(missing_ok=True)
    outcome = {
        IndexOutcome.DUPLICATE: FileOutcome.DUPLICATE,
        IndexOutcome.OLDER: FileOutcome.OLDER,
    }.get(report.outcome, FileOutcome.IMPORTED)
    return FileResult(name=path.name, outcome=outcome, report=report)


def _refuse(
    session: Session, path: Path, quarantine: Path | None, exc: SnapshotRejected, digest: str
) -> FileResult:
    """Move the file to quarantine beside its report, and remember it was refused."""
    _quarantine(path, quarantine or path.parent / QUARANTINE_DIR, exc, digest)
    snapshots.record_refusal(session, digest, exc.message_fr, exc.message_en)
    return FileResult(
        name=path.name, outcome=FileOutcome.QUARANTINED, error_fr=exc.message_fr, error_en=exc.message_en
    )


def _quarantine(path: Path, folder: Path, exc: SnapshotRejected, digest: str) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)  # the HIS's files, in clear: IT only
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}-{path.name}"
    n = 1
    while target.exists():
        target = folder / f"{stamp}-{n}-{path.name}"
        n += 1
    os.replace(path, target)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)  # as the HIS left it (often 0644) until now
    lines = [
        "Instantané du DPI refusé : rien n'a été importé.",
        "HIS snapshot refused: nothing was imported.",
        "",
        f"Fichier / file : {path.name}",
        f"SHA-256 : {digest}",
        f"Refusé le / refused at : {datetime.now().astimezone().isoformat(timespec='seconds')}",
        "",
        exc.message_fr,
        exc.message_en,
        *(f"  - {d}" for d in exc.details),
        "",
        "Corrigez l'export du DPI puis déposez un nouveau fichier dans la boîte de dépôt.",
        "Fix the HIS export, then drop a new file into the inbox.",
    ]
    report = target.with_name(target.name + ".erreur.txt")
    write_private(report, "\n".join(lines) + "\n")

"""Reading HIS identity index files, streamed: a full index or a delta (docs/snapshots-and-exchange.md).

The documented CSV of snapshots (``sync.snapshots.csv_format``: same columns, same rules),
with comment lines before the column header that make it an index::

    # index: <id of this extraction>          (required: what makes the file an index)
    # base: <id of the extraction it follows>  (a delta only)
    # instantane: <ISO time of the extraction>
    # nombre: <number of identities>           (optional: progress, and checked at the end)
    ipp;nom_naissance;prenoms;date_naissance;sexe;...;action
    ...
    # fin: <number of identities>              (optional, checked)

In a delta, ``action`` = ``suppression`` marks an identity the HIS removed (merged into
another, deleted); other lines add or replace. The file is read line by line (a CHU's
index is 2 million lines): memory stays constant, and a reading error names the line,
never its content.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import pickle
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from pydantic import ValidationError

from continuity.domain.his_index import IndexEntry, IndexHeader
from continuity.domain.snapshot import HisIdentifiers
from continuity.his_index_rows import Prepared, index_row
from sync.frames import read_frame, write_frame
from sync.snapshots.common import SnapshotRejected, aware
from sync.snapshots.csv_format import REQUIRED, identity_of_row

INDEX_MARK = re.compile(rb"^#\s*index\s*[:=]", re.IGNORECASE | re.MULTILINE)
HEAD_BYTES = 8192  # the comment lines of the header are within the first few lines
MAX_LINE = 16_384  # one identity; a longer line is not one
_COMMENT = re.compile(r"#\s*([\w-]+)\s*[:=]")
CHUNK_LINES = 2000  # lines validated per task
PARALLEL_FROM_BYTES = 8 << 20  # ~80,000 identities
MAX_WORKERS = 2
READ_AHEAD = 6  # answers (of CHUNK_LINES identities each) read ahead while the store is written
REMOVED = {"suppression", "supprime", "supprimé", "delete", "removed"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def is_index_file(path: Path) -> bool:
    """An index file says so in its first comment lines (``# index: <id>``)."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    return INDEX_MARK.search(head.replace(b"\xef\xbb\xbf", b"", 1)) is not None


def read_index(
    path: Path, ids: HisIdentifiers | None = None, *, workers: int | None = None
) -> tuple[IndexHeader, Iterator[IndexEntry | Prepared]]:
    """The header, read now, and the identities, read as they are consumed (the file stays
    open until the iterator is exhausted or closed). ``workers``: processes validating the
    lines while this one writes them (None: ``default_workers``; 0: none)."""
    if workers is None:
        workers = default_workers(path)
    del ids  # the IPP domain is checked by the import (continuity.services.his_index)
    f = path.open("r", encoding="utf-8-sig", newline="")
    try:
        meta, header_line, number = _head(f)
        header = _header(meta)
    except BaseException:
        f.close()
        raise
    return header, _entries(f, header_line, number, header.delta, workers)


def _line(f: IO[str]) -> str:
    line = f.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise SnapshotRejected("Ligne trop longue pour une identité.", "Line too long for an identity.")
    return line


def _head(f: IO[str]) -> tuple[dict[str, str], str, int]:
    meta: dict[str, str] = {}
    number = 0
    while True:
        try:
            line = _line(f)
        except UnicodeDecodeError:
            raise SnapshotRejected(
                "Fichier illisible : encodage UTF-8 attendu.", "Unreadable file: UTF-8 encoding expected."
            ) from None
        number += 1
        if not line:
            raise SnapshotRejected(
                "Index sans en-tête de colonnes.", "Index without a column header.", incomplete=True
            )
        match = _COMMENT.match(line)
        if match:
            meta[match.group(1).lower()] = line[match.end() :].strip()
        elif line.strip() and not line.startswith("#"):
            return meta, line, number


def _header(meta: dict[str, str]) -> IndexHeader:
    taken = meta.get("instantane")
    try:
        taken_at = aware(datetime.fromisoformat(taken)) if taken else None
    except ValueError:
        taken_at = None
    if taken_at is None:
        raise SnapshotRejected(
            "Ligne « # instantane » absente ou invalide (date et heure ISO attendues).",
            "'# instantane' line missing or invalid (ISO date and time expected).",
        )
    count = meta.get("nombre")
    if count is not None and not count.isdigit():
        raise SnapshotRejected("Ligne « # nombre » invalide.", "Invalid '# nombre' line.")
    try:
        return IndexHeader(
            format="csv",
            taken_at=taken_at,
            extraction=meta.get("index", ""),
            base=meta.get("base") or None,
            count=int(count) if count else None,
        )
    except ValidationError:
        raise SnapshotRejected(
            "Identifiant d'extraction invalide (« # index » ou « # base » : lettres, chiffres, . _ : -).",
            "Invalid extraction id ('# index' or '# base': letters, digits, . _ : -).",
        ) from None


class _Columns(NamedTuple):
    names: list[str]
    delimiter: str
    delta: bool


def _columns(header_line: str, delta: bool) -> _Columns:
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    names = [c.strip().lower() for c in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise SnapshotRejected(
            f"En-tête d'index incomplet : colonnes manquantes {', '.join(missing)}.",
            f"Incomplete index header: missing columns {', '.join(missing)}.",
        )
    return _Columns(names, delimiter, delta)


def parse_lines(lines: Sequence[tuple[int, str]], columns: _Columns) -> list[Prepared]:
    """The identities of some data lines (number, text), as the rows to store; the first
    error found is raised. The IPPs are checked by the import (the HIS's declared rules)."""
    width = len(columns.names)
    found: list[Prepared] = []
    for (number, _), row in zip(
        lines, csv.reader([t for _, t in lines], delimiter=columns.delimiter), strict=False
    ):
        if len(row) != width:
            raise SnapshotRejected(
                f"Ligne {number} : {len(row)} colonnes au lieu de {width}.",
                f"Line {number}: {len(row)} columns instead of {width}.",
            )
        values = {h: v.strip() for h, v in zip(columns.names, row, strict=True)}
        if values.get("action", "").lower() in REMOVED:
            if not columns.delta:
                raise SnapshotRejected(
                    f"Ligne {number} : une suppression n'a de sens que dans un delta (« # base »).",
                    f"Line {number}: a removal only makes sense in a delta ('# base').",
                )
            if not values["ipp"]:
                raise SnapshotRejected(f"Ligne {number} : IPP manquant.", f"Line {number}: IPP missing.")
            found.append((values["ipp"], None, None))
            continue
        ipp, authority = values["ipp"], values.get("autorite") or None
        if not ipp:
            raise SnapshotRejected(f"Ligne {number} : IPP manquant.", f"Line {number}: IPP missing.")
        found.append((ipp, authority, index_row(ipp, authority, identity_of_row(values, number))))
    return found


def parse_in_worker(lines: Sequence[tuple[int, str]], columns: _Columns) -> tuple[Any, ...]:
    """``parse_lines`` in a worker process, with the rows to store: the error comes back as
    its two messages."""
    try:
        return ("ok", parse_lines(lines, columns))
    except SnapshotRejected as exc:
        return ("rejected", exc.message_fr, exc.message_en, exc.incomplete)
    except (ValueError, TypeError, csv.Error):
        return ("rejected", *_UNREADABLE, False)


_UNREADABLE = (
    "Ligne non conforme au format attendu (valeur illisible ou hors limites).",
    "Line not in the expected format (unreadable or out-of-range value).",
)


_WORKER_GONE = (
    "Un processus de lecture de l'index s'est arrêté avant la fin : rien n'a été importé.",
    "A process reading the index stopped before the end: nothing was imported.",
)


def _chunks(f: IO[str], header_line: str, number: int) -> Iterator[list[tuple[int, str]]]:
    """The data lines in chunks, with their numbers; the end checks (``# fin``, last line)."""
    count = 0
    end: str | None = None
    last = header_line
    chunk: list[tuple[int, str]] = []
    while True:
        try:
            line = _line(f)
        except UnicodeDecodeError:
            raise SnapshotRejected(
                f"Ligne {number + 1} : encodage UTF-8 attendu.",
                f"Line {number + 1}: UTF-8 encoding expected.",
            ) from None
        if not line:
            break
        number += 1
        last = line
        if line.startswith("#"):
            match = _COMMENT.match(line)
            if match and match.group(1).lower() == "fin":
                end = line[match.end() :].strip()
            continue
        if not line.strip():
            continue
        if (
            "\n" in line.rstrip("\r\n")
            or "\r" in line.rstrip("\r\n")
            or ('"' in line and line.count('"') % 2)
        ):
            raise SnapshotRejected(f"Ligne {number} : champ mal formé.", f"Line {number}: malformed field.")
        chunk.append((number, line))
        count += 1
        if len(chunk) == CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
    if end is not None and (not end.isdigit() or int(end) != count):
        raise SnapshotRejected(
            "Le nombre d'identités ne correspond pas à la ligne « # fin ».",
            "The number of identities does not match the '# fin' line.",
            incomplete=True,
        )
    if end is None and not last.endswith("\n"):
        raise SnapshotRejected(
            "Index coupé (pas de fin de ligne finale).",
            "Index cut short (no final line break).",
            incomplete=True,
        )


def _entries(
    f: IO[str], header_line: str, number: int, delta: bool, workers: int
) -> Iterator[IndexEntry | Prepared]:
    with f:
        columns = _columns(header_line, delta)
        if workers < 1:
            for chunk in _chunks(f, header_line, number):
                yield from parse_lines(chunk, columns)
            return
        yield from _in_workers(_chunks(f, header_line, number), columns, workers)


def _in_workers(chunks: Iterator[list[tuple[int, str]]], columns: _Columns, count: int) -> Iterator[Prepared]:
    """Chunk k goes to worker k mod n, and its result is read back in the same order: each
    worker answers in order, so the entries come out as the file has them. A thread feeds
    the workers (its writes may block on a full pipe while this one reads)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sync.index_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a worker's traceback could quote a line
        )
        for _ in range(count)
    ]
    failure: list[BaseException] = []
    sent = [0]

    def feed() -> None:
        try:
            for k, chunk in enumerate(chunks):
                stdin = procs[k % count].stdin
                assert stdin is not None
                write_frame(stdin, (chunk, columns))
                sent[0] = k + 1
        except OSError:  # a worker gone (its pipe broken), or the file closed by a cancel
            failure.append(SnapshotRejected(*_WORKER_GONE))
        except BaseException as exc:  # the file's error: raised once the lines before it are out
            failure.append(exc)
        finally:
            for proc in procs:
                with contextlib.suppress(OSError):
                    if proc.stdin is not None:
                        proc.stdin.close()

    # A second thread drains the workers' answers, in order, into a short queue: while this
    # one writes a batch to the store, the workers go on (their pipes would fill, and stop them).
    answers: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()
    received = [0]

    def drain() -> None:
        try:
            while not stop.is_set():
                stdout = procs[received[0] % count].stdout
                assert stdout is not None
                outcome = read_frame(stdout)
                if outcome is None:
                    break
                received[0] += 1
                while not stop.is_set():
                    try:
                        answers.put(outcome, timeout=0.2)
                        break
                    except queue.Full:
                        continue
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            pass  # a worker gone: counted below
        finally:
            with contextlib.suppress(queue.Full):
                answers.put(None, timeout=5)

    feeder = threading.Thread(target=feed, name="index-feeder", daemon=True)
    drainer = threading.Thread(target=drain, name="index-drainer", daemon=True)
    feeder.start()
    drainer.start()
    try:
        while (outcome := answers.get()) is not None:
            yield from _result(outcome)
        feeder.join(timeout=2)
        if feeder.is_alive():  # a worker died: the feeder waits on another that no longer reads
            for proc in procs:
                proc.kill()
            feeder.join()
        if received[0] < sent[0]:  # a worker died before answering
            raise SnapshotRejected(*_WORKER_GONE)
        if failure:
            raise failure[0]
    finally:
        stop.set()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()


def _result(outcome: tuple[Any, ...]) -> list[Prepared]:
    if outcome[0] == "ok":
        return list(outcome[1])
    raise SnapshotRejected(outcome[1], outcome[2], incomplete=outcome[3])


def default_workers(path: Path) -> int:
    """Worker processes for reading a file: none for a small one (starting one costs ~0.5 s)."""
    if path.stat().st_size < PARALLEL_FROM_BYTES:
        return 0
    return max(1, min(MAX_WORKERS, (os.cpu_count() or 1)))

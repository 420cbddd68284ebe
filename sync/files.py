"""File drops for HIS interface engines, or a USB transfer to a machine that can reach the HIS.

Each export writes two files named after the workstation and the export time:
an HL7 v2 batch (FHS/BHS ... BTS/FTS around the ADT messages) and FHIR NDJSON
(one transaction Bundle per line, one per patient). Each is written beside
its final name, flushed to disk, then renamed, so an interface engine that
watches the folder never reads half a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import hl7

from continuity.errors import StoreError
from continuity.folders import write_failure
from sync.hl7_adt import SEPARATORS, escape, hl7_time


def batch_text(
    messages: Sequence[str], site_code: str, workstation: str, batch_id: str, now: datetime
) -> str:
    """An HL7 batch file: FHS, BHS, the messages as built, BTS with the count, FTS.

    The envelope segments come from python-hl7; the messages are laid in as they
    were built (each ends with its segment terminator). python-hl7's own
    ``Batch.__str__`` would add a second terminator between messages, an empty
    segment that strict interface engines reject.
    """
    file = hl7.File(sequence=[], separators=SEPARATORS)
    batch = file.create_batch([])
    fhs, bhs = file.create_header(), batch.create_header()
    for index, value in ((3, "CONTINUITE"), (4, workstation), (7, hl7_time(now)), (11, batch_id)):
        fhs.assign_field(escape(value), index)
        bhs.assign_field(escape(value), index)
    bhs.assign_field(escape(site_code), 6)
    bts, fts = batch.create_trailer(), file.create_trailer()
    bts.assign_field(str(len(messages)), 1)
    fts.assign_field("1", 1)
    cr = SEPARATORS[0]
    return "".join([str(fhs) + cr, str(bhs) + cr, *messages, str(bts) + cr, str(fts) + cr])


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # patient data: owner-only
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    except FileExistsError:
        raise StoreError(
            "Un fichier d'export du même nom existe déjà ; réessayez dans une seconde.",
            "An export file with the same name already exists; retry in a second.",
        ) from None
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise write_failure(exc, path.parent) or StoreError(
            f"Écriture du fichier d'export impossible ({exc.strerror}).",
            f"Cannot write the export file ({exc.strerror}).",
        ) from None


def export_names(folder: Path, workstation: str, now: datetime) -> tuple[Path, Path]:
    stem = f"continuite-{workstation}-{now.astimezone():%Y%m%d-%H%M%S}"
    return folder / f"{stem}.hl7", folder / f"{stem}.ndjson"

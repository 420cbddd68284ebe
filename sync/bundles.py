"""Exchange bundle files: written atomically, encrypted and authenticated with the site key.

Layout: the line ``CONTINUITE-ECHANGE``, a JSON header line (site, workstation,
sequence, time, number of changes, key fingerprint: no patient data), a
12-byte nonce, then the changes compressed and sealed with AES-256-GCM
(``cryptography``), the magic line and header being authenticated data. A
bundle sealed with another key (another site) or changed by one byte is
refused whole. Bundles stay in the exchange folder (others read it too);
what was imported or refused is remembered in the store.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, ValidationError

from continuity.domain.exchange import ApplyReport, BundleHeader, ReceivedChange
from continuity.errors import InvalidInput, StoreError
from continuity.folders import write_failure
from continuity.services import crisis, exchange
from continuity.session import Session
from sync.dropped import UNREADABLE_EN, UNREADABLE_FR, read_dropped

MAGIC = b"CONTINUITE-ECHANGE\n"
SUFFIX = ".cxb"
NONCE_BYTES = 12
INCOMPLETE_GRACE_SECONDS = 30.0


class BundleRefused(InvalidInput):
    def __init__(self, message_fr: str, message_en: str, *, incomplete: bool = False):
        super().__init__(message_fr, message_en)
        self.incomplete = incomplete


class BundleOutcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    OWN = "own"  # written by this workstation
    REFUSED = "refused"
    RETRY = "retry"
    GONE = "gone"


class BundleResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    outcome: BundleOutcome
    report: ApplyReport | None = None
    error_fr: str | None = None
    error_en: str | None = None


def file_name(header: BundleHeader) -> str:
    return f"echange-{header.site}-{header.workstation}-{header.seq:06d}{SUFFIX}"


def seal(export: exchange.Export, key: bytes) -> bytes:
    header = export.header.model_dump_json().encode()
    body = json.dumps(
        {"changes": [c.model_dump(mode="json") for c in export.changes], "his_records": export.his_records},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(body, 6), MAGIC + header)
    return MAGIC + header + b"\n" + nonce + sealed


def read_header(raw: bytes) -> tuple[BundleHeader, bytes, bytes]:
    """(header, its bytes, the rest) of a bundle file, or ``BundleRefused``."""
    if not raw.startswith(MAGIC):
        incomplete = MAGIC.startswith(raw)
        raise BundleRefused(
            "Ce fichier n'est pas un lot d'échange du kit.",
            "This file is not an exchange bundle of the kit.",
            incomplete=incomplete,
        )
    line_end = raw.find(b"\n", len(MAGIC))
    if line_end < 0:
        raise BundleRefused("Lot d'échange coupé.", "Exchange bundle cut short.", incomplete=True)
    header_bytes = raw[len(MAGIC) : line_end]
    try:
        header = BundleHeader.model_validate_json(header_bytes)
    except ValidationError:
        raise BundleRefused(
            "En-tête du lot d'échange illisible.", "Unreadable exchange bundle header."
        ) from None
    return header, header_bytes, raw[line_end + 1 :]


def unseal(raw: bytes, key: bytes) -> tuple[BundleHeader, list[ReceivedChange], list[dict[str, Any]]]:
    header, header_bytes, rest = read_header(raw)
    if header.key_id != exchange.key_id(key):
        raise BundleRefused(
            "Lot scellé avec une autre clé d'échange (autre site, ou clé non importée ici) : refusé.",
            "Bundle sealed with another exchange key (another site, or key not imported here): refused.",
        )
    try:
        body = AESGCM(key).decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], MAGIC + header_bytes)
        content = json.loads(zlib.decompress(body))
        changes = [ReceivedChange.model_validate(c) for c in content["changes"]]
    except (InvalidTag, ValueError, KeyError, zlib.error, ValidationError):
        raise BundleRefused(
            "Lot d'échange altéré ou incomplet (contrôle d'authenticité en échec) : refusé.",
            "Exchange bundle altered or incomplete (authenticity check failed): refused.",
            incomplete=True,
        ) from None
    if len(changes) != header.changes or any(c.origin != header.workstation for c in changes):
        raise BundleRefused(
            "Lot d'échange incohérent avec son en-tête : refusé.",
            "Exchange bundle inconsistent with its header: refused.",
        )
    return header, changes, list(content.get("his_records", []))


def write_bundle(session: Session, folder: Path, *, everything: bool = False) -> Path | None:
    """Export the changes made here since the last export into ``folder``; None if nothing new."""
    export = exchange.prepare_export(session, everything=everything)
    if export is None:
        return None
    data = seal(export, exchange.bundle_key(session))
    target = folder / file_name(export.header)
    partial = target.with_name("." + target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise write_failure(exc, folder) or StoreError(
            f"Impossible d'écrire le lot dans {folder} (support absent, plein ou en "
            "lecture seule ?) : rien n'a été marqué exporté.",
            f"Cannot write the bundle into {folder} (medium missing, full or "
            "read-only?): nothing was marked exported.",
        ) from None
    exchange.commit_export(session, export)
    return target


def import_file(session: Session, path: Path, *, grace: float = INCOMPLETE_GRACE_SECONDS) -> BundleResult:
    try:
        dropped = read_dropped(path)
    except OSError:
        return BundleResult(
            name=path.name, outcome=BundleOutcome.REFUSED, error_fr=UNREADABLE_FR, error_en=UNREADABLE_EN
        )
    if dropped is None:
        return BundleResult(name=path.name, outcome=BundleOutcome.GONE)
    raw, digest = dropped.raw, dropped.sha256
    if exchange.was_refused(session, digest):
        return BundleResult(name=path.name, outcome=BundleOutcome.REFUSED)
    try:
        header, _, _ = read_header(raw)
        receipt = exchange.receipt(session, header, digest)
        if receipt is not exchange.Receipt.NEW:
            outcome = BundleOutcome.OWN if receipt is exchange.Receipt.OWN else BundleOutcome.DUPLICATE
            return BundleResult(name=path.name, outcome=outcome)
        header, changes, his = unseal(raw, exchange.bundle_key(session))
        if header.exercise != crisis.exercise_mode(session):
            raise BundleRefused(
                "Lot d'un exercice et poste réel (ou l'inverse) : refusé.",
                "Bundle from an exercise on a real store (or the reverse): refused.",
            )
        report = exchange.apply_bundle(session, header, digest, changes, his)
    except BundleRefused as exc:
        if exc.incomplete and dropped.still_settling(grace):
            return BundleResult(name=path.name, outcome=BundleOutcome.RETRY)
        exchange.refuse_bundle(session, digest, path.name, exc.message_fr, exc.message_en)
        return BundleResult(
            name=path.name, outcome=BundleOutcome.REFUSED, error_fr=exc.message_fr, error_en=exc.message_en
        )
    return BundleResult(
        name=path.name,
        report=report,
        outcome=BundleOutcome.DUPLICATE if report.duplicate else BundleOutcome.IMPORTED,
    )

"""Exchange bundle files: written atomically, signed by their workstation, sealed with the site key.

Layout: the line ``CONTINUITE-ECHANGE``, a JSON header line (format, site, workstation,
sequence, time, number of changes, site key fingerprint, the signer's public key and
its fingerprint: no patient data), the 64-byte Ed25519 signature of the workstation
(``continuity.signing``) over everything else (magic, header line, nonce, sealed
body), a 12-byte nonce, then the changes compressed and sealed with AES-256-GCM
(``cryptography``), the magic line and header being authenticated data.

A bundle is opened only if it is signed by the key declared here for the workstation
it names (``continuity exchange peer add``, or the site file): the shared site key
alone can read every bundle but cannot make one pass for another workstation's. A
bundle sealed with another key (another site), changed by one byte, unsigned (a kit
0.2 or older), from a workstation not declared here, larger than the limits
(on disk, or decompressed: it is inflated step by step under a ceiling) or with a
body not of the expected shape is refused whole, and remembered as refused so it is
not opened again. Bundles stay in the exchange folder (others read it too).
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, ValidationError

from continuity import signing
from continuity.domain.exchange import ApplyReport, BundleHeader, FileLimits, PeerKey, ReceivedChange
from continuity.errors import InvalidInput, StoreError
from continuity.folders import write_failure
from continuity.services import crisis, exchange
from continuity.session import Session
from sync.dropped import UNREADABLE_EN, UNREADABLE_FR, TooLarge, read_dropped
from sync.snapshots.common import json_depth as json_depth  # also read by the tests

MAGIC = b"CONTINUITE-ECHANGE\n"
SUFFIX = ".cxb"
NONCE_BYTES = 12
SIGNATURE_BYTES = signing.SIGNATURE_BYTES
INCOMPLETE_GRACE_SECONDS = 30.0
MAX_HEADER_BYTES = 4096
MAX_JSON_DEPTH = 32  # a change's payload nests a few levels; anything deeper is hostile
_INFLATE_STEP = 1 << 20


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


def _body(export: exchange.Export) -> bytes:
    return json.dumps(
        {"changes": [c.model_dump(mode="json") for c in export.changes], "his_records": export.his_records},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def seal(export: exchange.Export, key: bytes, signing_key: bytes) -> bytes:
    """The bundle file: sealed with the site ``key``, signed with the workstation's ``signing_key``."""
    header = export.header.model_dump_json().encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(_body(export), 6), MAGIC + header)
    signature = signing.sign(signing_key, MAGIC + header + b"\n" + nonce + sealed)
    return MAGIC + header + b"\n" + signature + nonce + sealed


def read_header(raw: bytes) -> tuple[BundleHeader, bytes, bytes]:
    """(header, its bytes, the rest) of a bundle file, or ``BundleRefused``."""
    if not raw.startswith(MAGIC):
        incomplete = MAGIC.startswith(raw)
        raise BundleRefused(
            "Ce fichier n'est pas un lot d'échange du kit.",
            "This file is not an exchange bundle of the kit.",
            incomplete=incomplete,
        )
    line_end = raw.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES + 1)
    if line_end < 0:
        cut = len(raw) <= len(MAGIC) + MAX_HEADER_BYTES
        raise BundleRefused(
            "Lot d'échange coupé ou en-tête illisible.",
            "Exchange bundle cut short or unreadable header.",
            incomplete=cut,
        )
    header_bytes = raw[len(MAGIC) : line_end]
    try:
        header = BundleHeader.model_validate_json(header_bytes)
    except (ValidationError, ValueError, RecursionError):
        raise BundleRefused(
            "En-tête du lot d'échange illisible.", "Unreadable exchange bundle header."
        ) from None
    return header, header_bytes, raw[line_end + 1 :]


def check_signature(header: BundleHeader, header_bytes: bytes, rest: bytes, peer: PeerKey | None) -> bytes:
    """The bundle is signed by the key declared for its workstation: return what follows the signature."""
    ws = header.workstation
    if header.format < 2 or not header.signer or not header.signer_key:
        raise BundleRefused(
            f"Lot du poste {ws} non signé (kit 0.2 ou plus ancien ?) : refusé. "
            "Mettez à jour le kit sur ce poste, puis exportez de nouveau.",
            f"Bundle from workstation {ws} is not signed (kit 0.2 or older?): refused. "
            "Update the kit on that workstation, then export again.",
        )
    if peer is None:
        raise BundleRefused(
            f"Poste {ws} non déclaré ici : sa clé de signature est inconnue, lot refusé. Lisez son "
            f"empreinte sur ce poste-là (continuity exchange key show), comparez-la, puis déclarez-le : "
            f"continuity exchange peer add {ws} CLÉ.",
            f"Workstation {ws} is not declared here: its signing key is unknown, bundle refused. Read "
            f"its fingerprint on that workstation (continuity exchange key show), compare it, then "
            f"declare it: continuity exchange peer add {ws} KEY.",
        )
    try:
        public = signing.parse_public_key(header.signer_key)
    except InvalidInput:
        public = b""
    if (
        not public
        or signing.fingerprint(public) != peer.fingerprint
        or header.signer != peer.fingerprint
        or (peer.public_key is not None and peer.public_key != signing.public_key_text(public))
    ):
        raise BundleRefused(
            f"Lot signé par une autre clé que celle déclarée pour le poste {ws} : refusé (lot "
            "contrefait, ou poste réinstallé depuis : comparez les empreintes et déclarez de nouveau).",
            f"Bundle signed by another key than the one declared for workstation {ws}: refused "
            "(forged bundle, or the workstation was reinstalled: compare fingerprints and declare again).",
        )
    signature, sealed = rest[:SIGNATURE_BYTES], rest[SIGNATURE_BYTES:]
    if not signing.verify(public, MAGIC + header_bytes + b"\n" + sealed, signature):
        raise BundleRefused(
            f"Signature du lot du poste {ws} invalide : lot altéré, incomplet ou contrefait, refusé.",
            f"Invalid signature on the bundle from workstation {ws}: altered, incomplete or forged "
            "bundle, refused.",
            incomplete=True,
        )
    return sealed


def _too_large(limit: int) -> BundleRefused:
    mb = f"{limit / (1024 * 1024):.0f}"
    return BundleRefused(
        f"Lot d'échange trop volumineux une fois décompressé (plus de {mb} Mo) : refusé.",
        f"Exchange bundle too large once decompressed (over {mb} MB): refused.",
    )


def inflate(compressed: bytes, limit: int) -> bytearray:
    """Decompress step by step; ``BundleRefused`` as soon as the output would pass ``limit`` bytes."""
    inflater = zlib.decompressobj()
    out = bytearray()
    data = compressed
    try:
        while data:
            out += inflater.decompress(data, min(_INFLATE_STEP, limit + 1 - len(out)))
            if len(out) > limit:
                raise _too_large(limit)
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
        out += inflater.flush(limit + 1 - len(out))
    except zlib.error:
        raise _unreadable() from None
    if len(out) > limit:
        raise _too_large(limit)
    if not inflater.eof or inflater.unused_data:
        raise _unreadable()
    return out  # not copied: a body near the ceiling is held once


def _unreadable() -> BundleRefused:
    return BundleRefused(
        "Contenu du lot d'échange illisible ou non conforme : refusé.",
        "Exchange bundle content unreadable or not in the expected form: refused.",
    )


def decode_body(
    compressed: bytes, max_inflated: int = FileLimits().bundle_inflated_bytes
) -> tuple[list[ReceivedChange], list[dict[str, Any]]]:
    """The changes and HIS records of an opened bundle; only ``BundleRefused`` escapes."""
    text = inflate(compressed, max_inflated)
    try:
        content = json.loads(text)  # the C decoder stops deep nesting with RecursionError
    except (ValueError, RecursionError):
        raise _unreadable() from None
    del text
    if json_depth(content, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise BundleRefused(
            f"Contenu du lot d'échange trop imbriqué (plus de {MAX_JSON_DEPTH} niveaux) : refusé.",
            f"Exchange bundle content nested too deeply (over {MAX_JSON_DEPTH} levels): refused.",
        )
    if not isinstance(content, dict):
        raise _unreadable()
    changes, his = content.get("changes"), content.get("his_records", [])
    if (
        not isinstance(changes, list)
        or not isinstance(his, list)
        or not all(isinstance(r, dict) for r in his)
    ):
        raise _unreadable()
    try:
        return [ReceivedChange.model_validate(c) for c in changes], his
    except (ValidationError, ValueError, RecursionError):
        raise _unreadable() from None


def open_bundle(
    raw: bytes,
    key: bytes,
    peer_of: Callable[[str], PeerKey | None],
    max_inflated: int = FileLimits().bundle_inflated_bytes,
) -> tuple[BundleHeader, list[ReceivedChange], list[dict[str, Any]]]:
    """Check, open and read a bundle file; only ``BundleRefused`` escapes.

    ``peer_of``: the key declared for a workstation (``exchange.declared_peer``).
    """
    header, header_bytes, rest = read_header(raw)
    sealed = check_signature(header, header_bytes, rest, peer_of(header.workstation))
    return (header, *unseal(header, header_bytes, sealed, key, max_inflated))


def unseal(
    header: BundleHeader,
    header_bytes: bytes,
    sealed: bytes,
    key: bytes,
    max_inflated: int = FileLimits().bundle_inflated_bytes,
) -> tuple[list[ReceivedChange], list[dict[str, Any]]]:
    """Decrypt with the site key what follows the signature, and read it."""
    if header.key_id != exchange.key_id(key):
        raise BundleRefused(
            "Lot scellé avec une autre clé d'échange (autre site, ou clé non importée ici) : refusé.",
            "Bundle sealed with another exchange key (another site, or key not imported here): refused.",
        )
    try:
        body = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], MAGIC + header_bytes)
    except (InvalidTag, ValueError):
        raise BundleRefused(
            "Lot d'échange altéré ou incomplet (contrôle d'authenticité en échec) : refusé.",
            "Exchange bundle altered or incomplete (authenticity check failed): refused.",
            incomplete=True,
        ) from None
    changes, his = decode_body(body, max_inflated)
    if len(changes) != header.changes or any(c.origin != header.workstation for c in changes):
        raise BundleRefused(
            "Lot d'échange incohérent avec son en-tête : refusé.",
            "Exchange bundle inconsistent with its header: refused.",
        )
    return changes, his


def write_bundle(session: Session, folder: Path, *, everything: bool = False) -> Path | None:
    """Export the changes made here since the last export into ``folder``; None if nothing new."""
    export = exchange.prepare_export(session, everything=everything)
    if export is None:
        return None
    limits = exchange.file_limits(session)
    if len(_body(export)) > limits.bundle_inflated_bytes:
        raise InvalidInput(
            "Lot trop volumineux pour les autres postes (limite du site) : rien n'a été exporté. "
            "Augmentez la limite du site ou exportez plus souvent.",
            "Bundle too large for the other workstations (site limit): nothing was exported. "
            "Raise the site limit or export more often.",
        )
    data = seal(export, exchange.bundle_key(session), exchange.own_signing_key(session))
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
    limits = exchange.file_limits(session)
    try:
        dropped = read_dropped(path, limits.bundle_bytes)
    except TooLarge as exc:
        return _refuse(session, path, exc.sha256, BundleRefused(exc.message_fr, exc.message_en))
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
        header, header_bytes, rest = read_header(raw)
        receipt = exchange.receipt(session, header, digest)
        if receipt is not exchange.Receipt.NEW:
            outcome = BundleOutcome.OWN if receipt is exchange.Receipt.OWN else BundleOutcome.DUPLICATE
            return BundleResult(name=path.name, outcome=outcome)
        sealed = check_signature(
            header, header_bytes, rest, exchange.declared_peer(session, header.workstation)
        )
        changes, his = unseal(
            header, header_bytes, sealed, exchange.bundle_key(session), limits.bundle_inflated_bytes
        )
        if header.exercise != crisis.exercise_mode(session):
            raise BundleRefused(
                "Lot d'un exercice et poste réel (ou l'inverse) : refusé.",
                "Bundle from an exercise on a real store (or the reverse): refused.",
            )
        report = exchange.apply_bundle(session, header, digest, changes, his)
    except BundleRefused as exc:
        if exc.incomplete and dropped.still_settling(grace):
            return BundleResult(name=path.name, outcome=BundleOutcome.RETRY)
        return _refuse(session, path, digest, exc)
    return BundleResult(
        name=path.name,
        report=report,
        outcome=BundleOutcome.DUPLICATE if report.duplicate else BundleOutcome.IMPORTED,
    )


def _refuse(session: Session, path: Path, digest: str, exc: BundleRefused) -> BundleResult:
    """Refused once: remembered (not opened again) and said in the audit."""
    if exchange.was_refused(session, digest):
        return BundleResult(name=path.name, outcome=BundleOutcome.REFUSED)
    exchange.refuse_bundle(session, digest, path.name, exc.message_fr, exc.message_en)
    return BundleResult(
        name=path.name, outcome=BundleOutcome.REFUSED, error_fr=exc.message_fr, error_en=exc.message_en
    )

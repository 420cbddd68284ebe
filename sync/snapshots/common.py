"""What the snapshot readers share: the refusal they raise and the validation of identity traits
and times (how the HIS names its identifiers: ``continuity.domain.snapshot.HisIdentifiers``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.identity import Identity
from continuity.errors import Detail, InvalidInput
from continuity.validation import build

# The identity reliability the HIS gives (HL7 PID-32, table 0445 as extended in France; FR Core
# identityStatus, 2.2's fr-core-cs-identity-status or the earlier fr-core-cs-v2-0445), read by
# code whatever the code system; and the RNIV attributes that keep an identity provisional
# whatever status comes with them (doubtful, fictitious; PAM FR 2.10 spelt them DOUTE, FICTI).
RELIABILITY = {
    "PROV": "provisoire",
    "VIDE": "provisoire",
    "RECUP": "recuperee",
    "VALI": "validee",
    "QUAL": "qualifiee",
}
PROVISIONAL_ATTRIBUTES = frozenset({"DOUT", "DOUTE", "FICT", "FICTI"})


class SnapshotRejected(InvalidInput):
    """The file is not a valid snapshot; ``incomplete`` when it looks cut short (still being written)."""

    def __init__(
        self,
        message_fr: str,
        message_en: str,
        *,
        details: Sequence[Detail] | None = None,
        incomplete: bool = False,
    ):
        super().__init__(message_fr, message_en, details=details)
        self.incomplete = incomplete


def identity(data: dict[str, Any], where_fr: str, where_en: str) -> Identity:
    """Validate identity traits; errors name the record and the field, not the value."""
    try:
        return build(Identity, data, "Identité", "Identity")
    except InvalidInput as exc:
        raise SnapshotRejected(
            f"{where_fr} : identité invalide.", f"{where_en}: invalid identity.", details=exc.detail_pairs
        ) from None


def aware(moment: datetime) -> datetime:
    """A time without zone is the workstation's local time (the HIS and the kit share a site)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


# A FHIR Bundle nests about ten levels (entry, resource, extension, valueCoding...): deeper
# is not a snapshot, and would run the resource models (and Python's stack) out of depth.
MAX_JSON_DEPTH = 64


def load_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """JSON text nested at most ``max_depth`` arrays and objects deep, or ``SnapshotRejected``."""
    try:
        data = json.loads(raw)
    except RecursionError:
        data = None
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise SnapshotRejected(
            "Fichier JSON illisible ou coupé.", "Unreadable or truncated JSON file.", incomplete=True
        ) from None
    else:
        if json_depth(data, max_depth) <= max_depth:
            return data
    raise SnapshotRejected(
        f"Fichier JSON trop imbriqué (plus de {max_depth} niveaux) : ce n'est pas un instantané.",
        f"JSON file nested too deep (more than {max_depth} levels): not a snapshot.",
    )


def json_depth(value: Any, stop: int | None = None) -> int:
    """How deep the arrays and objects of a parsed JSON value nest, without recursion.

    ``stop``: return as soon as a level deeper than it is found (the depth then is ``stop + 1``).
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if stop is not None and depth > stop:
            return depth
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return deepest

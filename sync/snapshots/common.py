"""What the snapshot readers share: the refusal they raise and the validation of identity traits
and times (how the HIS names its identifiers: ``continuity.domain.snapshot.HisIdentifiers``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.identity import Identity
from continuity.errors import Detail, InvalidInput
from continuity.validation import build


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

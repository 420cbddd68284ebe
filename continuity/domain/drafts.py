"""Drafts: a form being typed, kept in the encrypted store until it is saved or abandoned."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# What a draft holds: the form's fields by name, as they were typed (text, a choice, a box).
FieldValue = str | int | bool | None

DRAFT_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, made by the form that is typed
MAX_FIELDS = 64  # a form has a few dozen inputs at most
MAX_TEXT = 2000  # characters per field


class DraftKind(StrEnum):
    """Which form a draft is of (the form it opens again)."""

    ADMISSION = "admission"
    PAPER_ADMISSION = "paper_admission"  # a pre-numbered paper form being keyed in


class Draft(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    owner: str  # the user who typed it: the only one who ever gets it back
    kind: DraftKind
    fields: dict[str, FieldValue]
    updated_at: datetime

"""Helpers shared by the services: time checks and lookups that raise clear errors."""

from __future__ import annotations

from datetime import datetime, timedelta

from continuity.errors import InvalidInput, NotFound
from continuity.session import Session

FUTURE_TOLERANCE = timedelta(minutes=5)


def event_time(session: Session, at: datetime | None) -> datetime:
    """The time of a movement: now by default; never in the future; always time-zone aware."""
    now = session.clock()
    if at is None:
        return now
    if at.tzinfo is None:
        raise InvalidInput("Date et heure sans fuseau horaire.", "Date and time without time zone.")
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            "La date et l'heure du mouvement sont dans le futur.",
            "The movement's date and time are in the future.",
        )
    return at


def require_uf(session: Session, uf_code: str) -> str:
    code = uf_code.strip().upper()
    if not session.store.reference.uf_exists(code):
        raise NotFound(f"UF inconnue : {code}.", f"Unknown UF: {code}.")
    return code

"""What is waiting to reach the HIS (the outbox), for status bars and dashboards."""

from __future__ import annotations

from continuity.domain.users import Permission
from continuity.session import Session


def backlog(session: Session) -> int:
    """Events recorded here and not yet acknowledged by the HIS."""
    session.require(Permission.READ_STATUS)
    counts = session.store.outbox_counts()
    return sum(n for status, n in counts.items() if status != "acknowledged")

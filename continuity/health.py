"""Keeping the workstation's health file fresh, for ``continuity doctor`` on a locked store.

The file (``maintenance.HEALTH_FILE``, counts and times only) is a convenience: a
failure to write it must never stop the work, but it must not go unnoticed
either. It is logged with the error's type and number only: an error's text can
quote a path or data, and nothing of the store goes to a log.
"""

from __future__ import annotations

import logging

from continuity import maintenance
from continuity.session import Session

log = logging.getLogger(__name__)


def write_health_file(session: Session) -> bool:
    """Write the health file beside the store; False (and a log entry) when it failed."""
    try:
        maintenance.write_health(session.workspace, maintenance.health(session))
    except Exception as exc:  # whatever it is, the work goes on; it is logged, not hidden
        log.warning(
            "Fichier d'état du poste non écrit / workstation health file not written: %s (errno %s)",
            type(exc).__name__,
            getattr(exc, "errno", None),
        )
        return False
    return True

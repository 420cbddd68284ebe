"""One unlock attempt in a real process, started at the same moment as others.

``python tests/attempt_child.py DATA_FOLDER USERNAME GO_FILE`` (the password in
``ATTEMPT_CHILD_PASSWORD``) prints ``ready`` once imported, waits until ``GO_FILE``
exists, tries to unlock, and prints ``ok``, ``failed`` (wrong user name or password) or
``limited`` (a delay runs), with the time the answer came (``time.monotonic``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from continuity.errors import AuthenticationFailed, RateLimited
from continuity.session import Workspace


def main(argv: list[str]) -> int:
    folder, username, go = Path(argv[1]), argv[2], Path(argv[3])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.002)
    try:
        Workspace(folder).unlock(username, os.environ["ATTEMPT_CHILD_PASSWORD"]).lock()
        outcome = "ok"
    except RateLimited:  # (a kind of AuthenticationFailed)
        outcome = "limited"
    except AuthenticationFailed:
        outcome = "failed"
    print(outcome, time.monotonic(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

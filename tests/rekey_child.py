"""Re-key child: ``continuity keys rotate`` in a real process, killed by SIGKILL.

``python tests/rekey_child.py DATA_FOLDER loop`` unlocks as the administrator (password in
``REKEY_CHILD_PASSWORD``), prints ``ready``, then re-keys the store again and again, printing
``rotated`` after each, until the test kills it.

``python tests/rekey_child.py DATA_FOLDER at WHAT N`` re-keys once, and kills itself with
SIGKILL on the ``N``-th call (1-based) of ``WHAT``: ``save`` (the slot file written: the
pending slots, then the promotion), ``replace`` (a re-encrypted database renamed over the
old one) or ``export`` (before a database is re-encrypted), to hit each step for sure.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from continuity import keyslots
from continuity.services import admin
from continuity.session import Workspace
from continuity.store import Store

PASSWORD_ENV = "REKEY_CHILD_PASSWORD"


def die_on_call(owner: Any, name: str, n: int, after: bool) -> None:
    original = getattr(owner, name)
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls == n and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, wrapper if not isinstance(original, staticmethod) else staticmethod(wrapper))


def main(argv: list[str]) -> int:
    folder, mode = Path(argv[1]), argv[2]
    session = Workspace(folder).unlock("admin", os.environ[PASSWORD_ENV])
    if mode == "loop":
        print("ready", flush=True)
        while True:
            admin.rotate_key(session, "crash test")
            print("rotated", flush=True)
    what, n = argv[3], int(argv[4])
    if what == "save":
        die_on_call(keyslots, "save", n, after=True)
    elif what == "replace":
        die_on_call(os, "replace", n, after=True)
    elif what == "export":
        die_on_call(Store, "rekey_file", n, after=False)
    print("ready", flush=True)
    admin.rotate_key(session, "crash test")
    print("rotated", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

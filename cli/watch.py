"""``continuity watch [--inbox DIR] [--exchange DIR] [--once]``: follow the HIS inbox and the exchange folder.

Messages name files and counts, never patients. Exit 12 (``--once``) when a
file was quarantined or refused.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from cli.common import add_command, open_session, resolve_workspace
from sync.watch_service import Result, WatchService, describe, folders

EXIT_SOME_REFUSED = 12


def refused(result: Result) -> bool:
    """Whether a handled file (snapshot or exchange bundle) was quarantined or refused."""
    return result.outcome.value in ("quarantined", "refused")


def cmd_watch(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    with open_session(args) as session:
        inbox_dir, exchange_dir = folders(session, workspace.folder)
        inbox_dir = Path(args.inbox) if args.inbox else inbox_dir
        exchange_dir = Path(args.exchange) if args.exchange else exchange_dir
        service = WatchService(inbox_dir, exchange_dir, settle=args.settle)
        print(
            f"Surveillance / watching: {inbox_dir} (DPI), {exchange_dir} (échange / exchange)",
            file=sys.stderr,
        )
        some_refused = False

        def show(result: Result) -> None:
            nonlocal some_refused
            some_refused = some_refused or refused(result)
            print(describe(result), flush=True)

        if args.once:
            for folder in service.start():
                print(f"Dossier inaccessible / folder not available: {folder}", file=sys.stderr)
            try:
                for result in service.process(session, service.ready()):
                    show(result)
            finally:
                service.stop()
            return EXIT_SOME_REFUSED if some_refused else 0
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError):
                signal.signal(sig, lambda *_: stop.set())
        service.run(
            session,
            stop,
            show,
            on_unavailable=lambda folders: print(
                "Dossier(s) inaccessible(s) / folder(s) not available: " + ", ".join(map(str, folders)),
                file=sys.stderr,
            ),
        )
    print("Surveillance arrêtée / watch stopped.", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    p = add_command(
        sub, "watch", cmd_watch, "surveiller le dépôt des instantanés du DPI et le dossier d'échange"
    )
    p.add_argument("--inbox", help="dossier de dépôt du DPI")
    p.add_argument("--exchange", help="dossier d'échange entre postes")
    p.add_argument("--once", action="store_true", help="traiter ce qui est là, puis s'arrêter")
    p.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="secondes sans changement avant de lire un fichier non fermé (1)",
    )

"""``continuity watch [--inbox DIR] [--exchange DIR] [--once]``: follow the HIS inbox and the exchange folder.

Messages name files and counts, never patients. Exit 12 (``--once``) when a
file was quarantined or refused. Where the site carries the exchange folder with
Syncthing, the kit's instance runs as long as the watch (not for ``--once``).
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
from continuity.domain.transport import Transport
from continuity.services import exchange_peers
from sync import syncthing
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
        carrier = _start_carrier(exchange_peers.transport(session), workspace.folder, exchange_dir)
        try:
            service.run(
                session,
                stop,
                show,
                on_unavailable=lambda folders: print(
                    "Dossier(s) inaccessible(s) / folder(s) not available: " + ", ".join(map(str, folders)),
                    file=sys.stderr,
                ),
            )
        finally:
            if carrier is not None:
                carrier.stop()
    print("Surveillance arrêtée / watch stopped.", file=sys.stderr)
    return 0


def _start_carrier(transport: Transport, data_folder: Path, exchange_dir: Path) -> syncthing.Instance | None:
    """The site's Syncthing for the exchange folder; if it cannot start, the watch goes on (USB)."""
    try:
        carrier = syncthing.start_for(transport, data_folder, exchange_dir)
    except (syncthing.SyncthingError, OSError) as exc:
        print(
            f"Syncthing n'a pas démarré ({exc}) : le dossier d'échange se copie à la main / "
            f"Syncthing did not start ({exc}): the exchange folder is copied by hand.",
            file=sys.stderr,
        )
        return None
    if carrier is not None:
        print(
            f"Syncthing : dossier d'échange porté vers / exchange folder carried to "
            f"{len(transport.peers)} appareil(s) / device(s), ce poste / this one {carrier.device_id()}",
            file=sys.stderr,
        )
    return carrier


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

"""``continuity watch``, ``continuity snapshot`` and ``continuity exchange``.

    continuity watch [--inbox DIR] [--exchange DIR] [--once]
    continuity snapshot import FILE... | status | config [--max-age-hours H] [--inbox D] [--exchange D]
    continuity exchange export [--to DIR] [--all] | import FILE... | status | conflicts
    continuity exchange resolve ID [--keep VERSION] | key new|export|import FILE

Messages name files and counts, never patients.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import signal
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from continuity.cli import _json, _workspace, add_command, open_session
from continuity.dates import age_text
from continuity.domain.exchange import CONFLICT_LABELS
from continuity.errors import InvalidInput, NotFound
from continuity.services import exchange, snapshots
from continuity.services.indicators import snapshot_max_age
from sync import bundles, inbox
from sync.snapshots import SnapshotRejected, parse_snapshot
from sync.watch_service import Result, WatchService, describe, folders

EXIT_SOME_REFUSED = 12


def _age(delta: timedelta | None) -> str:
    return "aucun / none" if delta is None else age_text(delta)


def _refused(result: Result) -> bool:
    return result.outcome.value in ("quarantined", "refused")


# ----------------------------------------------------------------------- watch
def cmd_watch(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    with open_session(args) as session:
        inbox_dir, exchange_dir = folders(session, workspace.folder)
        inbox_dir = Path(args.inbox) if args.inbox else inbox_dir
        exchange_dir = Path(args.exchange) if args.exchange else exchange_dir
        service = WatchService(inbox_dir, exchange_dir, settle=args.settle)
        print(
            f"Surveillance / watching: {inbox_dir} (DPI), {exchange_dir} (échange / exchange)",
            file=sys.stderr,
        )
        refused = False

        def show(result: Result) -> None:
            nonlocal refused
            refused = refused or _refused(result)
            print(describe(result), flush=True)

        if args.once:
            for folder in service.start():
                print(f"Dossier inaccessible / folder not available: {folder}", file=sys.stderr)
            try:
                for result in service.process(session, service.ready()):
                    show(result)
            finally:
                service.stop()
            return EXIT_SOME_REFUSED if refused else 0
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


# -------------------------------------------------------------------- snapshot
def cmd_snapshot_import(args: argparse.Namespace) -> int:
    """Import files given by name; they are left where they are (unlike the watched inbox)."""
    code = 0
    with open_session(args) as session:
        ids = inbox.his_identifiers(session)
        for name in args.files:
            path = Path(name)
            try:
                raw = path.read_bytes()
            except OSError:
                print(f"{path.name} : introuvable ou illisible / not found or unreadable", file=sys.stderr)
                code = 5
                continue
            digest = hashlib.sha256(raw).hexdigest()
            modified = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
            try:
                snapshot = parse_snapshot(raw, path.name, modified, ids)
            except SnapshotRejected as exc:
                print(f"{path.name} : refusé / refused\n{exc.bilingual()}", file=sys.stderr)
                code = 2
                continue
            report = snapshots.import_snapshot(session, snapshot, digest)
            fr, en = report.summary()
            print(f"{path.name} : {report.outcome.value} — {fr} / {en}")
    return code


def cmd_snapshot_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        fresh = snapshots.freshness(session)
        recent = snapshots.recent_imports(session, args.limit)
        inbox_dir, exchange_dir = snapshots.watch_folders(session)
    if args.json:
        _json(
            {
                "taken_at": fresh.taken_at,
                "age_minutes": fresh.age.total_seconds() // 60 if fresh.age else None,
                "max_age_minutes": fresh.max_age.total_seconds() // 60,
                "stale": fresh.stale,
                "inbox": inbox_dir,
                "exchange": exchange_dir,
                "imports": [e.model_dump(mode="json") for e in recent],
            }
        )
        return 0
    when = fresh.taken_at.astimezone().strftime("%d/%m/%Y %H:%M") if fresh.taken_at else "-"
    flag = "  TROP ANCIEN / TOO OLD" if fresh.stale else ""
    print(
        f"Dernier instantané du DPI / newest HIS snapshot: {when} (âge / age {_age(fresh.age)}, "
        f"seuil / threshold {_age(fresh.max_age)}){flag}"
    )
    for e in recent:
        detail = e.report.get("error_fr") or ""
        print(
            f"  {e.imported_at.astimezone():%d/%m %H:%M}  {e.format:<7} {e.outcome:<11} "
            f"pris le / taken {e.taken_at.astimezone():%d/%m %H:%M}  {detail}"
        )
    return 0


def cmd_snapshot_config(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.max_age_hours is not None:
            snapshots.set_max_age(session, round(args.max_age_hours * 60))
        if args.inbox or args.exchange:
            snapshots.set_watch_folders(
                session,
                args.inbox and str(Path(args.inbox).resolve()),
                args.exchange and str(Path(args.exchange).resolve()),
            )
        inbox_dir, exchange_dir = snapshots.watch_folders(session)
        age = snapshot_max_age(session.store)
    print(
        f"Seuil / threshold: {_age(age)}; dépôt DPI / inbox: {inbox_dir or '(défaut / default)'}; "
        f"échange / exchange: {exchange_dir or '(défaut / default)'}"
    )
    return 0


# -------------------------------------------------------------------- exchange
def cmd_exchange_export(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        _, exchange_dir = folders(session, _workspace(args).folder)
        target = bundles.write_bundle(
            session, Path(args.to) if args.to else exchange_dir, everything=args.all
        )
    if target is None:
        print("Rien de nouveau à exporter / nothing new to export.")
    else:
        print(f"Lot écrit / bundle written: {target}")
    return 0


def cmd_exchange_import(args: argparse.Namespace) -> int:
    code = 0
    with open_session(args) as session:
        for name in args.files:
            result = bundles.import_file(session, Path(name), grace=0)
            if result.outcome is bundles.BundleOutcome.GONE:
                print(f"{result.name} : introuvable / not found", file=sys.stderr)
                code = code or 5
                continue
            print(describe(result))
            code = code or (EXIT_SOME_REFUSED if _refused(result) else 0)
    return code


def cmd_exchange_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        peers = exchange.peers(session)
        waiting = exchange.waiting_count(session)
        conflicts = exchange.open_conflict_count(session)
        now = session.clock()
    if args.json:
        _json(
            {
                "workstations": [p.model_dump(mode="json") for p in peers],
                "waiting": waiting,
                "open_conflicts": conflicts,
            }
        )
        return 0
    for p in peers:
        if p.is_local:
            print(
                f"{p.workstation:<10} (ce poste / this one) dernier lot exporté / last exported: "
                f"n°{p.last_seq or '-'}"
            )
            continue
        age = _age(now - p.last_created_at) if p.last_created_at else "jamais reçu / never"
        missing = f"  manquants / missing: {', '.join(map(str, p.missing))}" if p.missing else ""
        print(
            f"{p.workstation:<10} dernier lot / last bundle n°{p.last_seq or '-'}  âge / age {age}{missing}"
        )
    print(f"En attente / waiting: {waiting}; conflits ouverts / open conflicts: {conflicts}")
    return 0


def cmd_exchange_conflicts(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        found = exchange.open_conflicts(session)
    if args.json:
        _json([c.model_dump(mode="json") for c in found])
        return 0
    for c in found:
        fr, en = CONFLICT_LABELS[c.kind]
        print(f"#{c.id}  {fr} / {en}  ({c.entity} {c.entity_id[:8]})")
        for version in c.detail.get("versions", {}):
            print(f"      version {version}")
    if not found:
        print("Aucun conflit ouvert / no open conflict.")
    return 0


def cmd_exchange_resolve(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        exchange.resolve(session, args.id, args.keep)
    print("Conflit réglé / conflict settled.")
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.key_action == "import":
            if not args.file:
                raise InvalidInput("Fichier de clé manquant.", "Key file missing.")
            try:
                text = Path(args.file).read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError):
                raise NotFound(
                    f"Fichier de clé introuvable ou illisible : {args.file}.",
                    f"Key file not found or unreadable: {args.file}.",
                ) from None
            fingerprint = exchange.import_key(session, text)
            print(f"Clé d'échange importée / exchange key imported ({fingerprint}).")
            return 0
        encoded = exchange.new_key(session) if args.key_action == "new" else exchange.export_key(session)
    if args.file:
        path = Path(args.file)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(encoded + "\n")
        print(
            f"Clé écrite / key written: {path} — à copier sur chaque poste du site, puis à "
            "effacer du support / copy it to every workstation of the site, then erase it."
        )
    else:
        print(encoded)
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

    snap = sub.add_parser("snapshot", help="instantanés du DPI").add_subparsers(
        dest="snapshot_command", required=True, metavar="ACTION"
    )
    i = add_command(snap, "import", cmd_snapshot_import, "importer des fichiers d'instantané")
    i.add_argument("files", nargs="+")
    s = add_command(snap, "status", cmd_snapshot_status, "âge et imports récents", json_out=True)
    s.add_argument("--limit", type=int, default=20)
    c = add_command(snap, "config", cmd_snapshot_config, "seuil d'ancienneté et dossiers surveillés")
    c.add_argument("--max-age-hours", type=float)
    c.add_argument("--inbox")
    c.add_argument("--exchange")

    ex = sub.add_parser("exchange", help="échange entre postes isolés").add_subparsers(
        dest="exchange_command", required=True, metavar="ACTION"
    )
    e = add_command(ex, "export", cmd_exchange_export, "exporter les changements de ce poste")
    e.add_argument("--to", help="dossier (par défaut : le dossier d'échange)")
    e.add_argument("--all", action="store_true", help="tout réexporter depuis le début")
    m = add_command(ex, "import", cmd_exchange_import, "importer des lots d'échange")
    m.add_argument("files", nargs="+")
    add_command(ex, "status", cmd_exchange_status, "lots reçus par poste", json_out=True)
    add_command(ex, "conflicts", cmd_exchange_conflicts, "conflits à régler", json_out=True)
    r = add_command(ex, "resolve", cmd_exchange_resolve, "régler un conflit")
    r.add_argument("id", type=int)
    r.add_argument("--keep", help="identité : la version à garder")
    k = add_command(ex, "key", cmd_key, "clé d'échange du site")
    k.add_argument("key_action", choices=["new", "export", "import"])
    k.add_argument("file", nargs="?")

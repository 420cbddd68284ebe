"""``continuity snapshot import FILE... | import-index FILE | index | status | config``: the HIS
snapshots taken before the outage, and the HIS identity index.

    continuity snapshot config [--max-age-hours H] [--inbox DIR] [--exchange DIR]

Messages name files and counts, never patients.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

from cli.common import add_command, add_group, fmt_age, fmt_dt, open_session, print_json
from continuity.domain.his_index import IndexOutcome
from continuity.services import exchange, his_index, snapshots
from continuity.services.indicators import snapshot_max_age
from sync.dropped import TooLarge, read_dropped
from sync.his_index_files import file_sha256, read_index
from sync.snapshots import SnapshotRejected, parse_snapshot


def cmd_snapshot_import(args: argparse.Namespace) -> int:
    """Import files given by name; they are left where they are (unlike the watched inbox)."""
    code = 0
    with open_session(args) as session:
        ids = snapshots.his_identifiers(session)
        limit = exchange.file_limits(session).snapshot_bytes
        for name in args.files:
            path = Path(name)
            try:
                dropped = read_dropped(path, limit)
            except TooLarge as exc:
                print(f"{path.name} : refusé / refused\n{exc.bilingual()}", file=sys.stderr)
                code = 2
                continue
            except OSError:
                dropped = None
            if dropped is None:
                print(f"{path.name} : introuvable ou illisible / not found or unreadable", file=sys.stderr)
                code = 5
                continue
            try:
                snapshot = parse_snapshot(dropped.raw, path.name, dropped.modified_at, ids, max_bytes=limit)
            except SnapshotRejected as exc:
                print(f"{path.name} : refusé / refused\n{exc.bilingual()}", file=sys.stderr)
                code = 2
                continue
            report = snapshots.import_snapshot(session, snapshot, dropped.sha256)
            fr, en = report.summary()
            print(f"{path.name} : {report.outcome.value} — {fr} / {en}")
    return code


def cmd_snapshot_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        fresh = snapshots.freshness(session)
        recent = snapshots.recent_imports(session, args.limit)
        inbox_dir, exchange_dir = snapshots.watch_folders(session)
    if args.json:
        print_json(
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
    flag = "  TROP ANCIEN / TOO OLD" if fresh.stale else ""
    print(
        f"Dernier instantané du DPI / newest HIS snapshot: {fmt_dt(fresh.taken_at)} "
        f"(âge / age {fmt_age(fresh.age)}, seuil / threshold {fmt_age(fresh.max_age)}){flag}"
    )
    for e in recent:
        detail = e.report.get("error_fr") or ""
        print(
            f"  {e.imported_at.astimezone():%d/%m %H:%M}  {e.format:<7} {e.outcome:<11} "
            f"pris le / taken {e.taken_at.astimezone():%d/%m %H:%M}  {detail}"
        )
    return 0


def _n(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")  # the French thousands separator


def cmd_snapshot_index(args: argparse.Namespace) -> int:
    """Import an HIS identity index file (full or delta), streamed, with its progress on stderr;
    Ctrl+C cancels it, leaving the index in use as it was."""
    path = Path(args.file)
    if not path.is_file():
        print(f"{path.name} : introuvable / not found", file=sys.stderr)
        return 5
    stop = threading.Event()
    last = [0.0]

    def progress(p: his_index.Progress) -> None:
        if p.elapsed - last[0] < 1 and p.phase == "read":
            return
        last[0] = p.elapsed
        total = f" / {_n(p.total)}" if p.total else ""
        left = f", reste / left {p.remaining:.0f} s" if p.remaining is not None else ""
        word = {"read": "lues / read", "sort": "tri des clés / sorting keys", "done": "fin / done"}[p.phase]
        print(
            f"\r  {_n(p.done)}{total} identités / identities {word} ({_n(round(p.rate))}/s{left})    ",
            end="",
            file=sys.stderr,
            flush=True,
        )

    with open_session(args) as session:
        try:
            header, entries = read_index(path, snapshots.his_identifiers(session), workers=args.workers)
            try:
                report = his_index.import_index(
                    session, header, entries, file_sha256(path), progress=progress, cancelled=stop.is_set
                )
            except KeyboardInterrupt:
                stop.set()
                raise
        except SnapshotRejected as exc:
            print(f"\n{path.name} : refusé / refused\n{exc.bilingual()}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(
                "\nImport interrompu : l'index en place n'a pas changé. / "
                "Import interrupted: the index in use did not change.",
                file=sys.stderr,
            )
            return 130
    print(file=sys.stderr)
    fr, en = report.summary()
    print(f"{path.name} : {report.outcome.value} — {fr} / {en}")
    return 0 if report.outcome is not IndexOutcome.CANCELLED else 130


def cmd_snapshot_index_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        state = his_index.index_state(session)
        intact = his_index.verify_index(session) if args.verify else None
    if args.json:
        print_json({"index": state.model_dump(mode="json") if state else None, "intact": intact})
        return 0 if intact is not False else 3
    if state is None:
        print("Aucun index du DPI sur ce poste. / No HIS index on this workstation.")
        return 0
    print(
        f"Index du DPI / HIS index: extraction {state.extraction}, {_n(state.count)} identités / "
        f"identities, extrait le / taken {fmt_dt(state.taken_at)}, importé le / imported "
        f"{fmt_dt(state.imported_at)}"
    )
    if intact is not None:
        print(
            "Sceau vérifié / seal verified"
            if intact
            else "SCEAU ROMPU : l'index a été modifié hors du kit / "
            "SEAL BROKEN: the index was changed outside the kit"
        )
    return 0 if intact is not False else 3


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
        age = snapshot_max_age(session)
    print(
        f"Seuil / threshold: {fmt_age(age)}; dépôt DPI / inbox: {inbox_dir or '(défaut / default)'}; "
        f"échange / exchange: {exchange_dir or '(défaut / default)'}"
    )
    return 0


def register(sub: Any) -> None:
    snap = add_group(sub, "snapshot", "instantanés du DPI", "snapshot_command")
    i = add_command(snap, "import", cmd_snapshot_import, "importer des fichiers d'instantané")
    i.add_argument("files", nargs="+")
    s = add_command(snap, "status", cmd_snapshot_status, "âge et imports récents", json_out=True)
    s.add_argument("--limit", type=int, default=20)
    x = add_command(
        snap, "import-index", cmd_snapshot_index, "importer l'index des identités du DPI (complet ou delta)"
    )
    x.add_argument("file")
    x.add_argument(
        "--workers", type=int, default=None, help="processus de lecture (défaut : selon la taille)"
    )
    xs = add_command(
        snap, "index", cmd_snapshot_index_status, "état de l'index des identités du DPI", json_out=True
    )
    xs.add_argument("--verify", action="store_true", help="vérifier son sceau (lit tout l'index)")
    c = add_command(snap, "config", cmd_snapshot_config, "seuil d'ancienneté et dossiers surveillés")
    c.add_argument("--max-age-hours", type=float)
    c.add_argument("--inbox")
    c.add_argument("--exchange")

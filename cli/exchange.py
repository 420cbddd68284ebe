"""``continuity exchange``: bundles of changes between isolated workstations of the site.

    continuity exchange export [--to DIR] [--all] | import FILE... | status | conflicts
    continuity exchange resolve ID [--keep VERSION] | key new|export|import FILE | key show
    continuity exchange peer add CODE PUBLIC_KEY|FINGERPRINT | peer remove CODE | peer list
    continuity exchange device add DEVICE_ID tcp://ADDR:PORT [--workstation CODE]
    continuity exchange device remove DEVICE_ID | device list
    continuity exchange device config [--syncthing on|off] [--listen tcp://ADDR:PORT]

``peer`` declares the other workstations' signing keys (who may write a bundle); ``device``
declares their Syncthing devices (where the exchange folder is carried, sync/syncthing.py).

Messages name files and counts, never patients.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import add_command, add_group, fmt_age, open_session, print_json, resolve_workspace
from cli.watch import EXIT_SOME_REFUSED, refused
from continuity import signing
from continuity.domain.exchange import CONFLICT_LABELS
from continuity.errors import InvalidInput, NotFound
from continuity.folders import open_private
from continuity.services import admin, exchange, exchange_peers
from sync import bundles, syncthing
from sync.watch_service import describe, folders


def cmd_exchange_export(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        _, exchange_dir = folders(session, resolve_workspace(args).folder)
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
            code = code or (EXIT_SOME_REFUSED if refused(result) else 0)
    return code


def cmd_exchange_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        peers = exchange.peers(session)
        waiting = exchange.waiting_count(session)
        conflicts = exchange.open_conflict_count(session)
        now = session.clock()
    if args.json:
        print_json(
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
        age = fmt_age(now - p.last_created_at) if p.last_created_at else "jamais reçu / never"
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
        print_json([c.model_dump(mode="json") for c in found])
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
        if args.key_action == "show":
            public = exchange.own_public_key(session)
            code = admin.workstation_info(session).workstation_code
            print(
                "Clé publique de signature de ce poste / this workstation's public signing key:\n"
                f"  {signing.public_key_text(public)}\n"
                f"Empreinte / fingerprint: {signing.fingerprint(public)}\n"
                "À déclarer sur chaque autre poste, empreinte comparée à voix haute ou sur papier /"
                " to declare on every other workstation, fingerprint compared aloud or on paper:\n"
                f"  continuity exchange peer add {code} {signing.public_key_text(public)}"
            )
            return 0
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
        with open_private(path) as f:  # owner-only, an existing file's wider mode too
            f.write((encoded + "\n").encode("ascii"))
        print(
            f"Clé écrite / key written: {path} — à copier sur chaque poste du site, puis à "
            "effacer du support / copy it to every workstation of the site, then erase it."
        )
    else:
        print(encoded)
    return 0


def cmd_peer_add(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        peer = exchange.declare_peer(session, args.code, args.key)
    print(
        f"Poste {peer.workstation} déclaré / workstation declared — empreinte / fingerprint:\n"
        f"  {peer.fingerprint}\n"
        "Comparez-la à voix haute ou sur papier avec celle que ce poste affiche (continuity "
        "exchange key show) ; si elles diffèrent, ne l'acceptez pas / compare it aloud or on paper "
        "with the one that workstation shows (continuity exchange key show); if they differ, do not "
        "accept it."
    )
    return 0


def cmd_peer_remove(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        exchange.forget_peer(session, args.code)
    print(
        f"Clé du poste {args.code.upper()} retirée : ses lots sont refusés désormais / key of "
        f"workstation {args.code.upper()} withdrawn: its bundles are refused from now on."
    )
    return 0


def cmd_peer_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        workstations = exchange.peers(session)
        declared = {p.workstation: p for p in exchange.peer_keys(session)}
        own = signing.fingerprint(exchange.own_public_key(session))
    local = next(w.workstation for w in workstations if w.is_local)
    others = [w.workstation for w in workstations if not w.is_local]
    if args.json:
        print_json(
            {
                "this": {"workstation": local, "fingerprint": own},
                "peers": [
                    {
                        "workstation": code,
                        "fingerprint": declared[code].fingerprint if code in declared else None,
                        "public_key": declared[code].public_key if code in declared else None,
                    }
                    for code in others
                ],
            }
        )
        return 0
    print(f"{local:<10} {own}  (ce poste / this one)")
    for code in others:
        peer = declared.get(code)
        if peer is None:
            print(f"{code:<10} non déclaré : ses lots sont refusés / not declared: its bundles are refused")
        else:
            kind = "" if peer.public_key else "  (empreinte seule / fingerprint only)"
            print(f"{code:<10} {peer.fingerprint}{kind}")
    return 0


def cmd_device_add(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        peer = exchange_peers.add_device(session, args.device_id, args.address, args.workstation)
    print(
        f"Appareil Syncthing déclaré / Syncthing device declared: {peer.device_id} "
        f"({peer.workstation or '-'}) {peer.address}\n"
        "Comparez-le à celui que ce poste affiche (continuity exchange device list) / compare it "
        "with the one that workstation shows (continuity exchange device list). Pris en compte au "
        "prochain démarrage de la surveillance / taken into account when the watch starts again."
    )
    return 0


def cmd_device_remove(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        peer = exchange_peers.remove_device(session, args.device_id)
    print(
        f"Appareil retiré / device withdrawn: {peer.device_id} ({peer.workstation or '-'}) — plus rien "
        "ne lui est envoyé au prochain démarrage / nothing is sent to it from the next start."
    )
    return 0


def cmd_device_list(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    with open_session(args) as session:
        transport = exchange_peers.transport(session)
    own = None
    if syncthing.binary_path() is not None:
        own = syncthing.Instance.of(workspace.folder).device_id()  # its keys made at first need
    if args.json:
        print_json(
            {
                "syncthing": transport.syncthing,
                "listen": transport.listen,
                "this": {"workstation": transport.workstation, "device_id": own},
                "devices": [p.model_dump() for p in transport.peers],
            }
        )
        return 0
    state = "activé / on" if transport.syncthing else "désactivé / off (clé USB / USB stick)"
    print(f"Syncthing : {state} ; écoute / listen {transport.listen}")
    print(f"{transport.workstation:<10} {own or 'syncthing absent / not installed'}  (ce poste / this one)")
    for p in transport.peers:
        print(f"{p.workstation or '-':<10} {p.device_id}  {p.address}")
    return 0


def cmd_device_config(args: argparse.Namespace) -> int:
    enabled = None if args.syncthing is None else args.syncthing == "on"
    with open_session(args) as session:
        found = exchange_peers.configure(session, syncthing=enabled, listen=args.listen)
    state = "activé / on" if found.syncthing else "désactivé / off"
    print(f"Syncthing : {state} ; écoute / listen {found.listen}")
    return 0


def register(sub: Any) -> None:
    ex = add_group(sub, "exchange", "échange entre postes isolés", "exchange_command")
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
    k.add_argument("key_action", choices=["new", "export", "import", "show"])
    k.add_argument("file", nargs="?")
    peer = add_group(ex, "peer", "clés de signature des autres postes", "peer_command")
    pa = add_command(peer, "add", cmd_peer_add, "déclarer la clé publique (ou l'empreinte) d'un poste")
    pa.add_argument("code")
    pa.add_argument("key", help="clé publique base64 (exchange key show sur ce poste) ou empreinte")
    pr = add_command(peer, "remove", cmd_peer_remove, "retirer la clé d'un poste (volé, retiré)")
    pr.add_argument("code")
    add_command(peer, "list", cmd_peer_list, "postes déclarés et leurs empreintes", json_out=True)
    device = add_group(ex, "device", "appareils Syncthing des autres postes", "device_command")
    da = add_command(device, "add", cmd_device_add, "déclarer l'appareil Syncthing d'un autre poste")
    da.add_argument("device_id", help="identifiant d'appareil (continuity exchange device list sur ce poste)")
    da.add_argument("address", help="tcp://ADRESSE:PORT sur le réseau de crise")
    da.add_argument("--workstation", help="code du poste")
    dr = add_command(device, "remove", cmd_device_remove, "retirer un appareil (volé, retiré)")
    dr.add_argument("device_id")
    add_command(device, "list", cmd_device_list, "cet appareil et ceux déclarés", json_out=True)
    dc = add_command(device, "config", cmd_device_config, "activer Syncthing sur ce poste, son écoute")
    dc.add_argument("--syncthing", choices=["on", "off"])
    dc.add_argument("--listen", help="tcp://ADRESSE:PORT où écouter")

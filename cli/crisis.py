"""Crisis cell: ``status show | set | exercise`` (degraded mode per service), ``log add | show``
and ``instruction send | list | ack`` (the crisis cell's instructions to the wards)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import add_command, add_group, fmt_dt, open_session, print_json
from continuity.dates import parse_local_datetime
from continuity.domain.crisis import STATUS_LABELS, DegradedStatus, LogCategory
from continuity.errors import NotFound
from continuity.services import crisis, instructions


def cmd_status_show(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        statuses = crisis.service_statuses(session)
    if args.json:
        print_json([s.model_dump(mode="json") for s in statuses])
        return 0
    for s in statuses:
        by = f"{s.changed_by} le {fmt_dt(s.changed_at)}" if s.changed_at else "jamais modifié"
        print(f"{s.code:<10} {STATUS_LABELS[s.status][0]:<40} {by}  {s.note or ''}")
    return 0


def cmd_status_set(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        view = crisis.set_status(session, args.service, DegradedStatus(args.status), args.note)
    print(f"{view.code} -> {STATUS_LABELS[view.status][0]}")
    return 0


def cmd_exercise(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.state is not None:
            crisis.set_exercise_mode(session, args.state == "on")
        on = crisis.exercise_mode(session)
    print(
        "Mode exercice : activé / exercise mode on" if on else "Mode exercice : désactivé / exercise mode off"
    )
    return 0


def cmd_log_add(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        entry = crisis.add_log_entry(session, " ".join(args.text), LogCategory(args.category), args.service)
    print(f"Entrée n°{entry.seq} ajoutée / entry added ({fmt_dt(entry.at)}).")
    return 0


def cmd_log_show(args: argparse.Namespace) -> int:
    since = parse_local_datetime(args.since) if args.since else None
    with open_session(args) as session:
        entries = crisis.log_entries(
            session,
            since=since,
            category=LogCategory(args.category) if args.category else None,
            service_code=args.service,
            limit=args.limit,
        )
    if args.json:
        print_json([e.model_dump(mode="json") for e in entries])
        return 0
    for e in reversed(entries):
        svc = f"[{e.service_code}] " if e.service_code else ""
        where = f"@{e.workstation}" if e.workstation else ""
        print(f"{fmt_dt(e.at)}  {e.author + where:<22} {e.category.value:<9} {svc}{e.text}")
    return 0


def cmd_instruction_send(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        sent = instructions.send_instruction(session, " ".join(args.text), args.uf or None)
    to = ", ".join(sent.ufs) if sent.ufs else "toutes les UF / every UF"
    print(f"Consigne envoyée / instruction sent ({to}) : {sent.id}")
    return 0


def cmd_instruction_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        found = instructions.unacknowledged(session) if args.pending else instructions.instructions(session)
    if args.json:
        print_json([i.model_dump(mode="json") for i in found])
        return 0
    for i in found:
        to = ",".join(i.ufs) or "toutes"
        acks = ", ".join(f"{a.workstation} ({a.username}, {fmt_dt(a.at)})" for a in i.acknowledgements) or "-"
        print(f"{fmt_dt(i.at)}  {i.id[:8]}  [{to}] {i.text}\n    lu / read: {acks}")
    return 0


def cmd_instruction_ack(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        ids = [i.id for i in instructions.instructions(session) if i.id.startswith(args.id)]
        if len(ids) != 1:
            raise NotFound(
                "Consigne inconnue (ou préfixe ambigu).", "Unknown instruction (or ambiguous prefix)."
            )
        instructions.acknowledge(session, ids[0])
    print("Réception accusée / acknowledged.")
    return 0


def register(sub: Any) -> None:
    status = add_group(sub, "status", "statut mode dégradé par service", "status_command")
    add_command(status, "show", cmd_status_show, "afficher les statuts", json_out=True)
    p = add_command(status, "set", cmd_status_set, "changer le statut d'un service")
    p.add_argument("service")
    p.add_argument("status", choices=[s.value for s in DegradedStatus])
    p.add_argument("--note")

    p = add_command(status, "exercise", cmd_exercise, "mode exercice (drill) : afficher ou changer")
    p.add_argument("state", nargs="?", choices=["on", "off"])

    log = add_group(sub, "log", "main courante", "log_command")
    p = add_command(log, "add", cmd_log_add, "ajouter une entrée à la main courante")
    p.add_argument("text", nargs="+")
    p.add_argument("--category", default="info", choices=[c.value for c in LogCategory])
    p.add_argument("--service")
    p = add_command(log, "show", cmd_log_show, "afficher la main courante", json_out=True)
    p.add_argument("--since")
    p.add_argument("--category", choices=[c.value for c in LogCategory])
    p.add_argument("--service")
    p.add_argument("--limit", type=int, default=200)

    orders = add_group(
        sub, "instruction", "consignes de la cellule de crise aux unités", "instruction_command"
    )
    p = add_command(orders, "send", cmd_instruction_send, "envoyer une consigne (toutes les UF, ou --uf)")
    p.add_argument("text", nargs="+")
    p.add_argument("--uf", action="append", help="UF destinataire (répétable) ; aucune : toutes")
    p = add_command(orders, "list", cmd_instruction_list, "les consignes et qui les a lues", json_out=True)
    p.add_argument("--pending", action="store_true", help="celles que ce poste doit encore lire")
    p = add_command(orders, "ack", cmd_instruction_ack, "accuser réception d'une consigne (poste d'unité)")
    p.add_argument("id", help="identifiant de la consigne (ou son début)")
